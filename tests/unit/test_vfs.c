/*
 * Host tests for the VFS core, path resolution and ramfs (lib/vfs.c,
 * lib/vfs_path.c, lib/ramfs.c): absolute and relative paths, "." and
 * "..", mount points crossed both ways, symlinks (relative, absolute,
 * chains, loops -> ELOOP, dangling, with NOFOLLOW and trailing slashes),
 * ENAMETOOLONG, ENOTDIR, getcwd, rename (over files, over empty and full
 * directories, into itself, across mounts), unlink while open, sparse
 * files, truncate, readdir cookies surviving changes, hard links,
 * unmount rules, and a seeded random sequence of operations checked
 * against a simple model.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/devfs.h"
#include "lib/ramfs.h"
#include "lib/random.h"
#include "lib/vfs.h"
#include "lib/vfs_priv.h"
#include "tests/unit/check.h"

#include "tests/unit/test_vfs_host.h"

/* devfs's generator, as the host test has it: a counter. */
void random_read(void *buf, size_t len)
{
	static unsigned char next;

	for (size_t i = 0; i < len; i++)
		((unsigned char *)buf)[i] = next++;
}

static void fresh(void)
{
	static bool registered;

	if (!registered) {
		if (vfs_register_fs(&ramfs_type) != 0 ||
		    vfs_register_fs(&devfs_type) != 0)
			abort();
		registered = true;
	}
	if (vfs_root_mount())
		vfs_unmount_all();
	if (vfs_mount("ramfs", "root", "/", 0, NULL) != 0)
		abort();
}

static int mkfile(const char *path, const char *text)
{
	struct vfs_node *n;
	int rc = vfs_open_node(
		path, VFS_OPEN_CREATE | VFS_OPEN_WRITE | VFS_OPEN_TRUNC, 0,
		0644, &n);
	long w;

	if (rc)
		return rc;
	w = vfs_node_write(n, text, strlen(text), 0);
	vfs_node_release(n);
	return w < 0 ? (int)w : 0;
}

/* The contents of path into buf (NUL-terminated), or a negative errno. */
static long slurp(const char *path, char *buf, size_t size)
{
	struct vfs_node *n;
	int rc = vfs_open_node(path, 0, 0, 0, &n);
	long r;

	if (rc)
		return rc;
	r = vfs_node_read(n, buf, size - 1, 0);
	vfs_node_release(n);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static uint64_t ino_of(const char *path, unsigned flags)
{
	struct vfs_attr a;
	uint32_t dev;

	if (vfs_stat(path, flags, &a, &dev))
		return 0;
	return a.ino;
}

static uint32_t dev_of(const char *path)
{
	struct vfs_attr a;
	uint32_t dev = 0;

	if (vfs_stat(path, 0, &a, &dev))
		return 0;
	return dev;
}

static void test_vfs_paths(void)
{
	char buf[64];

	fresh();
	CHECK(vfs_mkdir("/a", 0755) == 0);
	CHECK(vfs_mkdir("/a/b", 0755) == 0);
	CHECK(vfs_mkdir("/a/b", 0755) == -EEXIST);
	CHECK(vfs_mkdir("/x/y", 0755) == -ENOENT);
	CHECK(mkfile("/a/b/f", "hello") == 0);
	CHECK(slurp("/a/b/f", buf, sizeof(buf)) == 5 && !strcmp(buf, "hello"));
	CHECK(slurp("//a///b/./f", buf, sizeof(buf)) == 5);
	CHECK(slurp("/a/b/../b/f", buf, sizeof(buf)) == 5);
	CHECK(slurp("/../../a/b/f", buf, sizeof(buf)) == 5);
	CHECK(slurp("/a/b/f/", buf, sizeof(buf)) == -ENOTDIR);
	CHECK(slurp("/a/b/f/x", buf, sizeof(buf)) == -ENOTDIR);
	CHECK(slurp("/a/b/f/..", buf, sizeof(buf)) == -ENOTDIR);
	CHECK(slurp("", buf, sizeof(buf)) == -ENOENT);
	CHECK(slurp("/a/nope", buf, sizeof(buf)) == -ENOENT);
	CHECK(ino_of("/a/b/", 0) == ino_of("/a/b", 0));
	CHECK(ino_of("/", 0) == ino_of("/..", 0));
	CHECK(vfs_mkdir("/a/b/c/", 0755) == 0);
	CHECK(vfs_mkdir("/", 0755) == -EEXIST);
	CHECK(vfs_mkdir("/a/..", 0755) == -EEXIST);
	/* Relative paths and the current directory. */
	CHECK(vfs_chdir("/a/b") == 0);
	CHECK(slurp("f", buf, sizeof(buf)) == 5);
	CHECK(slurp("./c/../f", buf, sizeof(buf)) == 5);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 4 && !strcmp(buf, "/a/b"));
	CHECK(vfs_getcwd(buf, 4) == -ERANGE);
	CHECK(vfs_chdir("f") == -ENOTDIR);
	CHECK(vfs_chdir("..") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 2 && !strcmp(buf, "/a"));
	CHECK(vfs_chdir("/") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 1 && !strcmp(buf, "/"));
}

