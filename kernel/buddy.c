/*
 * Buddy page allocator: bookkeeping only, over abstract pfns.
 *
 * Free blocks are tracked with one bitmap per order instead of linked
 * lists, because lists would need two links per page and this allocator
 * must not write to the pages it manages. Bit i of map[k] is set when the
 * block of order k starting at abase + (i << k) is free. A summary bitmap
 * per order (bit w set when map word w is non-zero) keeps the search for a
 * free block short: for a million pages the order-0 summary is 245 words.
 *
 * Allocated blocks are remembered by one byte at their first page holding
 * BUDDY_ALLOCATED | order; every other page's byte is 0. That byte is what
 * lets buddy_free() reject a wrong order, a reserved page or a double free
 * before it changes anything.
 *
 * This file owns no memory and no locks; see kernel/buddy.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/buddy.h"

#define BUDDY_ALLOCATED 0x80u
#define MAX_BLOCK ((uint64_t)1 << BUDDY_MAX_ORDER)

static uint64_t div_round_up(uint64_t n, uint64_t d)
{
	return (n + d - 1) / d;
}

static uint64_t map_words(uint64_t span, unsigned int k)
{
	return div_round_up(div_round_up(span, (uint64_t)1 << k), 64);
}

/* Bytes of metadata for a bitmap span of span pages and npages pages. */
static uint64_t layout_bytes(uint64_t span, uint64_t npages)
{
	uint64_t words = 0;
	unsigned int k;

	for (k = 0; k < BUDDY_ORDERS; k++) {
		uint64_t w = map_words(span, k);

		words += w + div_round_up(w, 64);
	}
	return words * 8 + npages;
}

size_t buddy_meta_size(uint64_t npages)
{
	if (npages == 0 || npages > BUDDY_MAX_PAGES)
		return 0;
	/* The worst case base puts MAX_BLOCK - 1 extra pages in the span. */
	return (size_t)layout_bytes(npages + MAX_BLOCK - 1, npages);
}

static void zero_bytes(void *p, uint64_t n)
{
	uint8_t *c = p;

	while (n--)
		*c++ = 0;
}

/* Carve meta into the bitmaps and the per-page byte array, all zeroed. */
static void buddy_layout(struct buddy *b, uint64_t span, void *meta)
{
	uint64_t *w = meta;
	unsigned int k;

	for (k = 0; k < BUDDY_ORDERS; k++) {
		uint64_t nmap = map_words(span, k);

		b->map[k] = w;
		w += nmap;
		b->summary[k] = w;
		b->nsummary[k] = div_round_up(nmap, 64);
		w += b->nsummary[k];
		b->nfree[k] = 0;
	}
	b->alloc_order = (uint8_t *)w;
	zero_bytes(meta, layout_bytes(span, b->npages));
}

int buddy_init(struct buddy *b, uint64_t base_pfn, uint64_t npages, void *meta,
	       size_t meta_size)
{
	uint64_t abase = base_pfn & ~(MAX_BLOCK - 1);
	uint64_t span = npages + (base_pfn - abase);

	if (npages == 0 || npages > BUDDY_MAX_PAGES)
		return -EINVAL;
	if (base_pfn + npages < base_pfn || ((uintptr_t)meta & 7) != 0)
		return -EINVAL;
	if (layout_bytes(span, npages) > meta_size)
		return -ENOSPC;
	b->base = base_pfn;
	b->npages = npages;
	b->abase = abase;
	b->free_pages = 0;
	b->used_pages = 0;
	buddy_layout(b, span, meta);
	return 0;
}

/* True if the order-k block at pfn lies wholly inside the managed range. */
static bool block_in_range(const struct buddy *b, uint64_t pfn, unsigned int k)
{
	uint64_t size = (uint64_t)1 << k;

	return pfn >= b->base && size <= b->npages &&
	       pfn - b->base <= b->npages - size;
}

static uint64_t block_index(const struct buddy *b, uint64_t pfn, unsigned int k)
{
	return (pfn - b->abase) >> k;
}

static bool block_is_free(const struct buddy *b, uint64_t pfn, unsigned int k)
{
	uint64_t i = block_index(b, pfn, k);

	return (b->map[k][i / 64] >> (i % 64)) & 1;
}

static void mark_free(struct buddy *b, uint64_t pfn, unsigned int k)
{
	uint64_t i = block_index(b, pfn, k);

	b->map[k][i / 64] |= (uint64_t)1 << (i % 64);
	b->summary[k][i / 4096] |= (uint64_t)1 << ((i / 64) % 64);
	b->nfree[k]++;
}

static void mark_used(struct buddy *b, uint64_t pfn, unsigned int k)
{
	uint64_t i = block_index(b, pfn, k);
	uint64_t *word = &b->map[k][i / 64];

	*word &= ~((uint64_t)1 << (i % 64));
	if (*word == 0)
		b->summary[k][i / 4096] &= ~((uint64_t)1 << ((i / 64) % 64));
	b->nfree[k]--;
}

