/*
 * Netfront: the frontend of a Xen virtual network interface, one queue,
 * rx-copy (xen/include/public/io/netif.h, with io/ring.h for the rings).
 *
 * Xenstore. Reads device/vif/<id>/mac and, from the backend,
 * feature-rx-copy (required), feature-sg (may we send multi-page frames)
 * and feature-split-event-channels. Writes tx-ring-ref, rx-ring-ref,
 * event-channel (or event-channel-tx and -rx), request-rx-copy=1,
 * feature-rx-notify=1, feature-sg=1 (we take multi-slot frames) and
 * feature-no-csum-offload=0, then goes straight to Connected as netback
 * expects. The xenbus helper owns the handshake itself.
 *
 * Memory. The receive ring is always full: 256 one-page buffers, each
 * granted writable to the backend once per connection, the request at
 * ring index i naming buffer i % 256 with id i % 256. Every response is
 * copied out of the ring once and checked by drivers/netif_check.c
 * before any field is used; its frame assembler says which buffers go
 * back, and they go back in ring order, so the request replacing slot i
 * lands at index i + 256 and names the same buffer. Sending copies the
 * frame into pages from a pool of NETFRONT_TX_BUFS, granted read-only
 * once per connection; a page's index is its request id, in flight until
 * the backend answers it.
 *
 * Contexts. The event handler runs in upcall context and only wakes
 * threads. The service thread consumes both rings and calls the rx
 * function. The control thread watches the backend's state and tears
 * down and rebuilds the connection. netfront_send() runs in its
 * caller's thread and reaps tx completions itself when it needs room.
 *
 * Locks. rx_lock covers the rx ring, its buffers and the assembler, and
 * is held while the rx function runs; tx_lock covers the tx ring and its
 * pool. Order: rx_lock, then tx_lock. `up` changes only with both held,
 * so holding either one is enough to read it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86_64/cpu.h"
/* io/ring.h's push and final-check macros use these. */
#define xen_mb() mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()

#define LOG_TAG "netfront"
#include "arch/x86_64/layout.h"
#include "drivers/netfront.h"
#include "drivers/netif_check.h"
#include "drivers/xenbus.h"
#include "drivers/xenring.h"
#include "drivers/xenstore.h"
#include "kernel/fmt.h"
#include "kernel/gnttab.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/sync.h"
#include "kernel/timer.h"

#define MS (1000ull * 1000)

#define NETFRONT_RX_BUFS NETIF_RX_RING_SIZE
/* 128 pages: eight 64 KiB frames or 128 small ones in flight. */
#define NETFRONT_TX_BUFS 128
#define NETFRONT_ID_MAX 16

#define OPEN_TIMEOUT_NS (10000 * MS)
#define CONNECT_TIMEOUT_NS (10000 * MS)
#define CLOSE_TIMEOUT_NS (5000 * MS)
/* How often the control thread looks at its stop flag and at a ring the
 * service thread found corrupt, while it waits for xenstore. */
#define CONTROL_POLL_NS (250 * MS)
/* How often a detached device is looked for without a watch event. */
#define REATTACH_POLL_NS (1000 * MS)
/* Longest a sender sleeps between looks at the tx ring (see
 * tx_wait_room()). */
#define TX_WAIT_SLICE_NS (10 * MS)
#define REVOKE_ROUNDS 50
#define REVOKE_WAIT_NS (100 * MS)
#define CONTROL_STACK (32 * 1024)

_Static_assert(NETIF_PAGE_SIZE == PAGE_SIZE, "ring buffers are one page");
_Static_assert(NETFRONT_TX_BUFS <= NETIF_TX_RING_SIZE,
	       "tx ids must be valid ring ids");
_Static_assert(NETFRONT_RX_DROP_KINDS == NETIF_RX_DROP_COUNT,
	       "netfront_stats.rx_drops has one counter per reason");
_Static_assert(NETIF_RX_RING_SIZE == 256 && NETIF_TX_RING_SIZE == 256,
	       "the usual one-page netif rings");

/* A page shared with the backend. */
struct netfront_buf {
	void *page;
	gnttab_ref ref;
	bool granted;
};

struct netfront_dev {
	char id[NETFRONT_ID_MAX];
	netfront_rx_fn rx_fn;
	void *rx_arg;

	/* Control thread (and open/close) only. */
	struct xenbus_device xb;
	struct xenstore_watch reattach_watch; /* on device/vif/<id> */
	char reattach_token[32];
	bool reattach_watched;
	bool ring_set_up; /* buffers and rings exist */

