/*
 * Page allocator: every pseudo-physical page left after boot, managed by
 * the buddy allocator (kernel/buddy.c). Pages are returned as pointers into
 * the 1:1 map, so they are usable at once.
 */
#ifndef KERNEL_PAGE_ALLOC_H
#define KERNEL_PAGE_ALLOC_H

#include <stdint.h>

#include "arch/x86_64/setup.h"

#define PAGE_ALLOC_MAX_ORDER 10

/* Take over [bi->first_free_pfn, bi->nr_pages). Boot only; panics if the
 * metadata does not fit. */
void page_alloc_init(const struct boot_info *bi);

/* 2^order contiguous pages, not zeroed, or NULL when no block is large
 * enough. Any context (events are masked around the bookkeeping). */
void *page_alloc(unsigned order);

/* Give back a block from page_alloc() with the same order. A bad free
 * (wrong order, double free, foreign pointer) panics: it means memory
 * corruption somewhere. */
void page_free(void *p, unsigned order);

/* Smallest order whose block holds bytes. */
unsigned page_order_for(uint64_t bytes);

uint64_t page_alloc_free_pages(void);
uint64_t page_alloc_total_pages(void);

/* Log what was asked for and what is free: the out-of-memory report. */
void page_alloc_report_oom(const char *what, uint64_t bytes);

#endif
