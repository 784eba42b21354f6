/*
 * lwIP's operating-system layer on Skiff (the NO_SYS=0 contract of lwIP
 * 2.1's src/include/lwip/sys.h): semaphores and mutexes over the kernel's,
 * bounded mailboxes, threads, time, the critical section, random numbers,
 * and where lwIP's asserts and diagnostics go.
 *
 * Objects are allocated with malloc, so creating them needs thread
 * context, as lwIP only does. Mailboxes are built on wait queues under the
 * event mask rather than on a mutex, so that sys_mbox_trypost_fromisr()
 * works from an upcall. Everything relies on there being one vCPU: masking
 * events is mutual exclusion.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "lwip/err.h"
#include "lwip/sys.h"

#define LOG_TAG "lwip"
#include "kernel/critical.h"
#include "kernel/entropy.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/sync.h"
#include "kernel/timer.h"

#define NS_PER_MS 1000000ULL
/* Mailboxes created with size 0 ("the port's default"). */
#define SYS_ARCH_MBOX_DEFAULT 64

struct sys_arch_sem {
	struct semaphore sem;
};

struct sys_arch_mutex {
	struct mutex mutex;
};

/* A bounded FIFO of message pointers. Only touched with events masked. */
struct sys_arch_mbox {
	unsigned size;
	unsigned head; /* next slot to fetch */
	unsigned count;
	struct wait_queue not_empty;
	struct wait_queue not_full;
	void *slots[];
};

/* --- time ---------------------------------------------------------------- */

void sys_init(void)
{
}

u32_t sys_now(void)
{
	/* Wraps after 49 days, which lwIP's timer arithmetic expects. */
	return (u32_t)(timer_now_ns() / NS_PER_MS);
}

u32_t sys_jiffies(void)
{
	return sys_now();
}

void sys_arch_msleep(uint32_t ms)
{
	thread_sleep_ns((uint64_t)ms * NS_PER_MS);
}

/* Deadline for a wait of timeout_ms (0: none), on Xen system time. */
static uint64_t deadline_after(u32_t timeout_ms)
{
	return timeout_ms ? timer_now_ns() + timeout_ms * NS_PER_MS : 0;
}

/* What a successful wait returns: the milliseconds it took, never the
 * SYS_ARCH_TIMEOUT marker. */
static u32_t waited_since(uint64_t start_ns)
{
	uint64_t ms = (timer_now_ns() - start_ns) / NS_PER_MS;

	return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)ms;
}

/* --- semaphores ---------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	struct sys_arch_sem *s = malloc(sizeof(*s));

	if (!s) {
		*sem = NULL;
		return ERR_MEM;
	}
	sem_init(&s->sem, count);
	*sem = s;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	free(*sem);
	*sem = NULL;
}

void sys_sem_signal(sys_sem_t *sem)
{
	sem_up(&(*sem)->sem);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = timer_now_ns();

	if (!timeout) {
		sem_down(&(*sem)->sem);
		return waited_since(start);
	}
	if (sem_down_until(&(*sem)->sem, deadline_after(timeout)) == -ETIMEDOUT)
		return SYS_ARCH_TIMEOUT;
	return waited_since(start);
}

/* --- mutexes ------------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	struct sys_arch_mutex *m = malloc(sizeof(*m));

	if (!m) {
		*mutex = NULL;
		return ERR_MEM;
	}
	mutex_init(&m->mutex, false);
	*mutex = m;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	free(*mutex);
	*mutex = NULL;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	mutex_lock(&(*mutex)->mutex);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	mutex_unlock(&(*mutex)->mutex);
}

/* --- mailboxes ----------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	unsigned n = size > 0 ? (unsigned)size : SYS_ARCH_MBOX_DEFAULT;
	struct sys_arch_mbox *mb = malloc(sizeof(*mb) + n * sizeof(void *));

	if (!mb) {
		*mbox = NULL;
		return ERR_MEM;
	}
	*mb = (struct sys_arch_mbox){ .size = n };
	*mbox = mb;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	struct sys_arch_mbox *mb = *mbox;

	/* lwIP drains a mailbox before freeing it; a thread still waiting
	 * here would sleep on freed memory. */
	if (mb->count || mb->not_empty.head || mb->not_full.head)
		panic("lwip: mailbox freed with %u messages or waiters left",
		      mb->count);
	free(mb);
	*mbox = NULL;
}

