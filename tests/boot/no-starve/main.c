/*
 * Boot test no-starve: a busy thread spins for 2 s of Xen system time
 * without ever blocking or yielding, while main does 20 sleeps of 10 ms.
 * With preemption (time slice, wake-up preemption) every sleep ends less
 * than NO_STARVE_MAX_LATE_MS late, all of them before the spinner stops,
 * and the spinner makes progress between the sleeper's wake-ups.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/sched.h"
#include "kernel/timer.h"

#define NAME "no-starve"
#define NS_PER_MS 1000000ULL
#define SPIN_NS (2000 * NS_PER_MS)
#define SLEEPS 20
#define SLEEP_NS (10 * NS_PER_MS)
#define NO_STARVE_MAX_LATE_MS 50

static volatile uint64_t spins;
static volatile bool spinner_started, spinner_done;

static void spinner(void *arg)
{
	uint64_t end = timer_now_ns() + SPIN_NS;

	(void)arg;
	spinner_started = true;
	while (timer_now_ns() < end)
		spins++;
	spinner_done = true;
}

int main(void)
{
	uint64_t max_late = 0, sum_late = 0, preempt0, late, t;
	unsigned too_late = 0, early = 0, progressed = 0, i;
	uint64_t spins_before, spins_at_end;
	bool done_during_sleeps;
	struct thread *busy;

	printf(NAME ": spinner for %llu ms, %d sleeps of %llu ms meanwhile\n",
	       (unsigned long long)(SPIN_NS / NS_PER_MS), SLEEPS,
	       (unsigned long long)(SLEEP_NS / NS_PER_MS));
	preempt0 = sched_preemptions();
	busy = thread_create("spinner", spinner, NULL, 0);
	if (!busy) {
		printf("TEST FAIL " NAME ": thread_create failed\n");
		return 1;
	}
	for (i = 0; i < SLEEPS; i++) {
		spins_before = spins;
		t = timer_now_ns();
		thread_sleep_ns(SLEEP_NS);
		t = timer_now_ns() - t;
		if (t < SLEEP_NS) {
			early++;
			continue;
		}
		late = t - SLEEP_NS;
		sum_late += late;
		if (late > max_late)
			max_late = late;
		if (late >= NO_STARVE_MAX_LATE_MS * NS_PER_MS)
			too_late++;
		if (spins != spins_before)
			progressed++;
	}
	done_during_sleeps = spinner_done;
	spins_at_end = spins;
	(void)thread_join(busy);

	printf(NAME ": lateness max %llu us mean %llu us, %u early, spinner "
		    "%s during the sleeps (%llu spins then, %llu total), ran "
		    "during %u of %d sleeps, %llu preemptions\n",
	       (unsigned long long)(max_late / 1000),
	       (unsigned long long)(sum_late / SLEEPS / 1000), early,
	       done_during_sleeps ? "finished" : "still running",
	       (unsigned long long)spins_at_end, (unsigned long long)spins,
	       progressed, SLEEPS,
	       (unsigned long long)(sched_preemptions() - preempt0));
	if (!spinner_started || spins_at_end == 0) {
		printf("TEST FAIL " NAME ": the spinner never ran during the "
		       "sleeps\n");
		return 1;
	}
	if (early || too_late) {
		printf("TEST FAIL " NAME ": %u sleeps early, %u late by >= %d "
		       "ms (max %llu us)\n",
		       early, too_late, NO_STARVE_MAX_LATE_MS,
		       (unsigned long long)(max_late / 1000));
		return 1;
	}
	if (done_during_sleeps) {
		printf("TEST FAIL " NAME ": the sleeps outlasted the %llu ms "
		       "spinner, so they were not tested against it\n",
		       (unsigned long long)(SPIN_NS / NS_PER_MS));
		return 1;
	}
	printf("TEST PASS " NAME ": %d sleeps of %llu ms beside a 2 s "
	       "spinner, max lateness %llu us (bound %d ms), spinner ran "
	       "during %u sleeps (%llu spins)\n",
	       SLEEPS, (unsigned long long)(SLEEP_NS / NS_PER_MS),
	       (unsigned long long)(max_late / 1000), NO_STARVE_MAX_LATE_MS,
	       progressed, (unsigned long long)spins);
	return 0;
}
