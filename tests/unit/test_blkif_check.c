/*
 * Host tests for drivers/blkif_check.c: response verdicts (ids out of
 * range, not in flight, duplicated, a wrong operation, every status),
 * the response-producer check across the 2^32 wrap, segment layout and
 * limits, virtual-device decoding and Linux's disk names, sector sizes,
 * and a seeded fuzz that plays a backend answering through a real blkif
 * ring page with garbage mixed in: every request completes exactly once,
 * with the status its real answer carried, and nothing else completes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/blkif_check.h"
#include "tests/unit/check.h"

/* ring.h's push and final-check macros want these. */
#define xen_mb() __sync_synchronize()
#define xen_rmb() __sync_synchronize()
#define xen_wmb() __sync_synchronize()

#define NIDS 32

static struct blkif_response rsp(uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.operation = op;
	r.status = status;
	return r;
}

static void test_verdicts(void)
{
	struct blkif_sent sent[NIDS];
	struct blkif_response r;

	memset(sent, 0, sizeof(sent));
	sent[3] = (struct blkif_sent){ true, BLKIF_OP_READ };
	sent[4] = (struct blkif_sent){ true, BLKIF_OP_WRITE };
	sent[5] = (struct blkif_sent){ true, BLKIF_OP_FLUSH_DISKCACHE };

	r = rsp(3, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_OKAY);
	r = rsp(4, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_ERROR);
	r = rsp(5, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_NOTSUPP);
	r = rsp(5, BLKIF_OP_FLUSH_DISKCACHE, 7);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_STATUS);
	r = rsp(5, BLKIF_OP_FLUSH_DISKCACHE, -3);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_STATUS);
	/* The wrong operation is not an answer to that request. */
	r = rsp(3, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_OP);
	r = rsp(3, BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_OP);
	/* Ids: free, the last valid, just past, far past (64 bits). */
	r = rsp(6, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_NOT_IN_FLIGHT);
	r = rsp(NIDS - 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_NOT_IN_FLIGHT);
	r = rsp(NIDS, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_ID);
	r = rsp(1ull << 32 | 3, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	CHECK(blkif_rsp_check(&r, sent, NIDS) == BLKIF_V_BAD_ID);

	CHECK(blkif_verdict_releases(BLKIF_V_OKAY));
	CHECK(blkif_verdict_releases(BLKIF_V_BAD_STATUS));
	CHECK(!blkif_verdict_releases(BLKIF_V_BAD_OP));
	CHECK(!blkif_verdict_releases(BLKIF_V_NOT_IN_FLIGHT));
	CHECK(!blkif_verdict_releases(BLKIF_V_BAD_ID));
	CHECK(blkif_verdict_errno(BLKIF_V_OKAY) == 0);
	CHECK(blkif_verdict_errno(BLKIF_V_ERROR) == -EIO);
	CHECK(blkif_verdict_errno(BLKIF_V_BAD_STATUS) == -EIO);
	CHECK(blkif_verdict_errno(BLKIF_V_NOTSUPP) == -EOPNOTSUPP);
	CHECK(strcmp(blkif_verdict_name(BLKIF_V_BAD_OP), "bad-op") == 0);
	CHECK(strcmp(blkif_verdict_name(BLKIF_V_COUNT), "?") == 0);
}

static void test_rsp_prod(void)
{
	CHECK(blkif_ring_rsp_prod_ok(5, 5, 5));
	CHECK(blkif_ring_rsp_prod_ok(7, 5, 9));
	CHECK(blkif_ring_rsp_prod_ok(9, 5, 9));
	CHECK(!blkif_ring_rsp_prod_ok(10, 5, 9));
	CHECK(!blkif_ring_rsp_prod_ok(4, 5, 9)); /* behind rsp_cons */
	/* Across the wrap. */
	CHECK(blkif_ring_rsp_prod_ok(2, 0xfffffffeu, 4));
	CHECK(!blkif_ring_rsp_prod_ok(5, 0xfffffffeu, 4));
}

