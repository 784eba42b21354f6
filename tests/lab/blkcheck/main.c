/*
 * blkcheck: the storage lab tests' guest (tests/lab/blk.sh). A plain C
 * main() over drivers/blkdev.h that runs the steps named on its command
 * line, in order, prints one line per step saying what it checked, and
 * ends with "TEST PASS blkcheck: N steps" or "TEST FAIL blkcheck: <step>:
 * <why>". Data is the pattern of tests/lab/blkpat.h, so dom0's blkpat
 * writes what a step checks, and checks what a step writes.
 *
 * Steps (offsets and lengths in bytes, suffixes K and M):
 *   list                       print every disk (name, size, sector size)
 *   size:DEV:BYTES:SECTOR      the disk has that size and sector size
 *   check:DEV:SEED:OFF:LEN     the pattern is there (reads of many sizes,
 *                              into a misaligned buffer too)
 *   write:DEV:SEED:OFF:LEN     write the pattern, flush, read it back
 *   threads:DEV:SEED:OFF:LEN:N N threads write and check disjoint parts
 *                              at once (requests in flight together)
 *   erofs:DEV                  write, flush and discard give EROFS
 *   eio:DEV:OFF:LEN            reading there gives EIO (a failing backend
 *                              device), and the disk still works after
 *   discard:DEV:OFF:LEN        discard works, or the disk has none
 *   detach:DEV:SEED:OFF:LEN    four threads read (and check) the first
 *                              4 MiB until the disk goes away: each must
 *                              get EIO or ENODEV; wait for the disk to
 *                              come back, then check the pattern
 *   merge:DEV:SEED:OFF:LEN:N   N threads write, then read, interleaved
 *                              4 KiB blocks (thread i takes blocks i, i+N,
 *                              ...): with few requests out (blk_queue=),
 *                              queued neighbours merge into one request
 *   align:DEV                  misaligned or out-of-range requests give
 *                              EINVAL (blkdev.h), a zero-length one 0
 *   stats:DEV                  print the driver's counters
 *   bench:DEV:SIZE:SECS        make bench-blk's Skiff side: sequential
 *                              1 MiB writes (then a flush) and reads over
 *                              SIZE bytes, then 4 KiB random reads and
 *                              writes for SECS seconds each at queue
 *                              depth 1 and 32 (32 threads); one
 *                              "bench-blk: sys=skiff name=..." line each
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/blkdev.h"
#include "drivers/blkfront.h"
#include "kernel/sched.h"
#include "tests/lab/blkpat.h"

#define CHUNK (1u << 20)
#define MAX_FIELDS 6

static char fail_msg[200];

__attribute__((format(printf, 2, 3))) static int fail(const char *step,
						      const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(fail_msg, sizeof(fail_msg), "%s: %s", step, why);
	return -1;
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end == 'K')
		v <<= 10;
	else if (*end == 'M')
		v <<= 20;
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_dev(struct blkdev *d, void *arg)
{
	(void)arg;
	printf("blkcheck: disk %s: %llu bytes, %u-byte sectors%s\n", d->name,
	       (unsigned long long)d->size, d->sector_size,
	       d->readonly ? ", read-only" : "");
}

/* Read [off, off+len) in pieces of varying size (one sector up to 1 MiB
 * and more), each into a buffer at an odd address, and check it. */
