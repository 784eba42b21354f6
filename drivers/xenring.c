/*
 * Shared ring pages (see xenring.h). The order of set-up and tear-down is
 * the point of this file: the page exists before it is granted, the grant
 * before the channel is advertised; on the way back the channel goes
 * first (no more notifications), then the grant, and the page is freed
 * only once Xen confirms the backend no longer maps it.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "xenring"
#include "arch/x86_64/layout.h"
#include "drivers/xenring.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/sched.h"

#define REVOKE_TRIES 50
#define REVOKE_WAIT_NS (100 * 1000 * 1000)

int xenring_setup(struct xenring *r, uint16_t backend_id, evtchn_handler_fn fn,
		  void *data)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->page = page_alloc(0);
	if (!r->page)
		return -ENOMEM;
	memset(r->page, 0, PAGE_SIZE);
	rc = gnttab_grant_page(backend_id, r->page, false, &r->ref);
	if (rc != 0)
		goto err_free_page;
	r->granted = true;
	rc = evtchn_alloc_unbound(backend_id, fn, data, &r->port);
	if (rc != 0)
		goto err_end_grant;
	r->bound = true;
	return 0;

err_end_grant:
	/* Nobody has seen the reference yet, so this cannot be busy. */
	(void)gnttab_end_access(r->ref);
	r->granted = false;
err_free_page:
	page_free(r->page, 0);
	r->page = NULL;
	return rc;
}

void xenring_teardown(struct xenring *r)
{
	int tries;

	if (r->bound)
		evtchn_close(r->port);
	r->bound = false;
	if (r->granted) {
		for (tries = 0; tries < REVOKE_TRIES; tries++) {
			if (gnttab_end_access(r->ref) != -EBUSY)
				break;
			thread_sleep_ns(REVOKE_WAIT_NS);
		}
		if (tries == REVOKE_TRIES) {
			log_err("backend still maps ring page %p; leaking it",
				r->page);
			r->page = NULL;
		}
		r->granted = false;
	}
	if (r->page)
		page_free(r->page, 0);
	r->page = NULL;
}

void xenring_notify(const struct xenring *r)
{
	(void)evtchn_notify(r->port);
}