static void test_vfs_long_names(void)
{
	char name[VFS_NAME_MAX + 3], *path = malloc(VFS_PATH_MAX + 8);

	fresh();
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[VFS_NAME_MAX + 1] = '\0'; /* a 255-byte component: fine */
	CHECK(mkfile(name, "x") == 0);
	name[VFS_NAME_MAX + 1] = 'n';
	name[VFS_NAME_MAX + 2] = '\0'; /* 256: too long */
	CHECK(mkfile(name, "x") == -ENAMETOOLONG);
	CHECK(ino_of(name, 0) == 0);
	CHECK(path != NULL);
	for (int i = 0; i < VFS_PATH_MAX + 4; i += 2)
		memcpy(path + i, "/.", 2);
	path[VFS_PATH_MAX + 4] = '\0';
	CHECK(vfs_chdir(path) == -ENAMETOOLONG);
	path[VFS_PATH_MAX - 2] = '\0';
	CHECK(vfs_chdir(path) == 0);
	free(path);
}

static void test_vfs_symlinks(void)
{
	char buf[64];

	fresh();
	CHECK(vfs_mkdir("/d", 0755) == 0);
	CHECK(vfs_mkdir("/d/e", 0755) == 0);
	CHECK(mkfile("/d/e/f", "data") == 0);
	CHECK(vfs_symlink("e/f", "/d/rel") == 0);
	CHECK(vfs_symlink("/d/e", "/abs") == 0);
	CHECK(vfs_symlink("../rel", "/d/e/chain") == 0);
	CHECK(vfs_symlink("nowhere", "/dangling") == 0);
	CHECK(vfs_symlink("loop2", "/loop1") == 0);
	CHECK(vfs_symlink("loop1", "/loop2") == 0);
	CHECK(vfs_symlink("x", "/abs") == -EEXIST);
	CHECK(slurp("/d/rel", buf, sizeof(buf)) == 4);
	CHECK(slurp("/abs/f", buf, sizeof(buf)) == 4);
	CHECK(slurp("/abs/chain", buf, sizeof(buf)) == 4);
	CHECK(slurp("/abs/../e/f", buf, sizeof(buf)) == 4);
	CHECK(ino_of("/abs/", 0) == ino_of("/d/e", 0));
	CHECK(ino_of("/abs", VFS_NOFOLLOW) != ino_of("/d/e", 0));
	CHECK(ino_of("/abs/", VFS_NOFOLLOW) == ino_of("/d/e", 0));
	CHECK(slurp("/dangling", buf, sizeof(buf)) == -ENOENT);
	CHECK(slurp("/loop1", buf, sizeof(buf)) == -ELOOP);
	CHECK(slurp("/loop1/x", buf, sizeof(buf)) == -ELOOP);
	CHECK(vfs_readlink("/abs", buf, sizeof(buf)) == 4);
	CHECK(!memcmp(buf, "/d/e", 4));
	CHECK(vfs_readlink("/d/e/f", buf, sizeof(buf)) == -EINVAL);
	CHECK(vfs_chdir("/abs") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 4 && !strcmp(buf, "/d/e"));
	/* A 40-link chain resolves, 41 is ELOOP. */
	for (int i = 0; i < 41; i++) {
		char from[16], to[16];

		snprintf(from, sizeof(from), "/c%d", i + 1);
		snprintf(to, sizeof(to), i ? "c%d" : "/d/e/f", i);
		CHECK(vfs_symlink(to, from) == 0);
	}
	CHECK(slurp("/c40", buf, sizeof(buf)) == 4);
	CHECK(slurp("/c41", buf, sizeof(buf)) == -ELOOP);
	/* O_NOFOLLOW on a final link; O_EXCL never follows. */
	{
		struct vfs_node *n;

		CHECK(vfs_open_node("/abs", 0, VFS_NOFOLLOW, 0, &n) == -ELOOP);
		CHECK(vfs_open_node("/dangling",
				    VFS_OPEN_CREATE | VFS_OPEN_EXCL, 0, 0644,
				    &n) == -EEXIST);
		/* Without O_EXCL the link's target is created. */
		CHECK(vfs_symlink("d/e/made", "/dangling2") == 0);
		CHECK(vfs_open_node("/dangling2", VFS_OPEN_CREATE, 0, 0644,
				    &n) == 0);
		vfs_node_release(n);
		CHECK(ino_of("/d/e/made", 0) == ino_of("/dangling2", 0));
		CHECK(vfs_open_node("/loop1", VFS_OPEN_CREATE, 0, 0644, &n) ==
		      -ELOOP);
	}
	/* realpath: every link followed, the result canonical. */
	CHECK(vfs_realpath("/abs/chain", buf, sizeof(buf)) == 6);
	CHECK(!strcmp(buf, "/d/e/f"));
	CHECK(vfs_realpath("/c40", buf, sizeof(buf)) == 6);
	CHECK(!strcmp(buf, "/d/e/f"));
	CHECK(vfs_realpath("//abs/../e/./", buf, sizeof(buf)) == 4);
	CHECK(!strcmp(buf, "/d/e"));
	CHECK(vfs_realpath("/", buf, sizeof(buf)) == 1 && !strcmp(buf, "/"));
	CHECK(vfs_realpath("/dangling", buf, sizeof(buf)) == -ENOENT);
	CHECK(vfs_realpath("/loop1", buf, sizeof(buf)) == -ELOOP);
	CHECK(vfs_realpath("/d/rel", buf, 4) == -ERANGE);
	CHECK(vfs_unlink("/abs") == 0);
	CHECK(ino_of("/d/e", 0) != 0);
}

