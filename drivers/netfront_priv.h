/*
 * Netfront's insides, shared by its two files and by nothing else: this
 * header is private to drivers/netfront.c (connect and disconnect, the
 * control thread, the public API) and drivers/netfront_data.c (the rings:
 * receive, transmit, events and the service thread). Other modules use
 * drivers/netfront.h and must not include this one.
 *
 * It holds the constants both files size things by, struct netfront_dev
 * with all per-device state, and the few functions one file calls in the
 * other.
 *
 * Locks. rx_lock covers the rx ring, its buffers and the assembler, and
 * is held while the rx function runs; tx_lock covers the tx ring and its
 * pool. Order: rx_lock, then tx_lock. `up` changes only with both held,
 * so holding either one is enough to read it.
 */
#ifndef DRIVERS_NETFRONT_PRIV_H
#define DRIVERS_NETFRONT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/* Before io/ring.h (through netif_check.h): its macros use xen_mb(). */
#include "kernel/barrier.h"
#include "drivers/netfront.h"
#include "drivers/netif_check.h"
#include "drivers/xenbus.h"
#include "drivers/xenring.h"
#include "drivers/xenstore.h"
#include "kernel/gnttab.h"
#include "kernel/page.h"
#include "kernel/report.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

#define MS (1000ull * 1000)

#define NETFRONT_RX_BUFS NETIF_RX_RING_SIZE
/* 128 pages: eight 64 KiB frames or 128 small ones in flight. */
#define NETFRONT_TX_BUFS 128
#define NETFRONT_ID_MAX 16

_Static_assert(NETIF_PAGE_SIZE == PAGE_SIZE, "ring buffers are one page");
_Static_assert(NETFRONT_TX_BUFS <= NETIF_TX_RING_SIZE,
	       "tx ids must be valid ring ids");
/* Counters since netfront_open(), logged by `xl sysrq m`. Drops are per
 * frame, under the first problem found. */
#define NETFRONT_RX_DROP_KINDS 11
struct netfront_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_drops[NETFRONT_RX_DROP_KINDS]; /* [0] stays 0 */
	uint64_t tx_frames, tx_bytes;		   /* queued to the backend */
	uint64_t tx_errors;	   /* NETIF_RSP_ERROR completions */
	uint64_t tx_dropped;	   /* NETIF_RSP_DROPPED completions */
	uint64_t tx_bad_id;	   /* completion id out of range */
	uint64_t tx_not_in_flight; /* duplicate or unsolicited completion */
	uint64_t tx_bad_status;	   /* unknown status (id released) */
	uint64_t tx_null;	   /* NULL status: we send no extras */
	uint64_t ring_errors;	   /* impossible rsp_prod: ring dropped */
	uint64_t disconnects, reconnects;
};

_Static_assert(NETFRONT_RX_DROP_KINDS == NETIF_RX_DROP_COUNT,
	       "netfront_stats.rx_drops has one counter per reason");
_Static_assert(NETIF_RX_RING_SIZE == 256 && NETIF_TX_RING_SIZE == 256,
	       "the usual one-page netif rings");

/* A page shared with the backend. */
struct netfront_dev {
	char id[NETFRONT_ID_MAX];
	netfront_rx_fn rx_fn;
	void *rx_arg;

	/* Control thread (and open/close) only. */
	struct xenbus_device xb;
	struct xenbus_device_watch reattach; /* on device/vif/<id> */
	struct report_source report;
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
	struct xenshare_page rx_bufs[NETFRONT_RX_BUFS];

	struct mutex tx_lock;
	struct cond tx_room; /* signalled when tx completions may exist */
	struct netif_tx_front_ring tx;
	struct xenshare_page tx_bufs[NETFRONT_TX_BUFS];
	uint64_t tx_inflight[NETIF_TX_BITMAP_WORDS(NETFRONT_TX_BUFS)];
	uint16_t tx_free[NETFRONT_TX_BUFS];
	unsigned tx_nfree;

	/* The service thread sleeps here; the event handler sets kicked. */
	struct wait_queue kick_wq;
	bool kicked;
	struct thread *service, *control;

	struct netfront_stats stats;
};

/* --- in drivers/netfront_data.c, called from drivers/netfront.c ---------- */

/*
 * Post the receive request that takes over slot `slot`'s buffer, without
 * publishing it. Caller holds rx_lock, or is setting the rings up while
 * `up` is false and nobody else touches them. Does not block.
 */
void netfront_rx_post(struct netfront_dev *dev, RING_IDX slot);

/*
 * The event handler of both rings' channels (xenring_setup()'s callback,
 * data = dev). Upcall context: only wakes threads.
 */
void netfront_event(evtchn_port port, void *data);

/* Wake the service thread, from any thread. Does not block. */
void netfront_kick(struct netfront_dev *dev);

/*
 * The service thread's body (arg = dev): consumes both rings and calls
 * the rx function until dev->stopping is set and it is kicked.
 */
void netfront_service_main(void *arg);

#endif
