/*
 * Host tests for lib/cpio.c and lib/ramdisk.c: archives written here in
 * the newc format (as `cpio -o -H newc` writes them) unpacked into ramfs
 * through the VFS -- directories, files, symlinks, hard links, modes,
 * mtimes, devices skipped, concatenated archives, a gzip wrapper -- and
 * hostile ones: every truncation, bad magic and hex, "..", names without
 * their NUL, absurd sizes, junk after the trailer, and seeded random
 * damage (always a clean error or a clean unpack, never a crash).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cpio.h"
#include "lib/inflate.h"
#include "lib/ramdisk.h"
#include "lib/ramfs.h"
#include "lib/vfs.h"
#include "tests/unit/check.h"
#include "tests/unit/test_vfs_host.h"

/* --- writing archives ---------------------------------------------------- */

struct archive {
	uint8_t buf[65536];
	size_t len;
};

static void put(struct archive *a, const void *p, size_t n)
{
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void pad(struct archive *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

static void add(struct archive *a, const char *name, uint32_t mode,
		uint32_t ino, uint32_t nlink, const void *data, size_t size)
{
	char hdr[111];

	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 1000u, 100u, nlink, 1700000000u, (unsigned)size, 0u,
		 0u, mode >> 12 == 2 ? 1u : 0u, mode >> 12 == 2 ? 3u : 0u,
		 (unsigned)strlen(name) + 1, 0u);
	put(a, hdr, 110);
	put(a, name, strlen(name) + 1);
	pad(a);
	put(a, data, size);
	pad(a);
}

static void trailer(struct archive *a)
{
	add(a, "TRAILER!!!", 0, 0, 1, "", 0);
}

static const char hello[] = "hello, ramdisk\n";

/* The archive `find . | cpio -o -H newc` would make of a small tree. */
static void sample(struct archive *a)
{
	a->len = 0;
	add(a, ".", 040755, 1, 3, "", 0);
	add(a, "etc", 040700, 2, 2, "", 0);
	add(a, "etc/hello.txt", 0100640, 3, 1, hello, sizeof(hello) - 1);
	add(a, "etc/link", 0120777, 4, 1, "hello.txt", 9);
	add(a, "./etc//a/b/deep", 0100600, 5, 1, "x", 1); /* no parents */
	add(a, "hard1", 0100644, 9, 2, "", 0); /* data with the last name */
	add(a, "hard2", 0100644, 9, 2, "shared", 6);
	add(a, "dev/null", 020666, 10, 1, "", 0);
	trailer(a);
}

static void fresh(void)
{
	static bool registered;

	if (!registered) {
		if (vfs_register_fs(&ramfs_type))
			abort();
		registered = true;
	}
	if (vfs_root_mount())
		vfs_unmount_all();
	if (vfs_mount("ramfs", "root", "/", 0, NULL))
		abort();
}

static long slurp(const char *path, char *buf, size_t size)
{
	struct vfs_node *n;
	long r;

	if (vfs_open_node(path, 0, 0, 0, &n))
		return -1;
	r = vfs_node_read(n, buf, size - 1, 0);
	vfs_node_release(n);
	buf[r > 0 ? r : 0] = '\0';
	return r;
}

static int unpack(const struct archive *a, struct ramdisk_stats *st,
		  const char **why)
{
	const char *where;

	return ramdisk_unpack(a->buf, a->len, st, why, &where);
}

/* --- tests ---------------------------------------------------------------- */

static struct archive arc, arc2;

static void test_cpio_detect(void)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 8, 0 };
	static const uint8_t zeros[1024];

	CHECK(cpio_detect("070701", 6) == CPIO_KIND_NEWC);
	CHECK(cpio_detect("070702xx", 8) == CPIO_KIND_NEWC);
	CHECK(cpio_detect("070707", 6) == CPIO_KIND_NONE); /* old binary */
	CHECK(cpio_detect("07070", 5) == CPIO_KIND_NONE);
	CHECK(cpio_detect(gz, sizeof(gz)) == CPIO_KIND_GZIP);
	CHECK(cpio_detect(gz, 2) == CPIO_KIND_NONE);
	CHECK(cpio_detect(zeros, sizeof(zeros)) == CPIO_KIND_NONE); /* disk */
	CHECK(cpio_detect(NULL, 0) == CPIO_KIND_NONE);
}

