/*
 * Timers: the heap (kernel/timer_heap.c), the hypervisor one-shot timer and
 * VIRQ_TIMER. All heap operations run with events masked, so the upcall
 * and threads never see it half-updated.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

#define LOG_TAG "timer"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/pvclock.h"
#include "kernel/evtchn.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/timer.h"

static struct timer_state {
	struct timer_heap heap;
	evtchn_port port;
} tm;

uint64_t timer_now_ns(void)
{
	return pvclock_now_ns();
}

uint64_t timer_realtime_ns(void)
{
	return pvclock_wallclock_base_ns() + pvclock_now_ns();
}

/* Program Xen for the earliest deadline. A deadline already past makes
 * Xen raise VIRQ_TIMER at once, which is what we want. */
static void reprogram(void)
{
	struct timer_node *first = timer_heap_peek(&tm.heap);
	long rc = hypercall_set_timer_op(first ? first->deadline : 0);

	if (rc != 0)
		panic("timer: set_timer_op failed (%ld)", rc);
}

static void fire_expired(evtchn_port port, void *data)
{
	struct timer_node *n;
	uint64_t now = timer_now_ns();

	(void)port;
	(void)data;
	while ((n = timer_heap_peek(&tm.heap)) && n->deadline <= now) {
		struct timer *t = (struct timer *)n;

		timer_heap_pop(&tm.heap);
		t->fn(t);
		now = timer_now_ns();
	}
	reprogram();
}

void timer_init(void)
{
	timer_heap_init(&tm.heap);
	/* A PV vCPU starts with a 10 ms periodic tick; we only want the
	 * one-shot timer, so an idle guest really sleeps. */
	if (hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL) != 0)
		log_warn("cannot stop the periodic timer");
	if (evtchn_bind_virq(VIRQ_TIMER, fire_expired, NULL, &tm.port) != 0)
		panic("timer: cannot bind VIRQ_TIMER");
}

void timer_setup(struct timer *t, timer_fn fn, void *data)
{
	timer_node_init(&t->node);
	t->fn = fn;
	t->data = data;
}

void timer_arm(struct timer *t, uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();

	(void)timer_heap_remove(&tm.heap, &t->node); /* -ENOENT: not armed */
	if (timer_heap_insert(&tm.heap, &t->node, deadline_ns) != 0)
		panic("timer: cannot arm timer %p", (void *)t);
	if (timer_heap_peek(&tm.heap) == &t->node)
		reprogram();
	arch_irq_restore(flags);
}

void timer_cancel(struct timer *t)
{
	unsigned long flags = arch_irq_save();

	/* Leaving Xen programmed for a cancelled deadline costs one spurious
	 * VIRQ at most; fire_expired() then programs the next one. */
	(void)timer_heap_remove(&tm.heap, &t->node);
	arch_irq_restore(flags);
}

bool timer_armed(const struct timer *t)
{
	return timer_node_queued(&t->node);
}
