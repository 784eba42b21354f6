/*
 * The xenstore client (contracts in drivers/xenstore.h): request ids, one
 * request in flight, the reader thread, watches. The bytes on the wire
 * are drivers/xs_wire.c's job; this file owns threads and waiting.
 *
 * Threading model.
 *  - The event-channel handler (upcall context) only wakes threads: the
 *    reader thread (bytes in rsp[]) and a requester waiting for space in
 *    req[]. It never touches the ring.
 *  - One detached thread, "xenstore", is the only consumer of rsp[]. It
 *    reassembles messages, matches replies to the pending request by
 *    request id and queues watch events on their watch. Doing this in a
 *    thread rather than in the handler keeps upcalls short whatever the
 *    message size (a 4 KiB copy plus a token lookup), lets the reader log
 *    freely, and means rsp[] is drained even while every requester is
 *    asleep: xenstored can never block on a full rsp[] because of us.
 *  - Requests go out one at a time: req_lock is held from encoding until
 *    the reply is decoded. xenstored serves a connection's requests in
 *    order anyway, so pipelining would only save ring latency, while one
 *    pending slot makes matching trivial (anything else is stray) and
 *    bounds memory to one request and one reply buffer. Request ids still
 *    increase, so a late reply to an abandoned request is recognised.
 *
 * Locking: one vCPU, so masking events (critical_enter) makes a section
 * atomic against the handler and against preemption. The pending slot,
 * the broken flag and the watch list (with each watch's queue) are only
 * touched masked; sections stay short (at most one payload copy).
 *
 * Races handled on purpose:
 *  - A reply can arrive before its requester sleeps: the pending slot is
 *    filled before the request is written, and the requester checks
 *    "done" under the mask before each wait (wait_queue_wait contract).
 *  - Watch events interleave freely with replies (also in the middle of a
 *    transaction): the reader dispatches them without req_lock, so a
 *    thread blocked in a request never delays them and vice versa.
 *  - A new watch is linked before XS_WATCH is sent, because xenstored may
 *    send the initial event before (or right after) the reply.
 *
 * Not handled: xenstored restarting or the ring's reconnect protocol
 * (XENSTORE_SERVER_FEATURE_RECONNECTION), suspend/resume, and timeouts on
 * requests (a silent xenstored blocks requesters forever).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#define LOG_TAG "xenstore"
#include "drivers/xenstore.h"
#include "drivers/xs_wire.h"
#include "kernel/evtchn.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

/* Upper bound on directory entries: each takes at least two bytes. */
#define DIR_ENTRIES_MAX (XENSTORE_PAYLOAD_MAX / 2)

/* The request in flight (at most one: req_lock). */
struct xs_pending {
	bool active;	 /* a request is out and not yet answered */
	bool done;	 /* reply copied into reply_*, or err set */
	uint32_t req_id; /* what its reply must carry */
	int err;	 /* -EIO when the connection failed under it */
};

static struct xenstore_state {
	struct xenstore_domain_interface *ring;
	evtchn_port port;
	bool ready;  /* requests may be sent */
	bool broken; /* ring indexes corrupt: everything fails with -EIO */
	bool stop;   /* xenstore_init() failed: the reader must exit */
	struct mutex req_lock;
	struct wait_queue space_wq; /* a requester waiting for req[] space */
	struct wait_queue rsp_wq;   /* the reader waiting for rsp[] bytes */
	struct wait_queue reply_wq; /* a requester waiting for its reply */
	uint32_t next_req_id;
	struct xs_pending pend;
	struct xsd_sockmsg reply_hdr;
	char reply_body[XENSTORE_PAYLOAD_MAX + 1];
	char req_buf[XS_WIRE_MSG_MAX]; /* under req_lock */
	struct xs_wire_reader rd;      /* the reader thread's alone */
	struct xenstore_watch *watches;
	struct xenstore_stats stats;
} xs;

/* --- event handler -------------------------------------------------------- */

/* Upcall context: xenstored produced replies or consumed requests (one
 * notification covers both), so wake whoever waits on either. */
static void xs_event(evtchn_port port, void *data)
{
	(void)port;
	(void)data;
	wait_queue_wake_all(&xs.rsp_wq);
	wait_queue_wake_all(&xs.space_wq);
}

