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
extern char boot_stack[], _end[];

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

static uint64_t pfn_up(uint64_t va)
{
	return (va + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The ramdisk module's virtual address: Xen gives a pfn when it says so
 * (SIF_MOD_START_PFN), else an address in the boot mapping, which is our
 * 1:1 map. */
static uint64_t ramdisk_va(const start_info_t *si)
{
	if (si->flags & SIF_MOD_START_PFN)
		return si->mod_start << PAGE_SHIFT;
	return si->mod_start;
}

/* Everything Xen put in our memory ends below the pfn this returns: the
 * image, the ramdisk, the p2m list, start_info, the domU rings; the page
 * tables and Xen's boot stack follow (mm_init() knows those). */
static uint64_t boot_area_end(const start_info_t *si)
{
	uint64_t end = pfn_up((uint64_t)_end);

	end = max_u64(end, pfn_up(si->mfn_list + si->nr_pages * 8));
	end = max_u64(end, pfn_up((uint64_t)si + sizeof(*si)));
	if (si->mod_start && si->mod_len)
		end = max_u64(end, pfn_up(ramdisk_va(si) + si->mod_len));
	if (!(si->flags & SIF_INITDOMAIN)) {
		end = max_u64(end, mm_m2p(si->store_mfn) + 1);
		end = max_u64(end, mm_m2p(si->console.domU.mfn) + 1);
	}
	return end;
}

static uint64_t map_memory(const start_info_t *si)
{
	struct mm_boot_layout boot = {
		.p2m = (const uint64_t *)si->mfn_list,
		.nr_pages = si->nr_pages,
		.l4 = (uint64_t *)si->pt_base,
		.pt_first = si->pt_base >> PAGE_SHIFT,
		.pt_count = si->nr_pt_frames,
		.boot_end_pfn = boot_area_end(si),
	};

	return mm_init(&boot);
}

/* The ramdisk must lie inside our memory; anything else is ignored with a
 * word on the console rather than trusted. */
static void fill_ramdisk(const start_info_t *si)
{
	uint64_t va = ramdisk_va(si), end = va + si->mod_len;

	if (!si->mod_start || !si->mod_len)
		return;
	if (end < va || va < PAGE_SIZE || end > (si->nr_pages << PAGE_SHIFT)) {
		early_puts("skiff: ramdisk outside memory; ignored\n");
		return;
	}
	boot_info.ramdisk = (const void *)va;
	boot_info.ramdisk_len = si->mod_len;
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
	fill_ramdisk(si);
}

void arch_start(void *start_info)
{
	const start_info_t *si = start_info;
	uint64_t first_free;

	traps_init();
	/* mm_init() rewrites every page of the 1:1 map, so the shared_info
	 * mapping, which replaces one of them, comes after it. */
	first_free = map_memory(si);
	map_shared_info(si);
	copy_cmdline(si);
	fill_boot_info(si, first_free);
	kernel_main(&boot_info);
	early_puts("skiff: kernel_main returned\n");
	arch_crash();
}
