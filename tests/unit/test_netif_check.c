/*
 * Host tests for drivers/netif_check.c: the receive frame assembler
 * driven through a real netif rx ring page (the test plays netback on one
 * side and netfront's consume/recycle loop on the other), every kind of
 * bad response (wrong and out-of-range ids, error statuses, offset+size
 * past the page, too many slots, too long, extra-info chains, GSO),
 * exact buffer accounting in every case, the 2^32 index wrap, tx
 * completions (range, duplicates, statuses), tx request sizes, MAC
 * parsing, and a seeded random fuzz of the assembler.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/netif_check.h"
#include "tests/unit/check.h"

/* ring.h's push and final-check macros want these. */
#define xen_mb() __sync_synchronize()
#define xen_rmb() __sync_synchronize()
#define xen_wmb() __sync_synchronize()

#define RX_MASK (NETIF_RX_RING_SIZE - 1)
#define MAX_HELD (NETIF_RX_MAX_SLOTS + NETIF_RX_MAX_EXTRAS)

/* One ring page, the assembler, and what the fake driver saw. */
static struct harness {
	union {
		struct netif_rx_sring s;
		uint8_t bytes[NETIF_PAGE_SIZE];
	} * page;
	struct netif_rx_front_ring front;
	RING_IDX be_prod; /* the backend's private response producer */
	struct netif_rx_asm a;
	RING_IDX next_recycle; /* the slot the next recycle must start at */
	unsigned fed, recycled, max_held;
	bool order_broken;  /* a recycle run did not start at next_recycle */
	bool repost_broken; /* a reposted request got the wrong id */
	unsigned frames, drops[NETIF_RX_DROP_COUNT];
	/* The last verdict and a copy of its frame. */
	enum netif_rx_verdict last;
	enum netif_rx_drop last_reason;
	struct netif_rx_frag frags[NETIF_RX_MAX_SLOTS];
	unsigned nfrags;
	uint32_t len;
	uint16_t flags;
	unsigned need_more;
} h;

/* Start with every request posted, as netfront does, at ring index
 * start (to test the 2^32 wrap). */
static void h_reset(RING_IDX start)
{
	void *page = h.page;
	RING_IDX i;

	memset(&h, 0, sizeof(h));
	h.page = page != NULL ? page
			      : aligned_alloc(NETIF_PAGE_SIZE, NETIF_PAGE_SIZE);
	memset(h.page, 0, NETIF_PAGE_SIZE);
	SHARED_RING_INIT(&h.page->s);
	FRONT_RING_INIT(&h.front, &h.page->s, NETIF_PAGE_SIZE);
	h.page->s.req_prod = h.page->s.rsp_prod = start;
	h.page->s.req_event = h.page->s.rsp_event = start + 1;
	h.front.req_prod_pvt = h.front.rsp_cons = start;
	h.be_prod = start;
	h.next_recycle = start;
	for (i = 0; i < NETIF_RX_RING_SIZE; i++) {
		netif_rx_request_t *req =
			RING_GET_REQUEST(&h.front, h.front.req_prod_pvt);

		req->id = (uint16_t)(h.front.req_prod_pvt & RX_MASK);
		req->gref = 1000 + req->id;
		h.front.req_prod_pvt++;
	}
	h.page->s.req_prod = h.front.req_prod_pvt;
	netif_rx_asm_init(&h.a);
}

/* Play netback: write one response into the next slot. */
static void be_rsp(uint16_t id, uint16_t offset, uint16_t flags, int16_t status)
{
	netif_rx_response_t *r = RING_GET_RESPONSE(&h.front, h.be_prod);

	r->id = id;
	r->offset = offset;
	r->flags = flags;
	r->status = status;
	h.be_prod++;
}

/* A well-formed data slot: the id its slot demands. */
static void be_data(uint16_t offset, uint16_t flags, int16_t status)
{
	be_rsp((uint16_t)(h.be_prod & RX_MASK), offset, flags, status);
}

static void be_extra(uint8_t type, uint8_t flags)
{
	struct netif_extra_info x;

	memset(&x, 0xa5, sizeof(x)); /* an extra carries no id */
	x.type = type;
	x.flags = flags;
	memcpy(RING_GET_RESPONSE(&h.front, h.be_prod), &x, sizeof(x));
	h.be_prod++;
}