static int check_region(const char *step, struct blkdev *d, uint64_t seed,
			uint64_t off, uint64_t len)
{
	static const unsigned mult[] = { 1, 3, 8, 64, 256, 2048, 1, 4096 };
	uint8_t *raw = malloc(CHUNK + 8 + 64);
	uint8_t *buf = raw + 1; /* not aligned, on purpose */
	uint64_t done = 0;
	unsigned k = 0;
	int rc = 0;

	if (!raw)
		return fail(step, "no memory");
	while (done < len) {
		uint64_t n = (uint64_t)d->sector_size * mult[k++ % 8];
		int64_t bad;

		if (n > CHUNK)
			n = CHUNK;
		if (n > len - done)
			n = len - done;
		rc = blkdev_read(d, off + done, buf, n);
		if (rc != 0) {
			rc = fail(step, "read at %llu: error %d",
				  (unsigned long long)(off + done), rc);
			break;
		}
		/* blkpat words are 8-byte aligned on the disk; compare
		 * through an aligned copy. */
		memmove(raw + 8, buf, n);
		bad = blkpat_find_bad(raw + 8, seed, off + done, n);
		if (bad >= 0) {
			rc = fail(step, "pattern differs at byte %lld",
				  (long long)bad);
			break;
		}
		done += n;
	}
	free(raw);
	return rc;
}

static int write_region(const char *step, struct blkdev *d, uint64_t seed,
			uint64_t off, uint64_t len)
{
	uint8_t *buf = malloc(CHUNK);
	uint64_t done = 0;
	int rc = 0;

	if (!buf)
		return fail(step, "no memory");
	while (done < len) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;

		blkpat_fill(buf, seed, off + done, n);
		rc = blkdev_write(d, off + done, buf, n);
		if (rc != 0) {
			rc = fail(step, "write at %llu: error %d",
				  (unsigned long long)(off + done), rc);
			break;
		}
		done += n;
	}
	free(buf);
	return rc;
}

static struct blkdev *dev(const char *step, const char *name)
{
	struct blkdev *d = blkdev_find(name);

	if (!d)
		fail(step, "no disk %s", name);
	return d;
}

static int step_size(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);

	if (!d)
		return -1;
	if (d->size != num(f[2]) || d->sector_size != num(f[3]))
		return fail(step, "size %llu, sector size %u",
			    (unsigned long long)d->size, d->sector_size);
	printf("blkcheck: %s: %s is %llu bytes with %u-byte sectors\n", step,
	       d->name, (unsigned long long)d->size, d->sector_size);
	return 0;
}

static int step_check(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t len = num(f[4]);
	double t = now_s();

	if (!d || check_region(step, d, num(f[2]), num(f[3]), len) != 0)
		return -1;
	t = now_s() - t;
	printf("blkcheck: %s: %llu bytes read back exactly (%.1f MB/s)\n", step,
	       (unsigned long long)len, (double)len / 1e6 / (t > 0 ? t : 1));
	return 0;
}

static int step_write(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t seed = num(f[2]), off = num(f[3]), len = num(f[4]);
	double t = now_s();
	int rc;

	if (!d || write_region(step, d, seed, off, len) != 0)
		return -1;
	rc = blkdev_flush(d);
	if (rc != 0)
		return fail(step, "flush: error %d", rc);
	t = now_s() - t;
	if (check_region(step, d, seed, off, len) != 0)
		return -1;
	printf("blkcheck: %s: %llu bytes written and flushed (%.1f MB/s), "
	       "read back exactly\n",
	       step, (unsigned long long)len,
	       (double)len / 1e6 / (t > 0 ? t : 1));
	return 0;
}

/* A thread writing, then reading back, blocks first, first + stride, ...
 * (below last) of bs bytes from off. */
struct worker {
	struct blkdev *d;
	uint64_t seed, off;
	size_t bs;
	uint64_t first, last, stride;
	int rc;
};

static void worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t *buf = malloc(w->bs);
	uint64_t b;

	w->rc = buf ? 0 : -ENOMEM;
	for (b = w->first; w->rc == 0 && b < w->last; b += w->stride) {
		blkpat_fill(buf, w->seed, w->off + b * w->bs, w->bs);
		w->rc = blkdev_write(w->d, w->off + b * w->bs, buf, w->bs);
	}
	for (b = w->first; w->rc == 0 && b < w->last; b += w->stride) {
		w->rc = blkdev_read(w->d, w->off + b * w->bs, buf, w->bs);
		if (w->rc == 0 &&
		    blkpat_find_bad(buf, w->seed, w->off + b * w->bs, w->bs) >=
			    0)
			w->rc = -EILSEQ;
	}
	free(buf);
}

