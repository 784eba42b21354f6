/*
 * Threads and the round-robin scheduler (see sched.h for the contract).
 *
 * Memory of a thread: one page-allocator block holding, from the bottom,
 * the guard page (unmapped while the thread lives), the stack, and the
 * struct thread at the top. So creating a thread is one allocation and the
 * kernel needs no malloc.
 *
 * Everything here runs with events masked: the run queue, wait queues and
 * the current-thread pointer are shared with the upcall (wake-ups come
 * from timer and device handlers).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "sched"
#include "arch/x86_64/context.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/timer.h"

enum thread_state { RUNNABLE, BLOCKED, EXITED };

struct thread {
	uint64_t rsp; /* saved while not running */
	struct arch_fpu_state fpu;
	enum thread_state state;
	char name[24];
	void *block; /* the allocation: guard, stack, this record */
	unsigned block_order;
	uint64_t stack_limit; /* lowest %rsp allowed (split-stack check) */
	struct thread *q_next, *q_prev; /* run queue or one wait queue */
	struct wait_queue *waiting_on;
	bool timed_out;
	struct timer wake_timer;
	struct wait_queue joiners;
	bool detached;
	struct thread *all_next, *all_prev; /* every live thread */
	void (*entry)(void *);
};

static struct sched_state {
	struct thread *current;
	struct thread idle;
	struct wait_queue runq;
	struct thread *all;
	struct thread *zombies; /* exited detached threads, freed by idle */
	uint64_t nthreads;
	bool need_resched;
	struct timer slice;
	uint64_t preemptions;
	struct arch_fpu_state fpu_initial;
} sc;

/* --- queues ------------------------------------------------------------ */

static void queue_push(struct wait_queue *q, struct thread *t)
{
	t->q_next = NULL;
	t->q_prev = q->tail;
	if (q->tail)
		q->tail->q_next = t;
	else
		q->head = t;
	q->tail = t;
}

static void queue_remove(struct wait_queue *q, struct thread *t)
{
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		q->head = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		q->tail = t->q_prev;
	t->q_next = t->q_prev = NULL;
}

static struct thread *queue_pop(struct wait_queue *q)
{
	struct thread *t = q->head;

	if (t)
		queue_remove(q, t);
	return t;
}

/* --- switching --------------------------------------------------------- */

static void slice_expired(struct timer *t)
{
	(void)t;
	sc.need_resched = true;
}

/* Arm the time slice only when someone is waiting for the vCPU. */
/* The slice runs from when a thread first had to wait for the vCPU, and is
 * not restarted on every switch: re-arming it there cost a heap update and
 * often a set_timer_op hypercall per switch, several per network frame. A
 * thread may so get less than a full slice; nothing waits longer than one. */
static void update_slice(void)
{
	if (!sc.runq.head || sc.current == &sc.idle)
		timer_cancel(&sc.slice);
	else if (!timer_armed(&sc.slice))
		timer_arm(&sc.slice, timer_now_ns() + SCHED_SLICE_NS);
}

static void switch_to(struct thread *next)
{
	struct thread *prev = sc.current;

	sc.need_resched = false;
	if (next == prev)
		return;
	arch_fpu_save(&prev->fpu);
	sc.current = next;
	update_slice();
	arch_fpu_restore(&next->fpu);
	/* Last, with no C call left on prev's stack: from here on the
	 * split-stack check applies next's limit. */
	arch_set_stack_limit(next->stack_limit);
	arch_switch(&prev->rsp, next->rsp);
}

/* Run the next runnable thread, or idle. Events masked. The caller has
 * already queued itself if it stays runnable. */
static void schedule(void)
{
	struct thread *next = queue_pop(&sc.runq);

	switch_to(next ? next : &sc.idle);
}

static void make_runnable(struct thread *t)
{
	t->state = RUNNABLE;
	if (t != &sc.idle)
		queue_push(&sc.runq, t);
	/* Wake-up preemption: the woken thread (often a driver's or a
	 * sleeper's) runs at the next preemption point, not a slice later. */
	sc.need_resched = true;
	if (!timer_armed(&sc.slice) && sc.current != &sc.idle)
		timer_arm(&sc.slice, timer_now_ns() + SCHED_SLICE_NS);
}

