/*
 * Boot test sleep-accuracy: 200 sleeps of 1..50 ms (cycling), alternating
 * between newlib's nanosleep() and the kernel's thread_sleep_ns(), each
 * timed on Xen system time (timer_now_ns). No sleep may end early; each
 * may be late by less than SLEEP_MAX_LATE_MS (generous: QEMU TCG is slow).
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "kernel/sched.h"
#include "kernel/timer.h"

#define NAME "sleep-accuracy"
#define SLEEPS 200
#define SLEEP_MAX_MS 50
#define SLEEP_MAX_LATE_MS 20
#define NS_PER_MS 1000000ULL

struct sleep_stats {
	unsigned early, too_late;
	uint64_t worst_early_ns; /* how short the worst early sleep was */
	uint64_t max_late_ns, sum_late_ns;
	unsigned max_late_index;
};

static void sleep_once(unsigned i, uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ULL),
		.tv_nsec = (long)(ns % 1000000000ULL),
	};

	if (i % 2 == 0)
		(void)nanosleep(&ts, NULL);
	else
		thread_sleep_ns(ns);
}

static void record(struct sleep_stats *s, unsigned i, uint64_t want,
		   uint64_t got)
{
	uint64_t late;

	if (got < want) {
		s->early++;
		if (want - got > s->worst_early_ns)
			s->worst_early_ns = want - got;
		printf(NAME ": sleep %u of %llu ns ended after %llu ns\n", i,
		       (unsigned long long)want, (unsigned long long)got);
		return;
	}
	late = got - want;
	s->sum_late_ns += late;
	if (late > s->max_late_ns) {
		s->max_late_ns = late;
		s->max_late_index = i;
	}
	if (late >= SLEEP_MAX_LATE_MS * NS_PER_MS)
		s->too_late++;
}

int main(void)
{
	struct sleep_stats s = { 0 };
	uint64_t t0 = timer_now_ns(), total;
	unsigned i;

	printf(NAME ": %d sleeps of 1..%d ms, nanosleep and thread_sleep_ns "
		    "alternating\n",
	       SLEEPS, SLEEP_MAX_MS);
	for (i = 0; i < SLEEPS; i++) {
		uint64_t want = (i % SLEEP_MAX_MS + 1) * NS_PER_MS;
		uint64_t before = timer_now_ns();

		sleep_once(i, want);
		record(&s, i, want, timer_now_ns() - before);
	}
	total = timer_now_ns() - t0;
	printf(NAME ": total %llu ms, lateness max %llu us (sleep %u), "
		    "mean %llu us, %u early, %u late by >= %d ms\n",
	       (unsigned long long)(total / NS_PER_MS),
	       (unsigned long long)(s.max_late_ns / 1000), s.max_late_index,
	       (unsigned long long)(s.sum_late_ns / SLEEPS / 1000), s.early,
	       s.too_late, SLEEP_MAX_LATE_MS);
	if (s.early) {
		printf("TEST FAIL " NAME ": %u of %d sleeps ended early (worst "
		       "by %llu ns)\n",
		       s.early, SLEEPS, (unsigned long long)s.worst_early_ns);
		return 1;
	}
	if (s.too_late) {
		printf("TEST FAIL " NAME ": %u of %d sleeps late by >= %d ms "
		       "(max %llu us)\n",
		       s.too_late, SLEEPS, SLEEP_MAX_LATE_MS,
		       (unsigned long long)(s.max_late_ns / 1000));
		return 1;
	}
	printf("TEST PASS " NAME ": %d sleeps of 1..%d ms, none early, "
	       "lateness max %llu us mean %llu us (bound %d ms)\n",
	       SLEEPS, SLEEP_MAX_MS, (unsigned long long)(s.max_late_ns / 1000),
	       (unsigned long long)(s.sum_late_ns / SLEEPS / 1000),
	       SLEEP_MAX_LATE_MS);
	return 0;
}