static void test_segments(void)
{
	uint8_t first, last;

	CHECK(BLKIF_RING_SIZE(0) == 32);
	CHECK(BLKIF_RING_SIZE(2) == 128);
	CHECK(blkif_segs_for(512) == 1);
	CHECK(blkif_segs_for(4096) == 1);
	CHECK(blkif_segs_for(4608) == 2);
	CHECK(blkif_segs_for(1 << 20) == 256);
	CHECK(blkif_indirect_pages_for(1) == 1);
	CHECK(blkif_indirect_pages_for(512) == 1);
	CHECK(blkif_indirect_pages_for(513) == 2);
	blkif_seg_sects(4608, 0, &first, &last);
	CHECK(first == 0 && last == 7);
	blkif_seg_sects(4608, 1, &first, &last);
	CHECK(first == 0 && last == 0);
	blkif_seg_sects(512, 0, &first, &last);
	CHECK(first == 0 && last == 0);
	blkif_seg_sects(3 * 4096, 2, &first, &last);
	CHECK(last == 7);
	CHECK(blkif_max_segs(0, 256) == BLKIF_MAX_SEGMENTS_PER_REQUEST);
	CHECK(blkif_max_segs(5, 256) == BLKIF_MAX_SEGMENTS_PER_REQUEST);
	CHECK(blkif_max_segs(32, 256) == 32);
	CHECK(blkif_max_segs(256, 256) == 256);
	CHECK(blkif_max_segs(1000, 256) == 256);
	CHECK(blkif_max_segs(~0ull, ~0u) ==
	      BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
		      BLKIF_SEGS_PER_INDIRECT_PAGE);
}

static bool merges(uint8_t op_a, uint64_t sec_a, uint64_t len_a, uint8_t op_b,
		   uint64_t sec_b, uint64_t len_b, unsigned nsegs,
		   unsigned max_segs)
{
	struct blkif_extent a = { op_a, sec_a, len_a };
	struct blkif_extent b = { op_b, sec_b, len_b };

	return blkif_continues(&a, &b, nsegs, max_segs);
}

static void test_merging(void)
{
	const uint8_t R = BLKIF_OP_READ, W = BLKIF_OP_WRITE;

	/* Neighbours of the same kind merge, either kind. */
	CHECK(merges(R, 0, 4096, R, 8, 4096, 1, 11));
	CHECK(merges(W, 100, 8192, W, 116, 512, 2, 256));
	/* Not the next sector, before, overlapping, or a gap. */
	CHECK(!merges(R, 0, 4096, R, 9, 4096, 1, 11));
	CHECK(!merges(R, 8, 4096, R, 0, 4096, 1, 11));
	CHECK(!merges(R, 0, 4096, R, 7, 4096, 1, 11));
	/* Different kinds, and kinds that never merge. */
	CHECK(!merges(R, 0, 4096, W, 8, 4096, 1, 11));
	CHECK(!merges(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, BLKIF_OP_FLUSH_DISKCACHE,
		      0, 0, 0, 11));
	CHECK(!merges(BLKIF_OP_DISCARD, 0, 4096, BLKIF_OP_DISCARD, 8, 4096, 1,
		      11));
	/* a must end on a page boundary: its last segment is partial. */
	CHECK(!merges(W, 0, 512, W, 1, 512, 1, 11));
	CHECK(!merges(W, 0, 4608, W, 9, 4096, 2, 11));
	/* Room: exactly full is fine, one over is not. */
	CHECK(merges(R, 0, 40960, R, 80, 4096, 10, 11));
	CHECK(!merges(R, 0, 40960, R, 80, 8192, 10, 11));
	CHECK(merges(R, 0, 4096, R, 8, 255 * 4096, 1, 256));
	CHECK(!merges(R, 0, 4096, R, 8, 255 * 4096 + 512, 1, 256));
	/* A chain already over the limit takes nothing more. */
	CHECK(!merges(R, 0, 4096, R, 8, 4096, 12, 11));
}