/* First pfn of some free block of order k; the order must have one. */
static uint64_t find_free(const struct buddy *b, unsigned int k)
{
	uint64_t s = 0, w, i;

	while (b->summary[k][s] == 0)
		s++;
	w = s * 64 + (uint64_t)__builtin_ctzll(b->summary[k][s]);
	i = w * 64 + (uint64_t)__builtin_ctzll(b->map[k][w]);
	return b->abase + (i << k);
}

/* Free a block of order k, merging it with its buddy as long as possible. */
static void release_block(struct buddy *b, uint64_t pfn, unsigned int k)
{
	b->free_pages += (uint64_t)1 << k;
	while (k < BUDDY_MAX_ORDER) {
		uint64_t buddy = pfn ^ ((uint64_t)1 << k);

		if (!block_in_range(b, buddy, k) || !block_is_free(b, buddy, k))
			break;
		mark_used(b, buddy, k);
		pfn &= ~((uint64_t)1 << k);
		k++;
	}
	mark_free(b, pfn, k);
}

/* True if pfn belongs to a free or an allocated block. */
static bool page_is_managed(const struct buddy *b, uint64_t pfn)
{
	unsigned int k;

	for (k = 0; k < BUDDY_ORDERS; k++) {
		uint64_t head = pfn & ~(((uint64_t)1 << k) - 1);

		if (!block_in_range(b, head, k))
			continue;
		if (block_is_free(b, head, k) ||
		    b->alloc_order[head - b->base] == (BUDDY_ALLOCATED | k))
			return true;
	}
	return false;
}

/* The largest order whose block starts at pfn (aligned) and fits both in
 * count pages and in the managed range. */
static unsigned int largest_block_at(const struct buddy *b, uint64_t pfn,
				     uint64_t count)
{
	unsigned int k = 0;

	while (k < BUDDY_MAX_ORDER && !(pfn & ((uint64_t)1 << k)) &&
	       ((uint64_t)2 << k) <= count && block_in_range(b, pfn, k + 1))
		k++;
	return k;
}

uint64_t buddy_add_free(struct buddy *b, uint64_t pfn, uint64_t count)
{
	uint64_t end = b->base + b->npages;
	uint64_t added = 0;
	bool fresh = b->free_pages + b->used_pages == 0;

	if (count > UINT64_MAX - pfn)
		count = UINT64_MAX - pfn;
	if (pfn < b->base) {
		count = count > b->base - pfn ? count - (b->base - pfn) : 0;
		pfn = b->base;
	}
	/*
	 * While no page is managed yet (the boot-time case), whole aligned
	 * blocks can be released at once: nothing in them can be managed.
	 * That takes boot from ~500 instructions a page to a few per block.
	 */
	while (fresh && count > 0 && pfn < end) {
		unsigned int k = largest_block_at(b, pfn, count);

		release_block(b, pfn, k);
		pfn += (uint64_t)1 << k;
		count -= (uint64_t)1 << k;
		added += (uint64_t)1 << k;
	}
	/*
	 * Otherwise page by page keeps the "skip pages already managed" rule
	 * simple; the merging in release_block() rebuilds the large blocks.
	 */
	for (; count > 0 && pfn < end; pfn++, count--) {
		if (page_is_managed(b, pfn))
			continue;
		release_block(b, pfn, 0);
		added++;
	}
	return added;
}

int buddy_alloc(struct buddy *b, unsigned int order, uint64_t *pfn)
{
	unsigned int k = order;
	uint64_t p;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	while (k < BUDDY_ORDERS && b->nfree[k] == 0)
		k++;
	if (k == BUDDY_ORDERS)
		return -ENOMEM;
	p = find_free(b, k);
	mark_used(b, p, k);
	/* Split: keep the lower half, free the upper half, one order down. */
	while (k > order) {
		k--;
		mark_free(b, p + ((uint64_t)1 << k), k);
	}
	b->alloc_order[p - b->base] = (uint8_t)(BUDDY_ALLOCATED | order);
	b->free_pages -= (uint64_t)1 << order;
	b->used_pages += (uint64_t)1 << order;
	*pfn = p;
	return 0;
}

int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order)
{
	if (order > BUDDY_MAX_ORDER || !block_in_range(b, pfn, order))
		return -EINVAL;
	if ((pfn & (((uint64_t)1 << order) - 1)) != 0)
		return -EINVAL;
	if (b->alloc_order[pfn - b->base] != (BUDDY_ALLOCATED | order))
		return -EINVAL;
	b->alloc_order[pfn - b->base] = 0;
	b->used_pages -= (uint64_t)1 << order;
	release_block(b, pfn, order);
	return 0;
}

uint64_t buddy_free_pages(const struct buddy *b)
{
	return b->free_pages;
}

uint64_t buddy_free_blocks(const struct buddy *b, unsigned int order)
{
	if (order > BUDDY_MAX_ORDER)
		return 0;
	return b->nfree[order];
}

int buddy_largest_free_order(const struct buddy *b)
{
	int k;

	for (k = BUDDY_MAX_ORDER; k >= 0; k--) {
		if (b->nfree[k] != 0)
			return k;
	}
	return -ENOMEM;
}
