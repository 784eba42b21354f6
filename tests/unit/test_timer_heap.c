/*
 * Host tests for kernel/timer_heap.c: ordering, FIFO among equal
 * deadlines, removal of arbitrary nodes, error returns, degenerate shapes,
 * and a random run checked against a brute-force reference.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/timer_heap.h"
#include "tests/unit/check.h"

#define BIG 100000

static struct timer_node nodes[BIG];
static struct timer_heap heap;

static void reset(void)
{
	memset(nodes, 0, sizeof(nodes));
	timer_heap_init(&heap);
}

static void test_timer_heap_order(void)
{
	struct timer_node *n;
	uint64_t last = 0;
	int i;

	reset();
	check_seed(7);
	CHECK(timer_heap_empty(&heap) && timer_heap_peek(&heap) == NULL);
	CHECK(timer_heap_pop(&heap) == NULL);
	for (i = 0; i < 1000; i++)
		CHECK(timer_heap_insert(&heap, &nodes[i], check_rand()) == 0);
	CHECK(timer_heap_count(&heap) == 1000);
	for (i = 0; i < 1000; i++) {
		n = timer_heap_peek(&heap);
		CHECK(n != NULL && timer_heap_pop(&heap) == n);
		CHECK(n->deadline >= last && !timer_node_queued(n));
		last = n->deadline;
	}
	CHECK(timer_heap_empty(&heap) && timer_heap_count(&heap) == 0);
}

static void test_timer_heap_fifo(void)
{
	struct timer_node *n;
	int i;

	reset();
	/* Nodes 0..299: deadlines 5, 3, 5, 3, ... and one early node. */
	for (i = 0; i < 300; i++)
		CHECK(timer_heap_insert(&heap, &nodes[i], i % 2 ? 3 : 5) == 0);
	CHECK(timer_heap_insert(&heap, &nodes[300], 1) == 0);
	CHECK(timer_heap_pop(&heap) == &nodes[300]);
	for (i = 1; i < 300; i += 2)
		CHECK(timer_heap_pop(&heap) == &nodes[i]);
	for (i = 0; i < 300; i += 2) {
		n = timer_heap_pop(&heap);
		CHECK(n == &nodes[i]);
	}
	CHECK(timer_heap_empty(&heap));
}

static void test_timer_heap_errors(void)
{
	struct timer_heap other;
	struct timer_node n;

	reset();
	timer_heap_init(&other);
	timer_node_init(&n);
	CHECK(!timer_node_queued(&n));
	CHECK(timer_heap_remove(&heap, &n) == -ENOENT);
	CHECK(timer_heap_remove(&heap, &nodes[0]) == -ENOENT); /* zeroed */
	CHECK(timer_heap_insert(&heap, &n, 10) == 0);
	CHECK(timer_heap_insert(&heap, &nodes[1], 20) == 0);
	CHECK(timer_heap_insert(&heap, &n, 5) == -EBUSY);
	CHECK(timer_heap_insert(&other, &n, 5) == -EBUSY);
	CHECK(n.deadline == 10 && timer_heap_count(&heap) == 2);
	CHECK(timer_heap_remove(&other, &n) == -ENOENT);
	CHECK(timer_heap_remove(&heap, &n) == 0);
	CHECK(timer_heap_remove(&heap, &n) == -ENOENT);
	CHECK(timer_heap_count(&heap) == 1);
	CHECK(timer_heap_pop(&heap) == &nodes[1]);
	CHECK(timer_heap_remove(&heap, &nodes[1]) == -ENOENT);
	/* A removed node can be re-armed, in another heap too. */
	CHECK(timer_heap_insert(&other, &n, 1) == 0);
	CHECK(timer_heap_pop(&other) == &n);
}

/* Ascending inserts give a root with a 100000-long child list, descending
 * ones a 100000-deep path; both must pop in order without recursion. */
static void test_timer_heap_degenerate(void)
{
	int i, pass;

	for (pass = 0; pass < 2; pass++) {
		reset();
		for (i = 0; i < BIG; i++)
			CHECK(timer_heap_insert(&heap, &nodes[i],
						pass ? (uint64_t)(BIG - i)
						     : (uint64_t)i) == 0);
		/* Remove from the middle: cut a node from a long list. */
		CHECK(timer_heap_remove(&heap, &nodes[BIG / 2]) == 0);
		for (i = 0; i < BIG; i++) {
			int want = pass ? BIG - 1 - i : i;

			if (want == BIG / 2)
				continue;
			CHECK(timer_heap_pop(&heap) == &nodes[want]);
		}
		CHECK(timer_heap_empty(&heap));
	}
}

#define RND_NODES 500

static bool rnd_before(const struct timer_node *a, const struct timer_node *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->seq < b->seq);
}

/* Reference minimum: a linear scan over the queued nodes. */
static struct timer_node *rnd_min(void)
{
	struct timer_node *m = NULL;
	int i;

	for (i = 0; i < RND_NODES; i++) {
		if (timer_node_queued(&nodes[i]) &&
		    (m == NULL || rnd_before(&nodes[i], m)))
			m = &nodes[i];
	}
	return m;
}

static void test_timer_heap_random(void)
{
	struct timer_node *n;
	uint64_t queued = 0;
	int step, i, op;

	reset();
	check_seed(12345);
	for (step = 0; step < 40000; step++) {
		i = (int)check_rand_below(RND_NODES);
		op = (int)check_rand_below(3);
		if (op == 0 && timer_node_queued(&nodes[i])) {
			CHECK(timer_heap_remove(&heap, &nodes[i]) == 0);
			queued--;
		} else if (op == 0) {
			CHECK(timer_heap_remove(&heap, &nodes[i]) == -ENOENT);
		} else if (op == 1 && !timer_node_queued(&nodes[i])) {
			/* Few distinct deadlines, so ties are common. */
			CHECK(timer_heap_insert(&heap, &nodes[i],
						check_rand_below(50)) == 0);
			queued++;
		} else {
			n = rnd_min();
			CHECK(timer_heap_pop(&heap) == n);
			queued -= n != NULL;
		}
		CHECK(timer_heap_count(&heap) == queued);
		CHECK(timer_heap_peek(&heap) == rnd_min());
	}
}

int main(void)
{
	RUN(timer_heap_order, "1000 random deadlines pop in ascending order");
	RUN(timer_heap_fifo, "equal deadlines pop in insertion order");
	RUN(timer_heap_errors,
	    "removing a node not in the heap gives -ENOENT, re-inserting "
	    "gives -EBUSY");
	RUN(timer_heap_degenerate,
	    "100000 ascending or descending inserts pop in order, no "
	    "recursion");
	RUN(timer_heap_random,
	    "40000 random insert/remove/pop steps match a linear-scan "
	    "reference");
	return check_exit();
}
