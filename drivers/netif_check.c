/*
 * Netfront's protocol rules (see netif_check.h). Everything the backend
 * wrote arrives here as a private copy, so each field is read once and
 * checked before it is used; nothing here can make the driver touch
 * memory outside its own buffers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "drivers/netif_check.h"
#include "lib/ascii.h"

_Static_assert(sizeof(struct netif_extra_info) ==
		       sizeof(struct netif_rx_response),
	       "an extra-info slot overlays an rx response (netif.h)");
_Static_assert(NETIF_RX_FRAME_MAX <= UINT32_MAX - NETIF_PAGE_SIZE,
	       "frame lengths are summed in 32 bits");

/* What the assembler expects in the next slot. */
enum {
	EXPECT_FIRST = 0, /* the first slot of a new frame */
	EXPECT_EXTRA,	  /* an extra-info slot */
	EXPECT_DATA,	  /* a further data slot of the same frame */
};

static const char *const drop_names[NETIF_RX_DROP_COUNT] = {
	[NETIF_RX_DROP_NONE] = "none",
	[NETIF_RX_DROP_BAD_ID] = "bad-id",
	[NETIF_RX_DROP_ERROR] = "error",
	[NETIF_RX_DROP_DROPPED] = "dropped",
	[NETIF_RX_DROP_BAD_STATUS] = "bad-status",
	[NETIF_RX_DROP_BAD_OFFSET] = "bad-offset",
	[NETIF_RX_DROP_TOO_MANY_SLOTS] = "too-many-slots",
	[NETIF_RX_DROP_TOO_LONG] = "too-long",
	[NETIF_RX_DROP_BAD_EXTRA] = "bad-extra",
	[NETIF_RX_DROP_GSO] = "gso",
	[NETIF_RX_DROP_EMPTY] = "empty",
};

const char *netif_rx_drop_name(unsigned reason)
{
	return reason < NETIF_RX_DROP_COUNT ? drop_names[reason] : "?";
}

void netif_rx_asm_init(struct netif_rx_asm *a)
{
	memset(a, 0, sizeof(*a));
}

unsigned netif_rx_asm_held(const struct netif_rx_asm *a)
{
	return a->held;
}

static void start_frame(struct netif_rx_asm *a)
{
	a->more_data = false;
	a->data_slots = 0;
	a->extras = 0;
	a->len = 0;
	a->flags = 0;
	a->reason = NETIF_RX_DROP_NONE;
	a->nfrags = 0;
}

/* Remember the first problem of a frame; later ones add nothing. */
static void doom(struct netif_rx_asm *a, enum netif_rx_drop reason)
{
	if (a->reason == NETIF_RX_DROP_NONE)
		a->reason = reason;
}

/* The fields every data slot must get right, in the order the driver
 * would use them: id (which buffer), status (how much), offset. */
static enum netif_rx_drop check_data(RING_IDX idx,
				     const struct netif_rx_response *rsp)
{
	if (rsp->id != (uint16_t)(idx & (NETIF_RX_RING_SIZE - 1)))
		return NETIF_RX_DROP_BAD_ID;
	if (rsp->status == NETIF_RSP_ERROR)
		return NETIF_RX_DROP_ERROR;
	if (rsp->status == NETIF_RSP_DROPPED)
		return NETIF_RX_DROP_DROPPED;
	if (rsp->status < 0)
		return NETIF_RX_DROP_BAD_STATUS;
	if ((uint32_t)rsp->offset + (uint32_t)rsp->status > NETIF_PAGE_SIZE)
		return NETIF_RX_DROP_BAD_OFFSET;
	return NETIF_RX_DROP_NONE;
}

static void feed_data(struct netif_rx_asm *a, RING_IDX idx,
		      const struct netif_rx_response *rsp)
{
	bool first = a->expect == EXPECT_FIRST;

	doom(a, check_data(idx, rsp));
	if (++a->data_slots > NETIF_RX_MAX_SLOTS)
		doom(a, NETIF_RX_DROP_TOO_MANY_SLOTS);
	if (a->reason == NETIF_RX_DROP_NONE) {
		/* status >= 0 here, and at most a page. */
		a->len += (uint32_t)rsp->status;
		if (a->len > NETIF_RX_FRAME_MAX)
			doom(a, NETIF_RX_DROP_TOO_LONG);
	}
	if (a->reason == NETIF_RX_DROP_NONE && rsp->status > 0) {
		/* data_slots <= NETIF_RX_MAX_SLOTS, so this fits. */
		struct netif_rx_frag *f = &a->frags[a->nfrags++];

		f->slot = idx;
		f->offset = rsp->offset;
		f->len = (uint16_t)rsp->status;
	}
	if (first) {
		a->flags = rsp->flags &
			   (NETRXF_data_validated | NETRXF_csum_blank);
		/* A GSO prefix slot holds no frame data; we never asked for
		 * one (feature-gso-tcpv4-prefix). */
		if (rsp->flags & NETRXF_gso_prefix)
			doom(a, NETIF_RX_DROP_GSO);
		a->more_data = rsp->flags & NETRXF_more_data;
		if (rsp->flags & NETRXF_extra_info) {
			a->expect = EXPECT_EXTRA;
			return;
		}
	} else if (rsp->flags & NETRXF_extra_info) {
		/* Extras follow the first slot only (netif.h, "Guest
		 * receive"); the framing still follows more_data. */
		doom(a, NETIF_RX_DROP_BAD_EXTRA);
	}
	a->expect =
		(rsp->flags & NETRXF_more_data) ? EXPECT_DATA : EXPECT_FIRST;
}