static void notify(void)
{
	int rc = evtchn_notify(xs.port);

	/* Our own port from start_info: failing means Xen considers it
	 * closed, and the next wait will show the connection is dead. */
	if (rc < 0)
		log_err("cannot notify event channel %u: %d", xs.port, rc);
}

/* --- failure paths (reader thread or requester) --------------------------- */

/* End the pending request, if any, with err. Any context. */
static void fail_pending(int err)
{
	unsigned long flags = critical_enter();

	if (xs.pend.active && !xs.pend.done) {
		xs.pend.done = true;
		xs.pend.err = err;
		(void)wait_queue_wake_one(&xs.reply_wq);
	}
	critical_exit(flags);
}

/* The ring is unusable: fail the request in flight and every later one. */
static void fail_connection(const char *why)
{
	unsigned long flags = critical_enter();
	bool first = !xs.broken;

	xs.broken = true;
	/* A requester waiting for room and the reader (so it exits) must
	 * both see it. */
	wait_queue_wake_all(&xs.space_wq);
	wait_queue_wake_all(&xs.rsp_wq);
	critical_exit(flags);
	fail_pending(-EIO);
	if (first)
		log_err("connection lost (%s): all requests now fail with EIO",
			why);
}

/* --- reader thread: replies and watch events ---------------------------- */

static void deliver_reply(const struct xsd_sockmsg *h, const char *body)
{
	unsigned long flags = critical_enter();
	bool ours =
		xs.pend.active && !xs.pend.done && h->req_id == xs.pend.req_id;
	uint32_t want = xs.pend.req_id;

	if (ours) {
		xs.reply_hdr = *h;
		memcpy(xs.reply_body, body, h->len + 1);
		xs.pend.done = true;
		xs.pend.err = 0;
		(void)wait_queue_wake_one(&xs.reply_wq);
	} else {
		xs.stats.stray_replies++;
	}
	critical_exit(flags);
	if (!ours)
		log_warn("dropped %s reply with request id %u (pending: %u)",
			 xs_wire_type_name(h->type), h->req_id, want);
}

static struct xenstore_watch *find_watch(const char *token)
{
	struct xenstore_watch *w;

	for (w = xs.watches; w; w = w->next) {
		if (strcmp(w->token, token) == 0)
			return w;
	}
	return NULL;
}

/* Queue path on w, or count it as lost. Events masked. Returns whether
 * this started a loss (worth one log line). */
static bool queue_event(struct xenstore_watch *w, const char *path)
{
	size_t len = strlen(path);
	bool started = false;

	if (w->count == XENSTORE_WATCH_QUEUE ||
	    len >= XENSTORE_WATCH_PATH_MAX) {
		started = !w->lost;
		w->lost = true;
		w->overflows++;
		xs.stats.watch_overflows++;
	} else {
		memcpy(w->events[(w->head + w->count) % XENSTORE_WATCH_QUEUE],
		       path, len + 1);
		w->count++;
	}
	(void)wait_queue_wake_one(&w->waiters);
	return started;
}

static void deliver_watch_event(const struct xsd_sockmsg *h, const char *body)
{
	const char *path, *token;
	struct xenstore_watch *w;
	unsigned long flags;
	bool lost = false;

	if (xs_wire_watch_event_parse(body, h->len, &path, &token) < 0) {
		xs.stats.bad_events++;
		log_warn("dropped malformed watch event (%u bytes)", h->len);
		return;
	}
	flags = critical_enter();
	w = find_watch(token);
	if (w)
		lost = queue_event(w, path);
	else
		xs.stats.unknown_watches++;
	critical_exit(flags);
	if (!w)
		log_warn("dropped event on %s for unknown token %s", path,
			 token);
	else if (lost)
		log_warn("watch %s: events dropped, waiter will be told",
			 token);
}

/* A header that cannot be right: the framing of the byte stream is lost.
 * Drop everything buffered (the rest of the bad message, with luck only
 * that) and fail the request in flight, whose reply may have been in it.
 * If xenstored is still writing the bad message's tail, the next header
 * will be rejected too and we come back here; the stream settles once
 * xenstored goes quiet. */