static void test_vfs_mounts(void)
{
	char buf[64];
	uint64_t sub_root;

	fresh();
	CHECK(vfs_mkdir("/mnt", 0755) == 0);
	CHECK(mkfile("/mnt/hidden", "under") == 0);
	CHECK(vfs_mkdir("/other", 0755) == 0);
	CHECK(vfs_mount("ramfs", "sub", "/mnt", 0, NULL) == 0);
	CHECK(vfs_mount("ramfs", "sub", "/mnt", 0, NULL) == -EBUSY);
	CHECK(vfs_mount("nofs", "sub", "/other", 0, NULL) == -ENODEV);
	CHECK(dev_of("/mnt") != dev_of("/"));
	CHECK(dev_of("/mnt/.") == dev_of("/mnt"));
	CHECK(dev_of("/mnt/..") == dev_of("/"));
	CHECK(ino_of("/mnt/..", 0) == ino_of("/", 0));
	CHECK(slurp("/mnt/hidden", buf, sizeof(buf)) == -ENOENT);
	CHECK(mkfile("/mnt/inner", "in") == 0);
	CHECK(vfs_mkdir("/mnt/d", 0755) == 0);
	CHECK(slurp("/mnt/d/../../mnt/inner", buf, sizeof(buf)) == 2);
	CHECK(vfs_rename("/mnt/inner", "/moved") == -EXDEV);
	CHECK(vfs_rmdir("/mnt") == -EBUSY);
	CHECK(vfs_rename("/mnt", "/mnt2") == -EBUSY);
	CHECK(vfs_symlink("/mnt/d", "/tod") == 0);
	CHECK(vfs_chdir("/tod") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 6 && !strcmp(buf, "/mnt/d"));
	CHECK(vfs_unmount("/mnt") == -EBUSY); /* the cwd is in it */
	CHECK(vfs_chdir("..") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 4 && !strcmp(buf, "/mnt"));
	CHECK(vfs_chdir("..") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 1 && !strcmp(buf, "/"));
	sub_root = ino_of("/mnt", 0);
	CHECK(sub_root != 0);
	CHECK(vfs_unmount("/mnt/d") == -EINVAL);
	CHECK(vfs_unmount("/mnt") == 0);
	CHECK(slurp("/mnt/hidden", buf, sizeof(buf)) == 5);
	CHECK(vfs_unmount("/mnt") == -EINVAL);
	CHECK(vfs_unmount_all() == 0);
	CHECK(vfs_root_mount() == NULL);
}

