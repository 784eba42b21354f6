/*
 * The netfront protocol rules as pure functions (<xen/io/netif.h>): every
 * response the backend writes on the rx and tx rings is checked here
 * before the driver uses any field of it, and multi-slot receive frames
 * are reassembled here.
 *
 * Nothing here blocks, allocates, logs, or touches a ring page: the
 * driver (drivers/netfront.c) copies each response out of shared memory
 * once and hands the copy in. This file is compiled both into the kernel
 * and into the host unit tests (tests/unit/test_netif_check.c).
 *
 * Receive (rx-copy). The driver posts the request at ring index i with
 * id i % NETIF_RX_RING_SIZE and the buffer of that number, so the
 * response in slot i must carry that id too. A frame is one or more
 * slots: the first, then extra-info slots while the first (and then each
 * extra) asks for more, then data slots while NETRXF_more_data is set.
 * The assembler below follows that framing even through a bad frame, so
 * a bad response costs one frame, not the ring's synchronisation.
 */
#ifndef DRIVERS_NETIF_CHECK_H
#define DRIVERS_NETIF_CHECK_H

/* <stdint.h> first: Xen's headers use the fixed-width types without
 * including it. ring.h also wants memset declared (SHARED_RING_INIT). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

/* Ring pages are Xen pages, whatever the guest's own page size. */
#define NETIF_PAGE_SIZE 4096u
#define NETIF_RX_RING_SIZE __CONST_RING_SIZE(netif_rx, NETIF_PAGE_SIZE)
#define NETIF_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, NETIF_PAGE_SIZE)

#define NETIF_ETH_HLEN 14u
/* Longest received frame: a 64 KiB IP datagram plus its Ethernet header. */
#define NETIF_RX_FRAME_MAX (0xffffu + NETIF_ETH_HLEN)
/* Longest transmitted frame: the first tx request's 16-bit size field
 * carries the whole frame's length, so nothing above 0xffff can be said. */
#define NETIF_TX_FRAME_MAX ((uint32_t)XEN_NETIF_MAX_TX_SIZE)
/* Data slots per received frame (the minimum every backend honours). */
#define NETIF_RX_MAX_SLOTS XEN_NETIF_NR_SLOTS_MIN
/* Extra-info slots per frame: each type at most once. */
#define NETIF_RX_MAX_EXTRAS (XEN_NETIF_EXTRA_TYPE_MAX - 1)

/* Why a received frame was dropped. Each dropped frame is counted once,
 * under the first problem found in it. */
enum netif_rx_drop {
	NETIF_RX_DROP_NONE = 0,
	NETIF_RX_DROP_BAD_ID,	      /* id is not its slot's index */
	NETIF_RX_DROP_ERROR,	      /* status NETIF_RSP_ERROR */
	NETIF_RX_DROP_DROPPED,	      /* status NETIF_RSP_DROPPED */
	NETIF_RX_DROP_BAD_STATUS,     /* another negative status */
	NETIF_RX_DROP_BAD_OFFSET,     /* offset + size past the page */
	NETIF_RX_DROP_TOO_MANY_SLOTS, /* more than NETIF_RX_MAX_SLOTS */
	NETIF_RX_DROP_TOO_LONG,	      /* more than NETIF_RX_FRAME_MAX bytes */
	NETIF_RX_DROP_BAD_EXTRA,      /* unknown or misplaced extra info */
	NETIF_RX_DROP_GSO,	      /* a GSO extra: we never asked for GSO */
	NETIF_RX_DROP_EMPTY,	      /* zero bytes in all */
	NETIF_RX_DROP_COUNT
};

/* A short name for logs and statistics ("bad-id"); "?" out of range. */
const char *netif_rx_drop_name(unsigned reason);

/* One piece of a received frame: len bytes at offset in the buffer of
 * ring slot `slot` (a free-running ring index). */
struct netif_rx_frag {
	RING_IDX slot;
	uint16_t offset;
	uint16_t len;
};

enum netif_rx_verdict {
	NETIF_RX_NEED_MORE, /* the frame goes on in the next slot */
	NETIF_RX_FRAME,	    /* a complete, valid frame */
	NETIF_RX_DROP,	    /* a complete frame that must be dropped */
};

/*
 * What one fed slot means to the driver.
 *
 * recycle_first/recycle_count name the slots whose buffers the driver
 * may post to the backend again now: always a contiguous run starting
 * at the oldest slot not yet handed back, so across all calls every fed
 * slot is named exactly once and in ring order. For NETIF_RX_FRAME the
 * run covers the frame's own slots: use frags first, then recycle. A
 * frame found bad part-way has its slots handed back at once (even with
 * NETIF_RX_NEED_MORE), so a backend that never ends a frame cannot make
 * the driver hold more than NETIF_RX_MAX_SLOTS + NETIF_RX_MAX_EXTRAS
 * buffers.
 */
