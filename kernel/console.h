/*
 * The console: where log lines and the application's stdin, stdout and
 * stderr go.
 *
 * As dom0 (the fast kernel tests) it is Xen's own console, through
 * HYPERVISOR_console_io, with input signalled by VIRQ_CONSOLE. As a domU
 * it is the PV console ring shared with xenconsoled in dom0
 * (xen/include/public/io/console.h). Output is never dropped: a writer
 * waits for room in the ring.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Switch to the domU console ring at once, so that even the first log
 * lines reach xl console. Before this (and for dom0 always) output goes
 * through console_io. Boot only. */
void console_init_ring(void *ring, uint32_t evtchn);

/* Take events: the ring's channel (domU) or VIRQ_CONSOLE for input on
 * Xen's console (dom0). Until then a full ring is polled. Boot only,
 * once event channels work. */
void console_init_events(void);

/* Write len bytes. Any context: a thread that finds the ring full sleeps
 * until the backend makes room; other contexts (upcalls, fault reports)
 * poll, yielding the vCPU to Xen. */
void console_write(const char *buf, size_t len);

/* Read up to len bytes of input, blocking until at least one arrives.
 * Returns the count, or -EINVAL when the backend corrupted the ring.
 * Thread context. */
long console_read(char *buf, size_t len);

/* Bytes the backend has taken from the output ring in all, and the times a
 * writer found the ring full (for tests). */
uint64_t console_bytes_written(void);
uint64_t console_full_waits(void);

#endif
