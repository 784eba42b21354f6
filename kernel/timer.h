/*
 * One-shot timers on Xen system time, kept in a min-heap; the hypervisor's
 * one-shot timer (set_timer_op) is always programmed for the earliest.
 * Callbacks run in upcall context (events masked): they must be short and
 * must not block, typically they wake a thread.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/timer_heap.h"

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	struct timer_node node;
	timer_fn fn;
	void *data; /* the owner's, untouched here */
};

/* Bind VIRQ_TIMER and stop Xen's periodic tick. Boot only. */
void timer_init(void);

/* Prepare t; it is not armed. */
void timer_setup(struct timer *t, timer_fn fn, void *data);

/* Arm t to fire at or after deadline (Xen system time, ns); an armed
 * timer is moved. Never fires early. Any context. */
void timer_arm(struct timer *t, uint64_t deadline_ns);

/* Disarm t if armed. After this returns, fn will not run for t. */
void timer_cancel(struct timer *t);

bool timer_armed(const struct timer *t);

/* Xen system time now, in ns (monotonic). */
uint64_t timer_now_ns(void);

/* Real time now, in ns since the Unix epoch (Xen's wallclock). */
uint64_t timer_realtime_ns(void);

#endif
