/*
 * Pairing heap of timer nodes (see kernel/timer_heap.h for the contract).
 *
 * Each node links to its first child, its next sibling, and "prev": the
 * previous sibling, or the parent for a first child. That back link is what
 * lets timer_heap_remove() cut any node out in O(1) before merging its
 * children. Merging children uses the usual two passes (pair left to right,
 * then fold right to left), written as loops so that a degenerate heap with
 * a long child list cannot overflow a small kernel stack.
 *
 * The heap owns no memory; nodes belong to the caller.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/timer_heap.h"

void timer_node_init(struct timer_node *n)
{
	n->deadline = 0;
	n->seq = 0;
	n->owner = NULL;
	n->child = NULL;
	n->sibling = NULL;
	n->prev = NULL;
}

bool timer_node_queued(const struct timer_node *n)
{
	return n->owner != NULL;
}

void timer_heap_init(struct timer_heap *h)
{
	h->root = NULL;
	h->next_seq = 0;
	h->count = 0;
}

static bool before(const struct timer_node *a, const struct timer_node *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

/* Join two detached trees; the later root becomes the other's first child. */
static struct timer_node *meld(struct timer_node *a, struct timer_node *b)
{
	struct timer_node *t;

	if (before(b, a)) {
		t = a;
		a = b;
		b = t;
	}
	b->prev = a;
	b->sibling = a->child;
	if (a->child != NULL)
		a->child->prev = b;
	a->child = b;
	return a;
}

/* Merge a sibling list (first may be NULL) into one detached tree. */
static struct timer_node *merge_pairs(struct timer_node *first)
{
	struct timer_node *stack = NULL, *a, *b, *root;

	/* Pass 1: meld pairs, pushing results on a stack linked by sibling. */
	while (first != NULL) {
		a = first;
		b = a->sibling;
		first = b != NULL ? b->sibling : NULL;
		a->prev = a->sibling = NULL;
		if (b != NULL) {
			b->prev = b->sibling = NULL;
			a = meld(a, b);
		}
		a->sibling = stack;
		stack = a;
	}
	if (stack == NULL)
		return NULL;
	/* Pass 2: fold the stack, i.e. the pairs from right to left. */
	root = stack;
	stack = stack->sibling;
	root->sibling = NULL;
	while (stack != NULL) {
		a = stack;
		stack = a->sibling;
		a->sibling = NULL;
		root = meld(root, a);
	}
	return root;
}

int timer_heap_insert(struct timer_heap *h, struct timer_node *n,
		      uint64_t deadline)
{
	if (n->owner != NULL)
		return -EBUSY;
	n->deadline = deadline;
	n->seq = h->next_seq++;
	n->owner = h;
	n->child = n->sibling = n->prev = NULL;
	h->root = h->root != NULL ? meld(h->root, n) : n;
	h->count++;
	return 0;
}

/* Unlink a non-root node from its parent's child list. */
static void cut(struct timer_node *n)
{
	if (n->prev->child == n)
		n->prev->child = n->sibling;
	else
		n->prev->sibling = n->sibling;
	if (n->sibling != NULL)
		n->sibling->prev = n->prev;
	n->prev = n->sibling = NULL;
}

static void forget(struct timer_node *n)
{
	n->owner = NULL;
	n->child = n->sibling = n->prev = NULL;
}

int timer_heap_remove(struct timer_heap *h, struct timer_node *n)
{
	struct timer_node *sub;

	if (n->owner != h)
		return -ENOENT;
	if (n == h->root) {
		h->root = merge_pairs(n->child);
	} else {
		cut(n);
		sub = merge_pairs(n->child);
		if (sub != NULL)
			h->root = meld(h->root, sub);
	}
	forget(n);
	h->count--;
	return 0;
}

struct timer_node *timer_heap_peek(const struct timer_heap *h)
{
	return h->root;
}

struct timer_node *timer_heap_pop(struct timer_heap *h)
{
	struct timer_node *n = h->root;

	if (n != NULL)
		(void)timer_heap_remove(h, n); /* cannot fail: n is the root */
	return n;
}

bool timer_heap_empty(const struct timer_heap *h)
{
	return h->root == NULL;
}

uint64_t timer_heap_count(const struct timer_heap *h)
{
	return h->count;
}
