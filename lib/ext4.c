/*
 * ext4 through libext2fs: mounting, the node table and inode access (the
 * name operations are lib/ext4_dir.c, contents and attributes
 * lib/ext4_file.c). libext2fs does the on-disk format; I/O goes through
 * lib/ext4_io.c. The VFS calls one operation at a time (lib/vfs.h), which
 * is what libext2fs, not thread-safe, needs: nothing here locks.
 *
 * Mounting checks what libext2fs checks when it opens a filesystem
 * (superblock magic, sizes and counts, features it does not know,
 * checksums of the superblock and group descriptors) and then the group
 * descriptors' block and inode table locations (ext2fs_check_desc) and,
 * read-write, the bitmaps and their checksums: a disk that fails any of
 * them is refused with one log line saying why. Damage found later (a
 * directory block, an extent tree, an inode with a bad checksum or an
 * inode number out of range) fails that operation with EIO and a log
 * line; the guest goes on. Directory loops are the VFS's to stop (it
 * bounds path walks); nothing here walks more than one directory.
 *
 * The journal: libext2fs can neither replay nor write one. A disk whose
 * journal needs recovery (Linux crashed with transactions in it) is
 * mounted read-only, with a message saying to run e2fsck on it in dom0:
 * writing around an unreplayed journal would have the replay undo our
 * writes. Otherwise the journal is left as it is, empty, and writes go
 * straight to their place.
 *
 * What a crash leaves (there is no journal to replay): while mounted
 * read-write the superblock says "not clean", so e2fsck checks the whole
 * disk after a crash; a clean unmount writes everything and marks the
 * filesystem clean again (unless it was not clean when mounted: then it
 * stays for e2fsck to look at). Writes reach the disk synchronously and
 * in the order libext2fs and this code issue them (lib/ext4_io.c has no
 * cache), so after the guest dies the disk holds a prefix of that order.
 * The orders are chosen so that e2fsck -p (preen) can repair every
 * prefix of them:
 * - create: the new inode (empty, one link) before the entry naming it:
 *   a crash between leaves an unattached empty inode, which preen clears;
 * - mkdir and symlink (lib/ext4_dir.c): the entry first, without a file
 *   type and pointing at an inode still free on disk (preen clears such
 *   an entry), then the inode (and block), then the entry's type (preen
 *   sets a missing one), then the parent's link count (preen fixes
 *   counts);
 * - unlink and rmdir: the inode's link count (and, for the last link, its
 *   deletion time) before the entry goes: a crash between leaves an
 *   entry to a deleted inode or a count too low, both fixed by preen; the
 *   blocks are freed last (a free block still marked in use is fixed by
 *   preen; a block is never reused while an inode on disk still has it,
 *   because freeing in memory comes after the disk write that drops it);
 * - rename over an existing name swaps the inode number in that entry in
 *   place (one block write: the name never disappears), then drops the
 *   replaced inode as unlink does. A crash between those two writes
 *   leaves the replaced inode unattached with its data: preen stops
 *   there and `e2fsck -y` puts it in lost+found. A directory moved to
 *   another parent has such windows too (its ".." and the parents' link
 *   counts are separate writes). Without a journal these cannot be
 *   closed; they are a few writes long.
 * Free counts, bitmaps and group descriptors (with their checksums) are
 * written at fsync, sync and unmount; preen recomputes them after a
 * crash. tests/unit/test_ext4_disk replays a workload's writes onto the
 * original image, stopping after each write, and runs e2fsck -p on
 * every such disk; tests/lab/ext4.sh does it with xl destroy on blkback.
 *
 * fsync (lib/ext4_file.c) writes the file's buffered block and inode,
 * then the group descriptors (so that e2fsck sees the inode as in use;
 * ext4_sync_descriptors() says why not the bitmaps), then flushes the
 * device's cache: when it returns, the file's data and everything that
 * finds it (its entry was written when it was made) survive a crash of
 * the guest or of the host. A file whose fsync returned is intact after
 * any later crash, except that renaming something over it starts the
 * window above. (The prefix argument is for a guest that dies: dom0's
 * cache keeps every write that completed. If the host itself loses
 * power, everything written before the last flush is on the disk, but
 * later writes may have reached it in any order, or torn, and e2fsck may
 * then need -y, which can cost the entries of a directory block written
 * after that flush, older ones included.)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ext2fs/ext2fs.h>

#define LOG_TAG "ext4"
#include "drivers/blkdev.h"
#include "kernel/log.h"
#include "lib/ext4.h"
#include "lib/ext4_err.h"
#include "lib/ext4_io.h"
#include "lib/ext4_priv.h"
#include "lib/vfs.h"

/* Every mounted filesystem, so that a device is never mounted twice (two
 * libext2fs instances writing one disk would each undo the other). */