static void resync(void)
{
	const struct xsd_sockmsg *h = &xs.rd.hdr;
	int dropped;

	xs.stats.resyncs++;
	log_err("corrupt reply header (type %u, id %u, len %u): "
		"resynchronising",
		h->type, h->req_id, h->len);
	dropped = xs_wire_ring_discard(xs.ring);
	xs_wire_reader_reset(&xs.rd);
	fail_pending(-EIO);
	if (dropped < 0)
		fail_connection("response ring indexes");
	else
		log_err("dropped %d buffered bytes, pending request failed",
			dropped);
}

/* Sleep until rsp[] has bytes (or they are impossible). Returns false
 * when the thread should exit. */
static bool wait_for_bytes(void)
{
	(void)wait_event(&xs.rsp_wq,
			 xs.stop || xs.broken || xs_wire_rsp_avail(xs.ring) > 0,
			 0);
	return !xs.stop && !xs.broken;
}

static void reader_thread(void *arg)
{
	const struct xsd_sockmsg *h = &xs.rd.hdr;
	int rc;

	(void)arg;
	while (wait_for_bytes()) {
		rc = xs_wire_reader_pull(&xs.rd, xs.ring);
		if (rc == 1) {
			if (h->type == XS_WATCH_EVENT)
				deliver_watch_event(h, xs.rd.body);
			else
				deliver_reply(h, xs.rd.body);
			xs_wire_reader_reset(&xs.rd);
		} else if (rc == -EBADMSG) {
			resync();
		} else if (rc < 0) {
			fail_connection("response ring indexes");
			break;
		}
		/* We consumed bytes: xenstored may be waiting for room. */
		notify();
	}
	log_debug("reader thread exits");
}

/* --- requests ----------------------------------------------------------- */

/* Write all of buf into req[], sleeping while it is full. */
static int send_bytes(const char *buf, size_t len)
{
	int n;

	while (len > 0) {
		n = xs_wire_ring_write(xs.ring, buf, len);
		if (n < 0)
			return n;
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			notify();
			continue;
		}
		(void)wait_event(&xs.space_wq,
				 xs.broken || xs_wire_req_space(xs.ring) > 0,
				 0);
		if (xs.broken)
			return -EIO;
	}
	return 0;
}

/* Mark a request in flight unless the connection is gone. */
static int start_pending(uint32_t req_id)
{
	unsigned long flags = critical_enter();
	int rc = 0;

	/* Checked under the same mask as the slot is filled: a failure
	 * either happened before (we see broken) or will fail the slot. */
	if (xs.broken)
		rc = -EIO;
	else
		xs.pend =
			(struct xs_pending){ .active = true, .req_id = req_id };
	critical_exit(flags);
	return rc;
}

/* Sleep until the reader (or a failure) completes the pending slot;
 * returns its error. */
static int wait_reply(void)
{
	/* Once done, the slot stays as it is until end_pending(). */
	(void)wait_event(&xs.reply_wq, xs.pend.done, 0);
	return xs.pend.err;
}

static void end_pending(void)
{
	unsigned long flags = critical_enter();

	xs.pend.active = false;
	critical_exit(flags);
}

/* Decode a reply's payload into the caller's result, under req_lock. */
typedef int (*xs_decode_fn)(const char *body, uint32_t len, void *arg);

/*
 * Send req (its req_id is filled in here), wait for the reply, check it
 * answers req, and hand its payload to decode (if any). Thread context.
 */
