/*
 * What lib/ext4.c (mounts, nodes, inodes), lib/ext4_dir.c (names) and
 * lib/ext4_file.c (contents, attributes, fsync) share. Not for anyone
 * else: the rest of Skiff sees ext4 only as a VFS filesystem type
 * (lib/ext4.h).
 */
#ifndef SKIFF_LIB_EXT4_PRIV_H
#define SKIFF_LIB_EXT4_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <ext2fs/ext2fs.h>

#include "lib/vfs.h"

/* One mounted filesystem. */
struct ext4_mount {
	ext2_filsys fs;
	struct vfs_mount *vm;
	bool rw;
	bool was_clean;		 /* marked clean on disk when mounted */
	bool damaged;		 /* libext2fs found damage, or a write failed */
	bool holding_last;	 /* see hold_last_block() in lib/ext4.c */
	struct ext4_node *nodes; /* every node the VFS holds */
	struct ext4_mount *next; /* every mounted ext4 filesystem */
};

/*
 * An inode in use. There is at most one per inode number (nodes are
 * found again by number), so that an open regular file has exactly one
 * ext2_file_t, whose copy of the inode is the authoritative one: every
 * inode change goes through ext4_inode_load()/ext4_inode_store(), which
 * use that copy when there is one.
 */
struct ext4_node {
	struct vfs_node vn;
	struct ext4_mount *em;
	ext2_file_t file; /* regular files: opened on first use */
	struct ext4_node *next;
};

static inline struct ext4_node *ext4_node_of(struct vfs_node *vn)
{
	return (struct ext4_node *)vn;
}

static inline ext2_filsys ext4_fs_of(struct vfs_node *vn)
{
	return ext4_node_of(vn)->em->fs;
}

static inline ext2_ino_t ext4_ino_of(struct vfs_node *vn)
{
	return (ext2_ino_t)vn->ino;
}

extern const struct vfs_node_ops ext4_node_ops;

/* The node operations (lib/vfs.h has their contracts), by file. */
int ext4_lookup(struct vfs_node *dir, const char *name, struct vfs_node **out);
int ext4_create(struct vfs_node *dir, const char *name, uint32_t mode,
		struct vfs_node **out);
int ext4_mkdir(struct vfs_node *dir, const char *name, uint32_t mode,
	       struct vfs_node **out);
int ext4_unlink(struct vfs_node *dir, const char *name);
int ext4_rmdir(struct vfs_node *dir, const char *name);
int ext4_rename(struct vfs_node *odir, const char *oname, struct vfs_node *ndir,
		const char *nname);
int ext4_symlink(struct vfs_node *dir, const char *name, const char *target,
		 struct vfs_node **out);
int ext4_link(struct vfs_node *dir, const char *name, struct vfs_node *node);
int ext4_readdir(struct vfs_node *dir, uint64_t *cookie,
		 struct vfs_dirent *ent);
long ext4_readlink(struct vfs_node *node, char *buf, size_t len);
long ext4_read(struct vfs_node *node, void *buf, size_t len, uint64_t off);
long ext4_write(struct vfs_node *node, const void *buf, size_t len,
		uint64_t off);
int ext4_getattr(struct vfs_node *node, struct vfs_attr *attr);
int ext4_setattr(struct vfs_node *node, const struct vfs_attr *attr,
		 unsigned mask);
int ext4_fsync(struct vfs_node *node, bool datasync);

/* The node for inode ino with a reference (found, or made after checking
 * that the inode is in use and of a known type): 0, or -EIO for an inode
 * number or inode the disk should not have given us. */
int ext4_node_get(struct ext4_mount *em, ext2_ino_t ino, struct vfs_node **out);

/* The inode of n (its open file's copy if it has one) / write it back
 * (to that copy too). Negative errno. */
int ext4_inode_load(struct ext4_node *n, struct ext2_inode *inode);
int ext4_inode_store(struct ext4_node *n, struct ext2_inode *inode);

/* The open file of a regular file's node, opened on first use. */
int ext4_node_file(struct ext4_node *n, ext2_file_t *out);

/* A libext2fs failure as negative errno, logged when it means damage or
 * an unexpected failure (what names the operation, e.g. "lookup"). */
int ext4_fail(struct ext4_mount *em, const char *what, errcode_t code);

/* Seconds since the epoch, for inode times. */
uint32_t ext4_now(void);

/* Everything written so far to em durable: open files' buffers, the
 * superblock, group descriptors and bitmaps, then the device's cache.
 * Negative errno. */
int ext4_sync_all(struct ext4_mount *em);

/* The same for the filesystem's metadata only (no open file buffers). */
int ext4_sync_meta(struct ext4_mount *em);

/* What one file's fsync needs of the filesystem (lib/ext4.c says why
 * that is the group descriptors only), then the device's cache. */
int ext4_sync_descriptors(struct ext4_mount *em);

#endif