static void test_vfs_rename(void)
{
	char buf[64];
	uint64_t ino;

	fresh();
	CHECK(mkfile("/a", "AAA") == 0);
	CHECK(mkfile("/b", "BB") == 0);
	ino = ino_of("/a", 0);
	CHECK(vfs_rename("/a", "/b") == 0);
	CHECK(slurp("/b", buf, sizeof(buf)) == 3 && ino_of("/b", 0) == ino);
	CHECK(slurp("/a", buf, sizeof(buf)) == -ENOENT);
	CHECK(vfs_rename("/b", "/b") == 0);
	CHECK(vfs_mkdir("/d1", 0755) == 0);
	CHECK(vfs_mkdir("/d2", 0755) == 0);
	CHECK(vfs_mkdir("/d1/sub", 0755) == 0);
	CHECK(vfs_rename("/b", "/d1") == -EISDIR);
	CHECK(vfs_rename("/d1", "/b") == -ENOTDIR);
	CHECK(vfs_rename("/d2", "/d1") == -ENOTEMPTY);
	CHECK(vfs_rename("/d1", "/d1/sub/x") == -EINVAL);
	CHECK(vfs_rename("/d1", "/d1/sub") == -EINVAL);
	CHECK(vfs_rename("/d1/sub", "/d2") == 0); /* over an empty dir */
	CHECK(ino_of("/d2", 0) != 0 && ino_of("/d1/sub", 0) == 0);
	CHECK(vfs_rename("/d2", "/d1/moved") == 0);
	CHECK(vfs_chdir("/d1/moved") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 9 && !strcmp(buf, "/d1/moved"));
	CHECK(vfs_rename("/d1/moved", "/top") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == 4 && !strcmp(buf, "/top"));
	CHECK(vfs_chdir("..") == 0 && ino_of(".", 0) == ino_of("/", 0));
	CHECK(vfs_rename("/b/", "/c") == -ENOTDIR);
	CHECK(vfs_rename("/nope", "/c") == -ENOENT);
	CHECK(vfs_rename("/.", "/c") == -EBUSY);
	/* Hard links: rename of one name over another of the same file. */
	CHECK(vfs_link("/b", "/b2") == 0);
	CHECK(vfs_link("/d1", "/d1l") == -EPERM);
	CHECK(vfs_rename("/b", "/b2") == 0);
	CHECK(ino_of("/b", 0) == ino && ino_of("/b2", 0) == ino);
	CHECK(vfs_unlink("/b") == 0 && slurp("/b2", buf, sizeof(buf)) == 3);
}

static void test_vfs_remove(void)
{
	struct vfs_node *n;
	struct vfs_attr a;
	char buf[64];

	fresh();
	CHECK(vfs_mkdir("/d", 0755) == 0);
	CHECK(mkfile("/d/f", "x") == 0);
	CHECK(vfs_rmdir("/d") == -ENOTEMPTY);
	CHECK(vfs_unlink("/d") == -EISDIR);
	CHECK(vfs_rmdir("/d/f") == -ENOTDIR);
	CHECK(vfs_rmdir("/d/.") == -EINVAL);
	CHECK(vfs_rmdir("/d/..") == -ENOTEMPTY);
	CHECK(vfs_unlink("/d/f/") == -ENOTDIR);
	/* Unlink while open: the data stays reachable until release. */
	CHECK(vfs_open_node("/d/f", VFS_OPEN_WRITE, 0, 0, &n) == 0);
	CHECK(vfs_unlink("/d/f") == 0);
	CHECK(slurp("/d/f", buf, sizeof(buf)) == -ENOENT);
	CHECK(vfs_node_write(n, "abc", 3, 1) == 3);
	CHECK(vfs_node_read(n, buf, sizeof(buf), 0) == 4);
	CHECK(!memcmp(buf, "xabc", 4));
	CHECK(vfs_node_getattr(n, &a) == 0 && a.nlink == 0 && a.size == 4);
	vfs_node_release(n);
	CHECK(vfs_rmdir("/d") == 0);
	/* A removed current directory: getcwd says ENOENT. */
	CHECK(vfs_mkdir("/gone", 0755) == 0 && vfs_chdir("/gone") == 0);
	CHECK(vfs_rmdir("/gone") == 0);
	CHECK(vfs_getcwd(buf, sizeof(buf)) == -ENOENT);
	CHECK(mkfile("x", "y") == -ENOENT);
	CHECK(vfs_chdir("/") == 0);
}

