/*
 * Shared rings (see xenring.h). The order of set-up and tear-down is the
 * point of this file: the pages exist and are granted before the channel
 * is advertised; on the way back the channel goes first (no more
 * notifications), then the grants, and the pages are freed only once Xen
 * confirms the backend no longer maps them (xenshare.c).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "drivers/xenring.h"

int xenring_setup(struct xenring *r, uint16_t backend_id, unsigned order,
		  evtchn_handler_fn fn, void *data)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = xenshare_block_alloc(&r->mem, order, backend_id, false);
	if (rc != 0)
		return rc;
	rc = evtchn_alloc_unbound(backend_id, fn, data, &r->port);
	if (rc != 0)
		goto err_free_block;
	r->bound = true;
	return 0;

err_free_block:
	(void)xenshare_block_free(&r->mem);
	return rc;
}

void xenring_teardown(struct xenring *r)
{
	if (r->bound)
		evtchn_close(r->port);
	r->bound = false;
	(void)xenshare_block_free(&r->mem);
}

void xenring_notify(const struct xenring *r)
{
	(void)evtchn_notify(r->port);
}
