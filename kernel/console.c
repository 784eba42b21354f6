/*
 * Console output and input (see console.h).
 *
 * Ring facts (io/console.h): we produce into out[] and advance out_prod;
 * xenconsoled consumes and advances out_cons. It produces into in[] and
 * advances in_prod; we consume and advance in_cons. Indexes run free and
 * are masked on use. The backend's index is never trusted: if it claims
 * more than a ring's worth, the ring is corrupt and we stop using it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/io/console.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "kernel/console.h"
#include "kernel/evtchn.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/timer.h"

#define WAIT_SLICE_NS (10 * 1000 * 1000)

static struct console_state {
	struct xencons_interface *ring; /* NULL: console_io */
	evtchn_port port;
	bool corrupt;
	bool events; /* console_init_events() done: waiting may sleep */
	struct wait_queue waiters; /* writers wanting room, readers input */
	char dom0_input[256];	   /* console_io input not yet read */
	size_t dom0_len;
	uint64_t written;
	uint64_t full_waits;
} con;

static void write_console_io(const char *buf, size_t len)
{
	while (len > 0) {
		long n = hypercall_console_io(CONSOLEIO_write, (unsigned)len,
					      buf);

		/* console_io returns the bytes written on recent Xen, 0 on
		 * old ones; neither may leave us looping on an error. */
		if (n < 0)
			return;
		if (n == 0 || (size_t)n > len)
			n = (long)len;
		buf += n;
		len -= (size_t)n;
	}
}

static void console_event(evtchn_port port, void *data)
{
	(void)port;
	(void)data;
	wait_queue_wake_all(&con.waiters);
}

void console_init_ring(void *ring, uint32_t evtchn)
{
	con.ring = ring;
	con.port = evtchn;
}

/* Wait for the backend: sleep if this context may, else give the vCPU
 * back to Xen so dom0 can run. Called with events masked. */
static void wait_for_backend(bool may_sleep)
{
	if (con.ring)
		(void)evtchn_notify(con.port);
	if (!may_sleep) {
		(void)hypercall_sched_op(SCHEDOP_yield, NULL);
		return;
	}
	/* The deadline guards against a lost notification. */
	(void)wait_queue_wait(&con.waiters, timer_now_ns() + WAIT_SLICE_NS);
}

/* Room in out[], or -1 if the backend's index is impossible. */
static long out_room(XENCONS_RING_IDX *prod)
{
	XENCONS_RING_IDX cons =
		__atomic_load_n(&con.ring->out_cons, __ATOMIC_ACQUIRE);

	*prod = con.ring->out_prod;
	if (*prod - cons > sizeof(con.ring->out))
		return -1;
	return (long)(sizeof(con.ring->out) - (*prod - cons));
}

/* Copy what fits; returns the bytes taken, 0 if the ring is full, -1 if
 * it is corrupt. Events masked: one writer at a time owns out_prod. */
static long put_some(const char *buf, size_t len)
{
	XENCONS_RING_IDX prod;
	long room = out_room(&prod);
	size_t i, n;

	if (room <= 0)
		return room;
	n = len < (size_t)room ? len : (size_t)room;
	for (i = 0; i < n; i++)
		con.ring->out[MASK_XENCONS_IDX(prod + i, con.ring->out)] =
			buf[i];
	wmb(); /* the bytes before the index that publishes them */
	con.ring->out_prod = prod + (XENCONS_RING_IDX)n;
	(void)evtchn_notify(con.port);
	con.written += n;
	return (long)n;
}

static void write_ring(const char *buf, size_t len)
{
	bool may_sleep = con.events && arch_irq_enabled() && sched_can_block();
	unsigned long flags = arch_irq_save();

	while (len > 0) {
		long n = put_some(buf, len);

		if (n < 0) {
			con.corrupt = true;
			write_console_io(buf, len);
			break;
		}
		if (n == 0) {
			con.full_waits++;
			wait_for_backend(may_sleep);
			continue;
		}
		buf += n;
		len -= (size_t)n;
	}
	arch_irq_restore(flags);
}

void console_write(const char *buf, size_t len)
{
	if (con.ring && !con.corrupt)
		write_ring(buf, len);
	else
		write_console_io(buf, len);
}

/* --- input ------------------------------------------------------------- */

/* Take up to len bytes from in[]. Events masked. -EINVAL if corrupt. */
static long take_ring_input(char *buf, size_t len)
{
	XENCONS_RING_IDX cons = con.ring->in_cons;
	XENCONS_RING_IDX prod =
		__atomic_load_n(&con.ring->in_prod, __ATOMIC_ACQUIRE);
	size_t i, avail = prod - cons;

	if (avail > sizeof(con.ring->in)) {
		/* Drop the impossible: resume from the backend's index. */
		con.ring->in_cons = prod;
		return -EINVAL;
	}
	for (i = 0; i < avail && i < len; i++)
		buf[i] = con.ring->in[MASK_XENCONS_IDX(cons + i, con.ring->in)];
	mb(); /* read the bytes before giving their slots back */
	con.ring->in_cons = cons + (XENCONS_RING_IDX)i;
	if (i)
		(void)evtchn_notify(con.port);
	return (long)i;
}

static long take_dom0_input(char *buf, size_t len)
{
	size_t n = len < con.dom0_len ? len : con.dom0_len;

	memcpy(buf, con.dom0_input, n);
	memmove(con.dom0_input, con.dom0_input + n, con.dom0_len - n);
	con.dom0_len -= n;
	return (long)n;
}

static void dom0_input_event(evtchn_port port, void *data)
{
	long n;

	(void)port;
	(void)data;
	n = hypercall_console_io(
		CONSOLEIO_read,
		(unsigned)(sizeof(con.dom0_input) - con.dom0_len),
		con.dom0_input + con.dom0_len);
	if (n > 0 && (size_t)n <= sizeof(con.dom0_input) - con.dom0_len)
		con.dom0_len += (size_t)n;
	wait_queue_wake_all(&con.waiters);
}

void console_init_events(void)
{
	evtchn_port port;

	if (con.ring) {
		if (evtchn_bind_port(con.port, console_event, NULL) != 0)
			panic("console: cannot bind event channel %u",
			      con.port);
		con.events = true;
		return;
	}
	if (evtchn_bind_virq(VIRQ_CONSOLE, dom0_input_event, NULL, &port) != 0)
		panic("console: cannot bind VIRQ_CONSOLE");
	con.events = true;
}

long console_read(char *buf, size_t len)
{
	unsigned long flags = arch_irq_save();
	long n;

	for (;;) {
		n = con.ring ? take_ring_input(buf, len)
			     : take_dom0_input(buf, len);
		if (n != 0 || len == 0)
			break;
		(void)wait_queue_wait(&con.waiters, 0);
	}
	arch_irq_restore(flags);
	return n;
}

uint64_t console_bytes_written(void)
{
	return con.written;
}

uint64_t console_full_waits(void)
{
	return con.full_waits;
}