static void test_ramfs_data(void)
{
	struct vfs_node *n;
	struct vfs_attr a = { .size = 0 };
	static char big[3 * 4096 + 100];
	char buf[16];

	fresh();
	CHECK(vfs_open_node("/s", VFS_OPEN_CREATE | VFS_OPEN_WRITE, 0, 0600,
			    &n) == 0);
	CHECK(vfs_node_write(n, "end", 3, 1000000) == 3);
	CHECK(vfs_node_getattr(n, &a) == 0 && a.size == 1000003);
	CHECK(a.blocks == 8); /* one page: the hole is not allocated */
	CHECK(vfs_node_read(n, buf, 4, 999999) == 4);
	CHECK(!memcmp(buf, "\0end", 4));
	CHECK(vfs_node_read(n, buf, 4, 1000003) == 0);
	a.size = 1000001;
	CHECK(vfs_node_setattr(n, &a, VFS_SET_SIZE) == 0);
	a.size = 1000003;
	CHECK(vfs_node_setattr(n, &a, VFS_SET_SIZE) == 0);
	CHECK(vfs_node_read(n, buf, 8, 1000000) == 3);
	CHECK(!memcmp(buf, "e\0\0", 3)); /* extension reads zeros */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	CHECK(vfs_node_write(n, big, sizeof(big), 4000) == (long)sizeof(big));
	memset(big, 0, sizeof(big));
	CHECK(vfs_node_read(n, big, sizeof(big), 4000) == (long)sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++)
		CHECK(big[i] == (char)(i * 7 + 3));
	CHECK(vfs_node_write(n, "x", 1, RAMFS_MAX_FILE) == -EFBIG);
	a.mode = 0640;
	CHECK(vfs_node_setattr(n, &a, VFS_SET_MODE) == 0);
	CHECK(vfs_node_getattr(n, &a) == 0 && a.mode == (VFS_IFREG | 0640));
	vfs_node_release(n);
	CHECK(vfs_open_node("/s", VFS_OPEN_TRUNC | VFS_OPEN_WRITE, 0, 0, &n) ==
	      0);
	CHECK(vfs_node_getattr(n, &a) == 0 && a.size == 0 && a.blocks == 0);
	vfs_node_release(n);
	CHECK(vfs_open_node("/", VFS_OPEN_WRITE, 0, 0, &n) == -EISDIR);
	CHECK(vfs_open_node("/s", VFS_OPEN_DIRECTORY, 0, 0, &n) == -ENOTDIR);
	CHECK(vfs_open_node("/new/", VFS_OPEN_CREATE, 0, 0, &n) == -EISDIR);
}

/* Names readdir returns for dir, as one string "a,b,c" without . and .. */
static void list(const char *dir, char *out, size_t size)
{
	struct vfs_node *n;
	struct vfs_dirent ent;
	uint64_t cookie = 0;

	out[0] = '\0';
	if (vfs_open_node(dir, VFS_OPEN_DIRECTORY, 0, 0, &n))
		return;
	while (vfs_node_readdir(n, &cookie, &ent) == 1) {
		if (!strcmp(ent.name, ".") || !strcmp(ent.name, ".."))
			continue;
		if (out[0])
			strncat(out, ",", size - strlen(out) - 1);
		strncat(out, ent.name, size - strlen(out) - 1);
	}
	vfs_node_release(n);
}

