/*
 * Threads and the scheduler: one vCPU, round-robin with a time slice, so a
 * thread that never blocks cannot starve the others. When nothing is
 * runnable the idle thread blocks the vCPU in Xen until an event arrives.
 *
 * Every thread has its own stack from the page allocator with an unmapped
 * guard page under it, and its own FPU/SSE state, saved and restored on
 * every switch (a preemptive switch can stop a thread mid-SSE).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/traps.h"
#include "kernel/critical.h"

struct thread;

/* A FIFO of blocked threads. Zero-initialised is valid. */
struct wait_queue {
	struct thread *head, *tail;
};

#define THREAD_STACK_DEFAULT (64 * 1024)
#define SCHED_SLICE_NS (10 * 1000 * 1000)

/* Start a thread running fn(arg). stack_size is rounded up so that stack,
 * guard page and thread record fill a power-of-two number of pages; 0
 * means THREAD_STACK_DEFAULT. Returns NULL when memory runs out (the
 * out-of-memory report is logged). The new thread is runnable; the caller
 * keeps running. Thread context. */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg,
			     size_t stack_size);

/* Wait until t has exited, then free it. Returns 0, or -EINVAL when t is
 * the caller or detached. Thread context; blocks. */
int thread_join(struct thread *t);

/* Let t be freed by the kernel when it exits; it cannot be joined. */
void thread_detach(struct thread *t);

/* End the calling thread. Returning from the thread function does too. */
__attribute__((noreturn)) void thread_exit(void);

struct thread *thread_self(void);
const char *thread_name(const struct thread *t);

/* Give the vCPU to the next runnable thread, if any. */
void thread_yield(void);

/* Sleep until Xen system time reaches deadline_ns (never returns early). */
void thread_sleep_until(uint64_t deadline_ns);
void thread_sleep_ns(uint64_t ns);

/*
 * Block on wq until woken or until deadline_ns (0: no deadline). Call with
 * events masked, after finding the awaited condition false under that
 * same mask, so no wake-up can be missed; returns with events masked.
 * Returns 0 when woken, -ETIMEDOUT when the deadline passed first. The
 * building block of wait_event(), which the layers above the kernel use.
 */
int wait_queue_wait(struct wait_queue *wq, uint64_t deadline_ns);

/*
 * Sleep on wq until cond holds or deadline_ns passes (0: no deadline).
 * cond is tested inside a critical section (events masked), so a wake-up
 * that comes between the test and the sleep is not lost. The waker makes
 * cond true, then calls wait_queue_wake_one/all(wq), from a thread or an
 * event handler. cond may be evaluated several times and must not block.
 * Evaluates to 0 once cond held, or -ETIMEDOUT if the deadline came with
 * cond still false. Thread context.
 */
#define wait_event(wq, cond, deadline_ns)                           \
	({                                                          \
		unsigned long wait_event_state_ = critical_enter(); \
		int wait_event_rc_ =                                \
			wait_event_critical(wq, cond, deadline_ns); \
		critical_exit(wait_event_state_);                   \
		wait_event_rc_;                                     \
	})

/* The same, called inside a critical section the caller entered, and
 * returning still inside it: for a caller that must act on cond (take the
 * message it waited for) before any other thread or handler runs. */
#define wait_event_critical(wq, cond, deadline_ns)                       \
	({                                                               \
		int wait_event_critical_rc_ = 0;                         \
		while (!(cond)) {                                        \
			if (wait_queue_wait((wq), (deadline_ns)) != 0 && \
			    !(cond)) {                                   \
				wait_event_critical_rc_ = -ETIMEDOUT;    \
				break;                                   \
			}                                                \
		}                                                        \
		wait_event_critical_rc_;                                 \
	})

/* Make the first (or every) waiter runnable. Any context, including
 * upcalls. Returns whether a thread was woken. */
bool wait_queue_wake_one(struct wait_queue *wq);
void wait_queue_wake_all(struct wait_queue *wq);

/* Turn the boot context into the idle thread. Boot only. */
void sched_init(void);

/* Become the idle loop; never returns. Boot only, after creating the
 * first thread. */
__attribute__((noreturn)) void sched_idle_loop(void);

/* Called at the end of every upcall: switch threads if a wake-up or the
 * time slice asked for it and the interrupted code had events enabled. */
void sched_preempt_point(struct trap_frame *f);

/* The name of the thread whose guard page holds addr, or NULL (for fault
 * reports). */
const char *sched_guard_owner(uint64_t addr);

/* May the caller block? False in the idle thread and before sched_init
 * (upcalls and fault handlers run with events masked: callers check that
 * too). */
bool sched_can_block(void);

/* The current thread's name ("boot" before sched_init). Any context. */
const char *sched_current_name(void);

/* Threads alive (created and not yet freed), idle excluded. */
uint64_t sched_thread_count(void);

/* Involuntary switches so far (time slice or wake-up preemption). */
uint64_t sched_preemptions(void);

#endif