static void test_cpio_unpack(void)
{
	struct ramdisk_stats st;
	struct vfs_attr a, b;
	uint32_t dev;
	const char *why = NULL;
	char buf[64];

	fresh();
	sample(&arc);
	CHECK(unpack(&arc, &st, &why) == 0);
	CHECK(st.dirs == 1 && st.files == 3 && st.links == 1);
	CHECK(st.symlinks == 1 && st.skipped == 1 && !st.compressed);
	CHECK(slurp("/etc/hello.txt", buf, sizeof(buf)) == 15);
	CHECK(!strcmp(buf, hello));
	CHECK(slurp("/etc/link", buf, sizeof(buf)) == 15);
	CHECK(vfs_readlink("/etc/link", buf, sizeof(buf)) == 9);
	CHECK(slurp("/etc/a/b/deep", buf, sizeof(buf)) == 1);
	CHECK(vfs_stat("/etc/hello.txt", 0, &a, &dev) == 0);
	CHECK(a.mode == 0100640 && a.uid == 1000 && a.gid == 100);
	CHECK(a.mtime.tv_sec == 1700000000);
	CHECK(vfs_stat("/etc", 0, &a, &dev) == 0);
	CHECK(a.mode == 040700 && a.mtime.tv_sec == 1700000000);
	CHECK(vfs_stat("/hard1", 0, &a, &dev) == 0);
	CHECK(vfs_stat("/hard2", 0, &b, &dev) == 0);
	CHECK(a.ino == b.ino && a.nlink == 2 && a.size == 6);
	CHECK(vfs_stat("/dev/null", 0, &a, &dev) == -ENOENT);
	/* Unpacking again over the same tree replaces, never fails. */
	CHECK(unpack(&arc, &st, &why) == 0);
	CHECK(slurp("/hard1", buf, sizeof(buf)) == 6);
	/* A file after a symlink of the same name replaces the link and
	 * does not write through it. */
	arc.len = 0;
	add(&arc, "etc/link", 0100600, 20, 1, "mine", 4);
	trailer(&arc);
	CHECK(unpack(&arc, &st, &why) == 0);
	CHECK(slurp("/etc/link", buf, sizeof(buf)) == 4);
	CHECK(slurp("/etc/hello.txt", buf, sizeof(buf)) == 15);
}