static struct ext4_state {
	struct ext4_mount *mounts;
} es;

static struct ext4_mount *mounted(const char *source)
{
	struct ext4_mount *em;

	for (em = es.mounts; em; em = em->next)
		if (strcmp(em->vm->source, source) == 0)
			return em;
	return NULL;
}

static void forget_mount(struct ext4_mount *em)
{
	struct ext4_mount **p;

	for (p = &es.mounts; *p; p = &(*p)->next) {
		if (*p == em) {
			*p = em->next;
			return;
		}
	}
}

uint32_t ext4_now(void)
{
	return (uint32_t)time(NULL);
}

int ext4_fail(struct ext4_mount *em, const char *what, errcode_t code)
{
	int err = ext4_err(code);
	const char *text = ext4_err_text(code);

	if (err == -EIO || err == -ENOMEM)
		log_err("%s (%s): %s failed: %s", em->vm->source, em->vm->path,
			what, text ? text : "I/O error");
	if (err == -EIO)
		em->damaged = true;
	return err;
}

/* --- inodes and nodes ------------------------------------------------------
 */

int ext4_inode_load(struct ext4_node *n, struct ext2_inode *inode)
{
	errcode_t e;

	if (n->file) {
		*inode = *ext2fs_file_get_inode(n->file);
		return 0;
	}
	e = ext2fs_read_inode(n->em->fs, ext4_ino_of(&n->vn), inode);
	return e ? ext4_fail(n->em, "reading an inode", e) : 0;
}

int ext4_inode_store(struct ext4_node *n, struct ext2_inode *inode)
{
	errcode_t e;

	if (n->file)
		*ext2fs_file_get_inode(n->file) = *inode;
	e = ext2fs_write_inode(n->em->fs, ext4_ino_of(&n->vn), inode);
	return e ? ext4_fail(n->em, "writing an inode", e) : 0;
}

int ext4_node_file(struct ext4_node *n, ext2_file_t *out)
{
	int flags = n->em->rw ? EXT2_FILE_WRITE : 0;
	errcode_t e;

	if (!n->file) {
		e = ext2fs_file_open(n->em->fs, ext4_ino_of(&n->vn), flags,
				     &n->file);
		if (e)
			return ext4_fail(n->em, "opening a file", e);
	}
	*out = n->file;
	return 0;
}

static bool known_type(uint16_t mode)
{
	return LINUX_S_ISREG(mode) || LINUX_S_ISDIR(mode) ||
	       LINUX_S_ISLNK(mode) || LINUX_S_ISCHR(mode) ||
	       LINUX_S_ISBLK(mode) || LINUX_S_ISFIFO(mode) ||
	       LINUX_S_ISSOCK(mode);
}

