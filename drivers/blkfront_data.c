/*
 * Blkfront's data path: the shared ring of drivers/blkfront.c's device
 * (xen/include/public/io/blkif.h, with io/ring.h for the ring). It owns
 * the blkdev operations (read, write, flush, discard), splitting requests
 * to fit, building direct and indirect ring requests, consuming and
 * checking responses, and the event handler. It does not set the ring
 * up, tear it down or talk to xenstore: that is the control path in
 * drivers/blkfront.c, which also describes the driver as a whole.
 *
 * Memory. Data never goes to the backend from the caller's buffer: it is
 * copied into (writes) or out of (reads) pages of the device's pool,
 * which are granted once per connection and reused, so the backend can
 * keep them mapped (feature-persistent) and callers' buffers need no
 * alignment. A request from above takes one pool page per 4 KiB segment;
 * each ring slot has its own indirect page, used when a ring request has
 * more segments than fit in the slot.
 *
 * Requests. A caller's request is split into pieces of at most max_segs
 * pages; each piece is queued on `pending`, and whenever the ring has
 * room the queue goes onto it, pieces that continue each other on the
 * disk merged into one ring request (up to max_segs segments). The
 * caller's thread then waits; whichever thread next looks at the ring
 * consumes every response there, checked by drivers/blkif_check.c
 * before any field is used, completes the requests they answer (copying
 * read data out to their callers' buffers), dispatches what is queued and
 * wakes the others. So several threads have requests in flight at once,
 * with no service thread in between.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "blkfront"
#include "drivers/blkfront_priv.h"
#include "kernel/critical.h"
#include "kernel/log.h"

/* --- events ----------------------------------------------------------------
 */

void blkfront_event(evtchn_port port, void *data)
{
	struct blkfront_dev *dev = data;

	(void)port;
	dev->event_seq++;
	wait_queue_wake_all(&dev->event_wq);
}

void blkfront_kick(struct blkfront_dev *dev)
{
	/* The event handler moves event_seq too. */
	unsigned long state = critical_enter();

	dev->event_seq++;
	wait_queue_wake_all(&dev->event_wq);
	critical_exit(state);
}

/* --- ids and pages -----------------------------------------------------------
 */

void blkfront_reset_slots(struct blkfront_dev *dev)
{
	unsigned i;

	memset(dev->sent, 0, sizeof(dev->sent));
	memset(dev->out, 0, sizeof(dev->out));
	dev->pending = NULL;
	dev->pending_tail = &dev->pending;
	dev->nfree_ids = 0;
	for (i = dev->ring_size; i-- > 0;)
		dev->free_ids[dev->nfree_ids++] = (uint16_t)i;
	dev->nfree_pages = 0;
	for (i = BLKFRONT_POOL_DATA; i-- > 0;)
		dev->free_pages[dev->nfree_pages++] = (uint16_t)i;
}

/* The indirect page of ring slot id. */
static struct xenshare_page *indirect_page(struct blkfront_dev *dev,
					   unsigned id)
{
	return &dev->pool[BLKFRONT_POOL_DATA + id];
}

/* Copy read data out, give the pages back, set the result, wake the
 * submitter (consume() and blkfront_fail_all() kick). lock held. */
static void finish(struct blkfront_dev *dev, struct blkfront_io *io, int result)
{
	unsigned s;

	for (s = 0; result == 0 && io->op == BLKIF_OP_READ && s < io->nsegs;
	     s++) {
		size_t off = (size_t)s * PAGE_SIZE;
		size_t n =
			io->len - off < PAGE_SIZE ? io->len - off : PAGE_SIZE;

		memcpy((uint8_t *)io->buf + off, dev->pool[io->pages[s]].page,
		       n);
	}
	if (result != 0)
		dev->stats.errors++;
	else if (io->op == BLKIF_OP_READ)
		dev->stats.bytes_read += io->len;
	else if (io->op == BLKIF_OP_WRITE)
		dev->stats.bytes_written += io->len;
	for (s = io->nsegs; s-- > 0;)
		dev->free_pages[dev->nfree_pages++] = io->pages[s];
	io->result = result;
	io->done = true;
}

/* The ring request under id is answered: finish every request merged
 * into it, give the id back. lock held. */
static void complete(struct blkfront_dev *dev, unsigned id, int result)
{
	struct blkfront_io *io = dev->out[id], *next;

	dev->sent[id].in_flight = false;
	dev->out[id] = NULL;
	dev->free_ids[dev->nfree_ids++] = (uint16_t)id;
	for (; io; io = next) {
		next = io->next; /* io belongs to its submitter after */
		finish(dev, io, result);
	}
}