static void be_publish(void)
{
	h.page->s.rsp_prod = h.be_prod;
}

/* Hand slots back as netfront does: each becomes the request at
 * req_prod_pvt, whose id must be the slot's own number. */
static void recycle(const struct netif_rx_result *res)
{
	unsigned i;

	if (res->recycle_count == 0)
		return;
	if (res->recycle_first != h.next_recycle)
		h.order_broken = true;
	for (i = 0; i < res->recycle_count; i++) {
		RING_IDX slot = res->recycle_first + i;
		netif_rx_request_t *req =
			RING_GET_REQUEST(&h.front, h.front.req_prod_pvt);

		if ((h.front.req_prod_pvt & RX_MASK) != (slot & RX_MASK))
			h.repost_broken = true;
		req->id = (uint16_t)(h.front.req_prod_pvt & RX_MASK);
		req->gref = 1000 + req->id;
		h.front.req_prod_pvt++;
	}
	h.next_recycle = res->recycle_first + res->recycle_count;
	h.recycled += res->recycle_count;
}

static void note(enum netif_rx_verdict v, const struct netif_rx_result *res)
{
	h.last = v;
	if (v == NETIF_RX_NEED_MORE) {
		h.need_more++;
		return;
	}
	if (v == NETIF_RX_DROP) {
		h.last_reason = res->reason;
		h.drops[res->reason]++;
		return;
	}
	h.frames++;
	h.last_reason = NETIF_RX_DROP_NONE;
	h.nfrags = res->nfrags;
	memcpy(h.frags, res->frags, res->nfrags * sizeof(*res->frags));
	h.len = res->len;
	h.flags = res->flags;
}

/* Play netfront's consumer: copy each response out, feed it, use the
 * frame, recycle, push; the RING_FINAL_CHECK idiom. Returns false if
 * the backend published an impossible rsp_prod. */
static bool drv_poll(void)
{
	int more, notify;

	do {
		RING_IDX prod = h.page->s.rsp_prod;

		if (!netif_ring_rsp_prod_ok(prod, h.front.rsp_cons,
					    h.front.req_prod_pvt))
			return false;
		while (h.front.rsp_cons != prod) {
			struct netif_rx_response rsp =
				*RING_GET_RESPONSE(&h.front, h.front.rsp_cons);
			struct netif_rx_result res;
			enum netif_rx_verdict v = netif_rx_asm_feed(
				&h.a, h.front.rsp_cons, &rsp, &res);

			h.front.rsp_cons++;
			h.fed++;
			note(v, &res);
			recycle(&res);
			if (netif_rx_asm_held(&h.a) > h.max_held)
				h.max_held = netif_rx_asm_held(&h.a);
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&h.front, notify);
		(void)notify;
		RING_FINAL_CHECK_FOR_RESPONSES(&h.front, more);
	} while (more);
	return true;
}

/* Every fed slot handed back exactly once, in order, none held, and the
 * ring full of requests again. */
static void check_all_back(void)
{
	CHECK(!h.order_broken);
	CHECK(!h.repost_broken);
	CHECK(netif_rx_asm_held(&h.a) == 0);
	CHECK(h.recycled == h.fed);
	CHECK(h.front.req_prod_pvt - h.front.rsp_cons == NETIF_RX_RING_SIZE);
	CHECK(h.page->s.req_prod == h.front.req_prod_pvt);
}

static void test_rx_single_slot(void)
{
	h_reset(0);
	be_data(0, NETRXF_data_validated | NETRXF_csum_blank, 60);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME);
	CHECK(h.frames == 1 && h.fed == 1);
	CHECK(h.nfrags == 1 && h.frags[0].slot == 0);
	CHECK(h.frags[0].offset == 0 && h.frags[0].len == 60);
	CHECK(h.len == 60);
	CHECK(h.flags == (NETRXF_data_validated | NETRXF_csum_blank));
	check_all_back();
	CHECK_OK();
	/* The next frame's flags are its own. */
	be_data(128, 0, 1514);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.frames == 2 && h.flags == 0 && h.len == 1514);
	CHECK(h.frags[0].slot == 1 && h.frags[0].offset == 128);
	check_all_back();
}

