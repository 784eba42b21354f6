/*
 * From Xen's start_info to kernel_main().
 *
 * This is the only file that reads start_info. It installs what the CPU
 * needs before any C code may fault or take an event (trap table, event and
 * failsafe callbacks, FPU/SSE), maps shared_info, maps memory (mm.c), then
 * hands a neutral struct boot_info to the kernel.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <xen/xen.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "arch/x86_64/setup.h"
#include "arch/x86_64/traps.h"

extern uint64_t boot_tsc_at_start;
extern char boot_stack[];

struct arch_cpu_block arch_cpu_block = {
	.stack_limit = (uint64_t)boot_stack + ARCH_STACK_MARGIN,
};

/* The virtual page where shared_info is mapped; its own frame is unused. */
static char shared_info_page[PAGE_SIZE]
	__attribute__((section(".bss.page_aligned"), aligned(PAGE_SIZE)));

static char cmdline_copy[MAX_GUEST_CMDLINE];
static struct boot_info boot_info;

struct shared_info *arch_shared_info(void)
{
	return (struct shared_info *)shared_info_page;
}

static void early_puts(const char *s)
{
	(void)hypercall_console_io(CONSOLEIO_write, strlen(s), s);
}

static void map_shared_info(const start_info_t *si)
{
	uint64_t pte = si->shared_info | 7; /* present, writable, user */

	if (hypercall_update_va_mapping((uint64_t)shared_info_page, pte,
					UVMF_INVLPG) != 0) {
		early_puts("skiff: cannot map shared_info\n");
		arch_crash();
	}
}

static void copy_cmdline(const start_info_t *si)
{
	size_t i;

	/* Xen NUL-terminates, but never trust a fixed-size field to be. */
	for (i = 0; i + 1 < sizeof(cmdline_copy) && si->cmd_line[i]; i++)
		cmdline_copy[i] = (char)si->cmd_line[i];
	cmdline_copy[i] = '\0';
}

static void fill_boot_info(const start_info_t *si, uint64_t first_free_pfn)
{
	boot_info.nr_pages = si->nr_pages;
	boot_info.first_free_pfn = first_free_pfn;
	boot_info.is_dom0 = (si->flags & SIF_INITDOMAIN) != 0;
	boot_info.cmdline = cmdline_copy;
	if (!boot_info.is_dom0) {
		boot_info.console_ring = mm_mfn_to_virt(si->console.domU.mfn);
		boot_info.console_evtchn = si->console.domU.evtchn;
		boot_info.store_ring = mm_mfn_to_virt(si->store_mfn);
		boot_info.store_evtchn = si->store_evtchn;
		if (!boot_info.console_ring || !boot_info.store_ring)
			arch_early_panic(
				"start_info: ring page outside memory");
	}
	boot_info.boot_tsc = boot_tsc_at_start;
}

void arch_start(void *start_info)
{
	const start_info_t *si = start_info;
	uint64_t first_free;

	traps_init();
	/* mm_init() rewrites every page of the 1:1 map, so the shared_info
	 * mapping, which replaces one of them, comes after it. */
	first_free = mm_init(si);
	map_shared_info(si);
	copy_cmdline(si);
	fill_boot_info(si, first_free);
	kernel_main(&boot_info);
	early_puts("skiff: kernel_main returned\n");
	arch_crash();
}
