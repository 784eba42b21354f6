/*
 * Boot test stack-overflow (negative): a thread with a 16 KiB stack
 * recurses with a 512-byte local array until the stack runs out. The
 * kernel must catch it and report "SKIFF PANIC" with "stack overflow",
 * the thread's name and the recursing function's name; the runner checks
 * that and bootlab's exit status 70. Reaching the end of main is a failure.
 */
#include <stdint.h>
#include <stdio.h>

#include "kernel/sched.h"

#define STACK_SIZE (16 * 1024)
#define FRAME_BYTES 512

static volatile uint64_t deepest;
/* Far deeper than a 16 KiB stack allows; it only keeps the recursion
 * finite for the compiler. */
static volatile uint64_t depth_limit = 1u << 20;

__attribute__((noinline)) uint64_t overflow_recurse(uint64_t depth);

/* The array is written and read after the recursive call returns, so the
 * compiler can neither drop it nor turn the call into a loop. */
__attribute__((noinline)) uint64_t overflow_recurse(uint64_t depth)
{
	volatile uint8_t frame[FRAME_BYTES];
	uint64_t sum;
	unsigned i;

	for (i = 0; i < FRAME_BYTES; i++)
		frame[i] = (uint8_t)(depth + i);
	deepest = depth;
	if (depth >= depth_limit)
		return 0;
	sum = overflow_recurse(depth + 1);
	return sum + frame[depth % FRAME_BYTES];
}

static void overflow_thread(void *arg)
{
	(void)arg;
	printf("stack-overflow: recursing with %d-byte frames on a %d KiB "
	       "stack\n",
	       FRAME_BYTES, STACK_SIZE / 1024);
	fflush(stdout);
	(void)overflow_recurse(0);
}

int main(void)
{
	struct thread *t;

	t = thread_create("overflower", overflow_thread, NULL, STACK_SIZE);
	if (!t) {
		printf("TEST FAIL stack-overflow: thread_create failed\n");
		return 1;
	}
	(void)thread_join(t);
	printf("TEST FAIL stack-overflow: the thread returned after %llu "
	       "frames\n",
	       (unsigned long long)deepest);
	return 1;
}