static bool name_is(uint64_t vdev, const char *want)
{
	unsigned disk, part;
	char name[16];

	if (blkif_vdev_decode(vdev, &disk, &part) != 0)
		return false;
	if (blkif_disk_name(disk, part, name, sizeof(name)) != 0)
		return false;
	if (strcmp(name, want) != 0)
		printf("vdev %#llx: %s, want %s\n", (unsigned long long)vdev,
		       name, want);
	return strcmp(name, want) == 0;
}

static void test_vdev_names(void)
{
	unsigned disk, part;
	char small[5];

	CHECK(name_is(51712, "xvda")); /* 202 << 8: xl's "xvda" */
	CHECK(name_is(51728, "xvdb"));
	CHECK(name_is(202 << 8 | 2 << 4 | 3, "xvdc3"));
	CHECK(name_is(202 << 8 | 15 << 4 | 15, "xvdp15"));
	CHECK(name_is(8 << 8 | 0, "xvda"));	      /* sda */
	CHECK(name_is(8 << 8 | 1 << 4 | 2, "xvdb2")); /* sdb2 */
	CHECK(name_is(3 << 8 | 0, "xvda"));	      /* hda */
	CHECK(name_is(3 << 8 | 1 << 6 | 5, "xvdb5")); /* hdb5 */
	CHECK(name_is(22 << 8 | 0, "xvdc"));	      /* hdc */
	CHECK(name_is(22 << 8 | 1 << 6, "xvdd"));     /* hdd */
	CHECK(name_is(1u << 28 | 16 << 8, "xvdq"));
	CHECK(name_is(1u << 28 | 25 << 8, "xvdz"));
	CHECK(name_is(1u << 28 | 26 << 8, "xvdaa"));
	CHECK(name_is(1u << 28 | 27 << 8 | 1, "xvdab1"));
	CHECK(name_is(1u << 28 | 701 << 8, "xvdzz"));
	CHECK(name_is(1u << 28 | 702 << 8, "xvdaaa"));
	CHECK(name_is(1u << 28 | 0xfffff << 8 | 255, "xvdbgqcv255"));
	/* Reserved and deprecated encodings. */
	CHECK(blkif_vdev_decode(2u << 28, &disk, &part) == -EINVAL);
	CHECK(blkif_vdev_decode(~0ull, &disk, &part) == -EINVAL);
	CHECK(blkif_vdev_decode(7 << 8, &disk, &part) == -EINVAL);
	CHECK(blkif_vdev_decode(0x10000, &disk, &part) == -EINVAL);
	CHECK(blkif_vdev_decode(0, &disk, &part) == -EINVAL);
	/* Too small a buffer. */
	CHECK(blkif_disk_name(0, 0, small, sizeof(small)) == 0);
	CHECK(strcmp(small, "xvda") == 0);
	CHECK(blkif_disk_name(0, 1, small, sizeof(small)) == -ENAMETOOLONG);
	CHECK(blkif_disk_name(26, 0, small, sizeof(small)) == -ENAMETOOLONG);
}

static void test_sector_sizes(void)
{
	CHECK(blkif_sector_size_ok(512));
	CHECK(blkif_sector_size_ok(1024));
	CHECK(blkif_sector_size_ok(4096));
	CHECK(!blkif_sector_size_ok(0));
	CHECK(!blkif_sector_size_ok(256));
	CHECK(!blkif_sector_size_ok(520));
	CHECK(!blkif_sector_size_ok(8192));
	CHECK(!blkif_sector_size_ok(1ull << 40));
}

/*
 * The fuzz: a fake driver keeps up to NIDS requests out on a one-page
 * ring; a fake backend answers each exactly once, in random order and
 * with random statuses, and between real answers writes garbage
 * responses (random ids, ids of free slots, duplicates of answered
 * requests, wrong operations). The driver consumes every response
 * through blkif_rsp_check(). Each request must complete exactly once,
 * with its real answer's result, and every garbage response must be
 * dropped (the fuzz makes sure none can look like a real answer).
 */