static void test_rx_multi_slot(void)
{
	h_reset(0);
	be_data(0, NETRXF_more_data, 4096);
	be_data(0, NETRXF_more_data, 4096);
	be_publish();
	CHECK(drv_poll());
	/* Half a frame: its buffers stay with the driver. */
	CHECK(h.last == NETIF_RX_NEED_MORE && h.recycled == 0);
	CHECK(netif_rx_asm_held(&h.a) == 2);
	be_data(10, 0, 100);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.nfrags == 3);
	CHECK(h.len == 4096 + 4096 + 100);
	CHECK(h.frags[1].slot == 1 && h.frags[2].slot == 2);
	CHECK(h.frags[2].offset == 10 && h.frags[2].len == 100);
	check_all_back();
	CHECK_OK();
	/* A zero-length middle slot is legal and yields no fragment. */
	be_data(0, NETRXF_more_data, 100);
	be_data(0, NETRXF_more_data, 0);
	be_data(0, 0, 50);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.nfrags == 2 && h.len == 150);
	check_all_back();
}

static void test_rx_bad_ids(void)
{
	static const uint16_t bad[] = { 1, 255, 256, 300, 0xffff };
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h_reset(0);
		be_rsp(bad[i], 0, 0, 60); /* slot 0 demands id 0 */
		be_publish();
		CHECK(drv_poll());
		CHECK(h.last == NETIF_RX_DROP);
		CHECK(h.last_reason == NETIF_RX_DROP_BAD_ID);
		check_all_back();
		CHECK_OK();
	}
	/* A wrong id mid-frame: the slots so far go back at once, the
	 * rest as they come, and the frame is dropped at its end. */
	h_reset(0);
	be_data(0, NETRXF_more_data, 4096);
	be_rsp(7, 0, NETRXF_more_data, 4096);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_NEED_MORE && h.recycled == 2);
	be_data(0, NETRXF_more_data, 4096);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.recycled == 3 && netif_rx_asm_held(&h.a) == 0);
	be_data(0, 0, 10);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_DROP && h.drops[NETIF_RX_DROP_BAD_ID] == 1);
	CHECK(h.frames == 0);
	check_all_back();
	CHECK_OK();
	/* The ring is in step again: the next frame is fine. */
	be_data(0, 0, 60);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.frames == 1);
	check_all_back();
}

static void test_rx_error_statuses(void)
{
	h_reset(0);
	be_data(0, 0, NETIF_RSP_ERROR);
	be_data(0, 0, NETIF_RSP_DROPPED);
	be_data(0, 0, -3);
	be_data(0, 0, INT16_MIN);
	be_data(0, NETRXF_more_data, 100);
	be_data(0, 0, NETIF_RSP_ERROR);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.drops[NETIF_RX_DROP_ERROR] == 2);
	CHECK(h.drops[NETIF_RX_DROP_DROPPED] == 1);
	CHECK(h.drops[NETIF_RX_DROP_BAD_STATUS] == 2);
	CHECK(h.frames == 0);
	check_all_back();
}

static void test_rx_offsets(void)
{
	h_reset(0);
	be_data(4000, 0, 97);  /* 4097: one past the page */
	be_data(4095, 0, 1);   /* the last byte: fine */
	be_data(0, 0, 4096);   /* the whole page: fine */
	be_data(0xffff, 0, 1); /* offset alone past the page */
	be_data(4096, 0, 0);   /* nothing at the end: empty, not bad */
	be_publish();
	CHECK(drv_poll());
	CHECK(h.drops[NETIF_RX_DROP_BAD_OFFSET] == 2);
	CHECK(h.drops[NETIF_RX_DROP_EMPTY] == 1);
	CHECK(h.frames == 2);
	check_all_back();
}

static void test_rx_slot_limits(void)
{
	unsigned i;

	/* Exactly NETIF_RX_MAX_SLOTS slots is a frame. */
	h_reset(0);
	for (i = 0; i < NETIF_RX_MAX_SLOTS; i++)
		be_data(0, i + 1 < NETIF_RX_MAX_SLOTS ? NETRXF_more_data : 0,
			100);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.nfrags == NETIF_RX_MAX_SLOTS);
	check_all_back();
	CHECK_OK();
	/* One more is dropped, and a backend that never ends the frame
	 * cannot make the driver hold more than the limit. */
	h_reset(0);
	for (i = 0; i < 1000; i++) {
		be_data(0, NETRXF_more_data, 100);
		be_publish();
		CHECK(drv_poll());
	}
	CHECK(h.max_held == NETIF_RX_MAX_SLOTS);
	CHECK(h.recycled == 1000);
	be_data(0, 0, 100);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last_reason == NETIF_RX_DROP_TOO_MANY_SLOTS);
	check_all_back();
}

