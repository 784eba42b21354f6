/*
 * Boot test ramfs (and ramfs-gzip, the same program booted with the
 * ramdisk gzipped): the VFS, ramfs, devfs and the POSIX file calls in a
 * real guest, with the ramdisk made by tests/boot/ramfs/mkramdisk
 * (`find . | cpio -o -H newc`):
 * - the ramdisk's files, modes, mtimes, symlink and hard links;
 * - readdir listings (names, types, rewind), getcwd/chdir;
 * - mkdir/rmdir rules, rename over an existing file (an open descriptor
 *   keeps the old data), unlink while open;
 * - a 64 MiB file written with a pattern, read back and checked;
 * - open() flags, dup/dup2, fcntl locks, stdio on files;
 * - EMFILE at the fd limit; /dev/null, /dev/zero, /dev/urandom,
 *   getentropy/getrandom;
 * - four threads creating, renaming and reading files and appending to
 *   one log at once (preempted inside the VFS: its lock at work);
 * - exit() while another thread is still writing a file: the filesystems
 *   are still synced and unmounted cleanly.
 * Each group prints one line; the last line is TEST PASS or TEST FAIL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "kernel/sched.h"

#ifndef NAME
#define NAME "ramfs"
#endif
#define BIG_BYTES (64u << 20)
#define CHUNK (1u << 20)
#define MTIME 1700000000

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

static int spit(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	return close(fd) || n != (long)strlen(text) ? -1 : 0;
}

static int check_ramdisk(void)
{
	struct stat a, b;
	char buf[128];
	int fd;
	long n;

	EXPECT(slurp("/etc/motd", buf, sizeof(buf)) == 17);
	EXPECT(!strcmp(buf, "welcome to skiff\n"));
	EXPECT(stat("/etc/motd", &a) == 0);
	EXPECT(a.st_mode == (S_IFREG | 0644) && a.st_mtim.tv_sec == MTIME);
	EXPECT(lstat("/etc/link", &a) == 0 && S_ISLNK(a.st_mode));
	EXPECT(readlink("/etc/link", buf, sizeof(buf)) == 4);
	EXPECT(!memcmp(buf, "motd", 4));
	EXPECT(slurp("/etc/link", buf, sizeof(buf)) == 17);
	EXPECT(stat("/data/hard1", &a) == 0 && stat("/data/hard2", &b) == 0);
	EXPECT(a.st_ino == b.st_ino && a.st_nlink == 2 && a.st_size == 20);
	EXPECT(stat("/bin/tool", &a) == 0 && a.st_mode == (S_IFREG | 0755));
	EXPECT(access("/bin/tool", X_OK) == 0);
	EXPECT(access("/etc/motd", X_OK) == -1 && errno == EACCES);
	EXPECT(stat("/data/sub", &a) == 0 && a.st_mode == (S_IFDIR | 0700));
	EXPECT(stat("/data", &a) == 0 && a.st_mtim.tv_sec == MTIME);
	/* A file of 19 pages and a bit: the line at an odd offset. */
	fd = open("/data/lines.txt", O_RDONLY);
	EXPECT(fd >= 0);
	EXPECT(fstat(fd, &a) == 0 && a.st_size == 78000);
	n = pread(fd, buf, 26, 26 * 2999);
	close(fd);
	EXPECT(n == 26 && !memcmp(buf, "line 02999 of the ramdisk\n", 26));
	printf("%s: ramdisk ok: motd, modes, mtime %d, symlink, hard link "
	       "ino %u nlink 2, 78000-byte file\n",
	       NAME, MTIME, (unsigned)b.st_ino);
	return 0;
}

/* The names in dir, sorted, as "a b c" (without . and ..). */
static int listing(const char *dir, char *out, size_t size)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	if (n < 0)
		return -1;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") &&
		    strcmp(list[i]->d_name, "..")) {
			if (out[0])
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, list[i]->d_name, size - strlen(out) - 1);
		}
		free(list[i]);
	}
	free(list);
	return n;
}

