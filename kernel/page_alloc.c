/*
 * The kernel's one buddy allocator instance over free pseudo-physical
 * memory. Its metadata lives in the first free pages, which it then
 * reserves for itself.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "mem"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "kernel/buddy.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"

static struct page_alloc_state {
	struct buddy buddy;
	uint64_t total;
} pa;

/* Page-table pages for mappings made after boot (mm.c). */
static int table_page_source(uint64_t *pfn)
{
	void *p = page_alloc(0);

	if (!p)
		return -ENOMEM;
	memset(p, 0, PAGE_SIZE);
	*pfn = mm_virt_to_pfn(p);
	return 0;
}

void page_alloc_init(const struct boot_info *bi)
{
	uint64_t first = bi->first_free_pfn;
	uint64_t npages = bi->nr_pages - first;
	size_t meta = buddy_meta_size(npages);
	uint64_t meta_pages = (meta + PAGE_SIZE - 1) / PAGE_SIZE;

	if (meta == 0 || meta_pages >= npages)
		panic("mem: %llu free pages cannot hold the allocator",
		      (unsigned long long)npages);
	if (buddy_init(&pa.buddy, first, npages, mm_pfn_to_virt(first),
		       meta_pages * PAGE_SIZE) != 0)
		panic("mem: buddy_init failed");
	pa.total = buddy_add_free(&pa.buddy, first + meta_pages,
				  npages - meta_pages);
	mm_set_page_source(table_page_source);
	log_info("%llu KiB free of %llu KiB", (unsigned long long)pa.total * 4,
		 (unsigned long long)bi->nr_pages * 4);
}

void *page_alloc(unsigned order)
{
	unsigned long flags = arch_irq_save();
	uint64_t pfn;
	int rc = buddy_alloc(&pa.buddy, order, &pfn);

	arch_irq_restore(flags);
	return rc == 0 ? mm_pfn_to_virt(pfn) : NULL;
}

void page_free(void *p, unsigned order)
{
	unsigned long flags = arch_irq_save();
	int rc = buddy_free(&pa.buddy, mm_virt_to_pfn(p), order);

	arch_irq_restore(flags);
	if (rc != 0)
		panic("mem: bad page_free(%p, order %u)", p, order);
}

unsigned page_order_for(uint64_t bytes)
{
	unsigned order = 0;

	while (((uint64_t)PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

uint64_t page_alloc_free_pages(void)
{
	return buddy_free_pages(&pa.buddy);
}

uint64_t page_alloc_total_pages(void)
{
	return pa.total;
}

void page_alloc_report_oom(const char *what, uint64_t bytes)
{
	int largest = buddy_largest_free_order(&pa.buddy);

	log_err("out of memory: %s asked for %llu bytes; %llu KiB free of "
		"%llu KiB, largest free block %llu KiB",
		what, (unsigned long long)bytes,
		(unsigned long long)page_alloc_free_pages() * 4,
		(unsigned long long)pa.total * 4,
		largest < 0 ? 0ULL : (4ULL << largest));
}