static void feed_extra(struct netif_rx_asm *a,
		       const struct netif_rx_response *rsp)
{
	struct netif_extra_info x;

	/* The slot holds a netif_extra_info, not a response: no id. It is
	 * the slot of the request it consumed (netif.h, "Extra Info"), so
	 * its buffer is recycled like any other. */
	memcpy(&x, rsp, sizeof(x));
	if (++a->extras > NETIF_RX_MAX_EXTRAS)
		doom(a, NETIF_RX_DROP_BAD_EXTRA);
	switch (x.type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		doom(a, NETIF_RX_DROP_GSO);
		break;
	case XEN_NETIF_EXTRA_TYPE_HASH:
		/* Information only; harmless to ignore. */
		break;
	default:
		/* NONE is invalid by definition, multicast extras only
		 * travel from frontend to backend, the rest are unknown. */
		doom(a, NETIF_RX_DROP_BAD_EXTRA);
		break;
	}
	if (x.flags & XEN_NETIF_EXTRA_FLAG_MORE)
		return;
	a->expect = a->more_data ? EXPECT_DATA : EXPECT_FIRST;
}

/* Hand every held slot back. */
static void give_back(struct netif_rx_asm *a, struct netif_rx_result *res)
{
	res->recycle_first = a->oldest;
	res->recycle_count = a->held;
	a->oldest += a->held;
	a->held = 0;
}

enum netif_rx_verdict netif_rx_asm_feed(struct netif_rx_asm *a, RING_IDX idx,
					const struct netif_rx_response *rsp,
					struct netif_rx_result *res)
{
	memset(res, 0, sizeof(*res));
	if (a->held == 0)
		a->oldest = idx;
	a->held++;
	if (a->expect == EXPECT_FIRST)
		start_frame(a);
	if (a->expect == EXPECT_EXTRA)
		feed_extra(a, rsp);
	else
		feed_data(a, idx, rsp);

	if (a->expect != EXPECT_FIRST) {
		/* A doomed frame's buffers carry nothing we will deliver:
		 * give them back now rather than at its end. */
		if (a->reason != NETIF_RX_DROP_NONE)
			give_back(a, res);
		return NETIF_RX_NEED_MORE;
	}
	if (a->reason == NETIF_RX_DROP_NONE && a->len == 0)
		a->reason = NETIF_RX_DROP_EMPTY;
	give_back(a, res);
	if (a->reason != NETIF_RX_DROP_NONE) {
		res->reason = a->reason;
		return NETIF_RX_DROP;
	}
	res->frags = a->frags;
	res->nfrags = a->nfrags;
	res->len = a->len;
	res->flags = a->flags;
	return NETIF_RX_FRAME;
}

bool netif_ring_rsp_prod_ok(RING_IDX rsp_prod, RING_IDX rsp_cons,
			    RING_IDX req_prod)
{
	/* Unsigned differences: correct across the 2^32 wrap. */
	return (RING_IDX)(rsp_prod - rsp_cons) <=
	       (RING_IDX)(req_prod - rsp_cons);
}

enum netif_tx_verdict netif_tx_check(const struct netif_tx_response *rsp,
				     const uint64_t *inflight, unsigned nids)
{
	/* Netback writes only the status of the slots after an extra-info
	 * request: their id is whatever was there before. */
	if (rsp->status == NETIF_RSP_NULL)
		return NETIF_TX_NULL;
	if (rsp->id >= nids || nids > NETIF_TX_RING_SIZE)
		return NETIF_TX_BAD_ID;
	if (!netif_tx_in_flight(inflight, rsp->id))
		return NETIF_TX_NOT_IN_FLIGHT;
	switch (rsp->status) {
	case NETIF_RSP_OKAY:
		return NETIF_TX_OKAY;
	case NETIF_RSP_ERROR:
		return NETIF_TX_ERROR;
	case NETIF_RSP_DROPPED:
		return NETIF_TX_DROPPED;
	default:
		return NETIF_TX_BAD_STATUS;
	}
}

uint16_t netif_tx_req_size(uint32_t len, unsigned slot)
{
	uint32_t start = slot * NETIF_PAGE_SIZE;

	if (slot == 0)
		return (uint16_t)len;
	if (start >= len)
		return 0;
	return (uint16_t)(len - start < NETIF_PAGE_SIZE ? len - start
							: NETIF_PAGE_SIZE);
}

int netif_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t out[6];
	unsigned i;

	for (i = 0; i < 6; i++) {
		int hi = ascii_digit_value(s[3 * i]), lo;

		/* s[3i] is not NUL here, so s[3i + 1] can be read. */
		if (hi < 0)
			return -EINVAL;
		lo = ascii_digit_value(s[3 * i + 1]);
		if (lo < 0)
			return -EINVAL;
		if (s[3 * i + 2] != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (out[0] & 1)
		return -EINVAL;
	if (!(out[0] | out[1] | out[2] | out[3] | out[4] | out[5]))
		return -EINVAL;
	memcpy(mac, out, sizeof(out));
	return 0;
}