static int check_readdir(void)
{
	char names[256];
	struct dirent *e;
	DIR *d;
	int count = 0, again = 0, types = 0;

	EXPECT(listing("/data", names, sizeof(names)) == 8);
	EXPECT(!strcmp(names, "a.txt b.txt hard1 hard2 lines.txt sub"));
	d = opendir("/data");
	EXPECT(d != NULL);
	while ((e = readdir(d))) {
		count++;
		if (!strcmp(e->d_name, "sub") && e->d_type == DT_DIR)
			types++;
		if (!strcmp(e->d_name, "a.txt") && e->d_type == DT_REG)
			types++;
	}
	rewinddir(d);
	while (readdir(d))
		again++;
	EXPECT(closedir(d) == 0);
	EXPECT(count == 8 && again == 8 && types == 2);
	EXPECT(opendir("/etc/motd") == NULL && errno == ENOTDIR);
	EXPECT(listing("/dev", names, sizeof(names)) > 0);
	EXPECT(!strcmp(names, "null random stderr stdin stdout urandom zero"));
	EXPECT(listing("/", names, sizeof(names)) > 0);
	printf("%s: readdir ok: /data has %d entries (types right, rewind "
	       "works), / has %s\n",
	       NAME, count, names);
	return 0;
}

static int check_dirs_cwd(void)
{
	char buf[PATH_MAX];
	struct stat st;

	EXPECT(stat("/tmp", &st) == 0 && st.st_mode == (S_IFDIR | 01777));
	EXPECT(mkdir("/tmp/d", 0755) == 0);
	EXPECT(mkdir("/tmp/d", 0755) == -1 && errno == EEXIST);
	EXPECT(mkdir("/tmp/d/e", 0755) == 0);
	EXPECT(rmdir("/tmp/d") == -1 && errno == ENOTEMPTY);
	EXPECT(rmdir("/etc/motd") == -1 && errno == ENOTDIR);
	EXPECT(unlink("/tmp/d") == -1 && errno == EISDIR);
	EXPECT(chdir("/data/sub") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/data/sub"));
	EXPECT(slurp("../a.txt", buf, sizeof(buf)) == 6);
	EXPECT(chdir("../../tmp/d/e") == 0);
	EXPECT(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp/d/e"));
	EXPECT(getcwd(buf, 5) == NULL && errno == ERANGE);
	EXPECT(chdir("/") == 0 && getcwd(buf, sizeof(buf)));
	EXPECT(!strcmp(buf, "/"));
	EXPECT(realpath("/etc/../etc/link", buf) && !strcmp(buf, "/etc/motd"));
	EXPECT(rmdir("/tmp/d/e") == 0 && rmdir("/tmp/d") == 0);
	EXPECT(stat("/dev/null", &st) == 0 && st.st_dev != 0);
	{
		struct stat root;

		EXPECT(stat("/", &root) == 0 && root.st_dev != st.st_dev);
	}
	printf("%s: dirs and cwd ok: mkdir/rmdir errors, chdir relative, "
	       "getcwd, realpath, /dev on its own st_dev\n",
	       NAME);
	return 0;
}

static int check_rename_unlink(void)
{
	struct stat st, before;
	char buf[32];
	int fd, old;

	EXPECT(spit("/tmp/x", "new contents") == 0);
	EXPECT(spit("/tmp/y", "old") == 0);
	EXPECT(stat("/tmp/x", &before) == 0);
	old = open("/tmp/y", O_RDONLY);
	EXPECT(old >= 0);
	EXPECT(rename("/tmp/x", "/tmp/y") == 0);
	EXPECT(slurp("/tmp/y", buf, sizeof(buf)) == 12);
	EXPECT(stat("/tmp/y", &st) == 0 && st.st_ino == before.st_ino);
	EXPECT(stat("/tmp/x", &st) == -1 && errno == ENOENT);
	EXPECT(read(old, buf, sizeof(buf)) == 3 && !memcmp(buf, "old", 3));
	EXPECT(close(old) == 0);
	/* Unlink while open: the descriptor keeps the file. */
	fd = open("/tmp/u", O_RDWR | O_CREAT | O_EXCL, 0600);
	EXPECT(fd >= 0);
	EXPECT(write(fd, "still here", 10) == 10);
	EXPECT(unlink("/tmp/u") == 0);
	EXPECT(stat("/tmp/u", &st) == -1 && errno == ENOENT);
	EXPECT(pwrite(fd, "HERE", 4, 6) == 4);
	EXPECT(pread(fd, buf, sizeof(buf), 0) == 10);
	EXPECT(!memcmp(buf, "still HERE", 10));
	EXPECT(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 10);
	EXPECT(close(fd) == 0);
	EXPECT(unlink("/tmp/y") == 0);
	printf("%s: rename over an existing file ok (old descriptor reads "
	       "the old data); unlink while open ok\n",
	       NAME);
	return 0;
}

static uint64_t word(uint64_t i)
{
	return i * 0x9e3779b97f4a7c15ull ^ (i >> 7);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int check_big(void)
{
	uint64_t *buf = malloc(CHUNK);
	double t0, t1, t2;
	struct stat st;
	int fd;

	EXPECT(buf != NULL);
	fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	EXPECT(fd >= 0);
	t0 = now_s();
	for (uint64_t off = 0; off < BIG_BYTES; off += CHUNK) {
		for (uint64_t i = 0; i < CHUNK / 8; i++)
			buf[i] = word(off / 8 + i);
		EXPECT(write(fd, buf, CHUNK) == (long)CHUNK);
	}
	EXPECT(fsync(fd) == 0 && fdatasync(fd) == 0);
	t1 = now_s();
	EXPECT(fstat(fd, &st) == 0 && st.st_size == BIG_BYTES);
	EXPECT(st.st_blocks == BIG_BYTES / 512);
	EXPECT(lseek(fd, 0, SEEK_SET) == 0);
	for (uint64_t off = 0; off < BIG_BYTES; off += CHUNK) {
		EXPECT(read(fd, buf, CHUNK) == (long)CHUNK);
		for (uint64_t i = 0; i < CHUNK / 8; i++)
			EXPECT(buf[i] == word(off / 8 + i));
	}
	EXPECT(read(fd, buf, 8) == 0);
	t2 = now_s();
	EXPECT(pread(fd, buf, 8, BIG_BYTES - 8) == 8);
	EXPECT(buf[0] == word(BIG_BYTES / 8 - 1));
	EXPECT(lseek(fd, 0, SEEK_END) == BIG_BYTES);
	EXPECT(ftruncate(fd, 12345) == 0);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 12345);
	EXPECT(close(fd) == 0 && unlink("/tmp/big") == 0);
	free(buf);
	printf("%s: 64 MiB file ok: written %.1f MB/s, read back and checked "
	       "%.1f MB/s (emulated), ftruncate\n",
	       NAME, BIG_BYTES / 1e6 / (t1 - t0), BIG_BYTES / 1e6 / (t2 - t1));
	return 0;
}

static int check_flags(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	char buf[32];
	int fd, fd2, n;
	FILE *f;

	fd = open("/tmp/f", O_WRONLY | O_CREAT | O_APPEND, 0644);
	EXPECT(fd >= 0 && write(fd, "one", 3) == 3);
	EXPECT(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "two", 3) == 3);
	EXPECT(writev(fd, iov, 2) == 5);
	EXPECT(fcntl(fd, F_SETLK, &fl) == 0 && fcntl(fd, F_GETLK, &fl) == 0);
	EXPECT(fl.l_type == F_UNLCK);
	EXPECT(close(fd) == 0);
	EXPECT(slurp("/tmp/f", buf, sizeof(buf)) == 11);
	EXPECT(!strcmp(buf, "onetwoabcde"));
	EXPECT(open("/tmp/f", O_CREAT | O_EXCL | O_RDWR, 0644) == -1 &&
	       errno == EEXIST);
	EXPECT(open("/tmp/f", O_RDONLY | O_DIRECTORY) == -1 &&
	       errno == ENOTDIR);
	EXPECT(open("/etc/link", O_RDONLY | O_NOFOLLOW) == -1 &&
	       errno == ELOOP);
	EXPECT(open("/nope/x", O_RDONLY) == -1 && errno == ENOENT);
	EXPECT(open("/etc/motd/x", O_RDONLY) == -1 && errno == ENOTDIR);
	/* dup shares the position; dup2 replaces a descriptor. */
	fd = open("/tmp/f", O_RDONLY | O_CLOEXEC);
	EXPECT(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	fd2 = dup(fd);
	EXPECT(fd2 > fd && fcntl(fd2, F_GETFD) == 0);
	EXPECT(read(fd, buf, 3) == 3 && read(fd2, buf, 3) == 3);
	EXPECT(!memcmp(buf, "two", 3));
	EXPECT(dup2(fd, 100) == 100 && read(100, buf, 5) == 5);
	EXPECT(!memcmp(buf, "abcde", 5));
	EXPECT(fcntl(fd, F_DUPFD, 200) == 200 && close(200) == 0);
	EXPECT(close(fd) == 0 && close(fd2) == 0 && close(100) == 0);
	EXPECT(truncate("/tmp/f", 3) == 0);
	EXPECT(slurp("/tmp/f", buf, sizeof(buf)) == 3);
	/* stdio on files. */
	f = fopen("/tmp/stdio", "w");
	EXPECT(f != NULL && fprintf(f, "%d %s\n", 42, "answer") > 0);
	EXPECT(fclose(f) == 0);
	f = fopen("/tmp/stdio", "r");
	EXPECT(f != NULL && fscanf(f, "%d %31s", &n, buf) == 2);
	EXPECT(fclose(f) == 0 && n == 42 && !strcmp(buf, "answer"));
	EXPECT(unlink("/tmp/stdio") == 0 && unlink("/tmp/f") == 0);
	/* mkstemp and remove (newlib's, over open and unlink); umask. */
	{
		char name[] = "/tmp/skiffXXXXXX";
		struct stat st;

		fd = mkstemp(name);
		EXPECT(fd >= 0 && fstat(fd, &st) == 0);
		EXPECT((st.st_mode & 0777) == 0600 && close(fd) == 0);
		EXPECT(remove(name) == 0 && access(name, F_OK) == -1);
		EXPECT(umask(077) == 022 && mkdir("/tmp/um", 0777) == 0);
		EXPECT(stat("/tmp/um", &st) == 0 &&
		       (st.st_mode & 0777) == 0700);
		EXPECT(umask(022) == 077 && rmdir("/tmp/um") == 0);
	}
	printf("%s: open flags ok (O_APPEND, O_EXCL, O_DIRECTORY, "
	       "O_NOFOLLOW, O_CLOEXEC), writev, dup/dup2/F_DUPFD, locks, "
	       "truncate, stdio, mkstemp, umask\n",
	       NAME);
	return 0;
}

static int check_emfile(void)
{
	static int fds[1100];
	int n = 0;

	for (n = 0; n < 1100; n++) {
		fds[n] = open("/dev/null", O_RDONLY);
		if (fds[n] < 0)
			break;
	}
	EXPECT(n < 1100 && fds[n] == -1 && errno == EMFILE);
	EXPECT(n > 1000);
	for (int i = 0; i < n; i++)
		EXPECT(close(fds[i]) == 0);
	EXPECT(open("/dev/null", O_RDONLY) == 3 && close(3) == 0);
	printf("%s: EMFILE after %d open files, all closed again\n", NAME, n);
	return 0;
}

static int check_dev(void)
{
	uint8_t a[64], b[64], zero[64] = { 0 };
	struct stat st;
	int fd;

	fd = open("/dev/null", O_RDWR);
	EXPECT(fd >= 0 && read(fd, a, sizeof(a)) == 0);
	EXPECT(write(fd, a, sizeof(a)) == sizeof(a) && close(fd) == 0);
	EXPECT(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	EXPECT(st.st_rdev == (1 << 8 | 3));
	fd = open("/dev/zero", O_RDONLY);
	memset(a, 0xff, sizeof(a));
	EXPECT(fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a));
	EXPECT(!memcmp(a, zero, sizeof(a)) && close(fd) == 0);
	fd = open("/dev/urandom", O_RDONLY);
	EXPECT(fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a));
	EXPECT(read(fd, b, sizeof(b)) == sizeof(b) && close(fd) == 0);
	EXPECT(memcmp(a, b, sizeof(a)) && memcmp(a, zero, sizeof(a)));
	EXPECT(slurp("/dev/random", (char *)b, 16) == 15);
	EXPECT(getentropy(a, 32) == 0 && getentropy(a, 257) == -1);
	EXPECT(getrandom(b, sizeof(b), 0) == sizeof(b));
	EXPECT(memcmp(a, b, 32));
	EXPECT(unlink("/dev/null") == -1 && errno == EROFS);
	/* /dev/stdout is descriptor 1 again (the console). */
	fd = open("/dev/stdout", O_WRONLY);
	EXPECT(fd > 2 && fstat(fd, &st) == 0 && isatty(fd));
	EXPECT(write(fd, "ramfs: via /dev/stdout\n", 23) == 23);
	EXPECT(close(fd) == 0);
	printf("%s: /dev ok: null, zero, urandom/random (two reads differ), "
	       "stdout, getentropy, getrandom\n",
	       NAME);
	return 0;
}

static int check_at(void)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, UTIME_OMIT } };
	struct stat st;
	char buf[8];
	int dir = open("/data", O_RDONLY | O_DIRECTORY), fd;

	EXPECT(dir >= 0);
	fd = openat(dir, "a.txt", O_RDONLY);
	EXPECT(fd >= 0 && read(fd, buf, sizeof(buf)) == 6 && close(fd) == 0);
	EXPECT(fstatat(dir, "sub", &st, 0) == 0 && S_ISDIR(st.st_mode));
	EXPECT(mkdirat(dir, "sub/new", 0755) == 0);
	EXPECT(unlinkat(dir, "sub/new", AT_REMOVEDIR) == 0);
	EXPECT(fstatat(AT_FDCWD, "/etc/link", &st, AT_SYMLINK_NOFOLLOW) == 0);
	EXPECT(S_ISLNK(st.st_mode));
	EXPECT(utimensat(dir, "b.txt", ts, 0) == 0);
	EXPECT(stat("/data/b.txt", &st) == 0 && st.st_atim.tv_sec == 1000);
	EXPECT(st.st_mtim.tv_sec == MTIME);
	EXPECT(openat(0, "x", O_RDONLY) == -1 && errno == EBADF);
	EXPECT(close(dir) == 0);
	printf("%s: *at() calls ok (openat, fstatat, mkdirat, unlinkat, "
	       "utimensat with UTIME_OMIT)\n",
	       NAME);
	return 0;
}