/* Run w[0..n) at once and wait for them all. */
static int run_workers(const char *step, struct worker *w, unsigned n)
{
	struct thread *t[16];
	unsigned i;

	for (i = 0; i < n; i++) {
		t[i] = thread_create("blkworker", worker_main, &w[i], 0);
		if (!t[i])
			return fail(step, "thread_create failed");
	}
	for (i = 0; i < n; i++)
		(void)thread_join(t[i]);
	for (i = 0; i < n; i++)
		if (w[i].rc != 0)
			return fail(step, "thread %u: error %d", i, w[i].rc);
	return 0;
}

/* N threads, each on its own part of the region, in 16 KiB requests. */
static int step_threads(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t seed = num(f[2]), off = num(f[3]), len = num(f[4]);
	unsigned n = (unsigned)num(f[5]), i;
	uint64_t nblocks = len / 16384;
	struct worker w[16];
	double t0 = now_s();

	if (!d)
		return -1;
	if (n == 0 || n > 16 || len % (n * 16384ull) != 0)
		return fail(step, "bad thread count %u for %llu bytes", n,
			    (unsigned long long)len);
	for (i = 0; i < n; i++)
		w[i] = (struct worker){ .d = d,
					.seed = seed,
					.off = off,
					.bs = 16384,
					.first = i * nblocks / n,
					.last = (i + 1) * nblocks / n,
					.stride = 1 };
	if (run_workers(step, w, n) != 0)
		return -1;
	printf("blkcheck: %s: %u threads wrote and read back %llu bytes in "
	       "16 KiB requests at once (%.2f s)\n",
	       step, n, (unsigned long long)len, now_s() - t0);
	return 0;
}

/* N threads on interleaved 4 KiB blocks: neighbours on the disk come
 * from different threads at the same time. */
static int step_merge(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t seed = num(f[2]), off = num(f[3]), len = num(f[4]);
	unsigned n = (unsigned)num(f[5]), i;
	struct blkfront_stats before, after;
	struct worker w[16];

	if (!d)
		return -1;
	if (n == 0 || n > 16 || len % 4096 != 0)
		return fail(step, "bad thread count %u", n);
	if (blkfront_get_stats(d, &before) != 0)
		return fail(step, "%s is not a blkfront disk", d->name);
	for (i = 0; i < n; i++)
		w[i] = (struct worker){ .d = d,
					.seed = seed,
					.off = off,
					.bs = 4096,
					.first = i,
					.last = len / 4096,
					.stride = n };
	if (run_workers(step, w, n) != 0)
		return -1;
	(void)blkfront_get_stats(d, &after);
	printf("blkcheck: %s: %u threads, %llu requests of 4 KiB went out as "
	       "%llu ring requests (%llu merged), read back exactly\n",
	       step, n, (unsigned long long)(after.ios - before.ios),
	       (unsigned long long)(after.requests - before.requests),
	       (unsigned long long)(after.merged - before.merged));
	if (after.merged == before.merged)
		return fail(step, "nothing merged");
	return 0;
}

static int step_stats(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	struct blkfront_stats s;
	unsigned i;
	uint64_t bad = 0;

	if (!d)
		return -1;
	if (blkfront_get_stats(d, &s) != 0)
		return fail(step, "%s is not a blkfront disk", d->name);
	for (i = 1; i < BLKFRONT_RSP_KINDS; i++)
		bad += s.bad_rsp[i];
	printf("blkcheck: %s: %llu requests from above, %llu ring requests, "
	       "%llu merged, %llu bytes read, %llu written, %llu flushes, "
	       "%llu discards, %llu failed, %llu responses not okay, %llu "
	       "disconnects, %llu reconnects\n",
	       step, (unsigned long long)s.ios, (unsigned long long)s.requests,
	       (unsigned long long)s.merged, (unsigned long long)s.bytes_read,
	       (unsigned long long)s.bytes_written,
	       (unsigned long long)s.flushes, (unsigned long long)s.discards,
	       (unsigned long long)s.errors, (unsigned long long)bad,
	       (unsigned long long)s.disconnects,
	       (unsigned long long)s.reconnects);
	return 0;
}