static int xs_call(struct xs_wire_req *req, xs_decode_fn decode, void *arg)
{
	size_t len;
	int rc;

	if (!xs.ready)
		return -ENODEV;
	mutex_lock(&xs.req_lock);
	req->req_id = xs.next_req_id++;
	rc = xs_wire_encode(req, xs.req_buf, sizeof(xs.req_buf), &len);
	if (rc < 0)
		goto out_unlock;
	rc = start_pending(req->req_id);
	if (rc < 0)
		goto out_unlock;
	rc = send_bytes(xs.req_buf, len);
	if (rc < 0) {
		/* Part of a message may be in req[]: the stream is lost. */
		fail_connection("request ring indexes");
		goto out_end;
	}
	rc = wait_reply();
	if (rc < 0)
		goto out_end;
	rc = xs_wire_reply_check(&xs.reply_hdr, xs.reply_body, req->type,
				 req->req_id);
	if (rc == 0 && decode)
		rc = decode(xs.reply_body, xs.reply_hdr.len, arg);
	if (rc == -EBADMSG) {
		xs.stats.bad_replies++;
		log_warn("malformed reply to %s (got %s, %u bytes)",
			 xs_wire_type_name(req->type),
			 xs_wire_type_name(xs.reply_hdr.type),
			 xs.reply_hdr.len);
	}
out_end:
	end_pending();
out_unlock:
	mutex_unlock(&xs.req_lock);
	return rc;
}

/* A request with one string (usually a path) and no data. */
static int xs_call1(uint32_t type, uint32_t tx, const char *s,
		    xs_decode_fn decode, void *arg)
{
	const char *strs[1] = { s };
	struct xs_wire_req req = {
		.type = type, .tx_id = tx, .strs = strs, .nstrs = 1
	};

	return xs_call(&req, decode, arg);
}

/* --- the public calls --------------------------------------------------- */

struct read_result {
	char *buf;
	size_t size;
};

static int decode_read(const char *body, uint32_t len, void *arg)
{
	struct read_result *r = arg;

	return xs_wire_read_value(body, len, r->buf, r->size);
}

int xenstore_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	struct read_result r = { .buf = buf, .size = size };

	if (!buf)
		return -EINVAL;
	return xs_call1(XS_READ, tx, path, decode_read, &r);
}

static int decode_uint(const char *body, uint32_t len, void *arg)
{
	/* A value that is not a number is the caller's surprise, not a
	 * protocol violation: -EINVAL, not -EBADMSG. */
	return xs_wire_parse_uint(body, len, arg);
}

int xenstore_read_uint(uint32_t tx, const char *path, uint64_t *value)
{
	if (!value)
		return -EINVAL;
	return xs_call1(XS_READ, tx, path, decode_uint, value);
}

int xenstore_write(uint32_t tx, const char *path, const char *value)
{
	const char *strs[1] = { path };
	struct xs_wire_req req = {
		.type = XS_WRITE, .tx_id = tx, .strs = strs, .nstrs = 1
	};

	if (!value)
		return -EINVAL;
	req.data = value;
	req.data_len = strlen(value);
	return xs_call(&req, NULL, NULL);
}

int xenstore_rm(uint32_t tx, const char *path)
{
	return xs_call1(XS_RM, tx, path, NULL, NULL);
}

struct dir_result {
	char *buf;
	size_t size;
	size_t *count;
};

static int decode_dir(const char *body, uint32_t len, void *arg)
{
	struct dir_result *r = arg;
	int n = xs_wire_dir_parse(body, len, DIR_ENTRIES_MAX, NULL, NULL);

	if (n < 0)
		return n == -ERANGE ? -EBADMSG : n;
	if (len > r->size || (len == 0 && r->size == 0))
		return -ERANGE;
	memcpy(r->buf, body, len);
	if (len == 0)
		r->buf[0] = '\0';
	*r->count = (size_t)n;
	return 0;
}

int xenstore_directory(uint32_t tx, const char *path, char *buf, size_t size,
		       size_t *count)
{
	struct dir_result r = { .buf = buf, .size = size, .count = count };

	if (!buf || !count)
		return -EINVAL;
	return xs_call1(XS_DIRECTORY, tx, path, decode_dir, &r);
}

int xenstore_set_perms(uint32_t tx, const char *path,
		       const struct xs_wire_perm *perms, size_t count)
{
	char text[XENSTORE_PERMS_MAX][XS_WIRE_PERM_STR_MAX];
	const char *strs[XENSTORE_PERMS_MAX + 1];
	struct xs_wire_req req = { .type = XS_SET_PERMS,
				   .tx_id = tx,
				   .strs = strs,
				   .nstrs = count + 1 };
	size_t i;
	int rc;

	if (!perms || count == 0 || count > XENSTORE_PERMS_MAX)
		return -EINVAL;
	strs[0] = path;
	for (i = 0; i < count; i++) {
		rc = xs_wire_perm_format(&perms[i], text[i], sizeof(text[i]));
		if (rc < 0)
			return rc;
		strs[i + 1] = text[i];
	}
	return xs_call(&req, NULL, NULL);
}

