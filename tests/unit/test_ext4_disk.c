/*
 * Host tests of lib/ext4*.c on real images, with libext2fs built for the
 * host, the VFS core (lib/vfs.c, vfs_path.c, ramfs.c) and a memory block
 * device that records every write. The host's own e2fsprogs judge:
 * - clean: an image from `mkfs.ext4 -d` is mounted, changed through the
 *   VFS (files, fsync, a hole, truncate, mkdir/rmdir, rename over a file
 *   and across directories, unlink while open, 150 entries into an
 *   indexed directory) and unmounted; `e2fsck -fn` finds nothing to fix
 *   and `debugfs` reads what was written;
 * - crash: the writes of a workload of creates, writes, fsyncs, unlinks,
 *   mkdir/rmdir, truncates and renames to new names are replayed onto
 *   the original image, stopping after one of them (a crash at that
 *   moment: every 10th write and those around each fsync, or every one
 *   with EXT4_CRASH_ALL=1 in the environment); `e2fsck -p` must repair each
 * such disk without asking (exit status below 4), and every file whose fsync
 * had returned must then read back intact;
 * - sectors: the same clean workload on a device with 4096-byte sectors
 *   (the 1 KiB superblock and blocks go through the bounce path).
 * Needs mkfs.ext4, e2fsck and debugfs on the host (package e2fsprogs).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_TAG "test"
#include "drivers/blkdev.h"
#include "kernel/log.h"
#include "lib/ext4.h"
#include "lib/ramfs.h"
#include "lib/vfs.h"
#include "tests/unit/check.h"
#include "tests/unit/test_vfs_host.h"

#define IMG_MB 4
/* Crash points checked: every CRASH_STRIDE-th write, the few after each
 * fsync and the last; EXT4_CRASH_ALL=1 checks every one (a minute). */
#define CRASH_STRIDE 10
#define MAX_WRITES 20000

/* --- a memory block device that records writes ---------------------------- */

struct wrec {
	uint64_t off;
	size_t len;
	uint8_t *data;
};

static struct disk {
	struct blkdev dev;
	uint8_t *mem;
	struct wrec *w;
	size_t nw;
	bool verbose;
} disk;

static int d_read(struct blkdev *d, uint64_t off, void *buf, size_t len)
{
	(void)d;
	memcpy(buf, disk.mem + off, len);
	return 0;
}

static int d_write(struct blkdev *d, uint64_t off, const void *buf, size_t len)
{
	struct wrec *r;

	(void)d;
	memcpy(disk.mem + off, buf, len);
	if (disk.nw == MAX_WRITES)
		return -EIO;
	r = &disk.w[disk.nw++];
	r->off = off;
	r->len = len;
	r->data = malloc(len);
	memcpy(r->data, buf, len);
	return 0;
}

static int d_flush(struct blkdev *d)
{
	(void)d;
	return 0;
}

static const struct blkdev_ops d_ops = { d_read, d_write, d_flush, NULL };

struct blkdev *blkdev_find(const char *name)
{
	return strcmp(name, "img") == 0 ? &disk.dev : NULL;
}

static int check_io(struct blkdev *d, uint64_t off, size_t len)
{
	if (off % d->sector_size || len % d->sector_size)
		return -EINVAL;
	return off + len > d->size ? -EINVAL : 0;
}

int blkdev_read(struct blkdev *d, uint64_t off, void *buf, size_t len)
{
	int rc = check_io(d, off, len);

	return rc ? rc : d->ops->read(d, off, buf, len);
}

int blkdev_write(struct blkdev *d, uint64_t off, const void *buf, size_t len)
{
	int rc = check_io(d, off, len);

	if (d->readonly)
		return -EROFS;
	return rc ? rc : d->ops->write(d, off, buf, len);
}

int blkdev_flush(struct blkdev *d)
{
	return d->ops->flush(d);
}

int blkdev_discard(struct blkdev *d, uint64_t off, uint64_t len)
{
	(void)d, (void)off, (void)len;
	return -EOPNOTSUPP;
}

