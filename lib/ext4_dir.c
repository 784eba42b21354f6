/*
 * ext4's name operations (lookup, create, mkdir, symlink, link, unlink,
 * rmdir, rename) through libext2fs; readdir is lib/ext4_readdir.c. The
 * order of the disk writes in each is what lib/ext4.c's opening comment
 * promises after a crash; the comments here say which order each keeps.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2fs.h>

#include "lib/ext4_priv.h"
#include "lib/vfs.h"

/* The largest link count of a file; directories past it count 1 with
 * dir_nlink (as Linux does). */
#define EXT4_LINK_MAX 65000

static int file_type(uint16_t mode)
{
	if (LINUX_S_ISREG(mode))
		return EXT2_FT_REG_FILE;
	if (LINUX_S_ISDIR(mode))
		return EXT2_FT_DIR;
	if (LINUX_S_ISLNK(mode))
		return EXT2_FT_SYMLINK;
	if (LINUX_S_ISCHR(mode))
		return EXT2_FT_CHRDEV;
	if (LINUX_S_ISBLK(mode))
		return EXT2_FT_BLKDEV;
	if (LINUX_S_ISFIFO(mode))
		return EXT2_FT_FIFO;
	if (LINUX_S_ISSOCK(mode))
		return EXT2_FT_SOCK;
	return EXT2_FT_UNKNOWN;
}

static int need_rw(struct vfs_node *dir)
{
	return ext4_node_of(dir)->em->rw ? 0 : -EROFS;
}

/* The inode number dir/name names: 0, -ENOENT, or a failure. */
static int find(struct vfs_node *dir, const char *name, ext2_ino_t *ino)
{
	errcode_t e = ext2fs_lookup(ext4_fs_of(dir), ext4_ino_of(dir), name,
				    (int)strlen(name), NULL, ino);

	if (e == EXT2_ET_FILE_NOT_FOUND)
		return -ENOENT;
	return e ? ext4_fail(ext4_node_of(dir)->em, "lookup", e) : 0;
}

static int find_node(struct vfs_node *dir, const char *name,
		     struct vfs_node **out)
{
	ext2_ino_t ino;
	int rc = find(dir, name, &ino);

	return rc < 0 ? rc : ext4_node_get(ext4_node_of(dir)->em, ino, out);
}

/* The node dir/name names, for an operation that changes it. */
static int find_to_change(struct vfs_node *dir, const char *name,
			  struct vfs_node **out)
{
	int rc = need_rw(dir);

	return rc < 0 ? rc : find_node(dir, name, out);
}

int ext4_lookup(struct vfs_node *dir, const char *name, struct vfs_node **out)
{
	return find_node(dir, name, out);
}

/* A new entry, growing the directory by a block when it is full. */
static int add_entry(struct vfs_node *dir, const char *name, ext2_ino_t ino,
		     int ft)
{
	ext2_filsys fs = ext4_fs_of(dir);
	errcode_t e;

	e = ext2fs_link(fs, ext4_ino_of(dir), name, ino, ft);
	if (e == EXT2_ET_DIR_NO_SPACE) {
		e = ext2fs_expand_dir(fs, ext4_ino_of(dir));
		if (!e)
			e = ext2fs_link(fs, ext4_ino_of(dir), name, ino, ft);
	}
	return e ? ext4_fail(ext4_node_of(dir)->em, "adding an entry", e) : 0;
}

static int remove_entry(struct vfs_node *dir, const char *name, ext2_ino_t ino)
{
	errcode_t e =
		ext2fs_unlink(ext4_fs_of(dir), ext4_ino_of(dir), name, ino, 0);

	return e ? ext4_fail(ext4_node_of(dir)->em, "removing an entry", e) : 0;
}

struct set_entry_ctx {
	const char *name;
	int len;
	ext2_ino_t ino;
	int ft;
	bool filetype;
	bool done;
};

