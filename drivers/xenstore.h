/*
 * The xenstore client of a domU: blocking requests (read, write, mkdir,
 * rm, directory, permissions, transactions) and watches delivered to
 * waiting threads, over the ring page and event channel that Xen gives
 * the guest at boot. The wire format lives in drivers/xs_wire.h.
 *
 * Only domUs have a xenstore: in dom0 mode xenstore_init() is never
 * called and every request fails with -ENODEV.
 *
 * Errors: every function returns 0 or a negative errno. Errors xenstored
 * reports ("ENOENT", "EACCES", "EAGAIN"...) arrive translated once, in
 * drivers/xs_wire.c. On top of those:
 *   -ENODEV   xenstore_init() has not succeeded (or this is dom0)
 *   -EIO      the connection is lost (corrupt ring, corrupt stream)
 *   -EBADMSG  xenstored sent a malformed reply to this request
 *   -EINVAL   a malformed argument (empty path, bad token, ...)
 *   -E2BIG    the request does not fit in one xenstore message
 *   -ERANGE   the reply does not fit in the caller's buffer
 *
 * Context: everything below except xenstore_init() may only be called
 * from a thread (not from an upcall, not from the boot context before the
 * scheduler runs threads): each call sleeps until xenstored answers, with
 * no timeout, and requests from several threads are served one at a time.
 */
#ifndef DRIVERS_XENSTORE_H
#define DRIVERS_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/xs_wire.h"
#include "kernel/evtchn.h"
#include "kernel/sched.h"

/* Transaction id meaning "outside any transaction". */
#define XENSTORE_TX_NONE 0

/* How often xenstore_transact() tries before returning -EAGAIN. */
#define XENSTORE_TX_RETRIES 16

/* Most permission entries xenstore_set_perms() sends. */
#define XENSTORE_PERMS_MAX 32

/* Watch limits: path and token lengths include the NUL; an event whose
 * path is longer than XENSTORE_WATCH_PATH_MAX - 1 counts as an overflow. */
#define XENSTORE_WATCH_PATH_MAX 256
#define XENSTORE_WATCH_TOKEN_MAX 64
#define XENSTORE_WATCH_QUEUE 8

/*
 * A registered watch. The caller owns the memory (it must stay valid and
 * untouched from xenstore_watch() until xenstore_unwatch() returns); all
 * fields are private to drivers/xenstore.c except overflows, which may be
 * read at any time.
 */
struct xenstore_watch {
	struct xenstore_watch *next;
	bool registered;
	bool lost; /* events were dropped since the last wait said so */
	char path[XENSTORE_WATCH_PATH_MAX];
	char token[XENSTORE_WATCH_TOKEN_MAX];
	struct wait_queue waiters;
	unsigned head, count;
	char events[XENSTORE_WATCH_QUEUE][XENSTORE_WATCH_PATH_MAX];
	uint64_t overflows; /* events dropped, in total */
};

/* Protocol problems seen so far: each was logged, counted and dropped. */
struct xenstore_stats {
	uint64_t stray_replies;	  /* request id we are not waiting for */
	uint64_t bad_replies;	  /* right id, wrong type or bad payload */
	uint64_t unknown_watches; /* watch event with a token we lack */
	uint64_t bad_events;	  /* malformed watch event */
	uint64_t resyncs;	  /* corrupt header: bytes dropped */
	uint64_t watch_overflows; /* events dropped by full watch queues */
};

/*
 * Start the client on the ring page (mapped by the caller, already in our
 * address space) and the event channel from start_info: starts the
 * "xenstore" reader thread and binds port. Boot only, once, after
 * sched_init() and timer_init(). Returns 0, -EINVAL for a NULL ring,
 * -EBUSY when called twice, -EIO when the ring's indexes are already
 * impossible, -ENOMEM when the thread cannot be created, or
 * evtchn_bind_port()'s error.
 */
int xenstore_init(void *ring, evtchn_port port);

