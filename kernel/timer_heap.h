/*
 * Intrusive min-heap of timers ordered by deadline.
 *
 * Callers embed a struct timer_node in their own objects, so the heap never
 * allocates and has no capacity limit. Timers with equal deadlines come out
 * in insertion order: each insert takes a sequence number that breaks ties.
 * The heap is a pairing heap; insert and peek are O(1), pop and remove are
 * O(log n) amortised.
 *
 * This module only orders timers. It does not read the clock, program the
 * timer hardware or run callbacks; kernel/timer.c (or the scheduler) does.
 * It does no locking: callers serialise access, typically with interrupts
 * off. Nothing here blocks.
 */
#ifndef SKIFF_KERNEL_TIMER_HEAP_H
#define SKIFF_KERNEL_TIMER_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct timer_heap;

/* Fields are private to kernel/timer_heap.c except deadline (read-only). */
struct timer_node {
	uint64_t deadline;	    /* ns; valid while queued */
	uint64_t seq;		    /* tie-break: insertion order */
	struct timer_heap *owner;   /* heap holding the node, or NULL */
	struct timer_node *child;   /* first child */
	struct timer_node *sibling; /* next sibling */
	struct timer_node *prev;    /* previous sibling, or parent if first */
};

struct timer_heap {
	struct timer_node *root;
	uint64_t next_seq;
	uint64_t count;
};

/* Prepare a node that is in no heap. A zero-filled node is also fine. */
void timer_node_init(struct timer_node *n);

/* True if n is currently in some heap. */
bool timer_node_queued(const struct timer_node *n);

/* Make h an empty heap. */
void timer_heap_init(struct timer_heap *h);

/*
 * Queue n to expire at deadline (ns). Returns -EBUSY, changing nothing, if
 * n is already in a heap (this one or another): remove it first to re-arm.
 */
int timer_heap_insert(struct timer_heap *h, struct timer_node *n,
		      uint64_t deadline);

/*
 * Take n out of h, wherever it is in the heap. Returns -ENOENT and does
 * nothing if n is not in h (never inserted, already popped or removed, or
 * in another heap).
 */
int timer_heap_remove(struct timer_heap *h, struct timer_node *n);

/* Earliest timer without removing it, or NULL if h is empty. */
struct timer_node *timer_heap_peek(const struct timer_heap *h);

/* Remove and return the earliest timer, or NULL if h is empty. */
struct timer_node *timer_heap_pop(struct timer_heap *h);

/* True if h holds no timer. */
bool timer_heap_empty(const struct timer_heap *h);

/* Number of timers in h. */
uint64_t timer_heap_count(const struct timer_heap *h);

#endif /* SKIFF_KERNEL_TIMER_HEAP_H */