static int step_align(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	static uint8_t buf[8192];
	uint64_t ss;
	int half, odd, past, over, zero;

	if (!d)
		return -1;
	ss = d->sector_size;
	half = blkdev_read(d, ss / 2, buf, ss);	   /* offset not aligned */
	odd = blkdev_read(d, 0, buf, ss + ss / 2); /* length not aligned */
	past = blkdev_read(d, d->size, buf, ss);   /* starts at the end */
	over = blkdev_read(d, d->size - ss, buf, 2 * ss); /* crosses it */
	zero = blkdev_read(d, d->size, buf, 0);
	if (half != -EINVAL || odd != -EINVAL || past != -EINVAL ||
	    over != -EINVAL || zero != 0)
		return fail(step, "got %d %d %d %d %d", half, odd, past, over,
			    zero);
	printf("blkcheck: %s: on %s (%llu-byte sectors) half-sector offsets "
	       "and lengths and reads past the end give EINVAL\n",
	       step, d->name, (unsigned long long)ss);
	return 0;
}

static int step_erofs(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	static uint8_t buf[4096];
	int w, fl, di, r;

	if (!d)
		return -1;
	w = blkdev_write(d, 0, buf, d->sector_size);
	fl = blkdev_flush(d);
	di = blkdev_discard(d, 0, d->sector_size);
	r = blkdev_read(d, 0, buf, d->sector_size);
	if (w != -EROFS || fl != -EROFS || di != -EROFS)
		return fail(step, "write %d, flush/discard %d", w,
			    fl != -EROFS ? fl : di);
	if (r != 0)
		return fail(step, "read of a read-only disk: error %d", r);
	printf("blkcheck: %s: %s is read-only: write, flush and discard give "
	       "EROFS, read works\n",
	       step, d->name);
	return 0;
}

static int step_eio(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t off = num(f[2]), len = num(f[3]);
	uint8_t *buf = malloc(len);
	int rc, again;

	if (!d || !buf) {
		free(buf);
		return d ? fail(step, "no memory") : -1;
	}
	rc = blkdev_read(d, off, buf, len);
	again = blkdev_read(d, 0, buf, d->sector_size);
	free(buf);
	if (rc != -EIO)
		return fail(step, "read gave %d, want EIO (%d)", rc, -EIO);
	if (again != 0)
		return fail(step, "the disk died with it: error %d", again);
	printf("blkcheck: %s: reading %llu bytes at %llu gives EIO; the disk "
	       "still reads elsewhere\n",
	       step, (unsigned long long)len, (unsigned long long)off);
	return 0;
}

static int step_discard(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	int rc;

	if (!d)
		return -1;
	rc = blkdev_discard(d, num(f[2]), num(f[3]));
	if (rc == -EOPNOTSUPP) {
		printf("blkcheck: %s: %s offers no discard\n", step, d->name);
		return 0;
	}
	if (rc != 0)
		return fail(step, "discard: error %d", rc);
	printf("blkcheck: %s: discarded %s bytes at %s\n", step, f[3], f[2]);
	return 0;
}

/* Read 1 MiB at a time, round and round the first 4 MiB, checking the
 * pattern, until I/O fails: so that requests are in flight when the
 * backend goes away. */
struct reader {
	struct blkdev *d;
	uint64_t seed, start;
	unsigned reads;
	int rc;
};

static void reader_main(void *arg)
{
	struct reader *r = arg;
	uint8_t *buf = malloc(CHUNK);
	uint64_t off = r->start;

	r->rc = buf ? 0 : -ENOMEM;
	while (r->rc == 0) {
		r->rc = blkdev_read(r->d, off, buf, CHUNK);
		if (r->rc == 0 &&
		    blkpat_find_bad(buf, r->seed, off, CHUNK) >= 0)
			r->rc = -EILSEQ;
		r->reads++;
		off = (off + CHUNK) % (4 * CHUNK);
	}
	free(buf);
}

