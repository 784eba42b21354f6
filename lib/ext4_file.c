/*
 * ext4's contents and attributes: read, write, truncate (setattr's
 * size), getattr, fsync, readlink, through libext2fs's file I/O (extents
 * and block maps alike). A regular file's node keeps one ext2_file_t
 * (lib/ext4_priv.h), whose one-block buffer holds the last block touched
 * until fsync, sync, another block, or the node's release writes it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ext2fs/ext2fs.h>

#include "lib/ext4_priv.h"
#include "lib/vfs.h"

/* One call moves at most this much: libext2fs counts in unsigned int. */
#define EXT4_IO_MAX (1u << 30)

static int seek(struct ext4_node *n, uint64_t off, ext2_file_t *f)
{
	int rc = ext4_node_file(n, f);
	errcode_t e;

	if (rc < 0)
		return rc;
	e = ext2fs_file_llseek(*f, off, EXT2_SEEK_SET, NULL);
	return e ? ext4_fail(n->em, "seeking in a file", e) : 0;
}

static long read_at(struct ext4_node *n, void *buf, size_t len, uint64_t off)
{
	unsigned int got = 0;
	ext2_file_t f;
	errcode_t e;
	int rc;

	rc = seek(n, off, &f);
	if (rc < 0)
		return rc;
	e = ext2fs_file_read(f, buf, len > EXT4_IO_MAX ? EXT4_IO_MAX : len,
			     &got);
	if (e && got == 0)
		return ext4_fail(n->em, "reading a file", e);
	return got;
}

long ext4_read(struct vfs_node *vn, void *buf, size_t len, uint64_t off)
{
	if (!vfs_is_reg(vn->mode))
		return -EINVAL;
	return read_at(ext4_node_of(vn), buf, len, off);
}

/* Writes change the file's times in its open file's inode only: that
 * copy reaches the disk with the next allocation or size change, fsync,
 * sync or release. */
long ext4_write(struct vfs_node *vn, const void *buf, size_t len, uint64_t off)
{
	struct ext4_node *n = ext4_node_of(vn);
	struct ext2_inode *inode;
	unsigned int done = 0;
	ext2_file_t f;
	errcode_t e;
	int rc;

	if (!n->em->rw)
		return -EROFS;
	if (!vfs_is_reg(vn->mode))
		return -EINVAL;
	if (off > (1ULL << 62) || len > (1ULL << 62) - off)
		return -EFBIG;
	rc = seek(n, off, &f);
	if (rc < 0)
		return rc;
	/* ext2fs_file_write() takes a non-const buffer it only reads. */
	e = ext2fs_file_write(f, (void *)(uintptr_t)buf,
			      len > EXT4_IO_MAX ? EXT4_IO_MAX : len, &done);
	inode = ext2fs_file_get_inode(f);
	inode->i_mtime = inode->i_ctime = ext4_now();
	if (e && done == 0)
		return ext4_fail(n->em, "writing a file", e);
	return done;
}

static uint64_t inode_rdev(const struct ext2_inode *inode)
{
	if (!LINUX_S_ISCHR(inode->i_mode) && !LINUX_S_ISBLK(inode->i_mode))
		return 0;
	return inode->i_block[0] ? inode->i_block[0] : inode->i_block[1];
}

int ext4_getattr(struct vfs_node *vn, struct vfs_attr *a)
{
	struct ext4_node *n = ext4_node_of(vn);
	ext2_filsys fs = n->em->fs;
	struct ext2_inode inode;
	int rc = ext4_inode_load(n, &inode);

	if (rc < 0)
		return rc;
	memset(a, 0, sizeof(*a));
	a->ino = vn->ino;
	a->mode = inode.i_mode;
	a->nlink = inode.i_links_count;
	a->uid = inode_uid(inode);
	a->gid = inode_gid(inode);
	a->size = EXT2_I_SIZE(&inode);
	a->blocks = ext2fs_get_stat_i_blocks(fs, &inode);
	a->blksize = fs->blocksize;
	a->rdev = inode_rdev(&inode);
	a->atime.tv_sec = inode.i_atime;
	a->mtime.tv_sec = inode.i_mtime;
	a->ctime.tv_sec = inode.i_ctime;
	return 0;
}