void log_printf(int level, const char *tag, const char *fmt, ...)
{
	va_list ap;

	if (level > LOG_WARN && !disk.verbose)
		return;
	printf("note: [%s] ", tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* --- images -------------------------------------------------------------- */

static char dir[64], base[96], work[96];

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* A seeded tree and `mkfs.ext4 -d` of it, as users make theirs. */
static bool make_base(void)
{
	char cmd[512];

	snprintf(
		cmd, sizeof(cmd),
		"set -e; cd %s; mkdir -p t/etc t/data t/many; "
		"printf 'hello\\n' > t/etc/motd; printf 'alpha\\n' > t/data/a; "
		"mkdir t/bad; printf 'v\\n' > t/bad/victim; "
		"for i in $(seq 1 120); do : > t/many/f$i; done; "
		"mkfs.ext4 -q -F -d t base.img %dM >/dev/null 2>&1",
		dir, IMG_MB);
	return run(cmd) == 0;
}

static bool load_from(const char *path, uint32_t sector)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	disk.mem = calloc(1, (size_t)IMG_MB << 20);
	if (!f || !disk.mem)
		return false;
	n = fread(disk.mem, 1, (size_t)IMG_MB << 20, f);
	fclose(f);
	strcpy(disk.dev.name, "img");
	disk.dev.sector_size = sector;
	disk.dev.size = (uint64_t)IMG_MB << 20;
	disk.dev.ops = &d_ops;
	disk.nw = 0;
	return n == (size_t)IMG_MB << 20;
}

static bool load(uint32_t sector)
{
	return load_from(base, sector);
}

static void unload(void)
{
	size_t i;

	for (i = 0; i < disk.nw; i++)
		free(disk.w[i].data);
	disk.nw = 0;
	free(disk.mem);
	disk.mem = NULL;
}

static bool save(const uint8_t *mem, const char *path)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(mem, 1, (size_t)IMG_MB << 20, f) == (size_t)IMG_MB
									  << 20;

	if (f)
		fclose(f);
	return ok;
}

/* debugfs's view of a file: true when it reads exactly want. */
static bool debugfs_reads(const char *img, const char *path,
			  const uint8_t *want, size_t len)
{
	char cmd[512];
	uint8_t *got = malloc(len + 1);
	size_t n;
	FILE *p;
	bool ok;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'cat %s' %s 2>/dev/null", path,
		 img);
	p = popen(cmd, "r");
	n = p ? fread(got, 1, len + 1, p) : 0;
	if (p)
		pclose(p);
	ok = n == len && memcmp(got, want, len) == 0;
	free(got);
	return ok;
}

/* --- workloads through the VFS ------------------------------------------- */

static uint8_t pat(uint32_t i, uint32_t seed)
{
	return (uint8_t)((i + seed) * 2654435761u >> 24);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pat((uint32_t)i, seed);
}

static bool mount_root(void)
{
	static bool done;

	if (!done) {
		if (vfs_register_fs(&ramfs_type) ||
		    vfs_register_fs(&ext4_fs_type))
			return false;
		if (vfs_mount("ramfs", "ram", "/", 0, NULL) ||
		    vfs_mkdir("/disk", 0755))
			return false;
		done = true;
	}
	/* A case that failed half-way may have left its disk mounted. */
	(void)vfs_unmount("/disk");
	return vfs_mount("ext4", "img", "/disk", 0, NULL) == 0;
}

/* Write len pattern bytes to path (made or truncated), fsync if asked. */
static int put(const char *path, size_t len, uint32_t seed, bool sync)
{
	struct vfs_node *n;
	uint8_t *buf = malloc(len + 1);
	long w = 0;
	int rc;

	fill(buf, len, seed);
	rc = vfs_open_node(path,
			   VFS_OPEN_CREATE | VFS_OPEN_TRUNC | VFS_OPEN_WRITE, 0,
			   0644, &n);
	if (rc == 0) {
		w = len ? vfs_node_write(n, buf, len, 0) : 0;
		if (w == (long)len && sync)
			rc = vfs_node_fsync(n, false);
		vfs_node_release(n);
	}
	free(buf);
	return rc ? rc : (w == (long)len ? 0 : -EIO);
}

static int truncate_to(const char *path, uint64_t size)
{
	struct vfs_attr a = { .size = size };

	return vfs_setattr(path, 0, &a, VFS_SET_SIZE);
}