	/* Per connection, from xenstore. */
	uint8_t mac[6];
	bool backend_sg, split_evtchn;

	bool up;     /* connected: both locks held to change */
	bool broken; /* a ring is corrupt: the control thread drops it */
	bool stopping;

	struct xenring tx_ring, rx_ring;
	const struct xenring *rx_kick; /* the channel rx requests go on */

	struct mutex rx_lock;
	struct netif_rx_front_ring rx;
	struct netif_rx_asm rx_asm;
	struct netfront_buf rx_bufs[NETFRONT_RX_BUFS];

	struct mutex tx_lock;
	struct cond tx_room; /* signalled when tx completions may exist */
	struct netif_tx_front_ring tx;
	struct netfront_buf tx_bufs[NETFRONT_TX_BUFS];
	uint64_t tx_inflight[NETIF_TX_BITMAP_WORDS(NETFRONT_TX_BUFS)];
	uint16_t tx_free[NETFRONT_TX_BUFS];
	unsigned tx_nfree;

	/* The service thread sleeps here; the event handler sets kicked. */
	struct wait_queue kick_wq;
	bool kicked;
	struct thread *service, *control;

	struct netfront_stats stats;
};

static bool connected(const struct netfront_dev *dev)
{
	return dev->up && !dev->broken;
}

/* A response producer index that cannot be: nothing on that ring can
 * be trusted any more, so stop using both rings and let the control
 * thread drop the connection. */
static void ring_broken(struct netfront_dev *dev, const char *which,
			RING_IDX prod, RING_IDX cons, RING_IDX req)
{
	if (!dev->broken)
		log_err("%s: %s ring: rsp_prod %u with rsp_cons %u, req_prod "
			"%u; dropping the connection",
			dev->xb.node, which, prod, cons, req);
	dev->broken = true;
	dev->stats.ring_errors++;
}

/* --- receive ---------------------------------------------------------------
 */

/* Post the request that takes over slot `slot`'s buffer. */
static void rx_post(struct netfront_dev *dev, RING_IDX slot)
{
	RING_IDX i = dev->rx.req_prod_pvt;
	unsigned id = i & (NETIF_RX_RING_SIZE - 1);
	netif_rx_request_t *req;

	/* Slots come back in ring order (netif_check.h), so the request
	 * replacing slot i is i + RING_SIZE and names the same buffer. */
	ASSERT(id == (slot & (NETIF_RX_RING_SIZE - 1)));
	req = RING_GET_REQUEST(&dev->rx, i);
	req->id = (uint16_t)id;
	req->gref = dev->rx_bufs[id].ref;
	dev->rx.req_prod_pvt = i + 1;
}

static void rx_push(struct netfront_dev *dev)
{
	int notify;

	/* The macro orders the requests before req_prod (wmb) and
	 * req_prod before reading req_event (mb). */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&dev->rx, notify);
	if (notify)
		xenring_notify(dev->rx_kick);
}

/* One read of the shared slot: the backend may rewrite it at any time,
 * and the checks must see what we then use. Slots are 8 bytes, 8-byte
 * aligned (the ring header is 64 bytes). */
static void rx_read(const struct netfront_dev *dev, RING_IDX i,
		    struct netif_rx_response *out)
{
	const volatile uint64_t *slot =
		(const volatile uint64_t *)RING_GET_RESPONSE(&dev->rx, i);
	uint64_t raw = *slot;

	memcpy(out, &raw, sizeof(*out));
}

static void rx_deliver(struct netfront_dev *dev,
		       const struct netif_rx_result *res)
{
	struct netfront_frag frags[NETIF_RX_MAX_SLOTS];
	unsigned flags = 0, i;

	for (i = 0; i < res->nfrags; i++) {
		const struct netif_rx_frag *f = &res->frags[i];
		uint8_t *page =
			dev->rx_bufs[f->slot & (NETIF_RX_RING_SIZE - 1)].page;

		/* Checked: offset + len <= PAGE_SIZE. */
		frags[i].data = page + f->offset;
		frags[i].len = f->len;
	}
	if (res->flags & NETRXF_data_validated)
		flags |= NETFRONT_RX_DATA_VALIDATED;
	if (res->flags & NETRXF_csum_blank)
		flags |= NETFRONT_RX_CSUM_BLANK | NETFRONT_RX_DATA_VALIDATED;
	dev->stats.rx_frames++;
	dev->stats.rx_bytes += res->len;
	dev->rx_fn(dev->rx_arg, frags, res->nfrags, flags);
}

