/*
 * A shared ring with a backend: 2^order pages (drivers/xenshare.h),
 * zeroed and granted to the backend domain, with an event channel the
 * backend binds to; and all of that undone. Drivers put their protocol's
 * ring (SHARED_RING_INIT and FRONT_RING_INIT from <xen/io/ring.h>, with
 * xenring_bytes() as the size) on the pages and advertise the references
 * (ring-ref, or ring-ref0.. for a multi-page ring).
 */
#ifndef DRIVERS_XENRING_H
#define DRIVERS_XENRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/xenshare.h"
#include "kernel/evtchn.h"
#include "kernel/page.h"

struct xenring {
	struct xenshare_block mem; /* mem.base: the ring */
	evtchn_port port;
	bool bound;
};

/* Allocate and share a ring of 2^order pages with backend_id; fn(port,
 * data) runs in upcall context for each notification. Returns 0 or a
 * negative errno with nothing left allocated. Thread context. */
int xenring_setup(struct xenring *r, uint16_t backend_id, unsigned order,
		  evtchn_handler_fn fn, void *data);
/* Close the event channel, then revoke the grants and free the pages
 * (xenshare_block_free(): leaked, never reused, if the backend keeps them
 * mapped). Thread context. */
void xenring_teardown(struct xenring *r);
/* Tell the backend there is work. */
void xenring_notify(const struct xenring *r);

static inline void *xenring_page(const struct xenring *r)
{
	return r->mem.base;
}

static inline size_t xenring_bytes(const struct xenring *r)
{
	return (size_t)PAGE_SIZE << r->mem.order;
}

/* The grant reference of page i (0 for a one-page ring). */
static inline gnttab_ref xenring_ref(const struct xenring *r, unsigned i)
{
	return r->mem.pages[i].ref;
}

#endif