static void test_ramfs_readdir(void)
{
	struct vfs_node *n;
	struct vfs_dirent ent;
	uint64_t cookie = 0;
	char names[128];
	char seen[8] = "";

	fresh();
	CHECK(mkfile("/a", "") == 0 && mkfile("/b", "") == 0);
	CHECK(vfs_mkdir("/c", 0755) == 0 && mkfile("/d", "") == 0);
	list("/", names, sizeof(names));
	CHECK(!strcmp(names, "a,b,c,d"));
	CHECK(vfs_open_node("/", VFS_OPEN_DIRECTORY, 0, 0, &n) == 0);
	CHECK(vfs_node_readdir(n, &cookie, &ent) == 1 &&
	      !strcmp(ent.name, ".") && ent.type == VFS_DT_DIR);
	CHECK(vfs_node_readdir(n, &cookie, &ent) == 1 &&
	      !strcmp(ent.name, ".."));
	CHECK(vfs_node_readdir(n, &cookie, &ent) == 1 &&
	      !strcmp(ent.name, "a") && ent.type == VFS_DT_REG);
	/* Changes during the walk: b removed, e added, a renamed. */
	CHECK(vfs_unlink("/b") == 0 && mkfile("/e", "") == 0);
	CHECK(vfs_rename("/a", "/z") == 0);
	while (vfs_node_readdir(n, &cookie, &ent) == 1)
		strncat(seen, ent.name, sizeof(seen) - strlen(seen) - 1);
	CHECK(!strcmp(seen, "cdez")); /* each once, b gone */
	CHECK(vfs_node_readdir(n, &cookie, &ent) == 0);
	vfs_node_release(n);
	CHECK(vfs_node_readdir(vfs_root_mount()->root, &cookie, &ent) == 0);
	/* 3000 entries, every third removed while two walks interleave:
	 * each walk sees every survivor once. */
	{
		static char seen1[3000], seen2[3000];
		uint64_t c1 = 0, c2 = 0;
		struct vfs_node *d;
		char path[32];
		int r1 = 1, r2 = 1, i;

		CHECK(vfs_mkdir("/big", 0755) == 0);
		for (i = 0; i < 3000; i++) {
			snprintf(path, sizeof(path), "/big/%d", i);
			CHECK(mkfile(path, "") == 0);
		}
		CHECK(vfs_open_node("/big", VFS_OPEN_DIRECTORY, 0, 0, &d) == 0);
		for (i = 0; r1 == 1 || r2 == 1; i++) {
			if (i % 3 == 0 && i < 3000) {
				snprintf(path, sizeof(path), "/big/%d", i);
				CHECK(vfs_unlink(path) == 0);
			}
			if (r1 == 1 &&
			    (r1 = vfs_node_readdir(d, &c1, &ent)) == 1 &&
			    ent.name[0] != '.')
				seen1[atoi(ent.name)]++;
			if (r2 == 1 && i % 2 &&
			    (r2 = vfs_node_readdir(d, &c2, &ent)) == 1 &&
			    ent.name[0] != '.')
				seen2[atoi(ent.name)]++;
		}
		vfs_node_release(d);
		for (i = 0; i < 3000; i++) {
			CHECK(seen1[i] <= 1 && seen2[i] <= 1);
			if (i % 3)
				CHECK(seen1[i] == 1 && seen2[i] == 1);
			/* Found by name (the hash has grown) or gone. */
			snprintf(path, sizeof(path), "/big/%d", i);
			CHECK((ino_of(path, 0) != 0) == (i % 3 != 0));
		}
	}
}