void sched_preempt_point(struct trap_frame *f)
{
	const uint64_t rflags_if = 1 << 9;

	/* Only where the interrupted code had events enabled: it held no
	 * kernel state that events protect. */
	if (!sc.need_resched || !(f->rflags & rflags_if) || !sc.current)
		return;
	if (!sc.runq.head) {
		sc.need_resched = false;
		return;
	}
	sc.preemptions++;
	if (sc.current != &sc.idle && sc.current->state == RUNNABLE)
		queue_push(&sc.runq, sc.current);
	schedule();
}

/* --- waiting ----------------------------------------------------------- */

static void wait_timed_out(struct timer *tm)
{
	struct thread *t = tm->data;

	if (t->state != BLOCKED)
		return;
	if (t->waiting_on)
		queue_remove(t->waiting_on, t);
	t->waiting_on = NULL;
	t->timed_out = true;
	make_runnable(t);
}

int wait_queue_wait(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct thread *self = sc.current;

	if (self == &sc.idle)
		panic("sched: the idle thread cannot block");
	self->state = BLOCKED;
	self->timed_out = false;
	self->waiting_on = wq;
	if (wq)
		queue_push(wq, self);
	if (deadline_ns)
		timer_arm(&self->wake_timer, deadline_ns);
	schedule();
	timer_cancel(&self->wake_timer);
	return self->timed_out ? -ETIMEDOUT : 0;
}

bool wait_queue_wake_one(struct wait_queue *wq)
{
	unsigned long flags = arch_irq_save();
	struct thread *t = queue_pop(wq);

	if (t) {
		t->waiting_on = NULL;
		make_runnable(t);
	}
	arch_irq_restore(flags);
	return t != NULL;
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	while (wait_queue_wake_one(wq))
		;
}

void thread_sleep_until(uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();

	/* Loop: a timer may fire a little before the heap's idea of now
	 * catches up; the contract is never to return early. */
	while (timer_now_ns() < deadline_ns)
		(void)wait_queue_wait(NULL, deadline_ns);
	arch_irq_restore(flags);
}

void thread_sleep_ns(uint64_t ns)
{
	thread_sleep_until(timer_now_ns() + ns);
}

void thread_yield(void)
{
	unsigned long flags = arch_irq_save();

	if (sc.runq.head) {
		queue_push(&sc.runq, sc.current);
		schedule();
	}
	arch_irq_restore(flags);
}

/* --- thread life ------------------------------------------------------- */

static void link_thread(struct thread *t)
{
	t->all_prev = NULL;
	t->all_next = sc.all;
	if (sc.all)
		sc.all->all_prev = t;
	sc.all = t;
	sc.nthreads++;
}

static void unlink_thread(struct thread *t)
{
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		sc.all = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	sc.nthreads--;
}

static void free_thread(struct thread *t)
{
	uint64_t guard = (uint64_t)t->block;

	if (mm_map_page(guard, mm_virt_to_pfn(t->block),
			MM_PROT_READ | MM_PROT_WRITE) != 0)
		panic("sched: cannot remap the guard page of '%s'", t->name);
	page_free(t->block, t->block_order);
}

static void thread_start(void *arg)
{
	/* New threads begin here with events masked (they were switched to
	 * from schedule()). */
	arch_irq_enable();
	sc.current->entry(arg);
	thread_exit();
}

