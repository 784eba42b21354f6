/*
 * Boot test threads-1000: 1000 threads with 8 KiB stacks each take a
 * mutex, bump a shared counter and exit; main joins them all. Afterwards
 * the counter is 1000, sched_thread_count() is back where it started and
 * the page allocator has every page back (each joined thread's stack and
 * record are freed).
 */
#include <stdint.h>
#include <stdio.h>

#include "kernel/heap.h"
#include "kernel/page_alloc.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

#define NAME "threads-1000"
#define NTHREADS 1000
#define STACK_SIZE (8 * 1024)

static struct mutex counter_lock;
static uint64_t counter;
static struct thread *threads[NTHREADS];

static void bump(void *arg)
{
	(void)arg;
	mutex_lock(&counter_lock);
	counter++;
	mutex_unlock(&counter_lock);
}

int main(void)
{
	uint64_t threads0, pages0, heap0, peak_threads, threads1, pages1;
	char name[16];
	int i, created = 0, join_errors = 0;

	mutex_init(&counter_lock, false);
	/* Print once first so that stdout's buffer is allocated before the
	 * free-page baseline is taken. */
	printf(NAME ": creating %d threads with %d KiB stacks\n", NTHREADS,
	       STACK_SIZE / 1024);
	fflush(stdout);
	threads0 = sched_thread_count();
	pages0 = page_alloc_free_pages();
	heap0 = heap_size();

	for (i = 0; i < NTHREADS; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		threads[i] = thread_create(name, bump, NULL, STACK_SIZE);
		if (!threads[i])
			break;
		created++;
	}
	peak_threads = sched_thread_count();
	for (i = 0; i < created; i++)
		if (thread_join(threads[i]) != 0)
			join_errors++;
	threads1 = sched_thread_count();
	pages1 = page_alloc_free_pages();

	printf(NAME
	       ": created %d, counter %llu, join errors %d, threads "
	       "%llu -> %llu (peak %llu), free pages %llu -> %llu, heap %llu "
	       "-> %llu KiB\n",
	       created, (unsigned long long)counter, join_errors,
	       (unsigned long long)threads0, (unsigned long long)threads1,
	       (unsigned long long)peak_threads, (unsigned long long)pages0,
	       (unsigned long long)pages1, (unsigned long long)(heap0 / 1024),
	       (unsigned long long)(heap_size() / 1024));
	if (created != NTHREADS) {
		printf("TEST FAIL " NAME ": thread_create failed after %d "
		       "threads\n",
		       created);
		return 1;
	}
	if (join_errors || counter != NTHREADS) {
		printf("TEST FAIL " NAME ": counter %llu (want %d), %d joins "
		       "failed\n",
		       (unsigned long long)counter, NTHREADS, join_errors);
		return 1;
	}
	if (threads1 != threads0) {
		printf("TEST FAIL " NAME ": sched_thread_count() %llu after "
		       "joining, %llu before\n",
		       (unsigned long long)threads1,
		       (unsigned long long)threads0);
		return 1;
	}
	if (pages1 != pages0) {
		printf("TEST FAIL " NAME
		       ": %llu free pages after joining, %llu "
		       "before\n",
		       (unsigned long long)pages1, (unsigned long long)pages0);
		return 1;
	}
	printf("TEST PASS " NAME ": %d threads (%d KiB stacks) counted %llu "
	       "under a mutex; thread count back to %llu, free pages back to "
	       "%llu\n",
	       NTHREADS, STACK_SIZE / 1024, (unsigned long long)counter,
	       (unsigned long long)threads0, (unsigned long long)pages0);
	return 0;
}