static void test_cpio_concat_gzip(void)
{
	struct ramdisk_stats st;
	const char *why = NULL;
	char buf[64];
	uint8_t *gz;
	size_t n = 0;
	uint32_t crc;

	/* Two archives, zero padding between: both are unpacked. */
	fresh();
	arc.len = 0;
	add(&arc, "one", 0100644, 1, 1, "1", 1);
	trailer(&arc);
	memset(arc.buf + arc.len, 0, 512);
	arc.len += 512;
	add(&arc, "two", 0100644, 1, 1, "2", 1);
	trailer(&arc);
	CHECK(unpack(&arc, &st, &why) == 0 && st.files == 2);
	CHECK(slurp("/two", buf, sizeof(buf)) == 1);
	/* Each archive numbers its inodes from the same start: hard links
	 * never join files of different archives. */
	fresh();
	arc.len = 0;
	add(&arc, "a1", 0100644, 7, 2, "", 0);
	add(&arc, "b1", 0100644, 7, 2, "FIRST", 5);
	trailer(&arc);
	add(&arc, "a2", 0100644, 7, 2, "", 0);
	add(&arc, "b2", 0100644, 7, 2, "SECOND", 6);
	trailer(&arc);
	CHECK(unpack(&arc, &st, &why) == 0);
	CHECK(slurp("/a1", buf, sizeof(buf)) == 5 && !strcmp(buf, "FIRST"));
	CHECK(slurp("/b2", buf, sizeof(buf)) == 6 && !strcmp(buf, "SECOND"));
	/* The sample in a gzip member of stored deflate blocks. */
	fresh();
	sample(&arc);
	gz = malloc(arc.len + 128);
	CHECK(gz != NULL);
	memcpy(gz, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
	n = 10;
	for (size_t off = 0; off < arc.len; off += 65535) {
		size_t len = arc.len - off < 65535 ? arc.len - off : 65535;

		gz[n++] = off + len == arc.len; /* BFINAL, BTYPE 00 */
		gz[n++] = (uint8_t)len;
		gz[n++] = (uint8_t)(len >> 8);
		gz[n++] = (uint8_t)~len;
		gz[n++] = (uint8_t)(~len >> 8);
		memcpy(gz + n, arc.buf + off, len);
		n += len;
	}
	crc = inflate_crc32(0, arc.buf, arc.len);
	for (int i = 0; i < 4; i++)
		gz[n++] = (uint8_t)(crc >> (8 * i));
	for (int i = 0; i < 4; i++)
		gz[n++] = (uint8_t)(arc.len >> (8 * i));
	{
		const char *where;

		CHECK(ramdisk_unpack(gz, n, &st, &why, &where) == 0);
		CHECK(st.compressed && st.files == 3);
		CHECK(slurp("/etc/hello.txt", buf, sizeof(buf)) == 15);
		/* A second member after the first: refused, not dropped. */
		memcpy(gz + n, gz, 10);
		fresh();
		CHECK(ramdisk_unpack(gz, n + 10, &st, &why, &where) == -EINVAL);
		CHECK(strstr(why, "after the gzip member") != NULL);
		/* Zero padding after the member is fine. */
		memset(gz + n, 0, 10);
		fresh();
		CHECK(ramdisk_unpack(gz, n + 10, &st, &why, &where) == 0);
		gz[n - 5] ^= 1; /* CRC damaged */
		fresh();
		CHECK(ramdisk_unpack(gz, n, &st, &why, &where) == -EINVAL);
		CHECK(!strcmp(why, "CRC-32 mismatch"));
	}
	free(gz);
}

/* A one-member archive with the header field at index field replaced. */
static int with_field(int field, const char *value, const char **why)
{
	struct ramdisk_stats st;

	arc.len = 0;
	add(&arc, "f", 0100644, 1, 1, "data", 4);
	trailer(&arc);
	memcpy(arc.buf + 6 + 8 * field, value, 8);
	fresh();
	return unpack(&arc, &st, why);
}

static void test_cpio_crc(void)
{
	struct ramdisk_stats st;
	const char *why = NULL;
	char buf[16];

	/* "070702": the check field is the sum of a file's bytes. */
	CHECK(with_field(12, "0000019A", &why) == 0); /* 'd'+'a'+'t'+'a' */
	arc.buf[5] = '2';
	fresh();
	CHECK(unpack(&arc, &st, &why) == 0);
	CHECK(slurp("/f", buf, sizeof(buf)) == 4);
	memcpy(arc.buf + 6 + 8 * 12, "0000019B", 8);
	fresh();
	CHECK(unpack(&arc, &st, &why) == -EINVAL);
	CHECK(!strcmp(why, "checksum mismatch (070702)"));
}

static void test_cpio_hostile(void)
{
	struct ramdisk_stats st;
	const char *why = NULL;

	CHECK(with_field(6, "FFFFFFFF", &why) == -EINVAL); /* size */
	CHECK(!strcmp(why, "file size beyond the archive"));
	CHECK(with_field(11, "FFFFFFFF", &why) == -EINVAL); /* namesize */
	CHECK(with_field(11, "00000000", &why) == -EINVAL);
	CHECK(with_field(11, "00000001", &why) == -EINVAL); /* no NUL */
	CHECK(with_field(1, "0000zz00", &why) == -EINVAL);
	CHECK(!strcmp(why, "bad hex digit in header"));
	fresh();
	arc.len = 0;
	add(&arc, "a/../../etc/passwd", 0100644, 1, 1, "x", 1);
	trailer(&arc);
	CHECK(unpack(&arc, &st, &why) == -EINVAL);
	CHECK(!strcmp(why, "'..' in a name"));
	arc.len = 0;
	add(&arc, "ok", 0100644, 1, 1, "x", 1);
	CHECK(unpack(&arc, &st, &why) == -EINVAL); /* no trailer */
	CHECK(!strcmp(why, "no trailer (truncated archive?)"));
	CHECK(slurp("/ok", (char[8]){ 0 }, 8) == -1); /* nothing applied */
	trailer(&arc);
	put(&arc, "junk", 4);
	CHECK(unpack(&arc, &st, &why) == -EINVAL);
	arc.len = 0;
	add(&arc, "l", 0120777, 1, 1, "", 0); /* empty symlink target */
	trailer(&arc);
	CHECK(unpack(&arc, &st, &why) == -EINVAL);
	memcpy(arc.buf, "070707", 6);
	CHECK(unpack(&arc, &st, &why) == -EINVAL);
	/* Every truncation of the sample is refused, cleanly. */
	sample(&arc);
	arc2 = arc;
	for (size_t len = 6; len < arc2.len; len++) {
		arc.len = len;
		memcpy(arc.buf, arc2.buf, len);
		CHECK(unpack(&arc, &st, &why) == -EINVAL);
	}
	CHECK(vfs_stat("/etc", 0, &(struct vfs_attr){ 0 }, &(uint32_t){ 0 }) ==
	      -ENOENT);
}

static void test_cpio_fuzz(void)
{
	struct ramdisk_stats st;
	const char *why;
	unsigned ok = 0, runs = 4000;

	check_seed(8439);
	sample(&arc2);
	for (unsigned r = 0; r < runs; r++) {
		unsigned hits = 1 + (unsigned)check_rand_below(4);
		int rc;

		arc = arc2;
		for (unsigned h = 0; h < hits; h++) {
			size_t at = check_rand_below(arc.len);

			/* Digits and bytes alike: hex fields stay plausible
			 * often enough to reach the deeper checks. */
			arc.buf[at] = r % 3 ? (uint8_t) "0123456789ABCDEF/."
						      [check_rand_below(18)]
					    : (uint8_t)check_rand();
		}
		if (r % 5 == 0)
			arc.len = check_rand_below(arc.len + 1);
		fresh();
		rc = unpack(&arc, &st, &why);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ENOENT ||
		      rc == -EEXIST || rc == -ENOTDIR || rc == -EISDIR ||
		      rc == -ELOOP || rc == -ENAMETOOLONG);
		ok += rc == 0;
	}
	CHECK(lock_depth == 0);
	printf("note: %u of %u damaged archives unpacked, the rest refused\n",
	       ok, runs);
}

int main(void)
{
	RUN(cpio_detect, "newc/gzip magic, disk images and short buffers "
			 "are not archives");
	RUN(cpio_unpack, "dirs, files, symlink, hard links, missing parents, "
			 "modes/owners/mtimes, devices skipped, re-unpack");
	RUN(cpio_concat_gzip, "concatenated archives; gzip-wrapped; bad CRC "
			      "refused");
	RUN(cpio_crc, "070702 check values verified");
	RUN(cpio_hostile, "absurd sizes, bad hex, '..', no NUL, no "
			  "trailer, junk, every truncation: nothing applied");
	RUN(cpio_fuzz, "4000 seeded damaged archives: clean error or clean "
		       "unpack");
	vfs_unmount_all();
	return check_exit();
}