#define WORKERS 4
#define ROUNDS 500
#define RECORD 16

struct worker {
	int id;
	int errors;
};

/* One round: a file made, renamed over the worker's last one and read
 * back; a record appended to the shared log. */
static void worker_round(struct worker *w, int i)
{
	char path[32], final[32], text[48], buf[48], rec[RECORD + 1];
	int n = snprintf(text, sizeof(text), "worker %d round %d", w->id, i);
	int fd;

	snprintf(path, sizeof(path), "/tmp/w%d.%d", w->id, i);
	snprintf(final, sizeof(final), "/tmp/w%d", w->id);
	if (spit(path, text) || rename(path, final) ||
	    slurp(final, buf, sizeof(buf)) != n || memcmp(buf, text, n))
		w->errors++;
	snprintf(rec, sizeof(rec), "%04d:%04d......\n", w->id, i);
	fd = open("/tmp/shared.log", O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd < 0 || write(fd, rec, RECORD) != RECORD || close(fd))
		w->errors++;
}

static void worker_main(void *arg)
{
	for (int i = 0; i < ROUNDS; i++)
		worker_round(arg, i);
}

/* The shared log: every record whole, each worker's in order. *turns
 * counts where the writer changes from one record to the next. */
static int check_log(int *turns)
{
	static char log[WORKERS * ROUNDS * RECORD + 1];
	int next[WORKERS] = { 0 };
	int id, round, last = -1;

	EXPECT(slurp("/tmp/shared.log", log, sizeof(log)) ==
	       WORKERS * ROUNDS * RECORD);
	for (int r = 0; r < WORKERS * ROUNDS; r++) {
		char *rec = log + r * RECORD;

		EXPECT(sscanf(rec, "%4d:%4d", &id, &round) == 2);
		EXPECT(id >= 0 && id < WORKERS && round == next[id]++);
		EXPECT(!memcmp(rec + 9, "......\n", 7));
		*turns += last >= 0 && id != last;
		last = id;
	}
	return 0;
}

