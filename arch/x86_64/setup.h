/*
 * The neutral description of the machine that the kernel boots from.
 *
 * arch/x86_64/setup.c fills it from Xen's start_info (the only file that
 * reads start_info) and passes it to kernel_main(). Nothing in it is a
 * machine frame number: the console and xenstore ring pages are given as
 * pointers into the 1:1 map.
 */
#ifndef ARCH_X86_64_SETUP_H
#define ARCH_X86_64_SETUP_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info {
	uint64_t nr_pages;	 /* pseudo-physical pages, 0 .. nr_pages-1 */
	uint64_t first_free_pfn; /* lowest pfn not used by image/boot data */
	bool is_dom0;		 /* console_io console, no xenstore */
	const char *cmdline;	 /* NUL-terminated, from the domain config */
	void *console_ring;	 /* domU console ring page (NULL for dom0) */
	uint32_t console_evtchn;
	void *store_ring; /* xenstore ring page (NULL for dom0) */
	uint32_t store_evtchn;
	uint64_t boot_tsc; /* TSC when _start ran, for boot timing */
	/* The xl ramdisk= module (dom0: the module after the kernel), in the
	 * 1:1 map and never reused by the page allocator; NULL if none. */
	const void *ramdisk;
	uint64_t ramdisk_len;
};

/* The shared_info page Xen shares with us, mapped by arch_start(). */
struct shared_info *arch_shared_info(void);

/* Called from entry.S on the boot stack; never returns. */
void arch_start(void *start_info);

/* The kernel's entry point, called by arch_start() once memory is mapped
 * and traps and callbacks are installed. */
void kernel_main(const struct boot_info *bi);

#endif
