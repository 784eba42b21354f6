/*
 * sbrk() on a private virtual region. Growing maps fresh pages at the end;
 * shrinking (newlib's malloc_trim) unmaps and frees whole pages. Pages are
 * mapped one by one: the region is contiguous virtually, not physically.
 * The page-table pages made for the region stay when it shrinks (about one
 * per 2 MiB of the heap's high-water mark), ready for it to grow again.
 */
#include <stddef.h>
#include <stdint.h>

#define LOG_TAG "heap"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "kernel/heap.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"

static struct heap_state {
	uint64_t brk;	 /* current end, as returned to sbrk callers */
	uint64_t mapped; /* end of the mapped pages, page aligned */
} heap = { ARCH_HEAP_BASE, ARCH_HEAP_BASE };

/* The pfn mapped at va in the heap (the heap owns it). */
static uint64_t heap_pfn_at(uint64_t va)
{
	uint64_t pfn;

	if (mm_lookup_pfn(va, &pfn) != 0)
		panic("heap: page at %llx is not mapped",
		      (unsigned long long)va);
	return pfn;
}

static void unmap_above(uint64_t new_mapped)
{
	while (heap.mapped > new_mapped) {
		uint64_t va = heap.mapped - PAGE_SIZE;
		uint64_t pfn = heap_pfn_at(va);

		if (mm_map_page(va, 0, MM_PROT_NONE) != 0)
			panic("heap: cannot unmap %llx",
			      (unsigned long long)va);
		page_free(mm_pfn_to_virt(pfn), 0);
		heap.mapped = va;
	}
}

static int map_up_to(uint64_t new_mapped)
{
	uint64_t start = heap.mapped;

	while (heap.mapped < new_mapped) {
		void *page = page_alloc(0);

		if (!page || mm_map_page(heap.mapped, mm_virt_to_pfn(page),
					 MM_PROT_READ | MM_PROT_WRITE) != 0) {
			if (page)
				page_free(page, 0);
			unmap_above(start);
			return -1;
		}
		heap.mapped += PAGE_SIZE;
	}
	return 0;
}

void *heap_sbrk(intptr_t incr)
{
	uint64_t old = heap.brk, end = heap.brk + (uint64_t)incr;
	uint64_t end_mapped =
		(end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	if (end < ARCH_HEAP_BASE || end > ARCH_HEAP_BASE + ARCH_HEAP_MAX_SIZE) {
		log_err("sbrk(%lld) leaves the heap region", (long long)incr);
		return NULL;
	}
	if (end_mapped > heap.mapped && map_up_to(end_mapped) != 0) {
		page_alloc_report_oom("malloc (sbrk)", (uint64_t)incr);
		return NULL;
	}
	unmap_above(end_mapped);
	heap.brk = end;
	return (void *)old;
}

uint64_t heap_size(void)
{
	return heap.mapped - ARCH_HEAP_BASE;
}