static void rx_one(struct netfront_dev *dev)
{
	RING_IDX i = dev->rx.rsp_cons;
	struct netif_rx_response rsp;
	struct netif_rx_result res;
	enum netif_rx_verdict v;
	unsigned k;

	rx_read(dev, i, &rsp);
	dev->rx.rsp_cons = i + 1;
	v = netif_rx_asm_feed(&dev->rx_asm, i, &rsp, &res);
	if (v == NETIF_RX_FRAME) {
		rx_deliver(dev, &res);
	} else if (v == NETIF_RX_DROP) {
		dev->stats.rx_drops[res.reason]++;
		log_debug("%s: rx frame ending at slot %u dropped: %s",
			  dev->xb.node, i, netif_rx_drop_name(res.reason));
	}
	/* Only after delivery: the rx function read these buffers. */
	for (k = 0; k < res.recycle_count; k++)
		rx_post(dev, res.recycle_first + k);
}

/* Consume rx responses until the ring is empty. rx_lock held. */
static void rx_process(struct netfront_dev *dev)
{
	int more;

	do {
		RING_IDX prod = dev->rx.sring->rsp_prod;

		/* The backend wrote the responses before rsp_prod (wmb on
		 * its side): read them only after reading it. */
		rmb();
		/* req_prod_pvt == the published req_prod here: every
		 * batch is pushed before the next read of rsp_prod. */
		if (!netif_ring_rsp_prod_ok(prod, dev->rx.rsp_cons,
					    dev->rx.req_prod_pvt)) {
			ring_broken(dev, "rx", prod, dev->rx.rsp_cons,
				    dev->rx.req_prod_pvt);
			return;
		}
		while (dev->rx.rsp_cons != prod && connected(dev))
			rx_one(dev);
		rx_push(dev);
		/* Sets rsp_event so that the next response notifies us,
		 * then looks again: one may have slipped in meanwhile. */
		RING_FINAL_CHECK_FOR_RESPONSES(&dev->rx, more);
	} while (more && connected(dev));
}

/* --- transmit --------------------------------------------------------------
 */

/* A tx slot is 12 bytes (the request); the response is its first 4. */
static void tx_read(const struct netfront_dev *dev, RING_IDX i,
		    struct netif_tx_response *out)
{
	const volatile uint32_t *slot =
		(const volatile uint32_t *)RING_GET_RESPONSE(&dev->tx, i);
	uint32_t raw = *slot;

	memcpy(out, &raw, sizeof(*out));
}

/* Account for one completion; true if it freed a page. */
static bool tx_complete(struct netfront_dev *dev,
			const struct netif_tx_response *rsp)
{
	enum netif_tx_verdict v =
		netif_tx_check(rsp, dev->tx_inflight, NETFRONT_TX_BUFS);

	switch (v) {
	case NETIF_TX_OKAY:
		break;
	case NETIF_TX_ERROR:
		dev->stats.tx_errors++;
		break;
	case NETIF_TX_DROPPED:
		dev->stats.tx_dropped++;
		break;
	case NETIF_TX_BAD_STATUS:
		dev->stats.tx_bad_status++;
		break;
	case NETIF_TX_NULL:
		/* We never send extra-info slots, so nothing should be
		 * answered with NULL; harmless to skip. */
		dev->stats.tx_null++;
		break;
	case NETIF_TX_BAD_ID:
		dev->stats.tx_bad_id++;
		break;
	case NETIF_TX_NOT_IN_FLIGHT:
		dev->stats.tx_not_in_flight++;
		break;
	}
	if (!netif_tx_releases(v))
		return false;
	netif_tx_set(dev->tx_inflight, rsp->id, false);
	dev->tx_free[dev->tx_nfree++] = rsp->id;
	return true;
}

/* Take every tx completion. tx_lock held. */
static void tx_reap(struct netfront_dev *dev)
{
	bool freed = false;
	int more;

	do {
		RING_IDX prod = dev->tx.sring->rsp_prod;

		rmb(); /* as in rx_process() */
		if (!netif_ring_rsp_prod_ok(prod, dev->tx.rsp_cons,
					    dev->tx.req_prod_pvt)) {
			ring_broken(dev, "tx", prod, dev->tx.rsp_cons,
				    dev->tx.req_prod_pvt);
			break;
		}
		while (dev->tx.rsp_cons != prod) {
			struct netif_tx_response rsp;

			tx_read(dev, dev->tx.rsp_cons, &rsp);
			dev->tx.rsp_cons++;
			freed |= tx_complete(dev, &rsp);
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&dev->tx, more);
	} while (more);
	if (freed)
		cond_broadcast(&dev->tx_room);
}