static void test_devfs(void)
{
	struct vfs_node *n;
	struct vfs_attr a;
	uint32_t dev;
	char names[64], buf[8] = "xxxxxxx";

	fresh();
	CHECK(vfs_mkdir("/dev", 0755) == 0);
	CHECK(vfs_mount("devfs", "dev", "/dev", 0, NULL) == 0);
	list("/dev", names, sizeof(names));
	CHECK(!strcmp(names, "null,zero,random,urandom,stdin,stdout,stderr"));
	CHECK(vfs_open_node("/dev/zero", VFS_OPEN_WRITE, 0, 0, &n) == 0);
	CHECK(vfs_node_read(n, buf, 4, 99) == 4 &&
	      !memcmp(buf, "\0\0\0\0x", 5));
	CHECK(vfs_node_write(n, "abc", 3, 0) == 3);
	vfs_node_release(n);
	CHECK(vfs_open_node("/dev/urandom", 0, 0, 0, &n) == 0);
	CHECK(vfs_node_read(n, buf, 3, 0) == 3 && buf[1] == buf[0] + 1);
	vfs_node_release(n);
	CHECK(slurp("/dev/null", buf, sizeof(buf)) == 0);
	CHECK(vfs_stat("/dev/null", 0, &a, &dev) == 0);
	CHECK(a.mode == (VFS_IFCHR | 0666) && a.rdev == (1 << 8 | 3));
	CHECK(dev != 0 && dev != dev_of("/"));
	CHECK(ino_of("/dev/..", 0) == ino_of("/", 0));
	CHECK(vfs_unlink("/dev/null") == -EROFS);
	CHECK(vfs_mkdir("/dev/x", 0755) == -EROFS);
	CHECK(mkfile("/dev/new", "x") == -EROFS);
	CHECK(vfs_rename("/dev/zero", "/dev/z") == -EROFS);
	CHECK(slurp("/dev/nope", buf, sizeof(buf)) == -ENOENT);
	CHECK(vfs_unmount("/dev") == 0);
	CHECK(ino_of("/dev/null", 0) == 0);
}

/* A seeded random mix of creates, writes, renames and unlinks in one
 * directory, against a model of which names hold which bytes. */
#define FUZZ_NAMES 8
static void test_ramfs_fuzz(void)
{
	char model[FUZZ_NAMES][32];
	bool exists[FUZZ_NAMES] = { false };
	char path[16], path2[16], buf[40];

	fresh();
	check_seed(7);
	for (int step = 0; step < 5000; step++) {
		int i = (int)check_rand_below(FUZZ_NAMES);
		int j = (int)check_rand_below(FUZZ_NAMES);

		snprintf(path, sizeof(path), "/f%d", i);
		snprintf(path2, sizeof(path2), "/f%d", j);
		switch (check_rand_below(4)) {
		case 0:
			snprintf(model[i], sizeof(model[i]), "v%d", step);
			CHECK(mkfile(path, model[i]) == 0);
			exists[i] = true;
			break;
		case 1:
			CHECK(vfs_unlink(path) == (exists[i] ? 0 : -ENOENT));
			exists[i] = false;
			break;
		case 2:
			CHECK(vfs_rename(path, path2) ==
			      (exists[i] ? 0 : -ENOENT));
			if (exists[i] && i != j) {
				memcpy(model[j], model[i], sizeof(model[j]));
				exists[j] = true;
				exists[i] = false;
			}
			break;
		default:
			if (exists[i]) {
				CHECK(slurp(path, buf, sizeof(buf)) >= 0);
				CHECK(!strcmp(buf, model[i]));
			} else {
				CHECK(slurp(path, buf, sizeof(buf)) == -ENOENT);
			}
		}
	}
	CHECK(vfs_root_mount()->active == 1); /* root (also the cwd) */
	CHECK(lock_depth == 0);
}

int main(void)
{
	RUN(vfs_paths, "absolute/relative, . and .., getcwd/chdir");
	RUN(vfs_long_names, "255-byte names fine, 256 and 4096+ "
			    "ENAMETOOLONG");
	RUN(vfs_symlinks, "relative/absolute/chained links, 40 ok, 41 "
			  "ELOOP, loops, dangling, NOFOLLOW, EXCL, realpath");
	RUN(vfs_mounts, "st_dev per mount, .. across mounts both ways, "
			"EBUSY/EXDEV/EINVAL rules, covered files return");
	RUN(vfs_rename, "over files, dirs, into itself, hard links, cwd "
			"moved");
	RUN(vfs_remove, "rmdir/unlink errors, unlink while open, removed "
			"cwd");
	RUN(ramfs_data, "sparse files, truncate zeroes the tail, 3-page "
			"pattern, EFBIG, chmod, O_TRUNC");
	RUN(ramfs_readdir,
	    "order, types, cookies across unlink/create/"
	    "rename, 3000 entries (hash grown) with two walks and "
	    "removals");
	RUN(devfs, "null/zero/urandom on /dev, listing, rdev, own st_dev, "
		   "EROFS for changes, unmount");
	RUN(ramfs_fuzz, "5000 seeded create/unlink/rename/read against a "
			"model, no leaked references");
	vfs_unmount_all();
	return check_exit();
}
