/*
 * Sleeping locks for threads: mutex, condition variable, counting
 * semaphore. All are FIFO-fair on wake-up, none may be used from an upcall
 * except sem_up() and cond_signal()/cond_broadcast().
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched.h"

struct mutex {
	struct thread *owner;
	unsigned depth; /* > 1 only for a recursive mutex */
	bool recursive;
	struct wait_queue waiters;
};

struct cond {
	struct wait_queue waiters;
};

struct semaphore {
	uint64_t count;
	struct wait_queue waiters;
};

void mutex_init(struct mutex *m, bool recursive);
void mutex_lock(struct mutex *m);
/* 0, or -EBUSY when another thread holds it. */
int mutex_trylock(struct mutex *m);
/* Panics when the caller does not hold m: a bug worth stopping for. */
void mutex_unlock(struct mutex *m);

void cond_init(struct cond *c);
/* Release m, wait for a signal, take m again. Spurious wake-ups are
 * possible: callers re-check their condition. */
void cond_wait(struct cond *c, struct mutex *m);
/* As cond_wait, with a deadline on Xen system time: -ETIMEDOUT. */
int cond_wait_until(struct cond *c, struct mutex *m, uint64_t deadline_ns);
void cond_signal(struct cond *c);
void cond_broadcast(struct cond *c);

void sem_init(struct semaphore *s, uint64_t count);
void sem_down(struct semaphore *s);
/* 0, or -ETIMEDOUT when the deadline (Xen system time) passed first. */
int sem_down_until(struct semaphore *s, uint64_t deadline_ns);
void sem_up(struct semaphore *s);

#endif
