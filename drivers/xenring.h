/*
 * One shared ring page with a backend: allocated, zeroed, granted to the
 * backend domain, with an event channel the backend binds to; and all of
 * that undone. Drivers put their protocol's ring (SHARED_RING_INIT and
 * FRONT_RING_INIT from <xen/io/ring.h>) on the page.
 */
#ifndef DRIVERS_XENRING_H
#define DRIVERS_XENRING_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/evtchn.h"
#include "kernel/gnttab.h"

struct xenring {
	void *page;
	gnttab_ref ref;
	evtchn_port port;
	bool granted;
	bool bound;
};

/* Allocate and share a ring page with backend_id; fn(port, data) runs in
 * upcall context for each notification. Returns 0 or a negative errno
 * with nothing left allocated. Thread context. */
int xenring_setup(struct xenring *r, uint16_t backend_id, evtchn_handler_fn fn,
		  void *data);

/* Close the event channel, revoke the grant (waiting, up to a few
 * seconds, for the backend to unmap it) and free the page. If the backend
 * never lets go, the page is leaked rather than reused under it. Thread
 * context. */
void xenring_teardown(struct xenring *r);

/* Tell the backend there is work. */
void xenring_notify(const struct xenring *r);

#endif
