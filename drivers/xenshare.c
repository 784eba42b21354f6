/*
 * Pages shared with a backend (see xenshare.h). The order is the point:
 * a page exists and is zeroed before it is granted; it is freed only after
 * its grant is revoked, and a revocation fails (-EBUSY) for as long as the
 * backend maps the page.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "xenshare"
#include "drivers/xenshare.h"
#include "kernel/log.h"
#include "kernel/page.h"
#include "kernel/page_alloc.h"
#include "kernel/sched.h"

/* A backend normally unmaps within milliseconds of seeing Closing; give
 * it five seconds. */
#define REVOKE_ROUNDS 50
#define REVOKE_WAIT_NS (100ull * 1000 * 1000)

static int grant(struct xenshare_page *p, void *page, uint16_t domid,
		 bool readonly)
{
	int rc = gnttab_grant_page(domid, page, readonly, &p->ref);

	p->page = page;
	p->granted = rc == 0;
	return rc;
}

/* Revoke every granted page of p[0..n), retrying while the backend maps
 * some. Returns how many are still granted (mapped) at the end. */
static unsigned revoke(struct xenshare_page *p, unsigned n)
{
	unsigned i, round, busy = 0;

	for (round = 0; round < REVOKE_ROUNDS; round++) {
		busy = 0;
		for (i = 0; i < n; i++) {
			if (!p[i].granted)
				continue;
			if (gnttab_end_access(p[i].ref) == -EBUSY)
				busy++;
			else
				p[i].granted = false;
		}
		if (busy == 0)
			break;
		thread_sleep_ns(REVOKE_WAIT_NS);
	}
	return busy;
}

int xenshare_pages_alloc(struct xenshare_page *p, unsigned n, uint16_t domid,
			 bool readonly)
{
	unsigned i;
	void *page;
	int rc;

	memset(p, 0, n * sizeof(*p));
	for (i = 0; i < n; i++) {
		page = page_alloc(0);
		if (!page) {
			page_alloc_report_oom("shared page", PAGE_SIZE);
			rc = -ENOMEM;
			goto err_free;
		}
		memset(page, 0, PAGE_SIZE);
		rc = grant(&p[i], page, domid, readonly);
		if (rc != 0)
			goto err_free;
	}
	return 0;

err_free:
	/* Nobody has seen these references yet: nothing can be busy. */
	(void)xenshare_pages_free(p, n);
	return rc;
}

unsigned xenshare_pages_free(struct xenshare_page *p, unsigned n)
{
	unsigned i, leaked = revoke(p, n);

	for (i = 0; i < n; i++) {
		if (p[i].page && !p[i].granted)
			page_free(p[i].page, 0);
		p[i] = (struct xenshare_page){ 0 };
	}
	if (leaked)
		log_err("backend still maps %u shared pages; leaking them",
			leaked);
	return leaked;
}

int xenshare_block_alloc(struct xenshare_block *b, unsigned order,
			 uint16_t domid, bool readonly)
{
	unsigned i, n = 1u << order;
	int rc;

	memset(b, 0, sizeof(*b));
	if (order > XENSHARE_BLOCK_MAX_ORDER)
		return -EINVAL;
	b->base = page_alloc(order);
	if (!b->base) {
		page_alloc_report_oom("shared block", (uint64_t)n * PAGE_SIZE);
		return -ENOMEM;
	}
	b->order = order;
	memset(b->base, 0, (size_t)n * PAGE_SIZE);
	for (i = 0; i < n; i++) {
		rc = grant(&b->pages[i], (char *)b->base + i * PAGE_SIZE, domid,
			   readonly);
		if (rc != 0) {
			(void)xenshare_block_free(b);
			return rc;
		}
	}
	return 0;
}

bool xenshare_block_free(struct xenshare_block *b)
{
	unsigned leaked;

	if (!b->base)
		return true;
	leaked = revoke(b->pages, 1u << b->order);
	if (leaked)
		log_err("backend still maps %u pages of a %u-page block; "
			"leaking the block",
			leaked, 1u << b->order);
	else
		page_free(b->base, b->order);
	memset(b, 0, sizeof(*b));
	return leaked == 0;
}
