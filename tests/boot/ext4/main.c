/*
 * Boot test ext4: an image made by the host's `mkfs.ext4 -d`
 * (tests/boot/ext4/mkimage) is the ramdisk, hence the memory disk ram0,
 * mounted by the command line's mount=ram0:/disk. Through the POSIX file
 * calls:
 * - the seeded files: contents, modes, mtimes, symlinks (in the inode and
 *   in a block), hard links, a 300-entry directory;
 * - writes: a 300 KiB pattern with fsync, a hole, truncate, 200 more
 *   entries in the big directory (its index grows), rename over a file
 *   and of a directory to another parent, unlink while open,
 *   mkdir/rmdir rules, statvfs;
 * - unmount, then a read-only mount (what was written is there, writes
 *   get EROFS), unmount, and a read-write mount again that the exit path
 *   unmounts cleanly.
 * The command line also holds two bad mount= values, which the boot
 * reports (tests/run checks the lines). Each group prints one line; the
 * last line is TEST PASS or TEST FAIL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/vfs.h"

#define NAME "ext4"
#define MTIME 1700000000
#define PATTERN_BYTES (300u * 1024)

static char fail_reason[200];

#define EXPECT(cond)                                                        \
	do {                                                                \
		if (!(cond)) {                                              \
			snprintf(fail_reason, sizeof(fail_reason),          \
				 "%s:%d %s (errno %d)", __func__, __LINE__, \
				 #cond, errno);                             \
			return -1;                                          \
		}                                                           \
	} while (0)

static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static int spit(const char *path, const char *text, bool sync)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t len = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (long)len || (sync && fsync(fd) != 0)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n++;
	closedir(d);
	return n;
}

static int check_seeded(void)
{
	char buf[256];
	struct stat a, b;
	int fd, i;

	EXPECT(slurp("/disk/etc/motd", buf, sizeof(buf)) == 25);
	EXPECT(strcmp(buf, "welcome to skiff on ext4\n") == 0);
	EXPECT(stat("/disk/etc/motd", &a) == 0);
	EXPECT((a.st_mode & 07777) == 0644 && S_ISREG(a.st_mode));
	EXPECT(a.st_mtime == MTIME);
	EXPECT(readlink("/disk/etc/link", buf, sizeof(buf)) == 4);
	EXPECT(memcmp(buf, "motd", 4) == 0);
	EXPECT(slurp("/disk/etc/link", buf, sizeof(buf)) == 25);
	EXPECT(readlink("/disk/data/longlink", buf, sizeof(buf)) == 86);
	EXPECT(memcmp(buf + 80, "-inode", 6) == 0);
	EXPECT(stat("/disk/data/hard1", &a) == 0);
	EXPECT(stat("/disk/data/hard2", &b) == 0);
	EXPECT(a.st_ino == b.st_ino && a.st_nlink == 2);
	fd = open("/disk/data/lines.txt", O_RDONLY);
	EXPECT(fd >= 0);
	for (i = 2999; i >= 0; i -= 997) {
		char want[32];

		snprintf(want, sizeof(want), "line %05d of the disk\n", i);
		EXPECT(pread(fd, buf, 23, (off_t)i * 23) == 23);
		EXPECT(memcmp(buf, want, 23) == 0);
	}
	EXPECT(read(fd, buf, 10) == 10 && memcmp(buf, "line 00000", 10) == 0);
	close(fd);
	EXPECT(count_entries("/disk/many") == 302);
	EXPECT(count_entries("/disk/lost+found") == 2);
	printf("seeded: files, modes, mtimes, 2 symlinks, hard links, 300 "
	       "entries\n");
	return 0;
}

static uint8_t pattern_byte(uint32_t i)
{
	return (uint8_t)(i * 2654435761u >> 24);
}

static int check_pattern(const char *path, uint32_t len)
{
	static uint8_t buf[8192];
	uint32_t off = 0, i;
	int fd = open(path, O_RDONLY);
	long n;

	EXPECT(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			EXPECT(buf[i] == pattern_byte(off + i));
		off += (uint32_t)n;
	}
	close(fd);
	EXPECT(n == 0 && off == len);
	return 0;
}

static int check_writes(void)
{
	static uint8_t buf[7000];
	uint32_t off, i;
	struct stat st;
	char text[64];
	int fd;

	fd = open("/disk/pattern", O_WRONLY | O_CREAT | O_EXCL, 0600);
	EXPECT(fd >= 0);
	/* Odd-sized writes, so blocks fill across calls. */
	for (off = 0; off < PATTERN_BYTES; off += sizeof(buf)) {
		uint32_t len = PATTERN_BYTES - off < sizeof(buf)
				       ? PATTERN_BYTES - off
				       : (uint32_t)sizeof(buf);

		for (i = 0; i < len; i++)
			buf[i] = pattern_byte(off + i);
		EXPECT(write(fd, buf, len) == (long)len);
	}
	EXPECT(fsync(fd) == 0);
	EXPECT(fdatasync(fd) == 0);
	EXPECT(close(fd) == 0);
	if (check_pattern("/disk/pattern", PATTERN_BYTES) < 0)
		return -1;
	/* A hole: 1 MiB of zeros, then 5 bytes. */
	fd = open("/disk/holey", O_RDWR | O_CREAT, 0644);
	EXPECT(fd >= 0);
	EXPECT(pwrite(fd, "tail\n", 5, 1 << 20) == 5);
	EXPECT(pread(fd, text, 8, 4096) == 8);
	EXPECT(memcmp(text, "\0\0\0\0\0\0\0\0", 8) == 0);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == (1 << 20) + 5);
	EXPECT(st.st_blocks < 64);
	EXPECT(ftruncate(fd, 3) == 0);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 3);
	EXPECT(close(fd) == 0);
	EXPECT(truncate("/disk/pattern", 100000) == 0);
	EXPECT(stat("/disk/pattern", &st) == 0 && st.st_size == 100000);
	for (i = 0; i < 200; i++) {
		snprintf(text, sizeof(text), "/disk/many/added-%u", i);
		EXPECT(spit(text, "x", false) == 0);
	}
	EXPECT(count_entries("/disk/many") == 502);
	EXPECT(slurp("/disk/many/added-150", text, sizeof(text)) == 1);
	printf("writes: 300 KiB pattern + fsync, hole, truncate, 200 new "
	       "entries\n");
	return 0;
}