/* Entries readdir gives for path, each name once, or -1. */
static int count_entries(const char *path)
{
	struct vfs_dirent ent;
	struct vfs_node *d;
	uint64_t cookie = 0;
	int n = 0, rc;

	if (vfs_open_node(path, VFS_OPEN_DIRECTORY, 0, 0, &d))
		return -1;
	while ((rc = vfs_node_readdir(d, &cookie, &ent)) == 1 && n < 100000)
		n++;
	vfs_node_release(d);
	return rc == 0 ? n : -1;
}

/* The clean-unmount workload: everything the VFS offers. */
static void workload_full(void)
{
	struct vfs_node *open_node;
	char path[64];
	uint8_t b[8];
	int i;

	CHECK(put("/disk/big", 200000, 1, true) == 0);
	CHECK(vfs_open_node("/disk/holey", VFS_OPEN_CREATE | VFS_OPEN_WRITE, 0,
			    0644, &open_node) == 0);
	CHECK(vfs_node_write(open_node, "end", 3, 3 << 20) == 3);
	vfs_node_release(open_node);
	CHECK(truncate_to("/disk/big", 70001) == 0);
	CHECK(vfs_mkdir("/disk/d", 0750) == 0);
	CHECK(vfs_mkdir("/disk/d/e", 0750) == 0);
	CHECK(put("/disk/d/e/f", 5000, 2, false) == 0);
	CHECK(vfs_rename("/disk/d/e", "/disk/data/e") == 0);
	CHECK(vfs_rmdir("/disk/d") == 0);
	CHECK(put("/disk/data/a.new", 10, 3, true) == 0);
	CHECK(vfs_rename("/disk/data/a.new", "/disk/data/a") == 0);
	CHECK(vfs_symlink("../etc/motd", "/disk/data/ln") == 0);
	CHECK(vfs_link("/disk/big", "/disk/data/big2") == 0);
	CHECK(vfs_open_node("/disk/etc/motd", VFS_OPEN_WRITE, 0, 0,
			    &open_node) == 0);
	CHECK(vfs_unlink("/disk/etc/motd") == 0);
	CHECK(vfs_node_write(open_node, "J", 1, 0) == 1);
	CHECK(vfs_node_read(open_node, b, 6, 0) == 6 &&
	      memcmp(b, "Jello\n", 6) == 0);
	vfs_node_release(open_node);
	for (i = 0; i < 150; i++) {
		snprintf(path, sizeof(path), "/disk/many/new-%d", i);
		CHECK(put(path, (size_t)i * 37, (uint32_t)i, false) == 0);
	}
	CHECK(count_entries("/disk/many") == 2 + 120 + 150);
	for (i = 1; i <= 120; i += 2) {
		snprintf(path, sizeof(path), "/disk/many/f%d", i);
		CHECK(vfs_unlink(path) == 0);
	}
	CHECK(count_entries("/disk/many") == 2 + 60 + 150);
	CHECK(count_entries("/disk/data") == 2 + 4); /* a e ln big2 */
}

static void check_full_result(const char *img)
{
	uint8_t *want = malloc(200000);

	fill(want, 200000, 1);
	CHECK(debugfs_reads(img, "/big", want, 70001));
	CHECK(debugfs_reads(img, "/data/big2", want, 70001));
	fill(want, 5000, 2);
	CHECK(debugfs_reads(img, "/data/e/f", want, 5000));
	fill(want, 10, 3);
	CHECK(debugfs_reads(img, "/data/a", want, 10));
	fill(want, 37 * 149, 149);
	CHECK(debugfs_reads(img, "/many/new-149", want, 37 * 149));
	free(want);
}

/* The disk as the last unmount left it passes e2fsck -fn (what e2fsck
 * says otherwise is shown). */
static bool unmounted_clean(void)
{
	char cmd[512];

	if (!save(disk.mem, work))
		return false;
	snprintf(cmd, sizeof(cmd),
		 "e2fsck -fn %s >%s/fsck.log 2>&1 || "
		 "{ sed 's/^/note: /' %s/fsck.log; exit 1; }",
		 work, dir, dir);
	return run(cmd) == 0;
}

static void clean_case(uint32_t sector)
{
	CHECK(load(sector));
	CHECK(mount_root());
	workload_full();
	CHECK_OK();
	CHECK(vfs_unmount("/disk") == 0);
	CHECK(unmounted_clean());
	check_full_result(work);
	CHECK_OK();
	unload();
}

