/*
 * Boot test events-grants: event channels and grant tables against Xen
 * itself, booted as dom0 (domain 0 can be both ends):
 * - a loopback channel (alloc_unbound + bind_interdomain to ourselves):
 *   200 notifications sent on one end arrive on the other;
 * - a granted page is read back by Xen through the grant (GNTTABOP_copy),
 *   which proves the entry's frame, domain and flags; after revocation the
 *   same copy is refused; a double revoke is an error;
 * - every free reference can be taken (-ENOSPC after) and given back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/mm.h"
#include "kernel/evtchn.h"
#include "kernel/gnttab.h"
#include "kernel/page_alloc.h"
#include "kernel/sched.h"
#include "kernel/timer.h"

#define NAME "events-grants"
#define NOTIFIES 200
#define SELF 0 /* we are dom0 */

static volatile unsigned events_seen;
static char fail_reason[160];

static void fail(const char *why)
{
	if (!fail_reason[0])
		snprintf(fail_reason, sizeof(fail_reason), "%s", why);
}

/* Counts only events on the receiving end (data != NULL): Xen marks a
 * freshly bound interdomain port pending once, so no notification made
 * before the bind can be lost, and that one is not ours to count. */
static void on_event(evtchn_port port, void *data)
{
	(void)port;
	if (data)
		events_seen++;
}

static void test_loopback(void)
{
	evtchn_port a, b;
	unsigned i;

	if (evtchn_alloc_unbound(SELF, on_event, &a, &a) != 0 ||
	    evtchn_bind_interdomain(SELF, a, on_event, NULL, &b) != 0) {
		fail("cannot make a loopback channel");
		return;
	}
	for (i = 0; i < NOTIFIES; i++) {
		uint64_t deadline = timer_now_ns() + 1000000000ULL;
		unsigned before = events_seen;

		if (evtchn_notify(b) != 0) {
			fail("evtchn_notify failed");
			return;
		}
		/* Wait for this notification to arrive before the next, so
		 * each one is counted (pending bits coalesce). */
		while (events_seen == before && timer_now_ns() < deadline)
			thread_sleep_ns(100000);
	}
	printf("%s: %u of %u notifications arrived on port %u (sent on %u)\n",
	       NAME, events_seen, NOTIFIES, a, b);
	if (events_seen != NOTIFIES)
		fail("loopback notifications lost");
	evtchn_close(b);
	evtchn_close(a);
}

/* Ask Xen to copy len bytes out of grant ref of domain SELF into dst. */
static int copy_through_grant(gnttab_ref ref, void *dst, unsigned len)
{
	struct gnttab_copy op = { 0 };

	op.source.u.ref = ref;
	op.source.domid = SELF;
	op.dest.u.gmfn = mm_pfn_to_mfn(mm_virt_to_pfn(dst));
	op.dest.domid = DOMID_SELF;
	op.len = (uint16_t)len;
	op.flags = GNTCOPY_source_gref;
	if (hypercall_grant_table_op(GNTTABOP_copy, &op, 1) != 0)
		return -EIO;
	return op.status == GNTST_okay ? 0 : -EACCES;
}

static void test_grant_copy(void)
{
	char *src = page_alloc(0), *dst = page_alloc(0);
	gnttab_ref ref;
	unsigned i;

	for (i = 0; i < 4096; i++)
		src[i] = (char)(i * 7 + 3);
	memset(dst, 0, 4096);
	if (gnttab_grant_page(SELF, src, true, &ref) != 0) {
		fail("grant failed");
		return;
	}
	if (copy_through_grant(ref, dst, 4096) != 0 ||
	    memcmp(src, dst, 4096) != 0)
		fail("Xen could not read the granted page correctly");
	if (gnttab_end_access(ref) != 0)
		fail("revoking an unmapped grant failed");
	if (copy_through_grant(ref, dst, 16) == 0)
		fail("Xen still honoured a revoked grant");
	if (gnttab_end_access(ref) != -EINVAL)
		fail("double revoke was not refused");
	if (gnttab_grant_page(SELF, src + 1, true, &ref) != -EINVAL)
		fail("an unaligned page was granted");
	printf("%s: Xen copied 4096 bytes through grant %u; refused after "
	       "revoke\n",
	       NAME, ref);
	page_free(src, 0);
	page_free(dst, 0);
}

static void test_exhaust_refs(void)
{
	static gnttab_ref refs[40000];
	char *page = page_alloc(0);
	unsigned n = 0, i;
	int rc;

	while (n < 40000 &&
	       (rc = gnttab_grant_page(SELF, page, true, &refs[n])) == 0)
		n++;
	if (rc != -ENOSPC)
		fail("running out of references did not give -ENOSPC");
	if (n != gnttab_refs_total() - GNTTAB_NR_RESERVED_ENTRIES)
		fail("not every reference could be used");
	for (i = 0; i < n; i++)
		if (gnttab_end_access(refs[i]) != 0)
			fail("revoking during the drain failed");
	if (gnttab_refs_in_use() != 0)
		fail("references leaked");
	printf("%s: all %u free references granted, then -ENOSPC, then "
	       "all revoked\n",
	       NAME, n);
	page_free(page, 0);
}

int main(void)
{
	test_loopback();
	test_grant_copy();
	test_exhaust_refs();
	if (fail_reason[0]) {
		printf("TEST FAIL %s: %s\n", NAME, fail_reason);
		return 1;
	}
	printf("TEST PASS %s: %u loopback events, grant read by Xen and "
	       "revoked, %u references cycled\n",
	       NAME, events_seen,
	       gnttab_refs_total() - GNTTAB_NR_RESERVED_ENTRIES);
	return 0;
}
