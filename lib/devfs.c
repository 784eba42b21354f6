/*
 * devfs (lib/devfs.h): a fixed directory of device nodes, made at mount
 * and freed at unmount; nodes are never created or removed, so the VFS's
 * references to them need no bookkeeping here. Device numbers are
 * Linux's (1,3 null; 1,5 zero; 1,8 random; 1,9 urandom), so programs that
 * check st_rdev recognise them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/devfs.h"
#include "lib/random.h"

enum devfs_kind {
	DEVFS_DIR,
	DEVFS_NULL,
	DEVFS_ZERO,
	DEVFS_RANDOM,
	DEVFS_STDIO
};

struct devfs_node {
	struct vfs_node vn;
	const char *name;
	enum devfs_kind kind;
	uint32_t rdev;
	int fd; /* DEVFS_STDIO: the descriptor open() duplicates */
};

#define DEVFS_NODES 8

struct devfs {
	struct devfs_node nodes[DEVFS_NODES]; /* [0] is the directory */
	struct timespec made;
};

static const struct {
	const char *name;
	enum devfs_kind kind;
	uint32_t rdev; /* major << 8 | minor */
	int fd;
} devfs_table[DEVFS_NODES] = {
	{ ".", DEVFS_DIR, 0, -1 },
	{ "null", DEVFS_NULL, 1 << 8 | 3, -1 },
	{ "zero", DEVFS_ZERO, 1 << 8 | 5, -1 },
	{ "random", DEVFS_RANDOM, 1 << 8 | 8, -1 },
	{ "urandom", DEVFS_RANDOM, 1 << 8 | 9, -1 },
	{ "stdin", DEVFS_STDIO, 0, 0 },
	{ "stdout", DEVFS_STDIO, 0, 1 },
	{ "stderr", DEVFS_STDIO, 0, 2 },
};

static struct devfs_node *dnode(struct vfs_node *vn)
{
	return (struct devfs_node *)((char *)vn -
				     offsetof(struct devfs_node, vn));
}

static struct devfs *dfs(struct vfs_node *vn)
{
	return vn->mount->priv;
}

static int devfs_lookup(struct vfs_node *dir, const char *name,
			struct vfs_node **out)
{
	struct devfs *fs = dfs(dir);

	if (!strcmp(name, "..")) {
		*out = vfs_node_get(dir);
		return 0;
	}
	for (int i = 1; i < DEVFS_NODES; i++) {
		if (!strcmp(fs->nodes[i].name, name)) {
			*out = vfs_node_get(&fs->nodes[i].vn);
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_readdir(struct vfs_node *dir, uint64_t *cookie,
			 struct vfs_dirent *ent)
{
	struct devfs *fs = dfs(dir);
	uint64_t i = *cookie;

	if (i > DEVFS_NODES)
		return 0;
	/* Cookie 0 is ".", 1 is "..", 2.. the devices. */
	ent->ino = i == 0 || i == 1 ? dir->ino : fs->nodes[i - 1].vn.ino;
	ent->type = i < 2 ? VFS_DT_DIR : VFS_DT_CHR;
	strcpy(ent->name, i == 0 ? "." : i == 1 ? ".." : fs->nodes[i - 1].name);
	*cookie = i + 1;
	return 1;
}

static long devfs_read(struct vfs_node *vn, void *buf, size_t len, uint64_t off)
{
	(void)off;
	switch (dnode(vn)->kind) {
	case DEVFS_ZERO:
		memset(buf, 0, len);
		return (long)len;
	case DEVFS_RANDOM:
		random_read(buf, len);
		return (long)len;
	default:
		return 0;
	}
}

static long devfs_write(struct vfs_node *vn, const void *buf, size_t len,
			uint64_t off)
{
	(void)vn;
	(void)buf;
	(void)off;
	return (long)len; /* null and zero discard; random takes no seed */
}

static uint32_t mode_of(enum devfs_kind kind)
{
	switch (kind) {
	case DEVFS_DIR:
		return VFS_IFDIR | 0755;
	case DEVFS_STDIO:
		return VFS_IFCHR | 0620; /* as a terminal's */
	default:
		return VFS_IFCHR | 0666;
	}
}

static int devfs_getattr(struct vfs_node *vn, struct vfs_attr *a)
{
	struct devfs_node *n = dnode(vn);
	struct devfs *fs = dfs(vn);

	*a = (struct vfs_attr){
		.ino = vn->ino,
		.mode = mode_of(n->kind),
		.nlink = n->kind == DEVFS_DIR ? 2 : 1,
		.rdev = n->rdev,
		.atime = fs->made,
		.mtime = fs->made,
		.ctime = fs->made,
	};
	return 0;
}

static int devfs_dup_fd(struct vfs_node *vn)
{
	return dnode(vn)->fd;
}

static void devfs_release(struct vfs_node *vn)
{
	(void)vn; /* the nodes live as long as the mount */
}

static const struct vfs_node_ops devfs_ops = {
	.lookup = devfs_lookup,
	.readdir = devfs_readdir,
	.read = devfs_read,
	.write = devfs_write,
	.getattr = devfs_getattr,
	.dup_fd = devfs_dup_fd,
	.release = devfs_release,
};

static int devfs_mount(struct vfs_mount *m, const void *data)
{
	struct devfs *fs = calloc(1, sizeof(*fs));

	(void)data;
	if (!fs)
		return -ENOMEM;
	m->priv = fs;
	(void)clock_gettime(CLOCK_REALTIME, &fs->made);
	for (int i = 0; i < DEVFS_NODES; i++) {
		struct devfs_node *n = &fs->nodes[i];

		vfs_node_init(&n->vn, &devfs_ops, m, (uint64_t)i + 1,
			      i ? VFS_IFCHR : VFS_IFDIR);
		n->name = devfs_table[i].name;
		n->kind = devfs_table[i].kind;
		n->rdev = devfs_table[i].rdev;
		n->fd = devfs_table[i].fd;
		/* Only the root's reference goes to the VFS (m->root). */
		if (i)
			vfs_node_put(&n->vn);
	}
	m->root = &fs->nodes[0].vn;
	return 0;
}

static int devfs_unmount(struct vfs_mount *m)
{
	free(m->priv);
	return 0;
}

const struct vfs_fs_type devfs_type = {
	.name = "devfs",
	.mount = devfs_mount,
	.unmount = devfs_unmount,
};