/* Four readers until the disk goes away: each must end with EIO (its
 * request was in flight) or ENODEV (it started after), nothing else. */
static int detach_under_load(const char *step, struct blkdev *d, uint64_t seed)
{
	struct reader r[4];
	struct thread *t[4];
	unsigned i, eio = 0, enodev = 0, reads = 0;

	for (i = 0; i < 4; i++) {
		r[i] = (struct reader){ d, seed, i * CHUNK, 0, 0 };
		t[i] = thread_create("blkreader", reader_main, &r[i], 0);
		if (!t[i])
			return fail(step, "thread_create failed");
	}
	printf("blkcheck: %s: waiting for %s to be detached\n", step, d->name);
	fflush(stdout);
	for (i = 0; i < 4; i++)
		(void)thread_join(t[i]);
	for (i = 0; i < 4; i++) {
		reads += r[i].reads;
		if (r[i].rc == -EIO)
			eio++;
		else if (r[i].rc == -ENODEV)
			enodev++;
		else
			return fail(step, "reader %u ended with %d", i,
				    r[i].rc);
	}
	printf("blkcheck: %s: %s detached under load (%u reads of 1 MiB): "
	       "%u readers got EIO (in flight), %u got ENODEV\n",
	       step, d->name, reads, eio, enodev);
	return 0;
}

static int step_detach(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	static uint8_t buf[4096];
	double t0 = now_s();
	int rc = 0;

	if (!d || detach_under_load(step, d, num(f[2])) != 0)
		return -1;
	fflush(stdout);
	while ((rc = blkdev_read(d, 0, buf, d->sector_size)) != 0) {
		if (rc != -ENODEV && rc != -EIO)
			return fail(step, "while detached: error %d", rc);
		if (now_s() - t0 > 600)
			return fail(step, "never came back");
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	printf("blkcheck: %s: %s attached again\n", step, d->name);
	if (check_region(step, d, num(f[2]), num(f[3]), num(f[4])) != 0)
		return -1;
	printf("blkcheck: %s: after re-attach %s bytes read back exactly\n",
	       step, f[4]);
	return 0;
}

/* --- bench -----------------------------------------------------------------
 */

/* A random 4 KiB-aligned offset below size (xorshift: no libc state
 * shared between threads). */
static uint64_t rand_block(uint64_t *state, uint64_t size)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (*state % (size / 4096)) * 4096;
}

struct bencher {
	struct blkdev *d;
	bool write;
	double until;
	uint64_t seed, ops;
	int rc;
};

static void bencher_main(void *arg)
{
	struct bencher *b = arg;
	uint8_t *buf = malloc(4096);
	uint64_t state = b->seed * 0x9e3779b97f4a7c15ull | 1;

	b->rc = buf ? 0 : -ENOMEM;
	if (buf)
		memset(buf, 0x5a, 4096);
	while (b->rc == 0 && now_s() < b->until) {
		uint64_t off = rand_block(&state, b->d->size);

		b->rc = b->write ? blkdev_write(b->d, off, buf, 4096)
				 : blkdev_read(b->d, off, buf, 4096);
		b->ops++;
	}
	free(buf);
}

