/*
 * PV page tables: the pseudo-physical map built at boot, and the few
 * mapping operations the kernel needs afterwards (heap pages, guard pages).
 *
 * Only arch/ and kernel/ know machine frame numbers; the kernel asks for
 * them through mm_pfn_to_mfn() when it must hand a frame to Xen.
 */
#ifndef ARCH_X86_64_MM_H
#define ARCH_X86_64_MM_H

#include <stdint.h>

/* What mm_init() needs to know of the boot memory, taken from start_info
 * by setup.c (the only reader of start_info). */
struct mm_boot_layout {
	const uint64_t *p2m; /* pfn -> mfn, Xen's boot list */
	uint64_t nr_pages;
	uint64_t *l4;	       /* virtual address of the top page table */
	uint64_t pt_first;     /* pfn of Xen's first boot page-table frame */
	uint64_t pt_count;     /* and their number */
	uint64_t boot_end_pfn; /* everything Xen put in memory is below */
};

/* Map all pseudo-physical memory (virtual == physical), unmap page 0 and
 * the boot stack guard, set text read-only and everything else no-execute.
 * Returns the first pfn free for the page allocator. Boot only; panics
 * (through the early console) on any hypercall failure. */
uint64_t mm_init(const struct mm_boot_layout *boot);

/* Xen's M2P entry for mfn, unchecked (UINT64_MAX beyond the table): what
 * Xen says the frame is, usable before mm_init(). */
uint64_t mm_m2p(uint64_t mfn);
/* The pfn of one of our machine frames, or UINT64_MAX when mfn is not
 * ours (the M2P answer checked against the p2m). After mm_init(). */
uint64_t mm_mfn_to_pfn(uint64_t mfn);

/* Page-table pages for mappings made after boot (heap, guard pages) come
 * from this function, which the page allocator installs once it is up. It
 * returns 0 and a zeroed, writable-mapped page's pfn, or -ENOMEM. */
typedef int (*mm_page_source_fn)(uint64_t *pfn);
void mm_set_page_source(mm_page_source_fn fn);

enum mm_prot {
	MM_PROT_NONE = 0,
	MM_PROT_READ = 1,
	MM_PROT_WRITE = 2,
	MM_PROT_EXEC = 4,
};

/* Map one page at virtual address va (page aligned, lower half) to pfn with
 * the given rights; MM_PROT_NONE unmaps it. Returns 0, -ENOMEM when a
 * page-table page is needed and none is free, or -EINVAL for a va Xen or
 * the layout forbids. May be called with events on; not from an upcall. */
int mm_map_page(uint64_t va, uint64_t pfn, unsigned prot);

/* Is va mapped at all (for backtraces that must not fault)? */
int mm_is_mapped(uint64_t va);

/* The pfn mapped at va: 0, or -ENOENT when nothing is mapped there. */
int mm_lookup_pfn(uint64_t va, uint64_t *pfn);

uint64_t mm_pfn_to_mfn(uint64_t pfn);

/* Where one of our own machine frames (as Xen names a ring page) is in the
 * 1:1 map, or NULL if mfn is not ours. */
void *mm_mfn_to_virt(uint64_t mfn);

/* Map a machine frame that is not in our p2m (a grant-table frame Xen
 * gives us) at va. Returns 0 or -ENOMEM/-EINVAL like mm_map_page(). */
int mm_map_machine_page(uint64_t va, uint64_t mfn, unsigned prot);

static inline void *mm_pfn_to_virt(uint64_t pfn)
{
	return (void *)(pfn << 12);
}

static inline uint64_t mm_virt_to_pfn(const void *va)
{
	return (uint64_t)va >> 12;
}

#endif
