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
 *   detach:DEV:SEED:OFF:LEN    wait for the disk to go away (I/O fails),
 *                              then to come back, then check the pattern
 *   merge:DEV:SEED:OFF:LEN:N   N threads write, then read, interleaved
 *                              4 KiB blocks (thread i takes blocks i, i+N,
 *                              ...): with few requests out (blk_queue=),
 *                              queued neighbours merge into one request
 *   stats:DEV                  print the driver's counters
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

struct worker {
	struct blkdev *d;
	uint64_t seed, off, len;
	int rc;
	unsigned index, nthreads; /* merge: which blocks */
};

static void worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t *buf = malloc(64 * 1024);
	uint64_t done;

	w->rc = buf ? 0 : -ENOMEM;
	/* 16 KiB requests: many small ones in flight from every thread. */
	for (done = 0; w->rc == 0 && done < w->len; done += 16384) {
		blkpat_fill(buf, w->seed, w->off + done, 16384);
		w->rc = blkdev_write(w->d, w->off + done, buf, 16384);
	}
	for (done = 0; w->rc == 0 && done < w->len; done += 16384) {
		w->rc = blkdev_read(w->d, w->off + done, buf, 16384);
		if (w->rc == 0 &&
		    blkpat_find_bad(buf, w->seed, w->off + done, 16384) >= 0)
			w->rc = -EILSEQ;
	}
	free(buf);
}

static int step_threads(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t seed = num(f[2]), off = num(f[3]), len = num(f[4]);
	unsigned n = (unsigned)num(f[5]), i;
	struct worker w[16];
	struct thread *t[16];
	double t0 = now_s();

	if (!d)
		return -1;
	if (n == 0 || n > 16 || len % (n * 16384ull) != 0)
		return fail(step, "bad thread count %u for %llu bytes", n,
			    (unsigned long long)len);
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ d,	 seed, off + i * (len / n),
					len / n, 0,    0,
					0 };
		t[i] = thread_create("blkworker", worker_main, &w[i], 0);
		if (!t[i])
			return fail(step, "thread_create failed");
	}
	for (i = 0; i < n; i++)
		(void)thread_join(t[i]);
	for (i = 0; i < n; i++)
		if (w[i].rc != 0)
			return fail(step, "thread %u: error %d", i, w[i].rc);
	printf("blkcheck: %s: %u threads wrote and read back %llu bytes in "
	       "16 KiB requests at once (%.2f s)\n",
	       step, n, (unsigned long long)len, now_s() - t0);
	return 0;
}

/* Blocks index, index + nthreads, ... of [off, off + len). */
static void interleaved_main(void *arg)
{
	struct worker *w = arg;
	uint8_t buf[4096];
	uint64_t b, nblocks = w->len / 4096;

	for (b = w->index; w->rc == 0 && b < nblocks; b += w->nthreads) {
		blkpat_fill(buf, w->seed, w->off + b * 4096, 4096);
		w->rc = blkdev_write(w->d, w->off + b * 4096, buf, 4096);
	}
	for (b = w->index; w->rc == 0 && b < nblocks; b += w->nthreads) {
		w->rc = blkdev_read(w->d, w->off + b * 4096, buf, 4096);
		if (w->rc == 0 &&
		    blkpat_find_bad(buf, w->seed, w->off + b * 4096, 4096) >= 0)
			w->rc = -EILSEQ;
	}
}

static int step_merge(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	uint64_t seed = num(f[2]), off = num(f[3]), len = num(f[4]);
	unsigned n = (unsigned)num(f[5]), i;
	struct blkfront_stats before, after;
	struct worker w[16];
	struct thread *t[16];

	if (!d)
		return -1;
	if (n == 0 || n > 16 || len % 4096 != 0)
		return fail(step, "bad thread count %u", n);
	if (blkfront_get_stats(d, &before) != 0)
		return fail(step, "%s is not a blkfront disk", d->name);
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ d, seed, off, len, 0, i, n };
		t[i] = thread_create("blkmerge", interleaved_main, &w[i], 0);
		if (!t[i])
			return fail(step, "thread_create failed");
	}
	for (i = 0; i < n; i++)
		(void)thread_join(t[i]);
	for (i = 0; i < n; i++)
		if (w[i].rc != 0)
			return fail(step, "thread %u: error %d", i, w[i].rc);
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

static int step_detach(const char *step, char **f)
{
	struct blkdev *d = dev(step, f[1]);
	static uint8_t buf[4096];
	double t0 = now_s();
	int rc = 0;

	if (!d)
		return -1;
	printf("blkcheck: %s: waiting for %s to be detached\n", step, d->name);
	fflush(stdout);
	while ((rc = blkdev_read(d, 0, buf, d->sector_size)) == 0) {
		if (now_s() - t0 > 300)
			return fail(step, "never detached");
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	printf("blkcheck: %s: %s detached: I/O gives %d\n", step, d->name, rc);
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
