/*
 * Event channels (2-level ABI): binding, masking, notification, and the
 * pending scan that the upcall runs.
 *
 * Handlers run in upcall context: events masked, on whatever stack was
 * interrupted. They must be short, must not block, and typically wake a
 * thread (kernel/sched.h).
 */
#ifndef KERNEL_EVTCHN_H
#define KERNEL_EVTCHN_H

#include <stdint.h>

#include "arch/x86_64/traps.h"

typedef uint32_t evtchn_port;
typedef void (*evtchn_handler_fn)(evtchn_port port, void *data);

/* Bind virq on vCPU 0 to handler and unmask it. Returns 0 and the port,
 * or a negative errno from Xen (translated). Thread context. */
int evtchn_bind_virq(unsigned virq, evtchn_handler_fn fn, void *data,
		     evtchn_port *port);

/* Allocate a port that domain remote_dom may bind to (the frontend side of
 * a split driver), attach handler and unmask it. Returns 0 and the port,
 * or a negative errno. Thread context. */
int evtchn_alloc_unbound(uint16_t remote_dom, evtchn_handler_fn fn, void *data,
			 evtchn_port *port);

/* Bind to port remote_port that domain remote_dom allocated for us (the
 * backend side of a channel, or a loopback in tests), attach handler and
 * unmask it. Returns 0 and our port, or a negative errno. */
int evtchn_bind_interdomain(uint16_t remote_dom, evtchn_port remote_port,
			    evtchn_handler_fn fn, void *data,
			    evtchn_port *port);

/* Attach a handler to a port we already own (e.g. from start_info) and
 * unmask it. -EINVAL for a port out of range or already bound. */
int evtchn_bind_port(evtchn_port port, evtchn_handler_fn fn, void *data);

/* Close the port and forget its handler. */
void evtchn_close(evtchn_port port);

void evtchn_mask(evtchn_port port);

/* Unmask; if the port became pending while masked, the event is delivered
 * now rather than lost. */
void evtchn_unmask(evtchn_port port);

/* Signal the other end. Returns 0 or negative errno. */
int evtchn_notify(evtchn_port port);

/* The upcall: scan pending ports and run their handlers, then give the
 * scheduler a preemption point. Installed by kernel_main(). */
void evtchn_upcall(struct trap_frame *f);

/* Mask every port: boot only, before anything is bound. */
void evtchn_init(void);

/* Events handled so far (for tests and statistics). */
uint64_t evtchn_upcall_count(void);

#endif