static int check_threads(void)
{
	struct worker w[WORKERS];
	struct thread *t[WORKERS];
	char buf[48];
	int errors = 0, turns = 0;

	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .id = i };
		t[i] = thread_create("worker", worker_main, &w[i], 0);
		EXPECT(t[i] != NULL);
	}
	for (int i = 0; i < WORKERS; i++) {
		EXPECT(thread_join(t[i]) == 0);
		errors += w[i].errors;
	}
	EXPECT(errors == 0);
	EXPECT(check_log(&turns) == 0);
	for (int i = 0; i < WORKERS; i++) {
		snprintf(buf, sizeof(buf), "/tmp/w%d", i);
		EXPECT(unlink(buf) == 0);
	}
	EXPECT(unlink("/tmp/shared.log") == 0);
	printf("%s: %d threads x %d rounds of create/rename/read and "
	       "O_APPEND records at once: all intact, writers interleaved "
	       "%d times\n",
	       NAME, WORKERS, ROUNDS, turns);
	return 0;
}

static int check_statvfs(void)
{
	struct statvfs sv;

	EXPECT(statvfs("/tmp", &sv) == 0 && sv.f_bsize == 4096);
	EXPECT(sv.f_bfree > 0 && sv.f_namemax == 255);
	return 0;
}