static void test_rx_lengths(void)
{
	unsigned i;

	/* 16 full pages plus 13 bytes is the longest frame. */
	h_reset(0);
	for (i = 0; i < 16; i++)
		be_data(0, NETRXF_more_data, 4096);
	be_data(0, 0, 13);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.len == NETIF_RX_FRAME_MAX);
	check_all_back();
	CHECK_OK();
	/* One byte more is not. */
	for (i = 0; i < 16; i++)
		be_data(0, NETRXF_more_data, 4096);
	be_data(0, 0, 14);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_DROP);
	CHECK(h.last_reason == NETIF_RX_DROP_TOO_LONG);
	check_all_back();
	CHECK_OK();
	be_data(0, 0, 0);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last_reason == NETIF_RX_DROP_EMPTY);
	check_all_back();
}

static void test_rx_extras(void)
{
	/* First slot, two hash extras chained, then a data slot. */
	h_reset(0);
	be_data(0, NETRXF_extra_info | NETRXF_more_data, 1000);
	be_extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE);
	be_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
	be_data(0, 0, 500);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last == NETIF_RX_FRAME && h.nfrags == 2 && h.len == 1500);
	CHECK(h.frags[0].slot == 0 && h.frags[1].slot == 3);
	CHECK(h.need_more == 3);
	check_all_back();
	CHECK_OK();
	/* An extra ends a single-slot frame when more_data is clear. */
	be_data(0, NETRXF_extra_info, 60);
	be_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.frames == 2 && h.len == 60);
	check_all_back();
	CHECK_OK();
	/* GSO was never asked for: the whole frame goes. */
	be_data(0, NETRXF_extra_info | NETRXF_more_data, 4096);
	be_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	be_data(0, 0, 4096);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last_reason == NETIF_RX_DROP_GSO);
	check_all_back();
	CHECK_OK();
	be_data(0, NETRXF_gso_prefix, 60);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.last_reason == NETIF_RX_DROP_GSO);
	CHECK(h.drops[NETIF_RX_DROP_GSO] == 2);
	check_all_back();
}

static void test_rx_bad_extras(void)
{
	static const uint8_t types[] = { XEN_NETIF_EXTRA_TYPE_NONE,
					 XEN_NETIF_EXTRA_TYPE_MCAST_ADD,
					 XEN_NETIF_EXTRA_TYPE_MCAST_DEL,
					 XEN_NETIF_EXTRA_TYPE_MAX, 0xff };
	unsigned i;

	h_reset(0);
	for (i = 0; i < sizeof(types); i++) {
		be_data(0, NETRXF_extra_info, 60);
		be_extra(types[i], 0);
	}
	be_publish();
	CHECK(drv_poll());
	CHECK(h.drops[NETIF_RX_DROP_BAD_EXTRA] == sizeof(types));
	check_all_back();
	CHECK_OK();
	/* Too long a chain, even of harmless extras. */
	be_data(0, NETRXF_extra_info, 60);
	for (i = 0; i < NETIF_RX_MAX_EXTRAS; i++)
		be_extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE);
	be_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.drops[NETIF_RX_DROP_BAD_EXTRA] == sizeof(types) + 1);
	check_all_back();
	CHECK_OK();
	/* An endless chain is handed back as it goes. */
	be_data(0, NETRXF_extra_info, 60);
	for (i = 0; i < 600; i++) {
		be_extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE);
		be_publish();
		CHECK(drv_poll());
	}
	CHECK(h.max_held <= MAX_HELD);
	be_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
	be_publish();
	CHECK(drv_poll());
	check_all_back();
	CHECK_OK();
	/* Extra info flagged on a later slot. */
	be_data(0, NETRXF_more_data, 100);
	be_data(0, NETRXF_extra_info, 100);
	be_publish();
	CHECK(drv_poll());
	CHECK(h.drops[NETIF_RX_DROP_BAD_EXTRA] == sizeof(types) + 3);
	check_all_back();
}

