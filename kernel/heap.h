/*
 * The malloc heap's address space: a contiguous virtual region above all
 * pseudo-physical memory (arch/x86_64/layout.h), backed page by page from
 * the page allocator as it grows. newlib's malloc sits on it via sbrk().
 */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stdint.h>

/* Move the heap's end by incr bytes (either way) and return the old end,
 * or NULL with the out-of-memory report logged when pages run out (the
 * heap is then unchanged). Thread context. */
void *heap_sbrk(intptr_t incr);

/* Bytes currently mapped for the heap. */
uint64_t heap_size(void);

#endif