/* Wait, with tx_lock held, until slots pages and ring slots are free. */
static int tx_wait_room(struct netfront_dev *dev, unsigned slots,
			unsigned flags)
{
	uint64_t deadline = timer_now_ns() + NETFRONT_TX_WAIT_NS;

	for (;;) {
		uint64_t now;

		if (!connected(dev))
			return -ENETDOWN;
		if (slots > 1 && !dev->backend_sg)
			return -EMSGSIZE;
		tx_reap(dev);
		if (dev->tx_nfree >= slots &&
		    RING_FREE_REQUESTS(&dev->tx) >= slots)
			return 0;
		if (flags & NETFRONT_TX_NOWAIT)
			return -EAGAIN;
		now = timer_now_ns();
		if (now >= deadline)
			return -ENOBUFS;
		/* The event handler broadcasts tx_room, but it may fire
		 * between tx_reap() and this wait; when the sender is the
		 * rx function no service thread reaps for us either. So
		 * sleep in short slices and look again. */
		(void)cond_wait_until(&dev->tx_room, &dev->tx_lock,
				      now + TX_WAIT_SLICE_NS < deadline
					      ? now + TX_WAIT_SLICE_NS
					      : deadline);
	}
}

/* Copy n bytes of the frame, continuing at frags[*fi] + *fo. */
static void gather(uint8_t *dst, size_t n, const struct netfront_frag *frags,
		   unsigned *fi, size_t *fo)
{
	while (n > 0) {
		const struct netfront_frag *f = &frags[*fi];
		size_t take = f->len - *fo;

		if (take > n)
			take = n;
		memcpy(dst, (const uint8_t *)f->data + *fo, take);
		dst += take;
		n -= take;
		*fo += take;
		if (*fo == f->len) {
			(*fi)++;
			*fo = 0;
		}
	}
}

/* Fill one request per page and publish them. tx_lock held, room
 * checked. */
static void tx_queue(struct netfront_dev *dev,
		     const struct netfront_frag *frags, uint32_t len,
		     unsigned slots, unsigned flags)
{
	uint16_t csum = (flags & NETFRONT_TX_CSUM_BLANK)
				? NETTXF_csum_blank | NETTXF_data_validated
				: 0;
	unsigned s, fi = 0;
	size_t fo = 0;
	int notify;

	for (s = 0; s < slots; s++) {
		uint16_t id = dev->tx_free[--dev->tx_nfree];
		uint32_t chunk = len - s * NETIF_PAGE_SIZE;
		netif_tx_request_t *req;

		if (chunk > NETIF_PAGE_SIZE)
			chunk = NETIF_PAGE_SIZE;
		gather(dev->tx_bufs[id].page, chunk, frags, &fi, &fo);
		req = RING_GET_REQUEST(&dev->tx, dev->tx.req_prod_pvt);
		req->gref = dev->tx_bufs[id].ref;
		req->offset = 0;
		req->id = id;
		req->size = netif_tx_req_size(len, s);
		req->flags = (s == 0 ? csum : 0) |
			     (s + 1 < slots ? NETTXF_more_data : 0);
		dev->tx.req_prod_pvt++;
		netif_tx_set(dev->tx_inflight, id, true);
	}
	/* Page contents and requests before req_prod: the macro's wmb. */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&dev->tx, notify);
	if (notify)
		xenring_notify(&dev->tx_ring);
	dev->stats.tx_frames++;
	dev->stats.tx_bytes += len;
}

/* --- events and the service thread -----------------------------------------
 */

/* Upcall context: wake the service thread, and any sender waiting for
 * room (it reaps completions itself). */
static void netfront_event(evtchn_port port, void *data)
{
	struct netfront_dev *dev = data;

	(void)port;
	dev->kicked = true;
	(void)wait_queue_wake_one(&dev->kick_wq);
	cond_broadcast(&dev->tx_room);
}

static void kick(struct netfront_dev *dev)
{
	unsigned long flags = arch_irq_save();

	dev->kicked = true;
	(void)wait_queue_wake_one(&dev->kick_wq);
	arch_irq_restore(flags);
}