/* Writes and rewrites a file until the domain goes away: exit() must
 * still unmount cleanly (tests/run checks the log) with it running. */
static void scribble(void *arg)
{
	char buf[4096] = { 0 };

	(void)arg;
	for (unsigned i = 0;; i++) {
		int fd = open("/tmp/scribble", O_WRONLY | O_CREAT | O_TRUNC,
			      0644);

		if (fd >= 0) {
			(void)write(fd, buf, sizeof(buf) - (i % 100));
			(void)close(fd);
		}
	}
}

int main(void)
{
	int (*const checks[])(void) = {
		check_ramdisk,	     check_readdir, check_dirs_cwd,
		check_rename_unlink, check_big,	    check_flags,
		check_emfile,	     check_dev,	    check_at,
		check_threads,	     check_statvfs,
	};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (checks[i]()) {
			printf("TEST FAIL %s: %s\n", NAME, fail_reason);
			return 1;
		}
	}
	/* Still writing when main() returns. */
	if (!thread_create("scribbler", scribble, NULL, 0)) {
		printf("TEST FAIL %s: no scribbler thread\n", NAME);
		return 1;
	}
	thread_sleep_ns(20 * 1000 * 1000);
	printf("TEST PASS %s: ramdisk tree, readdir, cwd, rename over a file, "
	       "unlink while open, 64 MiB pattern, flags, EMFILE, /dev, "
	       "*at(), 4 threads at once\n",
	       NAME);
	return 0;
}