int ext4_node_get(struct ext4_mount *em, ext2_ino_t ino, struct vfs_node **out)
{
	struct ext2_inode inode;
	struct ext4_node *n;
	errcode_t e;

	for (n = em->nodes; n; n = n->next) {
		if (ext4_ino_of(&n->vn) == ino) {
			*out = vfs_node_get(&n->vn);
			return 0;
		}
	}
	e = ext2fs_read_inode(em->fs, ino, &inode);
	if (e)
		return ext4_fail(em, "reading an inode", e);
	if (inode.i_links_count == 0 || !known_type(inode.i_mode)) {
		log_err("%s (%s): entry to inode %u, which is %s",
			em->vm->source, em->vm->path, ino,
			inode.i_links_count ? "of no known type"
					    : "not in use");
		return -EIO;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->em = em;
	vfs_node_init(&n->vn, &ext4_node_ops, em->vm, ino, inode.i_mode);
	n->next = em->nodes;
	em->nodes = n;
	*out = &n->vn;
	return 0;
}

/* An extended-attribute block goes with its last user. */
static errcode_t drop_xattr_block(ext2_filsys fs, ext2_ino_t ino,
				  struct ext2_inode *inode)
{
	blk64_t blk = ext2fs_file_acl_block(fs, inode);
	__u32 count = 0;
	errcode_t e;

	if (blk == 0)
		return 0;
	e = ext2fs_adjust_ea_refcount3(fs, blk, NULL, -1, &count, ino);
	if (e)
		return e;
	if (count == 0)
		ext2fs_block_alloc_stats2(fs, blk, -1);
	ext2fs_file_acl_block_set(fs, inode, 0);
	return 0;
}

/*
 * Free an inode whose last link is gone (its deletion time is on disk
 * already, see unlink): its blocks, its attribute block, then the inode.
 * The in-memory bitmaps learn the blocks are free only once the inode no
 * longer points at them on disk (ext2fs_punch writes as it goes).
 */
static int free_inode(struct ext4_node *n)
{
	ext2_filsys fs = n->em->fs;
	ext2_ino_t ino = ext4_ino_of(&n->vn);
	struct ext2_inode inode;
	errcode_t e = 0;
	int rc;

	rc = ext4_inode_load(n, &inode);
	if (rc < 0)
		return rc;
	if (ext2fs_inode_has_valid_blocks2(fs, &inode))
		e = ext2fs_punch(fs, ino, &inode, NULL, 0, ~0ULL);
	if (!e)
		e = drop_xattr_block(fs, ino, &inode);
	if (e)
		return ext4_fail(n->em, "freeing an inode's blocks", e);
	inode.i_size = 0;
	inode.i_size_high = 0;
	inode.i_dtime = ext4_now();
	rc = ext4_inode_store(n, &inode);
	if (rc < 0)
		return rc;
	ext2fs_inode_alloc_stats2(fs, ino, -1, LINUX_S_ISDIR(inode.i_mode));
	return 0;
}

static void unlist(struct ext4_node *n)
{
	struct ext4_node **p;

	for (p = &n->em->nodes; *p; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			return;
		}
	}
}

/* Write an open file's buffer and inode, and close it. */
static void close_file(struct ext4_node *n)
{
	errcode_t e = 0, c;

	if (n->em->rw) {
		e = ext2fs_file_flush(n->file);
		if (!e)
			(void)ext4_inode_store(n,
					       ext2fs_file_get_inode(n->file));
	}
	c = ext2fs_file_close(n->file); /* frees it whatever happens */
	if (e || c)
		(void)ext4_fail(n->em, "closing a file", e ? e : c);
	n->file = NULL;
}

/* The last reference: the open file is closed, an inode with no links
 * left is freed, and the node goes. Failures are logged (and e2fsck
 * frees what was not freed). */
static void ext4_release(struct vfs_node *vn)
{
	struct ext4_node *n = ext4_node_of(vn);
	struct ext2_inode inode;

	if (n->file)
		close_file(n);
	if (n->em->rw && ext4_inode_load(n, &inode) == 0 &&
	    inode.i_links_count == 0)
		(void)free_inode(n);
	unlist(n);
	free(n);
}

/* --- sync ----------------------------------------------------------------- */

/*
 * libext2fs 1.47.0's ext2fs_punch() refuses to free an extent that ends
 * on the filesystem's last block (punch_extent_blocks() compares the end
 * with >= blocks count): such a file could be neither truncated nor
 * deleted. So that no file of ours ends there, the last block, when
 * free, stays marked in the in-memory bitmap while mounted (the free
 * counts do not change) and is unmarked whenever the bitmaps may be
 * written, so the disk never records it as used.
 */
