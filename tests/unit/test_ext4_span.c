/*
 * Host tests for lib/ext4_span.c: libext2fs request ranges (blocks and
 * negative byte counts, bad block sizes, overflow) and the sectors that
 * cover a range, checked against a brute-force model on random input.
 */
#include <errno.h>
#include <stdint.h>

#include "lib/ext4_span.h"
#include "tests/unit/check.h"

static void test_request(void)
{
	uint64_t off;
	size_t len;

	CHECK(ext4_span_request(1, 1, 1024, &off, &len) == 0);
	CHECK(off == 1024 && len == 1024);
	CHECK(ext4_span_request(3, 8, 4096, &off, &len) == 0);
	CHECK(off == 12288 && len == 32768);
	/* The superblock: 1024 bytes of "block 1" at block size 1024. */
	CHECK(ext4_span_request(1, -1024, 1024, &off, &len) == 0);
	CHECK(off == 1024 && len == 1024);
	CHECK(ext4_span_request(0, 0, 1024, &off, &len) == -EINVAL);
	CHECK(ext4_span_request(0, 1, 1000, &off, &len) == -EINVAL);
	CHECK(ext4_span_request(0, 1, 256, &off, &len) == -EINVAL);
	CHECK(ext4_span_request(0, 1, 131072, &off, &len) == -EINVAL);
	CHECK(ext4_span_request(UINT64_MAX / 1024, 1, 1024, &off, &len) ==
	      -EINVAL);
	CHECK(ext4_span_request(UINT64_MAX / 4096 - 1, 1, 4096, &off, &len) ==
	      0);
	CHECK(ext4_span_request(0, (int)(EXT4_SPAN_MAX / 4096) + 1, 4096, &off,
				&len) == -EINVAL);
	CHECK(ext4_span_request(0, -(int)EXT4_SPAN_MAX - 1, 4096, &off, &len) ==
	      -EINVAL);
}

static void test_cover_fixed(void)
{
	struct ext4_span s;

	CHECK(ext4_span_cover(1024, 1024, 4096, &s) == 0);
	CHECK(s.start == 0 && s.len == 4096 && s.head == 1024 && !s.aligned);
	CHECK(ext4_span_cover(4096, 8192, 4096, &s) == 0);
	CHECK(s.start == 4096 && s.len == 8192 && s.head == 0 && s.aligned);
	CHECK(ext4_span_cover(1024, 1024, 512, &s) == 0 && s.aligned);
	CHECK(ext4_span_cover(3072, 2048, 4096, &s) == 0);
	CHECK(s.start == 0 && s.len == 8192 && s.head == 3072);
	CHECK(ext4_span_cover(0, 10, 3000, &s) == -EINVAL);
	CHECK(ext4_span_cover(UINT64_MAX - 100, 50, 512, &s) == -EINVAL);
}

/* Random requests against the obvious definition. */
static void test_cover_model(void)
{
	struct ext4_span s;
	int i;

	check_seed(0xe4e4);
	for (i = 0; i < 100000; i++) {
		uint32_t sector = check_rand_below(2) ? 512 : 4096;
		uint64_t off = check_rand_below(1ull << 40);
		size_t len = (size_t)check_rand_below(1 << 20) + 1;
		uint64_t first = off / sector, last = (off + len - 1) / sector;

		CHECK(ext4_span_cover(off, len, sector, &s) == 0);
		CHECK(s.start == first * sector);
		CHECK(s.len == (last - first + 1) * sector);
		CHECK(s.head == off - s.start);
		CHECK(s.start + s.head + len <= s.start + s.len);
		CHECK(s.aligned == (off % sector == 0 && len % sector == 0));
	}
}

int main(void)
{
	check_run("ext4_span_request",
		  "blocks, byte counts, bad sizes, "
		  "overflow",
		  test_request);
	check_run("ext4_span_cover",
		  "superblock on 4 KiB sectors, aligned, "
		  "straddling, bad",
		  test_cover_fixed);
	check_run("ext4_span_model", "100000 random ranges match the model",
		  test_cover_model);
	return check_exit();
}