struct netif_rx_result {
	RING_IDX recycle_first;
	unsigned recycle_count;
	enum netif_rx_drop reason;	   /* NETIF_RX_DROP only */
	const struct netif_rx_frag *frags; /* NETIF_RX_FRAME only: valid */
	unsigned nfrags;		   /* until the next feed */
	uint32_t len;			   /* total bytes (NETIF_RX_FRAME) */
	uint16_t flags; /* NETRXF_data_validated|csum_blank of the frame */
};

/* The receive frame assembler. Zeroed or netif_rx_asm_init()ed is
 * idle. Private to netif_check.c apart from its size. */
struct netif_rx_asm {
	unsigned expect; /* what the next slot must be */
	bool more_data;	 /* the first slot had NETRXF_more_data */
	RING_IDX oldest; /* oldest slot not yet handed back */
	unsigned held;	 /* slots fed and not yet handed back */
	unsigned data_slots, extras;
	uint32_t len;
	uint16_t flags;
	enum netif_rx_drop reason;
	unsigned nfrags;
	struct netif_rx_frag frags[NETIF_RX_MAX_SLOTS];
};

/* Make a idle: any frame in progress is forgotten (for a ring being torn
 * down: its buffers are not recycled, they are freed). */
void netif_rx_asm_init(struct netif_rx_asm *a);

/*
 * Feed the response copied out of ring slot idx. Slots must be fed in
 * ring order, each exactly once, starting with the first response after
 * netif_rx_asm_init(). *res is filled in every case (see struct
 * netif_rx_result). Never fails: whatever the backend wrote, the answer
 * is one of the three verdicts.
 */
enum netif_rx_verdict netif_rx_asm_feed(struct netif_rx_asm *a, RING_IDX idx,
					const struct netif_rx_response *rsp,
					struct netif_rx_result *res);

/* Slots fed but not yet handed back (a frame in progress). */
unsigned netif_rx_asm_held(const struct netif_rx_asm *a);

/*
 * May the other end publish rsp_prod, given what we consumed (rsp_cons)
 * and the requests we published (req_prod)? A backend can only answer
 * requests it was given; anything else means the ring is corrupt and
 * none of its slots can be trusted.
 */
bool netif_ring_rsp_prod_ok(RING_IDX rsp_prod, RING_IDX rsp_cons,
			    RING_IDX req_prod);

/* --- transmit ------------------------------------------------------------ */

enum netif_tx_verdict {
	NETIF_TX_OKAY,		/* sent: release the id */
	NETIF_TX_ERROR,		/* NETIF_RSP_ERROR: release the id */
	NETIF_TX_DROPPED,	/* NETIF_RSP_DROPPED: release the id */
	NETIF_TX_BAD_STATUS,	/* an in-flight id with an unknown status: the
				 * backend is done with it, so release it, but
				 * count the response as bad */
	NETIF_TX_NULL,		/* NETIF_RSP_NULL: the answer to an extra-info
				 * slot, its id is not meaningful; skip */
	NETIF_TX_BAD_ID,	/* id >= nids: skip */
	NETIF_TX_NOT_IN_FLIGHT, /* duplicate or never sent: skip */
};

/* Does the verdict hand the response's id back to the caller's pool? */
static inline bool netif_tx_releases(enum netif_tx_verdict v)
{
	return v == NETIF_TX_OKAY || v == NETIF_TX_ERROR ||
	       v == NETIF_TX_DROPPED || v == NETIF_TX_BAD_STATUS;
}

/* The in-flight bitmap: one bit per tx id, 64 ids a word. */
#define NETIF_TX_BITMAP_WORDS(nids) (((nids) + 63) / 64)

static inline bool netif_tx_in_flight(const uint64_t *map, unsigned id)
{
	return (map[id / 64] >> (id % 64)) & 1;
}

static inline void netif_tx_set(uint64_t *map, unsigned id, bool on)
{
	if (on)
		map[id / 64] |= (uint64_t)1 << (id % 64);
	else
		map[id / 64] &= ~((uint64_t)1 << (id % 64));
}

/*
 * Classify a tx response against the caller's ids 0..nids-1 (nids at
 * most NETIF_TX_RING_SIZE) and their in-flight bitmap. Reads only; the
 * caller releases the id (netif_tx_set(map, id, false)) when
 * netif_tx_releases() says so.
 */
enum netif_tx_verdict netif_tx_check(const struct netif_tx_response *rsp,
				     const uint64_t *inflight, unsigned nids);

/* Tx requests (pages) a frame of len bytes needs. */
static inline unsigned netif_tx_slots(uint32_t len)
{
	return (len + NETIF_PAGE_SIZE - 1) / NETIF_PAGE_SIZE;
}

/* The size field of a frame's request number slot when the frame is
 * laid out page after page from offset 0: the whole length in the
 * first request (netif.h, "Guest transmit"), the piece in the others. */
uint16_t netif_tx_req_size(uint32_t len, unsigned slot);

/* --- xenstore values ------------------------------------------------------ */

/* Parse a "mac" node: exactly "xx:xx:xx:xx:xx:xx" in hex (either case).
 * A multicast or all-zero address is refused too: no interface can own
 * one. Returns 0 or -EINVAL (mac untouched then). */
int netif_parse_mac(const char *s, uint8_t mac[6]);

#endif