/* Append msg; the caller masked events and made sure there is room. */
static void mbox_push(struct sys_arch_mbox *mb, void *msg)
{
	mb->slots[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	wait_queue_wake_one(&mb->not_empty);
}

/* Take the oldest message; the caller masked events and saw one. */
static void *mbox_pop(struct sys_arch_mbox *mb)
{
	void *msg = mb->slots[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	wait_queue_wake_one(&mb->not_full);
	return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	struct sys_arch_mbox *mb = *mbox;
	unsigned long flags = critical_enter();

	(void)wait_event_critical(&mb->not_full, mb->count < mb->size, 0);
	mbox_push(mb, msg);
	critical_exit(flags);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	struct sys_arch_mbox *mb = *mbox;
	unsigned long flags = critical_enter();
	err_t err = ERR_MEM;

	if (mb->count < mb->size) {
		mbox_push(mb, msg);
		err = ERR_OK;
	}
	critical_exit(flags);
	return err;
}

/* Any context: it neither blocks nor allocates. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	struct sys_arch_mbox *mb = *mbox;
	uint64_t start = timer_now_ns();
	uint64_t deadline = deadline_after(timeout);
	unsigned long flags = critical_enter();
	void *m;

	if (wait_event_critical(&mb->not_empty, mb->count > 0, deadline) != 0) {
		critical_exit(flags);
		return SYS_ARCH_TIMEOUT;
	}
	m = mbox_pop(mb);
	critical_exit(flags);
	if (msg)
		*msg = m;
	return waited_since(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	struct sys_arch_mbox *mb = *mbox;
	unsigned long flags = critical_enter();
	void *m;

	if (mb->count == 0) {
		critical_exit(flags);
		return SYS_MBOX_EMPTY;
	}
	m = mbox_pop(mb);
	critical_exit(flags);
	if (msg)
		*msg = m;
	return 0;
}

/* --- threads and the critical section ------------------------------------ */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread, void *arg,
			    int stacksize, int prio)
{
	struct thread *t;

	(void)prio; /* one round-robin class */
	t = thread_create(name, thread, arg,
			  stacksize > 0 ? (size_t)stacksize : 0);
	/* lwIP has no way to report this, and runs no stack without its
	 * tcpip thread. */
	if (!t)
		panic("lwip: cannot create thread %s", name);
	thread_detach(t);
	return t;
}

sys_prot_t sys_arch_protect(void)
{
	return critical_enter();
}

void sys_arch_unprotect(sys_prot_t pval)
{
	critical_exit(pval);
}

/* --- random numbers ------------------------------------------------------ */

/* For DNS ids and source ports, TCP initial sequence numbers, DHCP xids:
 * unpredictable to an off-path attacker is what matters, and the kernel's
 * entropy source gives that (hardware random numbers where the CPU has
 * them, timing otherwise). A few calls per connection: no need for a
 * generator of our own here. */
uint32_t lwip_port_rand(void)
{
	uint32_t r;

	(void)entropy_get(&r, sizeof(r));
	return r;
}

/* --- asserts and diagnostics --------------------------------------------- */

void lwip_port_assert(const char *msg, const char *file, int line)
{
	panic("lwip: assertion \"%s\" failed at %s:%d", msg, file, line);
}

void lwip_port_diag(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	/* lwIP's debug messages bring their own newlines; log lines do not. */
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(line) && line[n - 1] == '\n')
		line[n - 1] = '\0';
	log_info("%s", line);
}
