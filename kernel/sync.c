/*
 * Mutex, condition variable and semaphore on wait queues. The state of
 * each is only touched with events masked, which on one vCPU is the whole
 * of the locking needed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

void mutex_init(struct mutex *m, bool recursive)
{
	m->owner = NULL;
	m->depth = 0;
	m->recursive = recursive;
	m->waiters.head = m->waiters.tail = NULL;
}

/* Take m if free (or ours and recursive). Events masked. */
static bool try_take(struct mutex *m)
{
	struct thread *self = thread_self();

	if (!m->owner) {
		m->owner = self;
		m->depth = 1;
		return true;
	}
	if (m->owner == self) {
		if (!m->recursive)
			panic("mutex %p: '%s' locks it twice", (void *)m,
			      thread_name(self));
		m->depth++;
		return true;
	}
	return false;
}

void mutex_lock(struct mutex *m)
{
	unsigned long flags = arch_irq_save();

	while (!try_take(m))
		(void)wait_queue_wait(&m->waiters, 0);
	arch_irq_restore(flags);
}

int mutex_trylock(struct mutex *m)
{
	unsigned long flags = arch_irq_save();
	bool taken = try_take(m);

	arch_irq_restore(flags);
	return taken ? 0 : -EBUSY;
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags = arch_irq_save();

	if (m->owner != thread_self())
		panic("mutex %p: '%s' unlocks it without holding it", (void *)m,
		      thread_name(thread_self()));
	if (--m->depth == 0) {
		m->owner = NULL;
		(void)wait_queue_wake_one(&m->waiters);
	}
	arch_irq_restore(flags);
}

void cond_init(struct cond *c)
{
	c->waiters.head = c->waiters.tail = NULL;
}

int cond_wait_until(struct cond *c, struct mutex *m, uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();
	unsigned depth = m->depth;
	int rc;

	if (m->owner != thread_self())
		panic("cond %p: wait without holding mutex %p", (void *)c,
		      (void *)m);
	/* Releasing the mutex and queueing happen under one mask, so a
	 * signal sent right after the release cannot be missed. */
	m->owner = NULL;
	m->depth = 0;
	(void)wait_queue_wake_one(&m->waiters);
	rc = wait_queue_wait(&c->waiters, deadline_ns);
	while (!try_take(m))
		(void)wait_queue_wait(&m->waiters, 0);
	m->depth = depth;
	arch_irq_restore(flags);
	return rc;
}

void cond_wait(struct cond *c, struct mutex *m)
{
	(void)cond_wait_until(c, m, 0);
}

void cond_signal(struct cond *c)
{
	(void)wait_queue_wake_one(&c->waiters);
}

void cond_broadcast(struct cond *c)
{
	wait_queue_wake_all(&c->waiters);
}

void sem_init(struct semaphore *s, uint64_t count)
{
	s->count = count;
	s->waiters.head = s->waiters.tail = NULL;
}

int sem_down_until(struct semaphore *s, uint64_t deadline_ns)
{
	unsigned long flags = arch_irq_save();
	int rc = 0;

	while (s->count == 0 && rc == 0)
		rc = wait_queue_wait(&s->waiters, deadline_ns);
	/* A wake-up and the deadline may coincide: a unit that is there
	 * is taken even if the timer fired. */
	if (s->count > 0) {
		s->count--;
		rc = 0;
	}
	arch_irq_restore(flags);
	return rc;
}

void sem_down(struct semaphore *s)
{
	(void)sem_down_until(s, 0);
}

void sem_up(struct semaphore *s)
{
	unsigned long flags = arch_irq_save();

	s->count++;
	(void)wait_queue_wake_one(&s->waiters);
	arch_irq_restore(flags);
}