static blk64_t last_block(ext2_filsys fs)
{
	return ext2fs_blocks_count(fs->super) - 1;
}

static void hold_last_block(struct ext4_mount *em)
{
	blk64_t b = last_block(em->fs);

	em->holding_last = !ext2fs_test_block_bitmap2(em->fs->block_map, b);
	if (em->holding_last)
		ext2fs_mark_block_bitmap2(em->fs->block_map, b);
}

static void release_last_block(struct ext4_mount *em)
{
	if (em->holding_last)
		ext2fs_unmark_block_bitmap2(em->fs->block_map,
					    last_block(em->fs));
	em->holding_last = false;
}

int ext4_sync_meta(struct ext4_mount *em)
{
	errcode_t e;

	if (!em->rw)
		return 0;
	/* ext2fs_flush() writes the superblock, the group descriptors and
	 * the dirty bitmaps, then flushes the device (lib/ext4_io.c). */
	release_last_block(em);
	e = ext2fs_flush(em->fs);
	hold_last_block(em);
	return e ? ext4_fail(em, "writing the superblock and bitmaps", e) : 0;
}

/*
 * What fsync needs of the filesystem's metadata: the group descriptors
 * (which tell e2fsck which inodes of a group are in use at all), with
 * their checksums, then the device's cache. The bitmaps and free counts
 * are left to sync and unmount: after a crash e2fsck -p rebuilds them
 * from the inodes (the disk is marked not clean), and the bitmaps'
 * checksums in the descriptors still match the bitmaps on the disk, both
 * having been written together last time. On a large disk this saves
 * two bitmap blocks per group and a second device flush per fsync.
 */
int ext4_sync_descriptors(struct ext4_mount *em)
{
	ext2_filsys fs = em->fs;
	errcode_t e;
	blk64_t j;

	if (!em->rw)
		return 0;
	e = ext2fs_set_gdt_csum(fs);
	for (j = 0; !e && j < fs->desc_blocks; j++)
		e = io_channel_write_blk64(
			fs->io,
			ext2fs_descriptor_block_loc2(
				fs, fs->super->s_first_data_block, (dgrp_t)j),
			1, (char *)fs->group_desc + j * fs->blocksize);
	if (!e)
		e = io_channel_flush(fs->io);
	return e ? ext4_fail(em, "writing the group descriptors", e) : 0;
}

int ext4_sync_all(struct ext4_mount *em)
{
	struct ext4_node *n;
	int rc = 0, r;

	if (!em->rw)
		return 0;
	for (n = em->nodes; n; n = n->next) {
		if (!n->file)
			continue;
		r = ext4_fail(em, "writing a file's buffer",
			      ext2fs_file_flush(n->file));
		if (r == 0)
			r = ext4_inode_store(n, ext2fs_file_get_inode(n->file));
		if (rc == 0)
			rc = r;
	}
	r = ext4_sync_meta(em);
	return rc ? rc : r;
}

static int ext4_sync(struct vfs_mount *vm)
{
	return ext4_sync_all(vm->priv);
}

/* --- mount and unmount ---------------------------------------------------- */

/* Open the filesystem on vm's device; a failure is logged with the
 * reason (libext2fs's text for what it found wrong with the disk). */
static errcode_t open_fs(struct vfs_mount *vm, bool rw, ext2_filsys *out)
{
	int flags = EXT2_FLAG_64BITS | (rw ? EXT2_FLAG_RW : 0);
	errcode_t e;

	e = ext2fs_open2(vm->source, NULL, flags, 0, 0, ext4_io_manager, out);
	if (e && ext4_err_text(e))
		log_err("mount %s on %s: %s", vm->source, vm->path,
			ext4_err_text(e));
	else if (e)
		log_err("mount %s on %s: device error (%d)", vm->source,
			vm->path, ext4_err(e));
	return e;
}