static void test_clean(void)
{
	clean_case(512);
}

static void test_sectors(void)
{
	clean_case(4096);
}

/* Files fsynced during the crash workload, and the write count at which
 * each fsync had returned. */
static bool every_crash;

static struct durable {
	const char *path;
	size_t len;
	uint32_t seed;
	size_t after;
} durable[8];
static int ndurable;

static void put_durable(const char *path, size_t len, uint32_t seed)
{
	CHECK(put(path, len, seed, true) == 0);
	durable[ndurable++] = (struct durable){ path, len, seed, disk.nw };
}

/* Creates, writes, fsyncs, unlinks, mkdir/rmdir, truncates and renames
 * to new names: the operations whose every crash point preen repairs. */
static void workload_crash(void)
{
	char path[64];
	int i;

	put_durable("/disk/keep1", 3000, 11);
	CHECK_OK();
	CHECK(vfs_mkdir("/disk/sub", 0755) == 0);
	put_durable("/disk/sub/keep2", 40000, 12);
	CHECK_OK();
	CHECK(put("/disk/tmp", 9000, 13, false) == 0);
	CHECK(vfs_rename("/disk/tmp", "/disk/sub/moved") == 0);
	CHECK(truncate_to("/disk/sub/moved", 100) == 0);
	CHECK(vfs_unlink("/disk/data/a") == 0);
	CHECK(vfs_mkdir("/disk/sub/gone", 0755) == 0);
	CHECK(vfs_rmdir("/disk/sub/gone") == 0);
	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "/disk/many/c%d", i);
		CHECK(put(path, 700, (uint32_t)i, false) == 0);
	}
	put_durable("/disk/many/keep3", 2500, 14);
	CHECK_OK();
	CHECK(vfs_unlink("/disk/sub/moved") == 0);
	CHECK(put("/disk/keep1.tmp", 5, 15, false) == 0);
}

static bool crash_point(size_t k, size_t nw)
{
	int i;

	if (every_crash || k % CRASH_STRIDE == 0 || k == nw)
		return true;
	for (i = 0; i < ndurable; i++)
		if (k >= durable[i].after - 2 && k <= durable[i].after + 2)
			return true;
	return false;
}

/* Replay the first k writes onto the original image for every k, run
 * e2fsck -p on each, and read the durable files back. */
static void test_crash(void)
{
	uint8_t *img = malloc((size_t)IMG_MB << 20), *want = malloc(65536);
	FILE *f = fopen(base, "rb");
	char cmd[512];
	size_t k, checked = 0, nw;
	int i, rc;
	bool ok;

	CHECK(img && f &&
	      fread(img, 1, (size_t)IMG_MB << 20, f) == (size_t)IMG_MB << 20);
	fclose(f);
	CHECK(load(512));
	CHECK(mount_root());
	workload_crash();
	CHECK_OK();
	nw = disk.nw;
	snprintf(cmd, sizeof(cmd), "e2fsck -p %s >%s/fsck.log 2>&1", work, dir);
	for (k = 0; k <= nw; k++) {
		if (k > 0)
			memcpy(img + disk.w[k - 1].off, disk.w[k - 1].data,
			       disk.w[k - 1].len);
		if (!crash_point(k, nw))
			continue;
		CHECK(save(img, work));
		rc = run(cmd);
		if (rc >= 4) {
			printf("note: crash after write %zu of %zu (%zu bytes "
			       "at %llu): e2fsck -p exit %d:\n",
			       k, nw, disk.w[k - 1].len,
			       (unsigned long long)disk.w[k - 1].off, rc);
			snprintf(cmd, sizeof(cmd),
				 "sed 's/^/note:   /' %s/fsck.log", dir);
			(void)run(cmd);
		}
		CHECK(rc < 4);
		for (i = 0; i < ndurable; i++) {
			if (k < durable[i].after)
				continue;
			fill(want, durable[i].len, durable[i].seed);
			/* debugfs names files from the disk's root. */
			ok = debugfs_reads(work, durable[i].path + 5, want,
					   durable[i].len);
			if (!ok)
				printf("note: crash after write %zu: %s lost\n",
				       k, durable[i].path);
			CHECK(ok);
		}
		checked++;
	}
	CHECK(checked > nw / CRASH_STRIDE && ndurable == 3);
	CHECK(vfs_unmount("/disk") == 0);
	printf("note: %zu of %zu crash points checked, each repaired by "
	       "e2fsck -p\n",
	       checked, nw + 1);
	unload();
	free(img);
	free(want);
}

