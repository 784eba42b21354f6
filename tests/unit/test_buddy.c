/*
 * Host tests for kernel/buddy.c: reserved start, coalescing, unaligned
 * ranges, every buddy_free() error path, and a long random alloc/free run
 * checked against a shadow bitmap.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/buddy.h"
#include "tests/unit/check.h"

static struct buddy b;
static void *meta;

/* Set up b over [base, base + npages) with fresh metadata. */
static int setup(uint64_t base, uint64_t npages)
{
	size_t size = buddy_meta_size(npages);

	free(meta);
	meta = malloc(size);
	memset(meta, 0xa5, size); /* init must not rely on zeroed memory */
	return buddy_init(&b, base, npages, meta, size);
}

static void test_buddy_init_errors(void)
{
	uint64_t buf[64];

	CHECK(buddy_meta_size(0) == 0);
	CHECK(buddy_meta_size(BUDDY_MAX_PAGES + 1) == 0);
	CHECK(buddy_init(&b, 0, 0, buf, sizeof(buf)) == -EINVAL);
	CHECK(buddy_init(&b, UINT64_MAX - 2, 8, buf, sizeof(buf)) == -EINVAL);
	CHECK(buddy_init(&b, 0, 8, (char *)buf + 1, sizeof(buf) - 8) ==
	      -EINVAL);
	CHECK(buddy_init(&b, 0, 100000, buf, sizeof(buf)) == -ENOSPC);
	CHECK(buddy_init(&b, 0, 8, buf, sizeof(buf)) == 0);
}

static void test_buddy_starts_reserved(void)
{
	uint64_t pfn = 77;

	CHECK(setup(4096, 4096) == 0);
	CHECK(buddy_free_pages(&b) == 0);
	CHECK(buddy_alloc(&b, 0, &pfn) == -ENOMEM);
	CHECK(pfn == 77);
	CHECK(buddy_largest_free_order(&b) == -ENOMEM);
	CHECK(buddy_free(&b, 4096, 0) == -EINVAL);
}