void blkfront_fail_all(struct blkfront_dev *dev, int err)
{
	struct blkfront_io *io, *next;
	unsigned id;

	for (id = 0; id < dev->ring_size; id++)
		if (dev->sent[id].in_flight)
			complete(dev, id, err);
	for (io = dev->pending; io; io = next) {
		next = io->next;
		finish(dev, io, err);
	}
	dev->pending = NULL;
	dev->pending_tail = &dev->pending;
	blkfront_kick(dev);
}

/* --- responses ---------------------------------------------------------------
 */

/* One read of the shared slot: the backend may rewrite it at any time,
 * and the checks must see what we then use. A response is 16 bytes,
 * 16-byte aligned in the ring. */
static void rsp_read(const struct blkfront_dev *dev, RING_IDX i,
		     struct blkif_response *out)
{
	const volatile uint64_t *slot =
		(const volatile uint64_t *)RING_GET_RESPONSE(&dev->ring, i);
	uint64_t raw[2];

	raw[0] = slot[0];
	raw[1] = slot[1];
	memcpy(out, raw, sizeof(*out));
}

static void ring_broken(struct blkfront_dev *dev, RING_IDX prod)
{
	if (!dev->broken)
		log_err("%s: rsp_prod %u with rsp_cons %u, req_prod %u: "
			"ring corrupt, dropping the connection",
			dev->blk.name, prod, dev->ring.rsp_cons,
			dev->ring.req_prod_pvt);
	dev->broken = true;
	dev->stats.ring_errors++;
	/* Nothing on the ring can be trusted: fail what is out; the
	 * control thread reconnects. */
	blkfront_fail_all(dev, -EIO);
}

static void rsp_one(struct blkfront_dev *dev, const struct blkif_response *r)
{
	enum blkif_verdict v = blkif_rsp_check(r, dev->sent, dev->ring_size);

	if (v != BLKIF_V_OKAY) {
		dev->stats.bad_rsp[v]++;
		log_debug("%s: response id %llu op %u status %d: %s",
			  dev->blk.name, (unsigned long long)r->id,
			  r->operation, r->status, blkif_verdict_name(v));
	}
	if (blkif_verdict_releases(v))
		complete(dev, (unsigned)r->id, blkif_verdict_errno(v));
}

/* Consume every response on the ring. lock held, device up. */
static void consume(struct blkfront_dev *dev)
{
	bool any = false;
	int more;

	do {
		RING_IDX prod = dev->ring.sring->rsp_prod;

		/* The backend wrote the responses before rsp_prod (wmb on
		 * its side): read them only after reading it. */
		rmb();
		if (!blkif_ring_rsp_prod_ok(prod, dev->ring.rsp_cons,
					    dev->ring.req_prod_pvt)) {
			ring_broken(dev, prod);
			return;
		}
		while (dev->ring.rsp_cons != prod) {
			struct blkif_response r;

			rsp_read(dev, dev->ring.rsp_cons, &r);
			dev->ring.rsp_cons++;
			rsp_one(dev, &r);
			any = true;
		}
		/* Sets rsp_event so that the next response notifies us,
		 * then looks again: one may have slipped in meanwhile. */
		RING_FINAL_CHECK_FOR_RESPONSES(&dev->ring, more);
	} while (more);
	if (any)
		blkfront_kick(dev); /* other submitters may be done */
}

/* --- requests ----------------------------------------------------------------
 */

static bool usable(const struct blkfront_dev *dev)
{
	return dev->up && !dev->broken;
}

/* Segments of the whole chain starting at io, in order. */
static void fill_segs(struct blkfront_dev *dev, const struct blkfront_io *io,
		      struct blkif_request_segment *seg)
{
	unsigned s, k = 0;

	for (; io; io = io->next) {
		for (s = 0; s < io->nsegs; s++, k++) {
			seg[k].gref = dev->pool[io->pages[s]].ref;
			blkif_seg_sects(io->len, s, &seg[k].first_sect,
					&seg[k].last_sect);
		}
	}
}

/* Put the chain io (nsegs segments in all) on the ring under id. lock
 * held, an id free and the ring not full. */