static struct fuzz {
	union {
		struct blkif_sring s;
		uint8_t bytes[BLKIF_PAGE_SIZE];
	} * page;
	struct blkif_front_ring front;
	RING_IDX be_prod;
	struct blkif_sent sent[NIDS];
	int16_t answer[NIDS]; /* the status the backend will give */
	bool answered[NIDS];  /* the backend wrote the real answer */
	unsigned outstanding[NIDS], nout;
	unsigned completed, dropped, verdicts[BLKIF_V_COUNT];
	bool wrong_result;
} f;

static const uint8_t fuzz_ops[] = { BLKIF_OP_READ, BLKIF_OP_WRITE,
				    BLKIF_OP_FLUSH_DISKCACHE,
				    BLKIF_OP_DISCARD };

static void fuzz_send(unsigned id)
{
	static const int16_t statuses[] = { BLKIF_RSP_OKAY, BLKIF_RSP_OKAY,
					    BLKIF_RSP_ERROR,
					    BLKIF_RSP_EOPNOTSUPP, 99 };
	blkif_request_t *req = RING_GET_REQUEST(&f.front, f.front.req_prod_pvt);

	f.sent[id].in_flight = true;
	f.sent[id].op = fuzz_ops[check_rand_below(sizeof(fuzz_ops))];
	f.answer[id] = statuses[check_rand_below(5)];
	f.answered[id] = false;
	req->id = id;
	req->operation = f.sent[id].op;
	f.front.req_prod_pvt++;
	f.page->s.req_prod = f.front.req_prod_pvt;
	f.outstanding[f.nout++] = id;
}

static void be_write(struct blkif_response r)
{
	*RING_GET_RESPONSE(&f.front, f.be_prod) = r;
	f.be_prod++;
}

/* The backend answers one outstanding request, chosen at random. */
static void be_answer(void)
{
	unsigned k = (unsigned)check_rand_below(f.nout);
	unsigned id = f.outstanding[k];

	f.outstanding[k] = f.outstanding[--f.nout];
	f.answered[id] = true;
	be_write(rsp(id, f.sent[id].op, f.answer[id]));
}

/* A response that answers nothing. It takes a ring slot, so it is only
 * written when the ring has room for it beyond the requests out. */
static void be_garbage(void)
{
	unsigned id = (unsigned)check_rand_below(NIDS);
	uint8_t op;

	switch (check_rand_below(3)) {
	case 0:
		be_write(rsp(NIDS + check_rand(), BLKIF_OP_READ, 0));
		return;
	case 1:
		/* A free id, or a duplicate answer to one answered. */
		if (f.sent[id].in_flight && !f.answered[id])
			break;
		be_write(rsp(id, (uint8_t)check_rand(), (int16_t)check_rand()));
		return;
	default:
		break;
	}
	/* An out id, with an operation it was not sent with. */
	if (!f.sent[id].in_flight) {
		be_write(rsp(~0ull - id, BLKIF_OP_WRITE, 0));
		return;
	}
	do
		op = (uint8_t)check_rand();
	while (op == f.sent[id].op);
	be_write(rsp(id, op, BLKIF_RSP_OKAY));
}

static void fe_consume(void)
{
	RING_IDX prod = f.page->s.rsp_prod;

	if (!blkif_ring_rsp_prod_ok(prod, f.front.rsp_cons,
				    f.front.req_prod_pvt)) {
		f.wrong_result = true;
		return;
	}
	while (f.front.rsp_cons != prod) {
		struct blkif_response r =
			*RING_GET_RESPONSE(&f.front, f.front.rsp_cons);
		enum blkif_verdict v = blkif_rsp_check(&r, f.sent, NIDS);

		f.front.rsp_cons++;
		f.verdicts[v]++;
		if (!blkif_verdict_releases(v)) {
			f.dropped++;
			continue;
		}
		/* Only a real answer may complete, with its result. */
		if (!f.answered[r.id] || r.status != f.answer[r.id])
			f.wrong_result = true;
		f.sent[r.id].in_flight = false;
		f.completed++;
	}
}