/* A plain errno from the device as itself; anything libext2fs found
 * wrong with the disk is -EINVAL (not a filesystem we can mount). */
static int open_err(errcode_t e)
{
	return e > 0 && e < 256 ? ext4_err(e) : -EINVAL;
}

/* A read-write mount reads the bitmaps (checking their checksums) and
 * marks the filesystem "not clean" on disk before anything else is
 * written, so that a crash from here on makes e2fsck check it. */
static int start_rw(struct ext4_mount *em)
{
	struct ext2_super_block *sb = em->fs->super;
	errcode_t e;

	e = ext2fs_read_bitmaps(em->fs);
	if (e) {
		log_err("mount %s on %s: bitmaps: %s", em->vm->source,
			em->vm->path,
			ext4_err_text(e) ? ext4_err_text(e) : "I/O error");
		return -EINVAL;
	}
	em->was_clean =
		(sb->s_state & EXT2_VALID_FS) && !(sb->s_state & EXT2_ERROR_FS);
	if (!em->was_clean)
		log_warn("%s was not cleanly unmounted or has errors: mounted "
			 "read-write anyway; run e2fsck on it",
			 em->vm->source);
	sb->s_state &= (__u16)~EXT2_VALID_FS;
	sb->s_mnt_count++;
	sb->s_mtime = ext4_now();
	/* Backup superblocks and descriptors keep what mkfs or e2fsck
	 * wrote, as the Linux driver leaves them. */
	em->fs->flags |= EXT2_FLAG_MASTER_SB_ONLY;
	ext2fs_mark_super_dirty(em->fs);
	return ext4_sync_meta(em);
}

static int check_fs(struct ext4_mount *em)
{
	errcode_t e = ext2fs_check_desc(em->fs);

	if (e) {
		log_err("mount %s on %s: group descriptors: %s", em->vm->source,
			em->vm->path,
			ext4_err_text(e) ? ext4_err_text(e) : "I/O error");
		return -EINVAL;
	}
	return 0;
}

static int ext4_mount(struct vfs_mount *vm, const void *data)
{
	bool rw = !(vm->flags & VFS_MOUNT_RDONLY);
	struct ext4_mount *em;
	errcode_t e;
	int rc;

	(void)data;
	if (mounted(vm->source)) {
		log_err("mount %s on %s: already mounted on %s", vm->source,
			vm->path, mounted(vm->source)->vm->path);
		return -EBUSY;
	}
	em = calloc(1, sizeof(*em));
	if (!em)
		return -ENOMEM;
	em->vm = vm;
	e = open_fs(vm, false, &em->fs);
	if (e) {
		rc = open_err(e);
		goto err_free;
	}
	rc = check_fs(em);
	if (rc < 0)
		goto err_close;
	if (rw && ext2fs_has_feature_journal_needs_recovery(em->fs->super)) {
		log_warn("%s: its journal needs recovery, which Skiff cannot "
			 "do: mounted read-only (run e2fsck on it in dom0)",
			 vm->source);
		rw = false;
	}
	if (rw && blkdev_find(vm->source)->readonly) {
		log_info("%s is a read-only device: mounted read-only",
			 vm->source);
		rw = false;
	}
	if (rw) {
		/* Reopened read-write only now that it looks sane; features
		 * libext2fs can read but not write leave it read-only. */
		ext2fs_close_free(&em->fs);
		e = open_fs(vm, true, &em->fs);
		if (e == EXT2_ET_RO_UNSUPP_FEATURE) {
			log_warn("%s: mounted read-only", vm->source);
			rw = false;
			e = open_fs(vm, false, &em->fs);
		}
		if (e) {
			rc = open_err(e);
			goto err_free;
		}
	}
	em->rw = rw;
	if (!rw)
		vm->flags |= VFS_MOUNT_RDONLY;
	if (rw) {
		rc = start_rw(em);
		if (rc < 0)
			goto err_close;
	}
	vm->priv = em;
	rc = ext4_node_get(em, EXT2_ROOT_INO, &vm->root);
	if (rc < 0)
		goto err_close;
	if (!vfs_is_dir(vm->root->mode)) {
		log_err("mount %s on %s: the root inode is not a directory",
			vm->source, vm->path);
		rc = -EINVAL;
		goto err_put_root;
	}
	em->next = es.mounts;
	es.mounts = em;
	log_info("%s mounted on %s (%s, %u-byte blocks, %llu blocks, %u "
		 "inodes)",
		 vm->source, vm->path, rw ? "read-write" : "read-only",
		 em->fs->blocksize,
		 (unsigned long long)ext2fs_blocks_count(em->fs->super),
		 em->fs->super->s_inodes_count);
	return 0;

err_put_root:
	vfs_node_put(vm->root);
	vm->root = NULL;
err_close:
	/* Nothing to write back: a failed mount leaves the disk as it was
	 * (or "not clean", which only makes e2fsck look). */
	ext2fs_free(em->fs);
err_free:
	free(em);
	vm->priv = NULL;
	return rc;
}

