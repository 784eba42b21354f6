/*
 * Netfront's data path: the two shared rings of drivers/netfront.c's
 * device (xen/include/public/io/netif.h, with io/ring.h for the rings).
 * It owns receiving (posting buffers, consuming and checking responses,
 * calling the rx function), transmitting (netfront_send(), the tx pool,
 * reaping completions), the event handler and the service thread. It
 * does not set the rings up, tear them down or talk to xenstore: that is
 * the control path in drivers/netfront.c, which also describes the
 * driver as a whole. Shared state: drivers/netfront_priv.h.
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
 * Contexts. netfront_event() runs in upcall context and only wakes
 * threads. The service thread consumes both rings and calls the rx
 * function. netfront_send() runs in its caller's thread and reaps tx
 * completions itself when it needs room.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "netfront"
#include "drivers/netfront_priv.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/timer.h"

/* Longest a sender sleeps between looks at the tx ring (see
 * tx_wait_room()). */
#define TX_WAIT_SLICE_NS (10 * MS)

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
void netfront_rx_post(struct netfront_dev *dev, RING_IDX slot)
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
		netfront_rx_post(dev, res.recycle_first + k);
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
void netfront_event(evtchn_port port, void *data)
{
	struct netfront_dev *dev = data;

	(void)port;
	dev->kicked = true;
	(void)wait_queue_wake_one(&dev->kick_wq);
	cond_broadcast(&dev->tx_room);
}

void netfront_kick(struct netfront_dev *dev)
{
	unsigned long flags = critical_enter();

	dev->kicked = true;
	(void)wait_queue_wake_one(&dev->kick_wq);
	critical_exit(flags);
}

void netfront_service_main(void *arg)
{
	struct netfront_dev *dev = arg;

	for (;;) {
		(void)wait_event(&dev->kick_wq, dev->kicked || dev->stopping,
				 0);
		/* A kick after this is served by the pass that follows. */
		dev->kicked = false;
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

/* --- public API: sending --------------------------------------------------
 */

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