static void push(struct blkfront_dev *dev, struct blkfront_io *io,
		 unsigned nsegs, unsigned id)
{
	blkif_request_t *req =
		RING_GET_REQUEST(&dev->ring, dev->ring.req_prod_pvt);

	dev->sent[id].in_flight = true;
	dev->sent[id].op = io->op;
	dev->out[id] = io;
	if (io->op == BLKIF_OP_DISCARD) {
		struct blkif_request_discard *d =
			(struct blkif_request_discard *)req;

		memset(d, 0, sizeof(*d));
		d->operation = BLKIF_OP_DISCARD;
		d->handle = (blkif_vdev_t)dev->handle;
		d->id = id;
		d->sector_number = io->sector;
		d->nr_sectors = io->nr_sectors;
	} else if (nsegs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		struct blkif_request_indirect *ind =
			(struct blkif_request_indirect *)req;
		struct xenshare_page *ip = indirect_page(dev, id);

		fill_segs(dev, io, ip->page);
		memset(ind, 0, sizeof(*ind));
		ind->operation = BLKIF_OP_INDIRECT;
		ind->indirect_op = io->op;
		ind->nr_segments = (uint16_t)nsegs;
		ind->id = id;
		ind->sector_number = io->sector;
		ind->handle = (blkif_vdev_t)dev->handle;
		ind->indirect_grefs[0] = ip->ref;
	} else {
		req->operation = io->op;
		req->nr_segments = (uint8_t)nsegs;
		req->handle = (blkif_vdev_t)dev->handle;
		req->id = id;
		req->sector_number = io->sector;
		fill_segs(dev, io, req->seg);
	}
	dev->ring.req_prod_pvt++;
	dev->stats.requests++;
}

/* Can b go on the ring in the same request as a chain ending in a that
 * holds nsegs segments? The rules: blkif_continues(). */
static bool continues(const struct blkfront_dev *dev,
		      const struct blkfront_io *a, const struct blkfront_io *b,
		      unsigned nsegs)
{
	struct blkif_extent ea = { a->op, a->sector, a->len };
	struct blkif_extent eb = { b->op, b->sector, b->len };

	return blkif_continues(&ea, &eb, nsegs, dev->max_segs);
}

/* Take the first pending request and every pending one that continues
 * it (in any order of arrival) off the queue, as one chain. Returns its
 * segment count. lock held, pending not empty. */
static unsigned take_chain(struct blkfront_dev *dev)
{
	struct blkfront_io *head = dev->pending, *tail = head, **pp;
	unsigned nsegs = head->nsegs;
	bool grew = true;

	dev->pending = head->next;
	head->next = NULL;
	while (grew) {
		grew = false;
		for (pp = &dev->pending; *pp; pp = &(*pp)->next) {
			struct blkfront_io *b = *pp;

			if (!continues(dev, tail, b, nsegs))
				continue;
			*pp = b->next;
			b->next = NULL;
			tail->next = b;
			tail = b;
			nsegs += b->nsegs;
			dev->stats.merged++;
			grew = true;
			break;
		}
	}
	/* Rebuild the tail pointer: the removals may have moved it. */
	for (pp = &dev->pending; *pp; pp = &(*pp)->next)
		;
	dev->pending_tail = pp;
	return nsegs;
}

/* Move pending requests to the ring while it has room, merging those
 * that continue each other, and tell the backend. lock held. */
static void dispatch(struct blkfront_dev *dev)
{
	bool pushed = false;
	int notify;

	while (usable(dev) && dev->pending && dev->nfree_ids > 0 &&
	       dev->ring_size - dev->nfree_ids < dev->max_out &&
	       !RING_FULL(&dev->ring)) {
		unsigned id = dev->free_ids[--dev->nfree_ids];
		struct blkfront_io *chain = dev->pending;
		unsigned nsegs = take_chain(dev);

		push(dev, chain, nsegs, id);
		pushed = true;
	}
	if (!pushed)
		return;
	/* The macro orders the requests before req_prod (wmb) and req_prod
	 * before reading req_event (mb). */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&dev->ring, notify);
	if (notify)
		xenring_notify(&dev->xring);
}

/* Sleep (lock released meanwhile) until something happens on the ring;
 * consume and dispatch first: our own responses may be what we wait
 * for. lock held. */
static void wait_ring(struct blkfront_dev *dev)
{
	uint64_t seen = dev->event_seq;

	if (usable(dev)) {
		consume(dev);
		dispatch(dev);
	}
	if (dev->event_seq != seen)
		return;
	mutex_unlock(&dev->lock);
	(void)wait_event(&dev->event_wq, dev->event_seq != seen, 0);
	mutex_lock(&dev->lock);
}

/*
 * Run one request from above: take its pages (waiting for them), copy
 * write data in, queue it, and wait until it is answered, consuming and
 * dispatching meanwhile. Returns the request's result, -EIO if the
 * connection went away while it was out, -ENODEV if there was no
 * connection to begin with.
 */
