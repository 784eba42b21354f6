/*
 * The guest side of lab job ext4 (tests/lab/ext4.sh): ext4 disks that
 * dom0 made with mkfs.ext4 -d, on Linux's blkback, mounted by the
 * command line (mount=xvda:/a mount=xvdb:/b mount=xvdc:/c:ro).
 *
 *   ext4check basic   read dom0's seeded files on all three disks, write
 *                     files with the blkpat pattern (tests/lab/blkpat.h)
 *                     on xvda (512-byte sectors) and xvdb (4096), rename,
 *                     unlink, mkdir, check EROFS on xvdc, exit (clean
 *                     unmount): dom0 then runs e2fsck -fn and debugfs
 *   ext4check crash   on xvda, forever: write /a/c/tmp, fsync, rename it
 *                     to /a/c/f<i>, fsync the directory, then print
 *                     "durable f<i> <seed> <len>"; dom0 destroys the
 *                     guest at some point and checks every durable file
 *                     after e2fsck -p (the httpd PUT pattern)
 * Each step prints one line; basic ends with TEST PASS or TEST FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lab/blkpat.h"

static char why[200];

#define EXPECT(cond)                                                      \
	do {                                                              \
		if (!(cond)) {                                            \
			snprintf(why, sizeof(why), "%s:%d %s (errno %d)", \
				 __func__, __LINE__, #cond, errno);       \
			return -1;                                        \
		}                                                         \
	} while (0)

static int put(const char *path, uint64_t seed, size_t len, int sync)
{
	static uint8_t buf[1 << 16];
	size_t off, n;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	EXPECT(fd >= 0);
	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		blkpat_fill(buf, seed, off, n);
		EXPECT(write(fd, buf, n) == (long)n);
	}
	if (sync)
		EXPECT(fsync(fd) == 0);
	EXPECT(close(fd) == 0);
	return 0;
}

static int check(const char *path, uint64_t seed, size_t len)
{
	static uint8_t buf[1 << 16];
	size_t off = 0;
	long n;
	int fd = open(path, O_RDONLY);

	EXPECT(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		EXPECT(blkpat_find_bad(buf, seed, off, (size_t)n) < 0);
		off += (size_t)n;
	}
	close(fd);
	EXPECT(n == 0 && off == len);
	return 0;
}

static int seeded(const char *path, const char *want)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	long n;

	EXPECT(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	EXPECT(n == (long)strlen(want) && memcmp(buf, want, (size_t)n) == 0);
	return 0;
}

static int basic(void)
{
	int i;
	char path[64];

	EXPECT(seeded("/a/seed.txt", "seeded by dom0\n") == 0);
	EXPECT(seeded("/b/seed.txt", "seeded by dom0\n") == 0);
	EXPECT(seeded("/c/seed.txt", "seeded by dom0\n") == 0);
	printf("ext4check: dom0's seeded files read on xvda, xvdb, xvdc\n");
	EXPECT(mkdir("/a/out", 0755) == 0);
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/a/out/f%d", i);
		EXPECT(put(path, 100 + i, 4096 * (i % 5) + 8 * i, 1) == 0);
	}
	EXPECT(rename("/a/out/f0", "/a/out/renamed") == 0);
	EXPECT(unlink("/a/out/f1") == 0);
	EXPECT(put("/b/big", 7, 3 << 20, 1) == 0);
	EXPECT(check("/b/big", 7, 3 << 20) == 0);
	EXPECT(check("/a/out/f19", 119, 4096 * 4 + 8 * 19) == 0);
	printf("ext4check: 20 files fsynced on xvda, 3 MiB on xvdb (4096-byte "
	       "sectors), read back\n");
	EXPECT(open("/c/new", O_WRONLY | O_CREAT, 0644) == -1 &&
	       errno == EROFS);
	printf("ext4check: xvdc (read-only) refuses writes with EROFS\n");
	return 0;
}

static int crash(void)
{
	char path[64];
	unsigned i;
	size_t len;
	int fd;

	EXPECT(mkdir("/a/c", 0755) == 0);
	for (i = 0;; i++) {
		len = 4096 * (i % 4) + 8 * (i % 100) + 8;
		EXPECT(put("/a/c/tmp", 1000 + i, len, 1) == 0);
		snprintf(path, sizeof(path), "/a/c/f%u", i);
		EXPECT(rename("/a/c/tmp", path) == 0);
		fd = open("/a/c", O_RDONLY);
		EXPECT(fd >= 0 && fsync(fd) == 0 && close(fd) == 0);
		printf("durable f%u %u %zu\n", i, 1000 + i, len);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc != 2 ||
	    (strcmp(argv[1], "basic") && strcmp(argv[1], "crash"))) {
		printf("TEST FAIL ext4check: usage: ext4check basic|crash\n");
		return 2;
	}
	rc = strcmp(argv[1], "basic") == 0 ? basic() : crash();
	if (rc < 0) {
		printf("TEST FAIL ext4check: %s\n", why);
		return 1;
	}
	printf("TEST PASS ext4check: %s\n", argv[1]);
	return 0;
}