static int decode_tx_id(const char *body, uint32_t len, void *arg)
{
	return xs_wire_parse_tx_id(body, len, arg);
}

int xenstore_transaction_start(uint32_t *tx)
{
	uint32_t id = XENSTORE_TX_NONE;
	int rc;

	if (!tx)
		return -EINVAL;
	rc = xs_call1(XS_TRANSACTION_START, XENSTORE_TX_NONE, "", decode_tx_id,
		      &id);
	if (rc == 0)
		*tx = id;
	return rc;
}

int xenstore_transaction_end(uint32_t tx, bool commit)
{
	if (tx == XENSTORE_TX_NONE)
		return -EINVAL;
	return xs_call1(XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, NULL);
}

int xenstore_transact(xenstore_tx_fn fn, void *arg)
{
	uint32_t tx = XENSTORE_TX_NONE;
	int attempt, rc;

	if (!fn)
		return -EINVAL;
	for (attempt = 1; attempt <= XENSTORE_TX_RETRIES; attempt++) {
		rc = xenstore_transaction_start(&tx);
		if (rc < 0)
			return rc;
		rc = fn(tx, arg);
		if (rc < 0) {
			/* fn's error is the one worth reporting; an abort
			 * that fails leaves nothing applied either. */
			(void)xenstore_transaction_end(tx, false);
		} else {
			rc = xenstore_transaction_end(tx, true);
		}
		if (rc != -EAGAIN)
			return rc < 0 ? rc : 0;
		log_info("transaction conflict, attempt %d of %d", attempt,
			 XENSTORE_TX_RETRIES);
	}
	log_warn("transaction gave up after %d conflicts", XENSTORE_TX_RETRIES);
	return -EAGAIN;
}

/* --- watches ------------------------------------------------------------ */

static bool watch_listed(const struct xenstore_watch *w)
{
	const struct xenstore_watch *it;

	for (it = xs.watches; it; it = it->next) {
		if (it == w)
			return true;
	}
	return false;
}