static void test_buddy_coalesce(void)
{
	uint64_t order[4096], i, t, j;

	CHECK(setup(8192, 4096) == 0);
	for (i = 0; i < 4096; i++)
		order[i] = 8192 + i;
	check_seed(1);
	for (i = 4095; i > 0; i--) {
		j = check_rand_below(i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < 4096; i++)
		CHECK(buddy_add_free(&b, order[i], 1) == 1);
	CHECK(buddy_free_pages(&b) == 4096);
	CHECK(buddy_free_blocks(&b, BUDDY_MAX_ORDER) == 4);
	for (i = 0; i < BUDDY_MAX_ORDER; i++)
		CHECK(buddy_free_blocks(&b, (unsigned int)i) == 0);
	CHECK(buddy_largest_free_order(&b) == BUDDY_MAX_ORDER);
}

/* Allocate every page of an unaligned range; check range and alignment. */
static void test_buddy_unaligned_range(void)
{
	static bool seen[5000];
	uint64_t pfn, n = 0;

	CHECK(setup(1001, 5000) == 0);
	CHECK(buddy_add_free(&b, 0, 100000) == 5000);
	CHECK(buddy_free_pages(&b) == 5000);
	/* Order-10 blocks fit only at 1024, 2048, 3072 and 4096. */
	CHECK(buddy_free_blocks(&b, BUDDY_MAX_ORDER) == 4);
	while (buddy_alloc(&b, 3, &pfn) == 0) {
		CHECK(pfn % 8 == 0 && pfn >= 1001 && pfn + 8 <= 6001);
		n++;
	}
	/* 1001..1007 and 6000 cannot hold an aligned 8-page block. */
	CHECK(n == (5000 - 7 - 1) / 8);
	while (buddy_alloc(&b, 0, &pfn) == 0) {
		CHECK(pfn >= 1001 && pfn < 6001 && !seen[pfn - 1001]);
		seen[pfn - 1001] = true;
		n++;
	}
	CHECK(n == (5000 - 8) / 8 + 8);
	CHECK(buddy_free_pages(&b) == 0);
}

static void test_buddy_free_errors(void)
{
	uint64_t p0, p3, q;

	CHECK(setup(0, 2048) == 0);
	CHECK(buddy_add_free(&b, 0, 1024) == 1024);
	CHECK(buddy_alloc(&b, 0, &p0) == 0);
	CHECK(buddy_alloc(&b, 3, &p3) == 0);
	q = buddy_free_pages(&b);
	CHECK(buddy_free(&b, 2048, 0) == -EINVAL);	 /* past the end */
	CHECK(buddy_free(&b, UINT64_MAX, 0) == -EINVAL); /* far outside */
	CHECK(buddy_free(&b, p3 + 1, 0) == -EINVAL);	 /* interior page */
	CHECK(buddy_free(&b, p3 + 4, 2) == -EINVAL);	 /* interior block */
	CHECK(buddy_free(&b, p3, 2) == -EINVAL);	 /* wrong order */
	CHECK(buddy_free(&b, p3, 4) == -EINVAL);	 /* wrong order */
	CHECK(buddy_free(&b, p0, 1) == -EINVAL);	 /* wrong order */
	CHECK(buddy_free(&b, p3 + 1, 3) == -EINVAL);	 /* misaligned */
	CHECK(buddy_free(&b, p0, BUDDY_MAX_ORDER + 1) == -EINVAL);
	CHECK(buddy_free(&b, 1500, 0) == -EINVAL);  /* reserved page */
	CHECK(buddy_free(&b, 1024, 10) == -EINVAL); /* reserved block */
	CHECK(buddy_free_pages(&b) == q);
	CHECK(buddy_free(&b, p3, 3) == 0);
	CHECK(buddy_free(&b, p3, 3) == -EINVAL); /* double free */
	CHECK(buddy_free(&b, p0, 0) == 0);
	CHECK(buddy_free(&b, p0, 0) == -EINVAL); /* double free */
	CHECK(buddy_free_pages(&b) == 1024);
	CHECK(buddy_free_blocks(&b, BUDDY_MAX_ORDER) == 1);
	CHECK(buddy_alloc(&b, BUDDY_MAX_ORDER + 1, &q) == -EINVAL);
}

static void test_buddy_add_free_overlap(void)
{
	uint64_t p;

	CHECK(setup(0, 64) == 0);
	CHECK(buddy_add_free(&b, 0, 32) == 32);
	CHECK(buddy_alloc(&b, 4, &p) == 0);
	/* Re-adding free and allocated pages must skip them. */
	CHECK(buddy_add_free(&b, 0, 64) == 32);
	CHECK(buddy_add_free(&b, 0, 64) == 0);
	CHECK(buddy_add_free(&b, 60, UINT64_MAX) == 0);
	CHECK(buddy_free_pages(&b) == 48);
	CHECK(buddy_free(&b, p, 4) == 0);
	CHECK(buddy_free_pages(&b) == 64);
	CHECK(buddy_free_blocks(&b, 6) == 1);
}

#define RND_BASE 3333
#define RND_PAGES 6000
#define RND_SLOTS 512

struct rnd_block {
	uint64_t pfn;
	unsigned int order;
};

static bool shadow_used[RND_PAGES];  /* allocated per the test */
static bool shadow_avail[RND_PAGES]; /* handed to the allocator */

static void shadow_mark(uint64_t pfn, unsigned int order, bool used)
{
	uint64_t i;

	for (i = 0; i < ((uint64_t)1 << order); i++) {
		if (!shadow_avail[pfn - RND_BASE + i] ||
		    shadow_used[pfn - RND_BASE + i] == used) {
			check_fail(__FILE__, __LINE__, "block overlaps");
			return;
		}
		shadow_used[pfn - RND_BASE + i] = used;
	}
}

static void rnd_alloc(struct rnd_block *blk, int *n, uint64_t *nfree)
{
	unsigned int order = (unsigned int)check_rand_below(6);
	uint64_t pfn;

	if (buddy_alloc(&b, order, &pfn) != 0)
		return;
	CHECK(pfn >= RND_BASE && pfn + (1u << order) <= RND_BASE + RND_PAGES);
	CHECK(pfn % (1u << order) == 0);
	shadow_mark(pfn, order, true);
	CHECK_OK();
	blk[(*n)++] = (struct rnd_block){ pfn, order };
	*nfree -= 1u << order;
}

static void rnd_free(struct rnd_block *blk, int *n, uint64_t *nfree)
{
	int i = (int)check_rand_below((unsigned long long)*n);
	struct rnd_block x = blk[i];

	/* Try a wrong order and an interior page first: both must fail. */
	if (x.order > 0) {
		CHECK(buddy_free(&b, x.pfn, x.order - 1) == -EINVAL);
		CHECK(buddy_free(&b, x.pfn + 1, 0) == -EINVAL);
	}
	CHECK(buddy_free(&b, x.pfn, x.order) == 0);
	CHECK(buddy_free(&b, x.pfn, x.order) == -EINVAL);
	shadow_mark(x.pfn, x.order, false);
	blk[i] = blk[--*n];
	*nfree += 1u << x.order;
}

static void test_buddy_random(void)
{
	static struct rnd_block blk[RND_SLOTS];
	uint64_t nfree = 0, i, start, len;
	int n = 0, step;

	CHECK(setup(RND_BASE, RND_PAGES) == 0);
	memset(shadow_used, 0, sizeof(shadow_used));
	memset(shadow_avail, 0, sizeof(shadow_avail));
	check_seed(42);
	/* Hand over random ranges, leaving reserved holes. */
	for (i = 0; i < 40; i++) {
		start = RND_BASE + check_rand_below(RND_PAGES);
		len = check_rand_below(300);
		nfree += buddy_add_free(&b, start, len);
		for (; len > 0 && start < RND_BASE + RND_PAGES; len--, start++)
			shadow_avail[start - RND_BASE] = true;
	}
	for (step = 0; step < 50000; step++) {
		if (n < RND_SLOTS && (n == 0 || check_rand_below(2)))
			rnd_alloc(blk, &n, &nfree);
		else
			rnd_free(blk, &n, &nfree);
		CHECK_OK();
		CHECK(buddy_free_pages(&b) == nfree);
	}
	while (n > 0)
		rnd_free(blk, &n, &nfree);
	CHECK_OK();
	for (i = 0, len = 0; i < RND_PAGES; i++)
		len += shadow_avail[i];
	CHECK(buddy_free_pages(&b) == len);
	CHECK(buddy_add_free(&b, RND_BASE, RND_PAGES) == RND_PAGES - len);
	/* Everything free again: 3333..9332 holds 5 aligned order-10 blocks. */
	CHECK(buddy_free_blocks(&b, BUDDY_MAX_ORDER) == 5);
}

static void test_buddy_large(void)
{
	uint64_t n = 300000, p[4];
	size_t size = buddy_meta_size(n);

	CHECK(size < n * 2);
	CHECK(setup(0x100, n) == 0);
	CHECK(buddy_add_free(&b, 0x100, n) == n);
	CHECK(buddy_alloc(&b, 0, &p[0]) == 0);
	CHECK(buddy_alloc(&b, BUDDY_MAX_ORDER, &p[1]) == 0);
	CHECK(buddy_alloc(&b, 5, &p[2]) == 0);
	CHECK(buddy_alloc(&b, 0, &p[3]) == 0);
	CHECK(buddy_free(&b, p[2], 5) == 0);
	CHECK(buddy_free(&b, p[0], 0) == 0);
	CHECK(buddy_free(&b, p[3], 0) == 0);
	CHECK(buddy_free(&b, p[1], BUDDY_MAX_ORDER) == 0);
	CHECK(buddy_free_pages(&b) == n);
}

/* Adding a fresh range at once (the whole-block fast path) must leave the
 * same free blocks as adding it one page at a time. */
static void test_buddy_fresh_fast_path(void)
{
	const uint64_t base = 0x3e7, n = 100003;
	uint64_t blocks[BUDDY_ORDERS], pfn;
	unsigned k;

	CHECK(setup(base, n) == 0);
	CHECK(buddy_add_free(&b, base + 1, 1) == 1);
	CHECK(buddy_add_free(&b, base, n) == n - 1); /* page by page */
	for (k = 0; k < BUDDY_ORDERS; k++)
		blocks[k] = buddy_free_blocks(&b, k);
	CHECK(setup(base, n) == 0);
	CHECK(buddy_add_free(&b, base, n) == n); /* fast path */
	for (k = 0; k < BUDDY_ORDERS; k++)
		CHECK(buddy_free_blocks(&b, k) == blocks[k]);
	CHECK(buddy_free_pages(&b) == n);
	/* And the result is a working allocator: drain it by single pages. */
	for (k = 0; k < n; k++)
		CHECK(buddy_alloc(&b, 0, &pfn) == 0 && pfn >= base &&
		      pfn < base + n);
	CHECK(buddy_alloc(&b, 0, &pfn) == -ENOMEM);
}

int main(void)
{
	RUN(buddy_init_errors,
	    "bad sizes, wrapping ranges, misaligned or small metadata fail");
	RUN(buddy_starts_reserved,
	    "a fresh allocator has no free pages and rejects frees");
	RUN(buddy_coalesce, "4096 pages freed in random order coalesce to "
			    "4 blocks of order 10");
	RUN(buddy_unaligned_range,
	    "an unaligned 5000-page range yields only aligned in-range blocks");
	RUN(buddy_free_errors,
	    "out of range, misaligned, wrong-order and double frees fail "
	    "without changing state");
	RUN(buddy_add_free_overlap,
	    "re-adding free or allocated pages is skipped");
	RUN(buddy_random,
	    "50000 random alloc/free steps match a shadow bitmap, then merge "
	    "back fully");
	RUN(buddy_large,
	    "300000 pages need under 2 bytes of metadata per page");
	RUN(buddy_fresh_fast_path,
	    "100003 fresh pages added at once give the same blocks as page by "
	    "page, and all 100003 can be allocated");
	free(meta);
	return check_exit();
}