static void test_rx_wrap(void)
{
	unsigned i;

	/* Frames across the 2^32 index wrap and the ring's own wrap. */
	h_reset(0xfffffff0u);
	for (i = 0; i < 300; i++) {
		be_data(0, NETRXF_extra_info | NETRXF_more_data, 1000);
		be_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
		be_data(0, 0, 1000);
		be_publish();
		CHECK(drv_poll());
		CHECK(h.last == NETIF_RX_FRAME && h.len == 2000);
	}
	CHECK(h.frames == 300);
	check_all_back();
}

static void test_rx_bad_prod(void)
{
	h_reset(0xffffff00u);
	/* One more response than there are requests. */
	h.page->s.rsp_prod = h.front.rsp_cons + NETIF_RX_RING_SIZE + 1;
	CHECK(!drv_poll());
	CHECK(h.fed == 0);
	/* Behind what we consumed. */
	h.page->s.rsp_prod = h.front.rsp_cons - 1;
	CHECK(!drv_poll());
	CHECK(netif_ring_rsp_prod_ok(5, 5, 5));
	CHECK(netif_ring_rsp_prod_ok(0x2, 0xfffffffe, 0x3));
	CHECK(!netif_ring_rsp_prod_ok(0x4, 0xfffffffe, 0x3));
}

static void test_tx_check(void)
{
	uint64_t map[NETIF_TX_BITMAP_WORDS(128)] = { 0 };
	struct netif_tx_response r;

	netif_tx_set(map, 0, true);
	netif_tx_set(map, 64, true);
	netif_tx_set(map, 127, true);
	r.id = 128;
	r.status = NETIF_RSP_OKAY;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_BAD_ID);
	r.id = 0xffff;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_BAD_ID);
	r.id = 5;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_NOT_IN_FLIGHT);
	r.id = 64;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_OKAY);
	netif_tx_set(map, 64, false);
	/* The same completion again is a duplicate. */
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_NOT_IN_FLIGHT);
	CHECK(netif_tx_in_flight(map, 0) && netif_tx_in_flight(map, 127));
	r.id = 0;
	r.status = NETIF_RSP_ERROR;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_ERROR);
	r.status = NETIF_RSP_DROPPED;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_DROPPED);
	r.status = -7;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_BAD_STATUS);
	r.status = 2;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_BAD_STATUS);
	/* NULL answers an extra slot whatever its id says. */
	r.status = NETIF_RSP_NULL;
	r.id = 0xffff;
	CHECK(netif_tx_check(&r, map, 128) == NETIF_TX_NULL);
	CHECK(netif_tx_releases(NETIF_TX_OKAY));
	CHECK(netif_tx_releases(NETIF_TX_BAD_STATUS));
	CHECK(!netif_tx_releases(NETIF_TX_NULL));
	CHECK(!netif_tx_releases(NETIF_TX_BAD_ID));
	CHECK(!netif_tx_releases(NETIF_TX_NOT_IN_FLIGHT));
	/* A caller claiming more ids than the ring has is refused. */
	r.id = 0;
	r.status = NETIF_RSP_OKAY;
	CHECK(netif_tx_check(&r, map, NETIF_TX_RING_SIZE + 1) ==
	      NETIF_TX_BAD_ID);
}

/* Replay a burst of tx completions against a model pool: every id
 * completes once, duplicates and strays change nothing. */
static void test_tx_duplicates(void)
{
	uint64_t map[NETIF_TX_BITMAP_WORDS(256)] = { 0 };
	unsigned i, released = 0, skipped = 0, n = 0;

	check_seed(7);
	for (i = 0; i < 256; i++)
		netif_tx_set(map, i, true);
	for (i = 0; i < 4096; i++) {
		struct netif_tx_response r;
		enum netif_tx_verdict v;

		r.id = (uint16_t)check_rand_below(300);
		r.status = (int16_t)(check_rand_below(4) - 2);
		v = netif_tx_check(&r, map, 256);
		if (netif_tx_releases(v)) {
			CHECK(netif_tx_in_flight(map, r.id));
			netif_tx_set(map, r.id, false);
			released++;
		} else {
			skipped++;
		}
	}
	for (i = 0; i < 256; i++)
		n += netif_tx_in_flight(map, i);
	CHECK(released + n == 256);
	CHECK(released + skipped == 4096);
}