static struct thread *setup_thread(void *block, unsigned order,
				   const char *name)
{
	uint64_t top = (uint64_t)block + ((uint64_t)PAGE_SIZE << order);
	struct thread *t = (struct thread *)((top - sizeof(struct thread)) &
					     ~(uint64_t)63);

	memset(t, 0, sizeof(*t));
	t->block = block;
	t->block_order = order;
	t->stack_limit = (uint64_t)block + PAGE_SIZE + ARCH_STACK_MARGIN;
	strncpy(t->name, name ? name : "thread", sizeof(t->name) - 1);
	t->fpu = sc.fpu_initial;
	timer_setup(&t->wake_timer, wait_timed_out, t);
	return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg,
			     size_t stack_size)
{
	uint64_t want = (stack_size ? stack_size : THREAD_STACK_DEFAULT) +
			PAGE_SIZE + sizeof(struct thread);
	unsigned order = page_order_for(want);
	unsigned long flags;
	struct thread *t;
	void *block;

	if (order > PAGE_ALLOC_MAX_ORDER || !(block = page_alloc(order))) {
		page_alloc_report_oom("thread_create", want);
		return NULL;
	}
	if (mm_map_page((uint64_t)block, 0, MM_PROT_NONE) != 0) {
		page_free(block, order);
		return NULL;
	}
	t = setup_thread(block, order, name);
	t->entry = fn;
	t->rsp = arch_context_init((uint64_t)t & ~(uint64_t)15, thread_start,
				   arg);
	flags = arch_irq_save();
	link_thread(t);
	make_runnable(t);
	arch_irq_restore(flags);
	return t;
}

void thread_exit(void)
{
	struct thread *self = sc.current;

	arch_irq_disable();
	if (self == &sc.idle)
		panic("sched: the idle thread cannot exit");
	self->state = EXITED;
	timer_cancel(&self->wake_timer);
	if (self->detached) {
		self->q_next = sc.zombies;
		sc.zombies = self;
	}
	wait_queue_wake_all(&self->joiners);
	schedule();
	panic("sched: exited thread '%s' was scheduled", self->name);
}

int thread_join(struct thread *t)
{
	unsigned long flags;

	if (t == sc.current || t->detached)
		return -EINVAL;
	flags = arch_irq_save();
	while (t->state != EXITED)
		(void)wait_queue_wait(&t->joiners, 0);
	unlink_thread(t);
	arch_irq_restore(flags);
	free_thread(t);
	return 0;
}

void thread_detach(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	t->detached = true;
	if (t->state == EXITED) {
		t->q_next = sc.zombies;
		sc.zombies = t;
	}
	arch_irq_restore(flags);
}

static void reap_zombies(void)
{
	for (;;) {
		unsigned long flags = arch_irq_save();
		struct thread *t = sc.zombies;

		if (t) {
			sc.zombies = t->q_next;
			unlink_thread(t);
		}
		arch_irq_restore(flags);
		if (!t)
			return;
		free_thread(t);
	}
}

/* --- accessors and boot ------------------------------------------------ */

struct thread *thread_self(void)
{
	return sc.current;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

bool sched_can_block(void)
{
	return sc.current && sc.current != &sc.idle;
}

const char *sched_current_name(void)
{
	return sc.current ? sc.current->name : "boot";
}

uint64_t sched_thread_count(void)
{
	return sc.nthreads;
}

uint64_t sched_preemptions(void)
{
	return sc.preemptions;
}

const char *sched_guard_owner(uint64_t addr)
{
	struct thread *t;

	for (t = sc.all; t; t = t->all_next)
		if (addr >= (uint64_t)t->block &&
		    addr < (uint64_t)t->block + PAGE_SIZE)
			return t->name;
	return NULL;
}

void sched_init(void)
{
	extern char boot_stack[];

	arch_fpu_init(&sc.fpu_initial);
	strncpy(sc.idle.name, "idle", sizeof(sc.idle.name) - 1);
	sc.idle.stack_limit = (uint64_t)boot_stack + ARCH_STACK_MARGIN;
	sc.idle.state = RUNNABLE;
	timer_setup(&sc.slice, slice_expired, NULL);
	sc.current = &sc.idle;
}

void sched_idle_loop(void)
{
	for (;;) {
		reap_zombies();
		arch_irq_disable();
		if (sc.runq.head) {
			schedule();
			arch_irq_enable();
			continue;
		}
		/* SCHEDOP_block unmasks events and sleeps until one is
		 * pending, atomically: no wake-up slips in between. The
		 * upcall then runs here and may preempt us. */
		(void)hypercall_sched_op(SCHEDOP_block, NULL);
	}
}