/* Random 4 KiB reads or writes from qd threads for secs: IOPS. */
static int bench_random(const char *step, struct blkdev *d, bool write,
			unsigned qd, double secs)
{
	struct bencher b[32];
	struct thread *t[32];
	double t0 = now_s(), t1;
	uint64_t ops = 0;
	unsigned i;

	for (i = 0; i < qd; i++) {
		b[i] = (struct bencher){ d, write, t0 + secs, i + 1, 0, 0 };
		t[i] = thread_create("blkbench", bencher_main, &b[i], 0);
		if (!t[i])
			return fail(step, "thread_create failed");
	}
	for (i = 0; i < qd; i++)
		(void)thread_join(t[i]);
	t1 = now_s();
	for (i = 0; i < qd; i++) {
		if (b[i].rc != 0)
			return fail(step, "thread %u: error %d", i, b[i].rc);
		ops += b[i].ops;
	}
	printf("bench-blk: sys=skiff name=rand%s_4k_qd%u iops=%.1f ops=%llu "
	       "secs=%.2f\n",
	       write ? "write" : "read", qd, (double)ops / (t1 - t0),
	       (unsigned long long)ops, t1 - t0);
	return 0;
}

/* Sequential 1 MiB requests over size bytes (writes end with a flush,
 * counted): MB/s. */
static int bench_seq(const char *step, struct blkdev *d, bool write,
		     uint64_t size)
{
	uint8_t *buf = malloc(CHUNK);
	double t0 = now_s(), t1;
	uint64_t off;
	int rc = 0;

	if (!buf)
		return fail(step, "no memory");
	memset(buf, 0xa5, CHUNK);
	for (off = 0; rc == 0 && off + CHUNK <= size; off += CHUNK)
		rc = write ? blkdev_write(d, off, buf, CHUNK)
			   : blkdev_read(d, off, buf, CHUNK);
	if (rc == 0 && write)
		rc = blkdev_flush(d);
	t1 = now_s();
	free(buf);
	if (rc != 0)
		return fail(step, "%s: error %d", write ? "write" : "read", rc);
	printf("bench-blk: sys=skiff name=seq_%s_1m mb_s=%.2f bytes=%llu "
	       "secs=%.2f\n",
	       write ? "write" : "read", (double)size / 1e6 / (t1 - t0),
	       (unsigned long long)size, t1 - t0);
	return 0;
}

static int step_bench(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t size = num(f[2]);
	double secs = (double)num(f[3]);

	if (!d)
		return -1;
	if (size > d->size || size < CHUNK)
		return fail(step, "size %llu does not fit %s",
			    (unsigned long long)size, d->name);
	fflush(stdout);
	if (bench_seq(step, d, true, size) != 0 ||
	    bench_seq(step, d, false, size) != 0 ||
	    bench_random(step, d, false, 1, secs) != 0 ||
	    bench_random(step, d, true, 1, secs) != 0 ||
	    bench_random(step, d, false, 32, secs) != 0 ||
	    bench_random(step, d, true, 32, secs) != 0)
		return -1;
	return step_stats(step, f);
}

static const struct {
	const char *name;
	unsigned nfields;
	int (*fn)(const char *step, char **f);
} steps[] = {
	{ "size", 4, step_size },	{ "check", 5, step_check },
	{ "write", 5, step_write },	{ "threads", 6, step_threads },
	{ "erofs", 2, step_erofs },	{ "eio", 4, step_eio },
	{ "discard", 4, step_discard }, { "detach", 5, step_detach },
	{ "merge", 6, step_merge },	{ "stats", 2, step_stats },
	{ "bench", 4, step_bench },	{ "align", 2, step_align },
};

static int run_step(const char *arg)
{
	char copy[160], *f[MAX_FIELDS], *p;
	unsigned n = 0, i;

	if (strcmp(arg, "list") == 0) {
		blkdev_for_each(print_dev, NULL);
		return 0;
	}
	snprintf(copy, sizeof(copy), "%s", arg);
	for (p = copy; n < MAX_FIELDS && p; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(f[0], steps[i].name) == 0 && n == steps[i].nfields)
			return steps[i].fn(arg, f);
	snprintf(fail_msg, sizeof(fail_msg), "%s: unknown step", arg);
	return -1;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (run_step(argv[i]) != 0) {
			printf("TEST FAIL blkcheck: %s\n", fail_msg);
			return 1;
		}
		fflush(stdout);
	}
	printf("TEST PASS blkcheck: %d steps\n", argc - 1);
	return 0;
}