static void service_main(void *arg)
{
	struct netfront_dev *dev = arg;

	for (;;) {
		/* Test and sleep with events masked, so a kick between the
		 * test and the sleep is not lost. */
		unsigned long flags = arch_irq_save();

		while (!dev->kicked && !dev->stopping)
			(void)wait_queue_wait(&dev->kick_wq, 0);
		dev->kicked = false;
		arch_irq_restore(flags);
		if (dev->stopping)
			return;
		mutex_lock(&dev->rx_lock);
		if (connected(dev)) {
			mutex_lock(&dev->tx_lock);
			tx_reap(dev);
			mutex_unlock(&dev->tx_lock);
		}
		if (connected(dev))
			rx_process(dev);
		mutex_unlock(&dev->rx_lock);
	}
}

/* --- connect and disconnect ------------------------------------------------
 */

static int grant_bufs(struct netfront_buf *bufs, unsigned n, uint16_t domid,
		      bool readonly)
{
	unsigned i;
	int rc;

	for (i = 0; i < n; i++) {
		bufs[i].page = page_alloc(0);
		if (!bufs[i].page) {
			page_alloc_report_oom("netfront buffer", PAGE_SIZE);
			return -ENOMEM;
		}
		memset(bufs[i].page, 0, PAGE_SIZE);
		rc = gnttab_grant_page(domid, bufs[i].page, readonly,
				       &bufs[i].ref);
		if (rc != 0)
			return rc;
		bufs[i].granted = true;
	}
	return 0;
}

/* Revoke and free whatever grant_bufs() set up. A page the backend still
 * maps after a few seconds is leaked rather than reused under it. */
static void release_bufs(struct netfront_buf *bufs, unsigned n)
{
	unsigned i, round, busy = 0;

	for (round = 0; round < REVOKE_ROUNDS; round++) {
		busy = 0;
		for (i = 0; i < n; i++) {
			if (bufs[i].granted &&
			    gnttab_end_access(bufs[i].ref) == -EBUSY) {
				busy++;
				continue;
			}
			bufs[i].granted = false;
			if (bufs[i].page)
				page_free(bufs[i].page, 0);
			bufs[i].page = NULL;
		}
		if (busy == 0)
			return;
		thread_sleep_ns(REVOKE_WAIT_NS);
	}
	log_err("backend still maps %u buffer pages; leaking them", busy);
	for (i = 0; i < n; i++)
		if (bufs[i].granted)
			bufs[i] = (struct netfront_buf){ 0 };
}

/* Undo setup_rings(), whatever part of it was done. The backend must have
 * let go (xenbus_close()) or been told nothing yet. */
static void release_rings(struct netfront_dev *dev)
{
	xenring_teardown(&dev->rx_ring);
	xenring_teardown(&dev->tx_ring);
	release_bufs(dev->rx_bufs, NETFRONT_RX_BUFS);
	release_bufs(dev->tx_bufs, NETFRONT_TX_BUFS);
	netif_rx_asm_init(&dev->rx_asm);
	memset(dev->tx_inflight, 0, sizeof(dev->tx_inflight));
	dev->tx_nfree = 0;
	dev->ring_set_up = false;
}

static int setup_rings(struct netfront_dev *dev)
{
	uint16_t domid = dev->xb.backend_id;
	unsigned i;
	int rc;

	dev->ring_set_up = true; /* from here on release_rings() undoes */
	rc = grant_bufs(dev->rx_bufs, NETFRONT_RX_BUFS, domid, false);
	if (rc == 0)
		rc = grant_bufs(dev->tx_bufs, NETFRONT_TX_BUFS, domid, true);
	if (rc == 0)
		rc = xenring_setup(&dev->tx_ring, domid, netfront_event, dev);
	if (rc == 0)
		rc = xenring_setup(&dev->rx_ring, domid, netfront_event, dev);
	if (rc != 0)
		return rc;
	SHARED_RING_INIT((struct netif_tx_sring *)dev->tx_ring.page);
	FRONT_RING_INIT(&dev->tx, (struct netif_tx_sring *)dev->tx_ring.page,
			PAGE_SIZE);
	SHARED_RING_INIT((struct netif_rx_sring *)dev->rx_ring.page);
	FRONT_RING_INIT(&dev->rx, (struct netif_rx_sring *)dev->rx_ring.page,
			PAGE_SIZE);
	dev->rx_kick = dev->split_evtchn ? &dev->rx_ring : &dev->tx_ring;
	netif_rx_asm_init(&dev->rx_asm);
	for (i = 0; i < NETFRONT_TX_BUFS; i++)
		dev->tx_free[i] = (uint16_t)(NETFRONT_TX_BUFS - 1 - i);
	dev->tx_nfree = NETFRONT_TX_BUFS;
	memset(dev->tx_inflight, 0, sizeof(dev->tx_inflight));
	/* Fill the receive ring before the backend looks at it. */
	for (i = 0; i < NETFRONT_RX_BUFS; i++)
		rx_post(dev, dev->rx.req_prod_pvt);
	dev->rx.sring->req_prod = dev->rx.req_prod_pvt;
	return 0;
}