/* Truncate or extend: libext2fs frees the blocks past the new end (on
 * disk first, see lib/ext4.c) and writes the inode. */
static int set_size(struct ext4_node *n, uint64_t size)
{
	ext2_file_t f;
	errcode_t e;
	int rc;

	if (vfs_is_dir(n->vn.mode))
		return -EISDIR;
	if (!vfs_is_reg(n->vn.mode))
		return -EINVAL;
	rc = ext4_node_file(n, &f);
	if (rc < 0)
		return rc;
	e = ext2fs_file_set_size2(f, size);
	return e ? ext4_fail(n->em, "changing a file's size", e) : 0;
}

int ext4_setattr(struct vfs_node *vn, const struct vfs_attr *a, unsigned mask)
{
	struct ext4_node *n = ext4_node_of(vn);
	struct ext2_inode inode;
	int rc;

	if (!n->em->rw)
		return -EROFS;
	if (mask & VFS_SET_SIZE) {
		rc = set_size(n, a->size);
		if (rc < 0)
			return rc;
	}
	rc = ext4_inode_load(n, &inode);
	if (rc < 0)
		return rc;
	if (mask & VFS_SET_MODE)
		inode.i_mode = (uint16_t)((inode.i_mode & ~07777u) |
					  (a->mode & 07777u));
	if (mask & VFS_SET_UID) {
		inode.i_uid = (uint16_t)a->uid;
		inode.osd2.linux2.l_i_uid_high = (uint16_t)(a->uid >> 16);
	}
	if (mask & VFS_SET_GID) {
		inode.i_gid = (uint16_t)a->gid;
		inode.osd2.linux2.l_i_gid_high = (uint16_t)(a->gid >> 16);
	}
	if (mask & VFS_SET_ATIME)
		inode.i_atime = (uint32_t)a->atime.tv_sec;
	if (mask & VFS_SET_MTIME)
		inode.i_mtime = (uint32_t)a->mtime.tv_sec;
	inode.i_ctime = ext4_now();
	if ((mask & VFS_SET_SIZE) && !(mask & VFS_SET_MTIME))
		inode.i_mtime = inode.i_ctime;
	return ext4_inode_store(n, &inode);
}

/*
 * The file's buffered block and its inode, then the group descriptors
 * (so that e2fsck finds the inode in use) and the device's cache: see
 * lib/ext4.c for what this guarantees. The entry naming the file was written
 * when it was made. datasync does the same: the metadata is what finds the
 * data.
 */
int ext4_fsync(struct vfs_node *vn, bool datasync)
{
	struct ext4_node *n = ext4_node_of(vn);
	errcode_t e;
	int rc;

	(void)datasync;
	if (!n->em->rw)
		return 0;
	if (n->file) {
		e = ext2fs_file_flush(n->file);
		if (e)
			return ext4_fail(n->em, "writing a file's buffer", e);
		rc = ext4_inode_store(n, ext2fs_file_get_inode(n->file));
		if (rc < 0)
			return rc;
	}
	return ext4_sync_descriptors(n->em);
}

long ext4_readlink(struct vfs_node *vn, char *buf, size_t len)
{
	struct ext4_node *n = ext4_node_of(vn);
	struct ext2_inode inode;
	uint64_t size;
	int rc;

	rc = ext4_inode_load(n, &inode);
	if (rc < 0)
		return rc;
	size = EXT2_I_SIZE(&inode);
	if (size >= n->em->fs->blocksize || size >= VFS_PATH_MAX)
		return ext4_fail(n->em, "reading a symbolic link",
				 EXT2_ET_INODE_CORRUPTED);
	if (len > size)
		len = (size_t)size;
	if (ext2fs_is_fast_symlink(&inode)) {
		memcpy(buf, inode.i_block, len);
		return (long)len;
	}
	/* A longer target is in the link's one block (or inline data):
	 * libext2fs's file reading finds it either way. */
	return read_at(n, buf, len, 0);
}