static void unlink_watch(struct xenstore_watch *w)
{
	struct xenstore_watch **pp;
	unsigned long flags = critical_enter();

	for (pp = &xs.watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	w->registered = false;
	wait_queue_wake_all(&w->waiters);
	critical_exit(flags);
}

/* Fill w and put it on the list, unless w or token is already there. */
static int link_watch(const char *path, size_t plen, const char *token,
		      size_t tlen, struct xenstore_watch *w)
{
	unsigned long flags = critical_enter();
	int rc = 0;

	/* Checked and linked under one mask, so two threads cannot both
	 * register the same token. w itself is not read before this: its
	 * memory may be uninitialised. */
	if (watch_listed(w))
		rc = -EBUSY;
	else if (find_watch(token))
		rc = -EEXIST;
	if (rc == 0) {
		memcpy(w->path, path, plen + 1);
		memcpy(w->token, token, tlen + 1);
		w->waiters.head = w->waiters.tail = NULL;
		w->head = w->count = 0;
		w->lost = false;
		w->overflows = 0;
		w->registered = true;
		w->next = xs.watches;
		xs.watches = w;
	}
	critical_exit(flags);
	return rc;
}

int xenstore_watch(const char *path, const char *token,
		   struct xenstore_watch *w)
{
	const char *strs[2];
	struct xs_wire_req req = { .type = XS_WATCH, .strs = strs, .nstrs = 2 };
	size_t plen, tlen;
	int rc;

	if (!xs.ready)
		return -ENODEV;
	if (!path || !token || !w)
		return -EINVAL;
	plen = strnlen(path, XENSTORE_WATCH_PATH_MAX);
	tlen = strnlen(token, XENSTORE_WATCH_TOKEN_MAX);
	if (plen == 0 || tlen == 0)
		return -EINVAL;
	if (plen == XENSTORE_WATCH_PATH_MAX || tlen == XENSTORE_WATCH_TOKEN_MAX)
		return -ENAMETOOLONG;
	rc = link_watch(path, plen, token, tlen, w);
	if (rc < 0)
		return rc;
	/* Linked first: the initial event may beat the reply. */
	strs[0] = w->path;
	strs[1] = w->token;
	rc = xs_call(&req, NULL, NULL);
	if (rc < 0)
		unlink_watch(w);
	return rc;
}

/* Take what a waiter on w should see: the lost mark, the oldest event,
 * or the end of the watch; -EAGAIN if none of these (a timeout). In a
 * critical section. */
static int take_watch_event(struct xenstore_watch *w, char *path, size_t size)
{
	size_t n;

	if (w->lost) {
		w->lost = false;
		return -EOVERFLOW;
	}
	if (w->count > 0) {
		n = strlen(w->events[w->head]) + 1;
		if (n > size)
			return -ERANGE;
		memcpy(path, w->events[w->head], n);
		w->head = (w->head + 1) % XENSTORE_WATCH_QUEUE;
		w->count--;
		return 0;
	}
	return w->registered ? -EAGAIN : -ENOENT;
}

int xenstore_watch_wait(struct xenstore_watch *w, uint64_t deadline_ns,
			char *path, size_t size)
{
	unsigned long flags;
	int rc;

	if (!w || !path)
		return -EINVAL;
	flags = critical_enter();
	(void)wait_event_critical(&w->waiters,
				  w->lost || w->count > 0 || !w->registered,
				  deadline_ns);
	rc = take_watch_event(w, path, size);
	critical_exit(flags);
	return rc == -EAGAIN ? -ETIMEDOUT : rc;
}

int xenstore_unwatch(struct xenstore_watch *w)
{
	const char *strs[2];
	struct xs_wire_req req = { .type = XS_UNWATCH,
				   .strs = strs,
				   .nstrs = 2 };
	unsigned long flags;
	bool listed;
	int rc;

	if (!w)
		return -EINVAL;
	flags = critical_enter();
	listed = watch_listed(w);
	critical_exit(flags);
	if (!listed)
		return -EINVAL;
	strs[0] = w->path;
	strs[1] = w->token;
	rc = xs_call(&req, NULL, NULL);
	/* Unlinked after the reply, so events xenstored sent before it
	 * forgot the watch still reach w instead of counting as unknown. */
	unlink_watch(w);
	return rc == -ENOENT ? 0 : rc;
}

void xenstore_get_stats(struct xenstore_stats *out)
{
	unsigned long flags = critical_enter();

	*out = xs.stats;
	critical_exit(flags);
}

/* --- start-up ----------------------------------------------------------- */

int xenstore_init(void *ring, evtchn_port port)
{
	struct xenstore_domain_interface *intf = ring;
	struct thread *reader;
	unsigned long flags;
	int rc;

	if (!intf)
		return -EINVAL;
	if (xs.ring)
		return -EBUSY;
	if (xs_wire_req_space(intf) < 0 || xs_wire_rsp_avail(intf) < 0) {
		log_err("ring indexes are impossible at boot "
			"(req %u/%u, rsp %u/%u)",
			intf->req_cons, intf->req_prod, intf->rsp_cons,
			intf->rsp_prod);
		return -EIO;
	}
	xs.ring = intf;
	xs.port = port;
	xs.next_req_id = 1;
	mutex_init(&xs.req_lock, false);
	xs_wire_reader_reset(&xs.rd);
	reader = thread_create("xenstore", reader_thread, NULL, 0);
	if (!reader)
		return -ENOMEM;
	thread_detach(reader);
	rc = evtchn_bind_port(port, xs_event, NULL);
	if (rc < 0)
		goto err_stop_reader;
	/* Replies left in rsp[] (or an event sent before we bound the port)
	 * would otherwise wait for the next notification. */
	xs.ready = true;
	wait_queue_wake_all(&xs.rsp_wq);
	log_info("ring %p, event channel %u", ring, port);
	return 0;

err_stop_reader:
	log_err("cannot bind event channel %u: %d", port, rc);
	flags = critical_enter();
	xs.stop = true;
	wait_queue_wake_all(&xs.rsp_wq);
	critical_exit(flags);
	return rc;
}