/* Called after a successful sync and once the VFS has let go of the
 * root: nodes still listed are files left open at power-off. */
static int ext4_unmount(struct vfs_mount *vm)
{
	struct ext4_mount *em = vm->priv;
	errcode_t e;
	int rc = 0;

	while (em->nodes)
		ext4_release(&em->nodes->vn);
	if (em->rw && (em->damaged || ext4_io_failed(em->fs->io))) {
		/* What is on the disk may not be what we think: leave it for
		 * e2fsck, marked as having errors. */
		log_warn("%s: damage or write errors seen: left marked for "
			 "e2fsck",
			 vm->source);
		em->fs->super->s_state |= EXT2_ERROR_FS;
		em->was_clean = false;
	}
	if (em->rw) {
		if (em->was_clean)
			em->fs->super->s_state |= EXT2_VALID_FS;
		ext2fs_mark_super_dirty(em->fs);
	}
	/* ext2fs_close2() writes what is dirty and flushes the device. */
	if (em->rw)
		release_last_block(em);
	e = ext2fs_close2(em->fs, 0);
	if (e) {
		rc = ext4_fail(em, "unmounting", e);
		ext2fs_free(em->fs);
	} else {
		log_info("%s unmounted from %s%s", vm->source, vm->path,
			 em->rw && em->was_clean ? " (clean)" : "");
	}
	forget_mount(em);
	free(em);
	vm->priv = NULL;
	return rc;
}

static int ext4_statfs(struct vfs_mount *vm, struct vfs_statfs *st)
{
	struct ext4_mount *em = vm->priv;
	struct ext2_super_block *sb = em->fs->super;
	uint64_t free_blocks = ext2fs_free_blocks_count(sb);
	uint64_t reserved = ext2fs_r_blocks_count(sb);

	st->bsize = em->fs->blocksize;
	st->blocks = ext2fs_blocks_count(sb);
	st->bfree = free_blocks;
	st->bavail = free_blocks > reserved ? free_blocks - reserved : 0;
	st->files = sb->s_inodes_count;
	st->ffree = sb->s_free_inodes_count;
	st->namemax = EXT2_NAME_LEN;
	return 0;
}

const struct vfs_fs_type ext4_fs_type = {
	.name = "ext4",
	.mount = ext4_mount,
	.sync = ext4_sync,
	.unmount = ext4_unmount,
	.statfs = ext4_statfs,
};

const struct vfs_node_ops ext4_node_ops = {
	.lookup = ext4_lookup,
	.create = ext4_create,
	.mkdir = ext4_mkdir,
	.unlink = ext4_unlink,
	.rmdir = ext4_rmdir,
	.rename = ext4_rename,
	.symlink = ext4_symlink,
	.link = ext4_link,
	.readlink = ext4_readlink,
	.read = ext4_read,
	.write = ext4_write,
	.getattr = ext4_getattr,
	.setattr = ext4_setattr,
	.readdir = ext4_readdir,
	.fsync = ext4_fsync,
	.release = ext4_release,
};