static int read_features(struct netfront_dev *dev)
{
	uint64_t copy, sg, split;
	int rc;

	rc = xenbus_read_backend_uint(&dev->xb, "feature-rx-copy", 0, &copy);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-sg", 0, &sg);
	if (rc == 0)
		rc = xenbus_read_backend_uint(
			&dev->xb, "feature-split-event-channels", 0, &split);
	if (rc != 0)
		return rc;
	if (copy != 1) {
		log_err("%s: backend lacks feature-rx-copy", dev->xb.node);
		return -ENOTSUP;
	}
	dev->backend_sg = sg == 1;
	dev->split_evtchn = split == 1;
	return 0;
}

static int read_mac(struct netfront_dev *dev)
{
	char path[XENBUS_PATH_MAX], value[32];
	int rc;

	if (fmt_snprintf(path, sizeof(path), "%s/mac", dev->xb.node) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = xenstore_read(XENSTORE_TX_NONE, path, value, sizeof(value));
	if (rc == 0)
		rc = netif_parse_mac(value, dev->mac);
	if (rc != 0)
		log_err("%s: no valid mac (%d)", dev->xb.node, rc);
	return rc;
}

static void set_key(struct xenbus_key *k, const char *name, unsigned value)
{
	k->name = name;
	fmt_snprintf(k->value, sizeof(k->value), "%u", value);
}

static int write_keys_and_connect(struct netfront_dev *dev)
{
	struct xenbus_key keys[8];
	size_t n = 0;
	int rc;

	set_key(&keys[n++], "tx-ring-ref", dev->tx_ring.ref);
	set_key(&keys[n++], "rx-ring-ref", dev->rx_ring.ref);
	if (dev->split_evtchn) {
		set_key(&keys[n++], "event-channel-tx", dev->tx_ring.port);
		set_key(&keys[n++], "event-channel-rx", dev->rx_ring.port);
	} else {
		/* One channel for both rings; the rx ring's own channel
		 * stays unused. */
		set_key(&keys[n++], "event-channel", dev->tx_ring.port);
	}
	set_key(&keys[n++], "request-rx-copy", 1);
	set_key(&keys[n++], "feature-rx-notify", 1);
	set_key(&keys[n++], "feature-sg", 1);
	set_key(&keys[n++], "feature-no-csum-offload", 0);
	/* Netback reads the keys when we reach Connected. xenbus_connect()
	 * currently returns the backend's state (positive) when asked to
	 * go straight to Connected: only a negative value is an error. */
	rc = xenbus_connect(&dev->xb, keys, n, XenbusStateConnected,
			    timer_now_ns() + CONNECT_TIMEOUT_NS);
	return rc < 0 ? rc : 0;
}

/* Open the device, set everything up and connect. On failure nothing is
 * left: no watch, no grant, no page. Control thread or open. */
static int connect_dev(struct netfront_dev *dev)
{
	int rc = xenbus_open(&dev->xb, "vif", dev->id,
			     timer_now_ns() + OPEN_TIMEOUT_NS);

	if (rc != 0)
		return rc;
	rc = read_features(dev);
	if (rc == 0)
		rc = read_mac(dev);
	/* No lock needed: while `up` is false nobody else touches the
	 * rings, and holding the locks through the handshake would stall
	 * senders for seconds instead of failing them at once. */
	if (rc == 0)
		rc = setup_rings(dev);
	if (rc == 0)
		rc = write_keys_and_connect(dev);
	if (rc == 0) {
		mutex_lock(&dev->rx_lock);
		mutex_lock(&dev->tx_lock);
		dev->broken = false;
		dev->up = true;
		mutex_unlock(&dev->tx_lock);
		mutex_unlock(&dev->rx_lock);
	}
	if (rc == 0) {
		/* Responses that came before `up` are waiting. */
		kick(dev);
		log_info("%s: connected, mac %02x:%02x:%02x:%02x:%02x:%02x, "
			 "sg %s, %s event channels",
			 dev->xb.node, dev->mac[0], dev->mac[1], dev->mac[2],
			 dev->mac[3], dev->mac[4], dev->mac[5],
			 dev->backend_sg ? "on" : "off",
			 dev->split_evtchn ? "split" : "one");
		return 0;
	}
	/* Close before revoking: the backend may have mapped the rings. */
	(void)xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	if (dev->ring_set_up)
		release_rings(dev);
	return rc;
}

/* Stop using the rings, close the handshake, revoke and free. Control
 * thread or close. */
static int disconnect_dev(struct netfront_dev *dev)
{
	int rc;

	/* After this no thread touches the rings: the service thread and
	 * senders look at `up` under one of the locks, and whoever saw it
	 * true has let go of that lock by the time we hold both. */
	mutex_lock(&dev->rx_lock);
	mutex_lock(&dev->tx_lock);
	dev->up = false;
	cond_broadcast(&dev->tx_room);
	mutex_unlock(&dev->tx_lock);
	mutex_unlock(&dev->rx_lock);
	rc = xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	release_rings(dev);
	dev->stats.disconnects++;
	return rc;
}

/* --- the control thread: follow the backend --------------------------------
 */

/* Connected: wait for the backend to leave Connected or a ring to break,
 * then disconnect. */
static void control_connected(struct netfront_dev *dev)
{
	int state =
		xenbus_wait_backend_change(&dev->xb, XenbusStateConnected,
					   timer_now_ns() + CONTROL_POLL_NS);

	if (state == -ETIMEDOUT || state == XenbusStateConnected) {
		if (!dev->broken)
			return;
	} else if (state < 0 && state != -ENOENT) {
		/* Xenstore trouble, not the backend: look again later. */
		log_warn("%s: reading backend state failed (%d)", dev->xb.node,
			 state);
		thread_sleep_ns(CONTROL_POLL_NS);
		return;
	} else {
		log_info("%s: backend state %d: disconnecting", dev->xb.node,
			 state);
	}
	(void)disconnect_dev(dev);
}

/* Is there a backend waiting for us (InitWait)? Looked at before
 * xenbus_open(), which would otherwise wait and complain each time. */
static bool backend_waiting(const struct netfront_dev *dev)
{
	char path[XENBUS_PATH_MAX], backend[XENBUS_PATH_MAX];
	uint64_t state;

	if (fmt_snprintf(path, sizeof(path), "device/vif/%s/backend",
			 dev->id) >= (int)sizeof(path))
		return false;
	if (xenstore_read(XENSTORE_TX_NONE, path, backend, sizeof(backend)) !=
	    0)
		return false;
	/* xenbus_open() checks the path properly; this only reads. */
	if (fmt_snprintf(path, sizeof(path), "%s/state", backend) >=
	    (int)sizeof(path))
		return false;
	return xenstore_read_uint(XENSTORE_TX_NONE, path, &state) == 0 &&
	       state == XenbusStateInitWait;
}

/* Disconnected: wait for the toolstack to create the device again (xl
 * network-attach writes device/vif/<id> anew) and reconnect. */
static void control_detached(struct netfront_dev *dev)
{
	char path[XENBUS_PATH_MAX], fired[XENSTORE_WATCH_PATH_MAX];
	int rc;

	if (!dev->reattach_watched) {
		fmt_snprintf(path, sizeof(path), "device/vif/%s", dev->id);
		rc = xenstore_watch(path, dev->reattach_token,
				    &dev->reattach_watch);
		if (rc != 0) {
			log_warn("cannot watch %s (%d); polling", path, rc);
			thread_sleep_ns(REATTACH_POLL_NS);
		}
		dev->reattach_watched = rc == 0;
	}
	if (backend_waiting(dev)) {
		rc = connect_dev(dev);
		if (rc == 0) {
			dev->stats.reconnects++;
			return;
		}
		log_warn("device/vif/%s: reconnecting failed (%d)", dev->id,
			 rc);
	}
	if (dev->reattach_watched)
		(void)xenstore_watch_wait(&dev->reattach_watch,
					  timer_now_ns() + REATTACH_POLL_NS,
					  fired, sizeof(fired));
	else
		thread_sleep_ns(REATTACH_POLL_NS);
}

static void control_main(void *arg)
{
	struct netfront_dev *dev = arg;

	while (!dev->stopping) {
		if (dev->up)
			control_connected(dev);
		else
			control_detached(dev);
	}
	if (dev->reattach_watched)
		(void)xenstore_unwatch(&dev->reattach_watch);
	dev->reattach_watched = false;
}

/* --- public API ------------------------------------------------------------
 */

/* Is id one of the vifs listed (id NULL: take the first)? */
static int find_vif(const char *id, char out[NETFRONT_ID_MAX])
{
	char ids[256];
	const char *p;
	size_t count;
	int rc = xenbus_list_devices("vif", ids, sizeof(ids), &count);

	if (rc != 0)
		return rc;
	for (p = ids; count--; p += strlen(p) + 1) {
		if (id && strcmp(p, id) != 0)
			continue;
		if (strlen(p) >= NETFRONT_ID_MAX)
			return -EINVAL;
		memcpy(out, p, strlen(p) + 1);
		return 0;
	}
	return -ENOENT;
}

static void free_dev(struct netfront_dev *dev)
{
	page_free(dev, page_order_for(sizeof(*dev)));
}

int netfront_open(const char *id, struct netfront_dev **out, netfront_rx_fn rx,
		  void *rx_arg)
{
	struct netfront_dev *dev;
	int rc;

	if (!out || !rx || (id && strlen(id) >= NETFRONT_ID_MAX))
		return -EINVAL;
	dev = page_alloc(page_order_for(sizeof(*dev)));
	if (!dev)
		return -ENOMEM;
	memset(dev, 0, sizeof(*dev));
	rc = find_vif(id, dev->id);
	if (rc != 0)
		goto err_free;
	dev->rx_fn = rx;
	dev->rx_arg = rx_arg;
	mutex_init(&dev->rx_lock, false);
	mutex_init(&dev->tx_lock, false);
	cond_init(&dev->tx_room);
	fmt_snprintf(dev->reattach_token, sizeof(dev->reattach_token),
		     "fe:vif:%s", dev->id);
	rc = connect_dev(dev);
	if (rc != 0)
		goto err_free;
	/* The rx function runs on this stack: the default size. */
	dev->service = thread_create("netfront", service_main, dev, 0);
	if (!dev->service) {
		rc = -ENOMEM;
		goto err_disconnect;
	}
	dev->control =
		thread_create("netfront-ctl", control_main, dev, CONTROL_STACK);
	if (!dev->control) {
		rc = -ENOMEM;
		goto err_stop_service;
	}
	*out = dev;
	return 0;

err_stop_service:
	dev->stopping = true;
	kick(dev);
	(void)thread_join(dev->service);
err_disconnect:
	(void)disconnect_dev(dev);
err_free:
	free_dev(dev);
	return rc;
}

int netfront_send(struct netfront_dev *dev, const struct netfront_frag *frags,
		  unsigned n, unsigned flags)
{
	uint32_t len = 0;
	unsigned i;
	int rc;

	if (!dev || (n > 0 && !frags) ||
	    (flags & ~(NETFRONT_TX_CSUM_BLANK | NETFRONT_TX_NOWAIT)))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!frags[i].data && frags[i].len > 0)
			return -EINVAL;
		/* Each piece is bounded first, so the sum cannot wrap. */
		if (frags[i].len > NETIF_TX_FRAME_MAX ||
		    len + frags[i].len > NETIF_TX_FRAME_MAX)
			return -EMSGSIZE;
		len += (uint32_t)frags[i].len;
	}
	/* Netback refuses anything shorter than an Ethernet header. */
	if (len < NETIF_ETH_HLEN)
		return -EMSGSIZE;
	mutex_lock(&dev->tx_lock);
	rc = tx_wait_room(dev, netif_tx_slots(len), flags);
	if (rc == 0)
		tx_queue(dev, frags, len, netif_tx_slots(len), flags);
	mutex_unlock(&dev->tx_lock);
	return rc;
}

void netfront_get_mac(const struct netfront_dev *dev, uint8_t mac[6])
{
	memcpy(mac, dev->mac, sizeof(dev->mac));
}

void netfront_get_stats(const struct netfront_dev *dev,
			struct netfront_stats *out)
{
	/* Counters are 64-bit words written by one thread at a time on our
	 * single vCPU: a copy may mix moments, never tear a value. */
	*out = dev->stats;
}

const char *netfront_rx_drop_name(unsigned i)
{
	return netif_rx_drop_name(i);
}

int netfront_close(struct netfront_dev *dev)
{
	int rc = 0;

	dev->stopping = true;
	kick(dev);
	/* The control thread sees the flag within CONTROL_POLL_NS or
	 * REATTACH_POLL_NS (plus any connect it is in the middle of). */
	(void)thread_join(dev->control);
	(void)thread_join(dev->service);
	if (dev->up)
		rc = disconnect_dev(dev);
	log_info("device/vif/%s: closed", dev->id);
	free_dev(dev);
	return rc;
}