static void test_tx_sizes(void)
{
	CHECK(netif_tx_slots(1) == 1 && netif_tx_slots(4096) == 1);
	CHECK(netif_tx_slots(4097) == 2);
	CHECK(netif_tx_slots(NETIF_TX_FRAME_MAX) == 16);
	CHECK(netif_tx_req_size(60, 0) == 60);
	CHECK(netif_tx_req_size(9000, 0) == 9000);
	CHECK(netif_tx_req_size(9000, 1) == 4096);
	CHECK(netif_tx_req_size(9000, 2) == 9000 - 8192);
	CHECK(netif_tx_req_size(9000, 3) == 0);
	CHECK(netif_tx_req_size(NETIF_TX_FRAME_MAX, 0) == 0xffff);
	CHECK(netif_tx_req_size(NETIF_TX_FRAME_MAX, 15) == 0xffff - 15 * 4096);
}

static void test_mac(void)
{
	static const char *const bad[] = {
		"",
		"00:16:3e:01:02",
		"00:16:3e:01:02:03:",
		"00:16:3e:01:02:0",
		"00-16-3e-01-02-03",
		"0:16:3e:01:02:03",
		"00:16:3g:01:02:03",
		"01:16:3e:01:02:03", /* multicast */
		"00:00:00:00:00:00",
		"ff:ff:ff:ff:ff:ff",
		" 00:16:3e:01:02:03",
		"00:16:3e:01:02:03 ",
	};
	uint8_t mac[6] = { 9, 9, 9, 9, 9, 9 };
	unsigned i;

	CHECK(netif_parse_mac("00:16:3e:0a:Bc:fF", mac) == 0);
	CHECK(mac[0] == 0 && mac[1] == 0x16 && mac[2] == 0x3e);
	CHECK(mac[3] == 0x0a && mac[4] == 0xbc && mac[5] == 0xff);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Exact-size heap copies so ASan sees any over-read. */
		size_t n = strlen(bad[i]) + 1;
		char *s = malloc(n);

		memcpy(s, bad[i], n);
		CHECK(netif_parse_mac(s, mac) == -EINVAL);
		free(s);
		CHECK(mac[0] == 0 && mac[5] == 0xff); /* untouched */
	}
	CHECK(strcmp(netif_rx_drop_name(NETIF_RX_DROP_GSO), "gso") == 0);
	CHECK(strcmp(netif_rx_drop_name(NETIF_RX_DROP_COUNT), "?") == 0);
	for (i = 0; i < NETIF_RX_DROP_COUNT; i++)
		CHECK(netif_rx_drop_name(i) != NULL);
}

/* A backend writing random slots, biased towards plausible ones, in
 * random bursts. Whatever it writes: slots go back exactly once and in
 * order, the driver never holds more than a frame's worth, and every
 * frame delivered obeys every rule. */
static unsigned fuzz_run; /* slots left in a run of full pages */

static void fuzz_slot(void)
{
	unsigned k = (unsigned)check_rand_below(100);
	uint16_t id = (uint16_t)(h.be_prod & RX_MASK);
	uint16_t flags = 0;
	int16_t status = (int16_t)check_rand_below(4097);
	uint16_t offset = (uint16_t)check_rand_below(4097 - (unsigned)status);

	if (fuzz_run == 0 && check_rand_below(200) == 0)
		fuzz_run = 15 + (unsigned)check_rand_below(6);
	if (fuzz_run > 0) {
		/* Long frames, to reach the length and slot limits. */
		fuzz_run--;
		be_data(0, fuzz_run > 0 ? NETRXF_more_data : 0,
			(int16_t)(4096 - check_rand_below(2)));
		return;
	}
	if (k < 30)
		flags |= NETRXF_more_data;
	if (k % 10 == 0)
		flags |= NETRXF_extra_info;
	if (k % 7 == 0)
		flags |= NETRXF_data_validated | NETRXF_csum_blank;
	if (k == 1)
		id = (uint16_t)check_rand();
	if (k == 2)
		status = (int16_t) - (int16_t)check_rand_below(5);
	if (k == 3)
		offset = (uint16_t)check_rand();
	if (k == 4)
		flags = (uint16_t)check_rand();
	if (k >= 90) {
		/* Sometimes an extra-info-looking slot in a data place and
		 * the other way round: the framing follows the flags. */
		be_extra((uint8_t)check_rand_below(6),
			 (uint8_t)check_rand_below(2));
		return;
	}
	be_rsp(id, offset, flags, status);
}