static int set_entry_cb(ext2_ino_t dir, int entry,
			struct ext2_dir_entry *dirent, int offset,
			int blocksize, char *buf, void *priv)
{
	struct set_entry_ctx *c = priv;

	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	if (dirent->inode == 0 || ext2fs_dirent_name_len(dirent) != c->len ||
	    memcmp(dirent->name, c->name, (size_t)c->len) != 0)
		return 0;
	dirent->inode = c->ino;
	if (c->filetype)
		ext2fs_dirent_set_file_type(dirent, c->ft);
	c->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

/* Point the existing entry dir/name at ino, in place: one block write,
 * so the name exists at every moment (rename's atomic replace). */
static int set_entry(struct ext4_mount *em, ext2_ino_t dir, const char *name,
		     ext2_ino_t ino, int ft)
{
	struct set_entry_ctx c = {
		.name = name,
		.len = (int)strlen(name),
		.ino = ino,
		.ft = ft,
		.filetype = ext2fs_has_feature_filetype(em->fs->super),
	};
	errcode_t e;

	e = ext2fs_dir_iterate2(em->fs, dir, 0, NULL, set_entry_cb, &c);
	if (e)
		return ext4_fail(em, "rewriting an entry", e);
	return c.done ? 0 : -ENOENT;
}

/* Give an entry made untyped its type, once its inode is written (on a
 * filesystem without file types in entries there is nothing to do). */
static int set_type(struct vfs_node *dir, const char *name, ext2_ino_t ino,
		    int ft)
{
	struct ext4_mount *em = ext4_node_of(dir)->em;

	if (!ext2fs_has_feature_filetype(em->fs->super))
		return 0;
	return set_entry(em, ext4_ino_of(dir), name, ino, ft);
}

static void set_times(struct ext2_inode *inode, bool mtime)
{
	inode->i_ctime = ext4_now();
	if (mtime)
		inode->i_mtime = inode->i_ctime;
}

/* Add delta to n's link count (a directory's count stays 1 once it
 * overflowed, as dir_nlink has it); with no link left, the inode gets
 * its deletion time, which tells e2fsck it is free. clear drops every
 * link (a directory being removed). */
static int update_links(struct vfs_node *vn, int delta, bool clear, bool mtime)
{
	struct ext4_node *n = ext4_node_of(vn);
	struct ext2_inode inode;
	int links, rc = ext4_inode_load(n, &inode);

	if (rc < 0)
		return rc;
	links = inode.i_links_count + delta;
	if (LINUX_S_ISDIR(inode.i_mode) && inode.i_links_count == 1)
		links = 1;
	if (links > EXT4_LINK_MAX)
		links = 1;
	if (clear || links < 0)
		links = 0;
	inode.i_links_count = (uint16_t)links;
	if (links == 0)
		inode.i_dtime = ext4_now();
	set_times(&inode, mtime);
	return ext4_inode_store(n, &inode);
}

static int adjust_links(struct vfs_node *vn, int delta, bool mtime)
{
	return update_links(vn, delta, false, mtime);
}

static int clear_links(struct vfs_node *vn)
{
	return update_links(vn, 0, true, false);
}

/* A directory whose entries changed gets new times. */
static int touch_dir(struct vfs_node *dir)
{
	return adjust_links(dir, 0, true);
}

/* An empty extent tree in a new inode's i_block, as the kernel makes. */
static void init_extents(ext2_filsys fs, struct ext2_inode *inode)
{
	struct ext3_extent_header *eh = (void *)inode->i_block;

	if (!ext2fs_has_feature_extents(fs->super))
		return;
	eh->eh_magic = ext2fs_cpu_to_le16(EXT3_EXT_MAGIC);
	eh->eh_depth = 0;
	eh->eh_entries = 0;
	eh->eh_max = ext2fs_cpu_to_le16((sizeof(inode->i_block) - sizeof(*eh)) /
					sizeof(struct ext3_extent));
	inode->i_flags |= EXT4_EXTENTS_FL;
}

/*
 * A new regular file: its inode (empty, one link) is written before the
 * entry that names it, so a crash between leaves an unattached empty
 * inode, which e2fsck -p clears.
 */
int ext4_create(struct vfs_node *dir, const char *name, uint32_t mode,
		struct vfs_node **out)
{
	struct ext4_mount *em = ext4_node_of(dir)->em;
	struct ext2_inode inode;
	ext2_ino_t ino;
	errcode_t e;
	int rc = need_rw(dir);

	if (rc < 0)
		return rc;
	e = ext2fs_new_inode(em->fs, ext4_ino_of(dir),
			     LINUX_S_IFREG | (mode & 07777), NULL, &ino);
	if (e)
		return ext4_fail(em, "allocating an inode", e);
	memset(&inode, 0, sizeof(inode));
	inode.i_mode = (uint16_t)(LINUX_S_IFREG | (mode & 07777));
	inode.i_links_count = 1;
	init_extents(em->fs, &inode);
	ext2fs_inode_alloc_stats2(em->fs, ino, +1, 0);
	e = ext2fs_write_new_inode(em->fs, ino, &inode);
	if (e) {
		rc = ext4_fail(em, "writing a new inode", e);
		goto err_free_inode;
	}
	rc = add_entry(dir, name, ino, EXT2_FT_REG_FILE);
	if (rc < 0)
		goto err_clear_inode;
	(void)touch_dir(dir); /* times only: logged if it fails */
	return ext4_node_get(em, ino, out);

err_clear_inode:
	inode.i_links_count = 0;
	inode.i_dtime = ext4_now();
	(void)ext2fs_write_inode(em->fs, ino, &inode);
err_free_inode:
	ext2fs_inode_alloc_stats2(em->fs, ino, -1, 0);
	return rc;
}

/* Map a new directory's first block into its inode. */
static errcode_t map_first_block(ext2_filsys fs, ext2_ino_t ino,
				 struct ext2_inode *inode, blk64_t blk)
{
	ext2_extent_handle_t h;
	errcode_t e;

	if (!(inode->i_flags & EXT4_EXTENTS_FL)) {
		inode->i_block[0] = (__u32)blk;
		return ext2fs_write_inode(fs, ino, inode);
	}
	/* The extent code writes the inode as it changes its root. */
	e = ext2fs_extent_open2(fs, ino, inode, &h);
	if (e)
		return e;
	e = ext2fs_extent_set_bmap(h, 0, blk, 0);
	ext2fs_extent_free(h);
	return e;
}

/*
 * Write a new directory's inode and first block, the inode still marked
 * deleted (no links, a deletion time): e2fsck takes it for a free inode
 * until the last write here brings it to life. The block's checksum
 * needs the inode on disk first (it covers the inode's generation).
 */
static errcode_t write_new_dir(ext2_filsys fs, ext2_ino_t parent,
			       ext2_ino_t ino, uint32_t mode, blk64_t blk)
{
	struct ext2_inode inode;
	char *block = NULL;
	errcode_t e;

	memset(&inode, 0, sizeof(inode));
	inode.i_mode = (uint16_t)(LINUX_S_IFDIR | (mode & 07777));
	inode.i_dtime = ext4_now();
	inode.i_size = fs->blocksize;
	ext2fs_iblk_set(fs, &inode, 1);
	init_extents(fs, &inode);
	e = ext2fs_write_new_inode(fs, ino, &inode);
	if (!e)
		e = map_first_block(fs, ino, &inode, blk);
	if (!e)
		e = ext2fs_new_dir_block(fs, ino, parent, &block);
	if (!e)
		e = ext2fs_write_dir_block4(fs, blk, block, 0, ino);
	if (block)
		ext2fs_free_mem(&block);
	if (e)
		return e;
	e = ext2fs_read_inode(fs, ino, &inode);
	if (e)
		return e;
	inode.i_links_count = 2;
	inode.i_dtime = 0;
	return ext2fs_write_inode(fs, ino, &inode);
}

/*
 * A new directory. The entry is written first, without a file type and
 * pointing at an inode that is free on disk: e2fsck -p clears such an
 * entry (with a type, it would stop at the type that does not match a
 * free inode). Then the directory itself (write_new_dir), then the
 * entry's type (e2fsck -p sets a missing one), then the parent's count.
 */
int ext4_mkdir(struct vfs_node *dir, const char *name, uint32_t mode,
	       struct vfs_node **out)
{
	struct ext4_mount *em = ext4_node_of(dir)->em;
	ext2_ino_t ino, parent = ext4_ino_of(dir);
	blk64_t blk;
	errcode_t e;
	int rc = need_rw(dir);

	if (rc < 0)
		return rc;
	e = ext2fs_new_inode(em->fs, parent, LINUX_S_IFDIR | (mode & 07777),
			     NULL, &ino);
	if (e)
		return ext4_fail(em, "allocating an inode", e);
	ext2fs_inode_alloc_stats2(em->fs, ino, +1, 1);
	e = ext2fs_new_block2(em->fs, 0, NULL, &blk);
	if (e) {
		rc = ext4_fail(em, "allocating a block", e);
		goto err_free_inode;
	}
	ext2fs_block_alloc_stats2(em->fs, blk, +1);
	rc = add_entry(dir, name, ino, EXT2_FT_UNKNOWN);
	if (rc < 0)
		goto err_free_block;
	e = write_new_dir(em->fs, parent, ino, mode, blk);
	if (e) {
		rc = ext4_fail(em, "writing a new directory", e);
		goto err_remove_entry;
	}
	rc = set_type(dir, name, ino, EXT2_FT_DIR);
	if (rc == 0)
		rc = adjust_links(dir, +1, true);
	if (rc < 0)
		return rc;
	return out ? ext4_node_get(em, ino, out) : 0;

err_remove_entry:
	(void)remove_entry(dir, name, ino);
err_free_block:
	ext2fs_block_alloc_stats2(em->fs, blk, -1);
err_free_inode:
	ext2fs_inode_alloc_stats2(em->fs, ino, -1, 1);
	return rc;
}

/* A symbolic link: the entry first, untyped and pointing at a free
 * inode, as for mkdir; ext2fs_symlink() then writes the inode (and the
 * target's block for a target too long for the inode); then the type. */
int ext4_symlink(struct vfs_node *dir, const char *name, const char *target,
		 struct vfs_node **out)
{
	struct ext4_mount *em = ext4_node_of(dir)->em;
	ext2_ino_t ino;
	errcode_t e;
	int rc = need_rw(dir);

	if (rc < 0)
		return rc;
	if (strlen(target) >= em->fs->blocksize)
		return -ENAMETOOLONG;
	e = ext2fs_new_inode(em->fs, ext4_ino_of(dir), LINUX_S_IFLNK | 0777,
			     NULL, &ino);
	if (e)
		return ext4_fail(em, "allocating an inode", e);
	rc = add_entry(dir, name, ino, EXT2_FT_UNKNOWN);
	if (rc < 0)
		return rc;
	/* ext2fs_symlink() counts the inode (and block) as used itself. */
	e = ext2fs_symlink(em->fs, ext4_ino_of(dir), ino, NULL, target);
	if (e) {
		(void)remove_entry(dir, name, ino);
		return ext4_fail(em, "writing a symbolic link", e);
	}
	rc = set_type(dir, name, ino, EXT2_FT_SYMLINK);
	if (rc < 0)
		return rc;
	(void)touch_dir(dir);
	return out ? ext4_node_get(em, ino, out) : 0;
}

/* A hard link: the count goes up before the entry is added (a count too
 * high is what e2fsck -p fixes). */
int ext4_link(struct vfs_node *dir, const char *name, struct vfs_node *node)
{
	struct ext2_inode inode;
	int rc = need_rw(dir);

	if (rc < 0)
		return rc;
	if (vfs_is_dir(node->mode))
		return -EPERM;
	rc = ext4_inode_load(ext4_node_of(node), &inode);
	if (rc < 0)
		return rc;
	if (inode.i_links_count >= EXT4_LINK_MAX)
		return -EMLINK;
	rc = adjust_links(node, +1, false);
	if (rc < 0)
		return rc;
	rc = add_entry(dir, name, ext4_ino_of(node), file_type(inode.i_mode));
	if (rc < 0) {
		(void)adjust_links(node, -1, false);
		return rc;
	}
	return touch_dir(dir);
}

/*
 * Remove a non-directory's entry: the link count (for the last link,
 * also the deletion time) is written first, then the entry goes. The
 * inode and its blocks are freed when its node goes (lib/ext4.c), at
 * once unless the file is open.
 */
int ext4_unlink(struct vfs_node *dir, const char *name)
{
	struct vfs_node *child;
	int rc = find_to_change(dir, name, &child);

	if (rc < 0)
		return rc;
	if (vfs_is_dir(child->mode)) {
		rc = -EISDIR;
		goto out;
	}
	rc = adjust_links(child, -1, false);
	if (rc < 0)
		goto out;
	rc = remove_entry(dir, name, ext4_ino_of(child));
	if (rc < 0) {
		(void)adjust_links(child, +1, false);
		goto out;
	}
	(void)touch_dir(dir);
out:
	vfs_node_put(child);
	return rc;
}

static int not_empty_cb(ext2_ino_t dir, int entry,
			struct ext2_dir_entry *dirent, int offset,
			int blocksize, char *buf, void *priv)
{
	(void)dir, (void)offset, (void)blocksize, (void)buf;
	if (dirent->inode == 0 || entry == DIRENT_DOT_FILE ||
	    entry == DIRENT_DOT_DOT_FILE)
		return 0;
	*(bool *)priv = true;
	return DIRENT_ABORT;
}

/* 0 if directory n has only "." and "..", -ENOTEMPTY if it has more. */
static int check_empty(struct vfs_node *n)
{
	struct ext4_mount *em = ext4_node_of(n)->em;
	bool full = false;
	errcode_t e;

	e = ext2fs_dir_iterate2(em->fs, ext4_ino_of(n), 0, NULL, not_empty_cb,
				&full);
	if (e)
		return ext4_fail(em, "reading a directory", e);
	return full ? -ENOTEMPTY : 0;
}

/* As unlink: the directory loses its links (and gets its deletion time)
 * before its entry goes, then the parent's count drops. */
int ext4_rmdir(struct vfs_node *dir, const char *name)
{
	struct vfs_node *child;
	int rc = find_to_change(dir, name, &child);

	if (rc < 0)
		return rc;
	rc = vfs_is_dir(child->mode) ? check_empty(child) : -ENOTDIR;
	if (rc == 0)
		rc = clear_links(child);
	if (rc == 0)
		rc = remove_entry(dir, name, ext4_ino_of(child));
	if (rc == 0)
		rc = adjust_links(dir, -1, true);
	vfs_node_put(child);
	return rc;
}

/* May src replace dst (rename's rules)? */
static int check_replace(struct vfs_node *src, struct vfs_node *dst)
{
	if (vfs_is_dir(src->mode))
		return vfs_is_dir(dst->mode) ? check_empty(dst) : -ENOTDIR;
	return vfs_is_dir(dst->mode) ? -EISDIR : 0;
}

/* The name half of rename: nname comes to name src (replaced in place
 * when it exists), then oname goes. */
static int move_entry(struct vfs_node *odir, const char *oname,
		      struct vfs_node *ndir, const char *nname,
		      struct vfs_node *src, struct vfs_node *dst)
{
	struct ext4_mount *em = ext4_node_of(src)->em;
	int ft = file_type((uint16_t)src->mode);
	int rc;

	if (dst)
		rc = set_entry(em, ext4_ino_of(ndir), nname, ext4_ino_of(src),
			       ft);
	else
		rc = add_entry(ndir, nname, ext4_ino_of(src), ft);
	if (rc < 0)
		return rc;
	return remove_entry(odir, oname, ext4_ino_of(src));
}

/* The directory half: a directory that changed parents points its ".."
 * at the new one, and the parents' link counts follow (a replaced
 * directory's ".." link goes away with it). */
static int move_dir_links(struct vfs_node *odir, struct vfs_node *ndir,
			  struct vfs_node *src, struct vfs_node *dst)
{
	struct ext4_mount *em = ext4_node_of(src)->em;
	int rc = 0;

	if (!vfs_is_dir(src->mode))
		return 0;
	if (odir->ino != ndir->ino) {
		rc = set_entry(em, ext4_ino_of(src), "..", ext4_ino_of(ndir),
			       EXT2_FT_DIR);
		if (rc == 0)
			rc = adjust_links(odir, -1, true);
		if (rc == 0 && !dst)
			rc = adjust_links(ndir, +1, true);
	} else if (dst) {
		rc = adjust_links(ndir, -1, true);
	}
	return rc;
}

int ext4_rename(struct vfs_node *odir, const char *oname, struct vfs_node *ndir,
		const char *nname)
{
	struct vfs_node *src, *dst = NULL;
	int rc = find_to_change(odir, oname, &src);

	if (rc < 0)
		return rc;
	rc = find_node(ndir, nname, &dst);
	if (rc == -ENOENT)
		rc = 0;
	else if (rc == 0 && dst->ino == src->ino)
		goto out; /* two names of one inode: nothing to do */
	else if (rc == 0)
		rc = check_replace(src, dst);
	if (rc == 0)
		rc = move_entry(odir, oname, ndir, nname, src, dst);
	if (rc == 0)
		rc = move_dir_links(odir, ndir, src, dst);
	if (rc == 0 && dst)
		rc = vfs_is_dir(dst->mode) ? clear_links(dst)
					   : adjust_links(dst, -1, false);
	if (rc == 0)
		rc = adjust_links(src, 0, false);
	if (rc == 0 && odir->ino != ndir->ino)
		rc = touch_dir(odir);
	if (rc == 0)
		rc = touch_dir(ndir);
out:
	vfs_node_put(dst);
	vfs_node_put(src);
	return rc;
}