/* A copy of the base image changed by a shell command on $IMG. */
static bool make_variant(const char *script)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "set -e; cp %s %s; IMG=%s; { %s; } >/dev/null 2>&1", base,
		 work, work, script);
	return run(cmd) == 0;
}

/* A journal that needs recovery: mounted read-only, writes refused. */
static void test_journal(void)
{
	struct vfs_node *n;
	uint8_t b[8];

	CHECK(make_variant("debugfs -w -R 'feature needs_recovery' $IMG"));
	CHECK(load_from(work, 512));
	CHECK(mount_root());
	CHECK(vfs_open_node("/disk/etc/motd", 0, 0, 0, &n) == 0);
	CHECK(vfs_node_read(n, b, 6, 0) == 6 && memcmp(b, "hello\n", 6) == 0);
	vfs_node_release(n);
	CHECK(vfs_open_node("/disk/new", VFS_OPEN_CREATE | VFS_OPEN_WRITE, 0,
			    0644, &n) == -EROFS);
	CHECK(vfs_mkdir("/disk/d", 0755) == -EROFS);
	CHECK(vfs_unmount("/disk") == 0);
	CHECK(disk.nw == 0); /* nothing at all was written */
	unload();
}

/*
 * Damage inside files and directories: an extent tree with a bad header,
 * a size of 2^50 bytes, a directory hard-linked into itself (a loop), and
 * a directory block whose entry has a wild inode number (and so a bad
 * checksum). The mount works; each damaged thing fails with EIO or
 * behaves, nothing hangs, the rest stays usable.
 */
static void test_hostile(void)
{
	struct vfs_attr a;
	struct vfs_node *n;
	char cmd[256];
	uint32_t dev;
	uint8_t b[16];
	long r;

	CHECK(make_variant(
		"debugfs -w -R 'sif /data/a block[0] 0x1234' $IMG; "
		"debugfs -w -R 'sif /etc/motd size 0x4000000000000' $IMG; "
		"debugfs -w -R 'link /data /data/loop' $IMG; "
		"blk=$(debugfs -R 'blocks /bad' $IMG 2>/dev/null); "
		"printf '\\377\\377\\377\\177' | dd of=$IMG bs=1 "
		"seek=$((blk * 1024 + 24)) conv=notrunc"));
	CHECK(load_from(work, 512));
	CHECK(mount_root());
	CHECK(vfs_open_node("/disk/data/a", 0, 0, 0, &n) == 0);
	CHECK(vfs_node_read(n, b, 6, 0) == -EIO);
	vfs_node_release(n);
	CHECK(vfs_stat("/disk/etc/motd", 0, &a, &dev) == 0);
	CHECK(a.size == 1ull << 50);
	CHECK(vfs_open_node("/disk/etc/motd", 0, 0, 0, &n) == 0);
	CHECK(vfs_node_read(n, b, 6, 0) == 6 && memcmp(b, "hello\n", 6) == 0);
	r = vfs_node_read(n, b, 16, 1ull << 49);
	printf("note: read at 2^49 of a 2^50-byte file: %ld\n", r);
	CHECK(r == 16 || r == -EFBIG || r == -EIO || r == -EINVAL);
	vfs_node_release(n);
	CHECK(vfs_stat("/disk/data/loop/loop/loop/loop/loop", 0, &a, &dev) ==
	      0);
	CHECK(vfs_rmdir("/disk/data/loop") == -ENOTEMPTY);
	CHECK(vfs_stat("/disk/bad/victim", 0, &a, &dev) == -EIO);
	CHECK(vfs_mkdir("/disk/fine", 0755) == 0);
	CHECK(put("/disk/fine/f", 3000, 7, true) == 0);
	CHECK(vfs_unmount("/disk") == 0);
	/* Damage was seen: the disk is left for e2fsck, marked so. */
	CHECK(save(disk.mem, work));
	snprintf(cmd, sizeof(cmd),
		 "dumpe2fs -h %s 2>/dev/null | "
		 "grep -q '^Filesystem state: *not clean with errors'",
		 work);
	CHECK(run(cmd) == 0);
	unload();
}

