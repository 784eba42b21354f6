/*
 * Pages shared with a backend: allocated, zeroed, granted to the backend's
 * domain; and on the way back revoked and freed only once Xen confirms
 * the backend no longer maps them. Rings, data buffers, indirect pages and
 * persistent grants all have this one lifetime, so it is written once,
 * here.
 *
 * A page the backend still maps after a few seconds of retries is leaked,
 * never freed: reusing it would hand our future data to the backend.
 */
#ifndef DRIVERS_XENSHARE_H
#define DRIVERS_XENSHARE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/gnttab.h"

/* Up to 16 pages in one block: enough for a blkif ring of order 4. */
#define XENSHARE_BLOCK_MAX_ORDER 4
#define XENSHARE_BLOCK_MAX_PAGES (1u << XENSHARE_BLOCK_MAX_ORDER)

/* One granted page. Zero-initialised means "nothing". */
struct xenshare_page {
	void *page;
	gnttab_ref ref;
	bool granted;
};

/* 2^order contiguous pages (a multi-page ring), each granted on its own;
 * page i is at base + i * PAGE_SIZE with reference pages[i].ref. */
struct xenshare_block {
	void *base;
	unsigned order;
	struct xenshare_page pages[XENSHARE_BLOCK_MAX_PAGES];
};

/* Allocate n separate zeroed pages and grant each to domid. Returns 0, or
 * -ENOMEM / -ENOSPC (no free grant reference) with nothing left allocated.
 * Thread context. */
int xenshare_pages_alloc(struct xenshare_page *p, unsigned n, uint16_t domid,
			 bool readonly);
/* Revoke and free what xenshare_pages_alloc() set up (any entries still
 * zero are skipped). Waits for the backend to unmap; returns the number of
 * pages leaked because it never did. Thread context. */
unsigned xenshare_pages_free(struct xenshare_page *p, unsigned n);

/* The same for one contiguous block of 2^order pages. */
int xenshare_block_alloc(struct xenshare_block *b, unsigned order,
			 uint16_t domid, bool readonly);
/* Returns true when the block was freed, false when it was leaked. */
bool xenshare_block_free(struct xenshare_block *b);

#endif
