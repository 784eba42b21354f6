/*
 * Buddy allocator over abstract page frame numbers.
 *
 * A struct buddy manages the pfns [base, base + npages). It never touches
 * the pages themselves: all bookkeeping lives in a metadata area that the
 * caller provides (see buddy_meta_size()), so the same code runs in the
 * kernel and in host unit tests. Blocks of order k are 2^k pages long and
 * aligned to 2^k in absolute pfn terms, so blocks stay naturally aligned in
 * physical memory whatever the base is.
 *
 * Metadata costs one byte per page (the order of each allocated block,
 * recorded at its first page) plus one free bit per possible block of each
 * order (about two bits per page) and a small summary bitmap per order.
 *
 * The allocator does no locking: callers serialise access to one instance.
 * Nothing here blocks, so any context may call it under the caller's lock.
 */
#ifndef SKIFF_KERNEL_BUDDY_H
#define SKIFF_KERNEL_BUDDY_H

#include <stddef.h>
#include <stdint.h>

/* Largest block is 2^BUDDY_MAX_ORDER pages (4 MiB with 4 KiB pages). */
#define BUDDY_MAX_ORDER 10
#define BUDDY_ORDERS (BUDDY_MAX_ORDER + 1)

/* Upper bound on npages, keeping all metadata arithmetic far from overflow. */
#define BUDDY_MAX_PAGES ((uint64_t)1 << 40)

/* All fields are private to kernel/buddy.c. */
struct buddy {
	uint64_t base;	      /* first managed pfn */
	uint64_t npages;      /* number of managed pfns */
	uint64_t abase;	      /* base rounded down to a max-order block */
	uint64_t free_pages;  /* pages currently free */
	uint64_t used_pages;  /* pages in allocated blocks */
	uint8_t *alloc_order; /* per page: BUDDY_ALLOCATED | order, or 0 */
	uint64_t *map[BUDDY_ORDERS];	 /* bit i: block i of this order free */
	uint64_t *summary[BUDDY_ORDERS]; /* bit w: map word w is non-zero */
	uint64_t nsummary[BUDDY_ORDERS]; /* words in summary[] */
	uint64_t nfree[BUDDY_ORDERS];	 /* free blocks of each order */
};

/*
 * Bytes of metadata needed to manage npages pages, whatever the base pfn.
 * Returns 0 if npages is 0 or above BUDDY_MAX_PAGES.
 */
size_t buddy_meta_size(uint64_t npages);

/*
 * Set up b to manage [base_pfn, base_pfn + npages), using meta (8-byte
 * aligned, meta_size bytes, at least buddy_meta_size(npages)) for all
 * bookkeeping. The caller keeps meta alive as long as b is used. Every page
 * starts reserved: nothing can be allocated until buddy_add_free().
 * Returns -EINVAL for npages 0 or too large, a range that wraps, or a
 * misaligned meta; -ENOSPC if meta_size is too small. b is untouched on
 * failure.
 */
int buddy_init(struct buddy *b, uint64_t base_pfn, uint64_t npages, void *meta,
	       size_t meta_size);

/*
 * Release [pfn, pfn + count) into the allocator, merging with free
 * neighbours. The range need not be aligned; the part outside the managed
 * range is ignored, and so are pages already free or allocated (so a range
 * added twice is harmless). Returns the number of pages newly made free.
 */
uint64_t buddy_add_free(struct buddy *b, uint64_t pfn, uint64_t count);

/*
 * Allocate a block of 2^order pages and store its first pfn in *pfn.
 * Returns -EINVAL if order > BUDDY_MAX_ORDER, -ENOMEM if no free block is
 * large enough. *pfn is written only on success.
 */
int buddy_alloc(struct buddy *b, unsigned int order, uint64_t *pfn);

/*
 * Give back a block that buddy_alloc() returned with the same order.
 * Returns -EINVAL, changing nothing, if pfn is outside the managed range or
 * not aligned to the order, or if no block of exactly that order is
 * allocated at pfn (wrong order, reserved page, double free).
 */
int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order);

/* Number of pages currently free. */
uint64_t buddy_free_pages(const struct buddy *b);

/*
 * Number of free blocks of exactly this order (0 if order is too large).
 * Meant for out-of-memory reports and tests.
 */
uint64_t buddy_free_blocks(const struct buddy *b, unsigned int order);

/*
 * Order of the largest free block, i.e. the largest order buddy_alloc()
 * can currently satisfy, or -ENOMEM if no page is free.
 */
int buddy_largest_free_order(const struct buddy *b);

#endif /* SKIFF_KERNEL_BUDDY_H */
