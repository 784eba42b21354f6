/*
 * Blkfront's insides, shared by its two files and by nothing else: this
 * header is private to drivers/blkfront.c (connect and disconnect, the
 * control thread, attaching at boot) and drivers/blkfront_data.c (the
 * ring: requests, responses, the blkdev operations). Other modules use
 * drivers/blkfront.h and drivers/blkdev.h.
 *
 * Locks. One mutex per device, `lock`, covers the ring, the request ids,
 * the page pool, `up` and every struct blkfront_io that is out. Threads
 * never hold it while they sleep for the backend: they sleep on
 * `event_wq` until `event_seq` moves (the event handler and every thread
 * that completes requests move it).
 */
#ifndef DRIVERS_BLKFRONT_PRIV_H
#define DRIVERS_BLKFRONT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/* Before io/ring.h (through blkif_check.h): its push and final-check
 * macros use xen_mb() and friends. */
#include "kernel/barrier.h"

#include "drivers/blkdev.h"
#include "drivers/blkfront.h"
#include "drivers/blkif_check.h"
#include "drivers/xenbus.h"
#include "drivers/xenring.h"
#include "drivers/xenshare.h"
#include "drivers/xenstore.h"
#include "kernel/evtchn.h"
#include "kernel/page.h"
#include "kernel/report.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

#define MS (1000ull * 1000)

/* Largest ring we ask for: 4 pages, 128 requests. */
#define BLKFRONT_MAX_RING_ORDER 2
#define BLKFRONT_MAX_RING BLKIF_RING_SIZE(BLKFRONT_MAX_RING_ORDER)
/* Most segments per request (1 MiB), when the backend takes indirect
 * requests (Linux's blkback takes up to 256). */
#define BLKFRONT_MAX_SEGS 256u
/* Data pages shared with the backend per device: two of the largest
 * requests, or 512 of the smallest, in flight. After them in the pool
 * comes one indirect page per ring slot. */
#define BLKFRONT_POOL_DATA (2 * BLKFRONT_MAX_SEGS)
#define BLKFRONT_POOL_PAGES (BLKFRONT_POOL_DATA + BLKFRONT_MAX_RING)
#define BLKFRONT_ID_MAX 16

_Static_assert(BLKIF_PAGE_SIZE == PAGE_SIZE, "segments are whole pages");
_Static_assert(BLKFRONT_MAX_SEGS <= BLKIF_SEGS_PER_INDIRECT_PAGE,
	       "one indirect page per request");
_Static_assert(BLKFRONT_POOL_PAGES < UINT16_MAX, "pool indexes are 16-bit");
_Static_assert(BLKFRONT_MAX_RING_ORDER <= XENSHARE_BLOCK_MAX_ORDER,
	       "the ring is one xenshare block");

/*
 * One request from above, on its submitter's stack. Filled in by the
 * submitter, which also takes its data pages from the pool (and fills
 * them, for a write); from then until `done` it belongs to the device
 * (under `lock`): queued on `pending`, then put on the ring, alone or
 * merged with the requests that continue it on the disk, in one ring
 * request. Whoever consumes the ring request's response copies read
 * data out to `buf`, gives the pages back and sets `result` and `done`.
 */
struct blkfront_io {
	uint8_t op;	     /* BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE, ... */
	uint64_t sector;     /* 512-byte units */
	uint64_t nr_sectors; /* discard only */
	void *buf;	     /* read: where the data goes */
	size_t len;
	unsigned nsegs;
	uint16_t pages[BLKFRONT_MAX_SEGS]; /* pool indexes */
	struct blkfront_io *next;	   /* on pending, or in a merge */
	bool done;
	int result;
};

_Static_assert(BLKFRONT_RSP_KINDS == BLKIF_V_COUNT,
	       "blkfront_stats.bad_rsp has one counter per verdict");

struct blkfront_dev {
	char id[BLKFRONT_ID_MAX]; /* device/vbd/<id> */
	unsigned handle;	  /* that id as a number, for requests */
	struct blkdev blk;	  /* what lib/ sees, registered once */

	/* Control thread (and attach) only. */
	struct xenbus_device xb;
	struct xenbus_device_watch reattach; /* on device/vbd/<id> */
	bool stopping;
	struct thread *control;
	struct report_source report; /* xl sysrq m */

	/* Per connection, from the backend. */
	unsigned ring_order;
	unsigned max_segs;
	unsigned max_out; /* ring requests out at once (blk_queue=) */
	bool persistent, flush, barrier, discard;

	struct mutex lock;
	bool up;     /* connected; `lock` held to change */
	bool broken; /* the ring is corrupt: the control thread drops it */

	/* The ring: 2^ring_order pages, each granted, and its channel. */
	struct xenring xring;
	bool ring_set_up;
	struct blkif_front_ring ring;
	unsigned ring_size;

	struct blkif_sent sent[BLKFRONT_MAX_RING];
	struct blkfront_io *out[BLKFRONT_MAX_RING];  /* chains, by ring id */
	struct blkfront_io *pending, **pending_tail; /* not on the ring yet */
	uint16_t free_ids[BLKFRONT_MAX_RING];
	unsigned nfree_ids;

	/* Granted to the backend once per connection, writable: persistent
	 * grants may be used in either direction (blkif.h, note 8). */
	struct xenshare_page pool[BLKFRONT_POOL_PAGES];
	uint16_t free_pages[BLKFRONT_POOL_DATA]; /* a LIFO (blkif.h) */
	unsigned nfree_pages;

	struct wait_queue event_wq;
	uint64_t event_seq;

	struct blkfront_stats stats;
};

/* --- in drivers/blkfront_data.c, called from drivers/blkfront.c --------- */

/* The blkdev operations of every blkfront disk. */
extern const struct blkdev_ops blkfront_blkdev_ops;

/* Make the request ids and the pool's pages free, the ring empty. Caller
 * holds lock, or the device is not up and nobody else looks. */
void blkfront_reset_slots(struct blkfront_dev *dev);

/* Fail every request that is out or pending with err and forget them;
 * wake their submitters. Caller holds lock. */
void blkfront_fail_all(struct blkfront_dev *dev, int err);

/* The event channel's handler (data = dev). Upcall context: only wakes
 * threads. */
void blkfront_event(evtchn_port port, void *data);

/* Move event_seq and wake every sleeper, from any thread. */
void blkfront_kick(struct blkfront_dev *dev);

#endif