static void test_rx_fuzz(void)
{
	unsigned seen[NETIF_RX_DROP_COUNT] = { 0 };
	unsigned round, i;

	check_seed(0x5eed);
	for (round = 0; round < 20; round++) {
		unsigned slots = 0, frames_before;

		h_reset((RING_IDX)check_rand());
		while (slots < 20000) {
			unsigned burst =
				1 + (unsigned)check_rand_below(
					    NETIF_RX_RING_SIZE -
					    (h.be_prod - h.front.rsp_cons));

			/* Never more responses than requests posted. */
			if (h.front.req_prod_pvt - h.be_prod < burst)
				burst = h.front.req_prod_pvt - h.be_prod;
			for (i = 0; i < burst; i++)
				fuzz_slot();
			slots += burst;
			be_publish();
			frames_before = h.frames;
			CHECK(drv_poll());
			CHECK(!h.order_broken && !h.repost_broken);
			CHECK(h.max_held <= MAX_HELD);
			CHECK(h.recycled + netif_rx_asm_held(&h.a) == h.fed);
			if (h.frames != frames_before) {
				uint32_t sum = 0;

				CHECK(h.nfrags >= 1 &&
				      h.nfrags <= NETIF_RX_MAX_SLOTS);
				for (i = 0; i < h.nfrags; i++) {
					CHECK(h.frags[i].len > 0);
					CHECK(h.frags[i].offset +
						      h.frags[i].len <=
					      NETIF_PAGE_SIZE);
					sum += h.frags[i].len;
				}
				CHECK(sum == h.len &&
				      sum <= NETIF_RX_FRAME_MAX);
			}
		}
		CHECK(h.frames > 0);
		for (i = 1; i < NETIF_RX_DROP_COUNT; i++)
			seen[i] += h.drops[i];
	}
	/* The fuzz reaches every kind of drop. */
	for (i = 1; i < NETIF_RX_DROP_COUNT; i++) {
		if (seen[i] == 0)
			printf("fuzz never saw %s\n", netif_rx_drop_name(i));
		CHECK(seen[i] > 0);
	}
}

int main(void)
{
	RUN(rx_single_slot, "one-slot frames: fragment, length, checksum "
			    "flags, buffer reposted with its slot's id");
	RUN(rx_multi_slot, "multi-slot frames are held until complete; "
			   "zero-length slots add no fragment");
	RUN(rx_bad_ids, "wrong and out-of-range ids drop the frame, "
			"mid-frame too, and the ring stays in step");
	RUN(rx_error_statuses, "ERROR, DROPPED and other negative statuses "
			       "are counted apart");
	RUN(rx_offsets, "offset+size past the page is dropped, the last "
			"byte of the page is fine");
	RUN(rx_slot_limits, "18 slots pass, 19 drop; an endless frame never "
			    "holds more than 18 buffers");
	RUN(rx_lengths, "65549 bytes pass, 65550 and 0 drop");
	RUN(rx_extras, "extra-info chains are consumed and recycled; GSO "
		       "extras and prefixes drop the frame");
	RUN(rx_bad_extras, "unknown types, long and endless chains, extras "
			   "after a later slot");
	RUN(rx_wrap, "frames across the 2^32 index wrap");
	RUN(rx_bad_prod, "rsp_prod beyond the requests or behind rsp_cons "
			 "is refused before any slot is read");
	RUN(tx_check, "tx ids out of range, not in flight, duplicated; "
		      "statuses; NULL");
	RUN(tx_duplicates, "4096 random completions release each id at most "
			   "once");
	RUN(tx_sizes, "tx request sizes: the whole frame first, then pages");
	RUN(mac, "MAC strings: exact format, no multicast, no zero");
	RUN(rx_fuzz, "20 rounds of 20000 random slots: exact recycling, "
		     "bounded holding, every frame valid");
	return check_exit();
}