static int check_names(void)
{
	char buf[64];
	struct stat st;
	int fd;

	EXPECT(spit("/disk/data/a.new", "replaced\n", true) == 0);
	fd = open("/disk/data/a.txt", O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT(rename("/disk/data/a.new", "/disk/data/a.txt") == 0);
	EXPECT(slurp("/disk/data/a.txt", buf, sizeof(buf)) == 9);
	EXPECT(strcmp(buf, "replaced\n") == 0);
	/* The old file stays readable through its descriptor. */
	EXPECT(read(fd, buf, sizeof(buf)) == 6 &&
	       memcmp(buf, "alpha\n", 6) == 0);
	EXPECT(close(fd) == 0);
	EXPECT(access("/disk/data/a.new", F_OK) == -1 && errno == ENOENT);
	EXPECT(mkdir("/disk/d1", 0755) == 0);
	EXPECT(mkdir("/disk/d1", 0755) == -1 && errno == EEXIST);
	EXPECT(mkdir("/disk/d1/inner", 0700) == 0);
	EXPECT(spit("/disk/d1/inner/f", "in a moved dir\n", false) == 0);
	EXPECT(stat("/disk/d1", &st) == 0 && st.st_nlink == 3);
	EXPECT(rename("/disk/d1/inner", "/disk/data/sub/inner") == 0);
	EXPECT(stat("/disk/d1", &st) == 0 && st.st_nlink == 2);
	EXPECT(stat("/disk/data/sub", &st) == 0 && st.st_nlink == 3);
	EXPECT(slurp("/disk/data/sub/inner/../inner/f", buf, sizeof(buf)) ==
	       15);
	EXPECT(rmdir("/disk/data/sub/inner") == -1 && errno == ENOTEMPTY);
	EXPECT(unlink("/disk/data/sub/inner/f") == 0);
	EXPECT(rmdir("/disk/data/sub/inner") == 0);
	EXPECT(rmdir("/disk/d1") == 0);
	EXPECT(stat("/disk/data/sub", &st) == 0 && st.st_nlink == 2);
	/* Unlink while open. */
	fd = open("/disk/data/hard1", O_RDWR);
	EXPECT(fd >= 0);
	EXPECT(unlink("/disk/data/hard1") == 0);
	EXPECT(unlink("/disk/data/hard2") == 0);
	EXPECT(pwrite(fd, "S", 1, 0) == 1);
	EXPECT(pread(fd, buf, 6, 0) == 6 && memcmp(buf, "Shared", 6) == 0);
	EXPECT(close(fd) == 0);
	EXPECT(symlink("a.txt", "/disk/data/to-a") == 0);
	EXPECT(slurp("/disk/data/to-a", buf, sizeof(buf)) == 9);
	EXPECT(link("/disk/data/a.txt", "/disk/data/a.link") == 0);
	EXPECT(stat("/disk/data/a.txt", &st) == 0 && st.st_nlink == 2);
	printf("names: rename over a file and across directories, rmdir "
	       "rules, unlink while open, symlink, link\n");
	return 0;
}

static int check_statvfs(void)
{
	struct statvfs sv;

	EXPECT(statvfs("/disk", &sv) == 0);
	EXPECT(sv.f_bsize == 1024 && sv.f_blocks == 24576);
	EXPECT(sv.f_bfree > 1000 && sv.f_bfree < sv.f_blocks);
	printf("statvfs: %lu of %lu blocks free\n", (unsigned long)sv.f_bfree,
	       (unsigned long)sv.f_blocks);
	return 0;
}

static int check_readonly(void)
{
	char buf[64];

	EXPECT(vfs_unmount("/disk") == 0);
	EXPECT(access("/disk/etc/motd", F_OK) == -1 && errno == ENOENT);
	EXPECT(vfs_mount("ext4", "ram0", "/disk", VFS_MOUNT_RDONLY, NULL) == 0);
	EXPECT(slurp("/disk/data/a.txt", buf, sizeof(buf)) == 9);
	if (check_pattern("/disk/pattern", 100000) < 0)
		return -1;
	EXPECT(open("/disk/new", O_WRONLY | O_CREAT, 0644) == -1 &&
	       errno == EROFS);
	EXPECT(open("/disk/data/a.txt", O_WRONLY) == -1 && errno == EROFS);
	EXPECT(mkdir("/disk/nd", 0755) == -1 && errno == EROFS);
	EXPECT(unlink("/disk/data/a.txt") == -1 && errno == EROFS);
	EXPECT(rename("/disk/data/a.txt", "/disk/b") == -1 && errno == EROFS);
	EXPECT(vfs_unmount("/disk") == 0);
	EXPECT(vfs_mount("ext4", "ram0", "/disk", 0, NULL) == 0);
	EXPECT(count_entries("/disk/many") == 502);
	printf("remounts: read-only sees every write, refuses changes with "
	       "EROFS; read-write again\n");
	return 0;
}

int main(void)
{
	if (check_seeded() < 0 || check_writes() < 0 || check_names() < 0 ||
	    check_statvfs() < 0 || check_readonly() < 0) {
		printf("TEST FAIL " NAME ": %s\n", fail_reason);
		return 1;
	}
	printf("TEST PASS " NAME ": mkfs.ext4 -d image read, written, "
	       "renamed, remounted read-only and read-write\n");
	return 0;
}