/* A full disk: a file written until ENOSPC, then new files until the
 * directory cannot grow (ENOSPC); space freed is usable again, and the
 * disk is clean for e2fsck -fn after unmount. (The file ends next to the
 * last block, which libext2fs 1.47.0 could not free: lib/ext4.c.) */
static void test_full(void)
{
	struct vfs_node *n;
	uint8_t *buf = malloc(65536);
	char path[64];
	long w = 1;
	uint64_t off = 0;
	int i, rc = 0;

	CHECK(load(512));
	CHECK(mount_root());
	/* One device is never mounted twice. */
	CHECK(vfs_mkdir("/disk2", 0755) == 0);
	CHECK(vfs_mount("ext4", "img", "/disk2", VFS_MOUNT_RDONLY, NULL) ==
	      -EBUSY);
	fill(buf, 65536, 9);
	CHECK(vfs_open_node("/disk/fill", VFS_OPEN_CREATE | VFS_OPEN_WRITE, 0,
			    0644, &n) == 0);
	while (w > 0) {
		w = vfs_node_write(n, buf, 65536, off);
		off += w > 0 ? (uint64_t)w : 0;
	}
	vfs_node_release(n);
	CHECK(w == -ENOSPC && off > (1u << 20));
	for (i = 0; i < 5000 && rc == 0; i++) {
		snprintf(path, sizeof(path), "/disk/many/e%d", i);
		rc = put(path, 0, 0, false);
	}
	CHECK(rc == -ENOSPC);
	CHECK(vfs_unlink("/disk/fill") == 0);
	CHECK(put("/disk/after", 100000, 3, true) == 0);
	CHECK(vfs_unmount("/disk") == 0);
	CHECK(unmounted_clean());
	printf("note: filled with %llu bytes and %d files before ENOSPC\n",
	       (unsigned long long)off, i - 1);
	free(buf);
	unload();
}

int main(void)
{
	static struct wrec writes[MAX_WRITES];
	char cmd[128];

	disk.w = writes;
	disk.verbose = getenv("EXT4_TEST_VERBOSE") != NULL;
	every_crash = getenv("EXT4_CRASH_ALL") != NULL;
	/* Images go to memory when the host has a tmpfs for it. */
	strcpy(dir, access("/dev/shm", W_OK) == 0 ? "/dev/shm/skiff-ext4-XXXXXX"
						  : "/tmp/skiff-ext4-XXXXXX");
	if (!mkdtemp(dir) || run("command -v mkfs.ext4 debugfs e2fsck "
				 ">/dev/null") != 0) {
		printf("FAIL unit/ext4_disk: needs a temporary directory and "
		       "e2fsprogs (mkfs.ext4, e2fsck, debugfs)\n");
		return 3;
	}
	snprintf(base, sizeof(base), "%s/base.img", dir);
	snprintf(work, sizeof(work), "%s/work.img", dir);
	if (!make_base()) {
		printf("FAIL unit/ext4_disk: mkfs.ext4 -d failed\n");
		return 3;
	}
	check_run("ext4_disk_clean",
		  "mkfs.ext4 -d image changed through the VFS, unmounted: "
		  "e2fsck -fn clean, debugfs reads it",
		  test_clean);
	check_run("ext4_disk_sectors",
		  "the same on 4096-byte sectors (bounced 1 KiB blocks)",
		  test_sectors);
	check_run("ext4_disk_journal",
		  "a journal that needs recovery: read-only, nothing written",
		  test_journal);
	check_run("ext4_disk_hostile",
		  "bad extent header, 2^50-byte size, directory loop, wild "
		  "inode number: EIO or sane, no hang",
		  test_hostile);
	check_run("ext4_disk_full",
		  "disk full: ENOSPC for data and for entries, freed space "
		  "reused, e2fsck -fn clean; a second mount is EBUSY",
		  test_full);
	check_run("ext4_disk_crash",
		  "crashes between writes (every 10th, around each fsync): "
		  "e2fsck -p repairs, fsynced files intact",
		  test_crash);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)run(cmd);
	return check_exit();
}