/* Read path's value into buf, NUL-terminated (a value may itself contain
 * NUL bytes). -ERANGE when value plus NUL exceeds size. Blocks. */
int xenstore_read(uint32_t tx, const char *path, char *buf, size_t size);

/* Read path's value as an unsigned decimal number ("42"): -EINVAL when
 * the value is not one. Blocks. */
int xenstore_read_uint(uint32_t tx, const char *path, uint64_t *value);

/* Create or overwrite path with the string value (sent without its NUL).
 * Blocks. */
int xenstore_write(uint32_t tx, const char *path, const char *value);

/* Remove path and everything under it. Blocks. */
int xenstore_rm(uint32_t tx, const char *path);

/*
 * List path's children into buf as NUL-terminated names one after the
 * other ("a\0b\0"), with their number in *count (0 for none: buf then
 * holds "" if size > 0). -ERANGE when they do not fit. Walk the result
 * with `for (p = buf; n--; p += strlen(p) + 1)`. Blocks.
 */
int xenstore_directory(uint32_t tx, const char *path, char *buf, size_t size,
		       size_t *count);

/* Replace path's permissions (perms[0] names the owner and the default
 * for other domains). 1 to XENSTORE_PERMS_MAX entries. Blocks. */
int xenstore_set_perms(uint32_t tx, const char *path,
		       const struct xs_wire_perm *perms, size_t count);

/* Open a transaction; its id (never XENSTORE_TX_NONE) goes in *tx. */
int xenstore_transaction_start(uint32_t *tx);

/* Commit (commit true) or abort a transaction. -EAGAIN on commit means
 * another writer got in first: nothing was applied, start again.
 * Blocks. */
int xenstore_transaction_end(uint32_t tx, bool commit);

/* One attempt at a transaction's body: 0 (or positive) to commit, a
 * negative errno to abort (-EAGAIN also asks for another attempt). */
typedef int (*xenstore_tx_fn)(uint32_t tx, void *arg);

/*
 * Run fn in a transaction and commit it, starting over when the commit
 * (or fn) reports -EAGAIN, at most XENSTORE_TX_RETRIES times. Returns 0,
 * fn's error (the transaction aborted), a request's error, or -EAGAIN
 * once the retries are used up. fn must be safe to run several times.
 * Blocks.
 */
int xenstore_transact(xenstore_tx_fn fn, void *arg);

/*
 * Watch path (and everything below it) under token, which must be
 * unique among our watches (-EEXIST) and non-empty; path must be shorter
 * than XENSTORE_WATCH_PATH_MAX and token than XENSTORE_WATCH_TOKEN_MAX
 * (-ENAMETOOLONG). xenstored fires every new watch once at once.
 * -EBUSY when w is already registered. Blocks.
 */
int xenstore_watch(const char *path, const char *token,
		   struct xenstore_watch *w);

/*
 * Take w's oldest event: copy the path that fired into path[0..size) and
 * return 0. Sleeps until an event arrives or Xen system time reaches
 * deadline_ns (0: no deadline): -ETIMEDOUT. Returns -EOVERFLOW once after
 * events were dropped (queue full or path too long): the caller should
 * then re-read everything it watches. -ERANGE when the path does not fit
 * (the event stays queued); -ENOENT once w is unwatched and drained.
 * Thread context; one waiter per watch.
 */
int xenstore_watch_wait(struct xenstore_watch *w, uint64_t deadline_ns,
			char *path, size_t size);

/*
 * Remove w (in xenstored and here). w is forgotten locally even when the
 * request fails (its error is returned; ENOENT from xenstored counts as
 * success). Late events for its token are dropped. No thread may still
 * be in xenstore_watch_wait() on w when the caller frees it. -EINVAL
 * when w is not registered. Blocks.
 */
int xenstore_unwatch(struct xenstore_watch *w);

/* A copy of the protocol-problem counters. Any context. */
void xenstore_get_stats(struct xenstore_stats *out);

#endif