static void test_fuzz(void)
{
	unsigned round, step, sent = 0, id;

	check_seed(0xb10c);
	f.page = aligned_alloc(BLKIF_PAGE_SIZE, BLKIF_PAGE_SIZE);
	CHECK(f.page != NULL);
	for (round = 0; round < 20; round++) {
		RING_IDX start = round % 2 ? 0xffffff00u : 0;

		memset(f.page, 0, BLKIF_PAGE_SIZE);
		SHARED_RING_INIT(&f.page->s);
		FRONT_RING_INIT(&f.front, &f.page->s, BLKIF_PAGE_SIZE);
		f.front.req_prod_pvt = f.front.rsp_cons = start;
		f.page->s.req_prod = f.page->s.rsp_prod = start;
		f.be_prod = start;
		memset(f.sent, 0, sizeof(f.sent));
		f.nout = 0;
		for (step = 0; step < 5000; step++) {
			/* Send to a free id while the ring has room. */
			for (id = 0; id < NIDS && !RING_FULL(&f.front); id++)
				if (!f.sent[id].in_flight &&
				    check_rand_below(2) == 0) {
					fuzz_send(id);
					sent++;
				}
			/* A backend writes one response per request slot,
			 * so garbage needs a slot no tracked request owns:
			 * a spare request, never put in flight. */
			if (!RING_FULL(&f.front) && check_rand_below(3) == 0) {
				RING_GET_REQUEST(&f.front, f.front.req_prod_pvt)
					->id = ~0ull;
				f.front.req_prod_pvt++;
				f.page->s.req_prod = f.front.req_prod_pvt;
			}
			if ((RING_IDX)(f.front.req_prod_pvt - f.be_prod) >
				    f.nout &&
			    check_rand_below(2) == 0)
				be_garbage();
			if (f.nout > 0 && check_rand_below(2) == 0)
				be_answer();
			f.page->s.rsp_prod = f.be_prod;
			if (check_rand_below(4) == 0)
				fe_consume();
			CHECK(!f.wrong_result);
		}
		/* Answer the rest, fill the spare slots, drain. */
		while (f.nout > 0)
			be_answer();
		while (f.be_prod != f.front.req_prod_pvt)
			be_garbage();
		f.page->s.rsp_prod = f.be_prod;
		fe_consume();
		CHECK(!f.wrong_result);
		for (id = 0; id < NIDS; id++)
			CHECK(!f.sent[id].in_flight);
	}
	CHECK(f.completed == sent);
	CHECK(f.dropped > 1000);
	for (id = 0; id < BLKIF_V_COUNT; id++) {
		if (f.verdicts[id] == 0)
			printf("fuzz never saw %s\n", blkif_verdict_name(id));
		CHECK(f.verdicts[id] > 0);
	}
	free(f.page);
}

int main(void)
{
	RUN(verdicts, "statuses, wrong operations, free, duplicate and "
		      "out-of-range ids (64-bit)");
	RUN(rsp_prod, "rsp_prod beyond the requests or behind rsp_cons is "
		      "refused, across the 2^32 wrap too");
	RUN(segments, "ring sizes, segments and indirect pages per request, "
		      "first/last sectors, segment limits");
	RUN(merging, "neighbouring reads or writes merge up to the segment "
		     "limit; gaps, overlaps, other kinds and partial last "
		     "pages do not");
	RUN(vdev_names, "xvd, sd, hd and extended virtual-device numbers "
			"named as Linux does; reserved ones refused");
	RUN(sector_sizes, "sector-size: powers of two from 512 to 4096");
	RUN(fuzz, "20 rounds of 5000 steps with garbage responses: every "
		  "request completes once with its own answer, all garbage "
		  "dropped, every verdict seen");
	return check_exit();
}