static int run(struct blkfront_dev *dev, struct blkfront_io *io,
	       const void *wbuf)
{
	unsigned i;

	mutex_lock(&dev->lock);
	if (!dev->up) {
		mutex_unlock(&dev->lock);
		return -ENODEV;
	}
	/* Sized before a reconnection to a backend that takes fewer
	 * segments: the caller splits again. */
	if (io->nsegs > dev->max_segs) {
		mutex_unlock(&dev->lock);
		return -EAGAIN;
	}
	while (usable(dev) && dev->nfree_pages < io->nsegs)
		wait_ring(dev);
	if (!usable(dev)) {
		mutex_unlock(&dev->lock);
		return -EIO;
	}
	for (i = 0; i < io->nsegs; i++) {
		size_t off = (size_t)i * PAGE_SIZE;
		size_t n =
			io->len - off < PAGE_SIZE ? io->len - off : PAGE_SIZE;

		io->pages[i] = dev->free_pages[--dev->nfree_pages];
		if (wbuf)
			memcpy(dev->pool[io->pages[i]].page,
			       (const uint8_t *)wbuf + off, n);
	}
	io->done = false;
	io->next = NULL;
	*dev->pending_tail = io;
	dev->pending_tail = &io->next;
	dev->stats.ios++;
	dispatch(dev);
	while (!io->done)
		wait_ring(dev);
	mutex_unlock(&dev->lock);
	return io->result;
}

static struct blkfront_dev *dev_of(struct blkdev *d)
{
	return d->priv;
}

/* Read or write len bytes at byte offset, in requests of at most
 * max_segs pages each. */
static int rw(struct blkdev *d, uint8_t op, uint64_t offset, uint8_t *rbuf,
	      const uint8_t *wbuf, size_t len)
{
	struct blkfront_dev *dev = dev_of(d);
	struct blkfront_io io;
	size_t done = 0;
	int rc = 0;

	while (rc == 0 && done < len) {
		/* max_segs is read once per request: a reconnection may
		 * change it, and run() checks the connection. */
		size_t max = (size_t)dev->max_segs * PAGE_SIZE;
		size_t n = len - done < max ? len - done : max;

		io.op = op;
		io.sector = (offset + done) / BLKIF_SECTOR;
		io.nr_sectors = 0;
		io.buf = rbuf ? rbuf + done : NULL;
		io.len = n;
		io.nsegs = blkif_segs_for(n);
		rc = run(dev, &io, wbuf ? wbuf + done : NULL);
		if (rc == -EAGAIN) {
			rc = 0; /* max_segs changed: split this part again */
			continue;
		}
		done += n;
	}
	return rc;
}

static int blk_read(struct blkdev *d, uint64_t offset, void *buf, size_t len)
{
	return rw(d, BLKIF_OP_READ, offset, buf, NULL, len);
}

static int blk_write(struct blkdev *d, uint64_t offset, const void *buf,
		     size_t len)
{
	return rw(d, BLKIF_OP_WRITE, offset, NULL, buf, len);
}

static int blk_flush(struct blkdev *d)
{
	struct blkfront_dev *dev = dev_of(d);
	struct blkfront_io io;
	int rc;

	/* A backend that offers neither writes through: nothing to do. */
	if (!dev->flush && !dev->barrier)
		return dev->up ? 0 : -ENODEV;
	memset(&io, 0, sizeof(io));
	io.op = dev->flush ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
	rc = run(dev, &io, NULL);
	if (rc == -EOPNOTSUPP && io.op == BLKIF_OP_FLUSH_DISKCACHE &&
	    dev->barrier) {
		/* blkif.h: the operation may be refused at any time. */
		log_warn("%s: flush refused; using barriers", d->name);
		dev->flush = false;
		io.op = BLKIF_OP_WRITE_BARRIER;
		rc = run(dev, &io, NULL);
	}
	if (rc == 0)
		dev->stats.flushes++;
	return rc;
}

static int blk_discard(struct blkdev *d, uint64_t offset, uint64_t len)
{
	struct blkfront_dev *dev = dev_of(d);
	struct blkfront_io io;
	int rc;

	if (!dev->discard)
		return dev->up ? -EOPNOTSUPP : -ENODEV;
	memset(&io, 0, sizeof(io));
	io.op = BLKIF_OP_DISCARD;
	io.sector = offset / BLKIF_SECTOR;
	io.nr_sectors = len / BLKIF_SECTOR;
	rc = run(dev, &io, NULL);
	if (rc == 0)
		dev->stats.discards++;
	return rc;
}

int blkfront_get_stats(const struct blkdev *d, struct blkfront_stats *out)
{
	if (d->ops != &blkfront_blkdev_ops)
		return -ENODEV;
	/* Counters are 64-bit words written under the device's lock on
	 * our single vCPU: a copy may mix moments, never tear a value. */
	*out = ((const struct blkfront_dev *)d->priv)->stats;
	return 0;
}

const struct blkdev_ops blkfront_blkdev_ops = {
	.read = blk_read,
	.write = blk_write,
	.flush = blk_flush,
	.discard = blk_discard,
};
