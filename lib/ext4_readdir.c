/*
 * ext4's readdir: directory entries by position, one directory block
 * read per call, so that listing a directory reads it once; libext2fs
 * checks each block (checksum) and this file the entries' lengths.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ext2fs/ext2fs.h>

#include "lib/ext4_priv.h"
#include "lib/vfs.h"

static uint8_t dtype_of(int ft)
{
	static const uint8_t map[] = {
		[EXT2_FT_REG_FILE] = VFS_DT_REG, [EXT2_FT_DIR] = VFS_DT_DIR,
		[EXT2_FT_CHRDEV] = VFS_DT_CHR,	 [EXT2_FT_BLKDEV] = VFS_DT_BLK,
		[EXT2_FT_FIFO] = VFS_DT_FIFO,	 [EXT2_FT_SOCK] = VFS_DT_SOCK,
		[EXT2_FT_SYMLINK] = VFS_DT_LNK,
	};

	return ft > 0 && ft < (int)sizeof(map) ? map[ft] : VFS_DT_UNKNOWN;
}

/*
 * A directory position (a readdir cookie): the block's index in the
 * directory and the entry's offset in it, plus one (0 is the start).
 * Entries do not move when others come and go in a linear directory; in
 * an indexed one a leaf split moves entries, and a walk may then see one
 * twice or miss one, as with any hashed directory. Each call reads one
 * block from where the cookie points (the index's own blocks read as
 * free space), so listing a directory reads it once.
 */
static uint64_t dir_pos(uint64_t block, uint32_t offset)
{
	return (block << 32 | offset) + 1;
}

/* The first entry in use at or after offset in a directory block, or
 * -ENOENT; -EIO when the block's entries do not add up. */
static int next_in_block(ext2_filsys fs, char *buf, uint32_t *offset,
			 struct ext2_dir_entry **out)
{
	unsigned int rec_len;
	uint32_t off = 0;

	while (off + 8 <= fs->blocksize) {
		struct ext2_dir_entry *d = (void *)(buf + off);

		if (ext2fs_get_rec_len(fs, d, &rec_len) || rec_len < 8 ||
		    rec_len % 4 || off + rec_len > fs->blocksize ||
		    (unsigned)ext2fs_dirent_name_len(d) + 8 > rec_len)
			return -EIO;
		if (off >= *offset && d->inode != 0) {
			*offset = off;
			*out = d;
			return 0;
		}
		off += rec_len;
	}
	return -ENOENT;
}

static void fill_dirent(ext2_filsys fs, const struct ext2_dir_entry *d,
			struct vfs_dirent *ent)
{
	int len = ext2fs_dirent_name_len(d);

	ent->ino = d->inode;
	ent->type = ext2fs_has_feature_filetype(fs->super)
			    ? dtype_of(ext2fs_dirent_file_type(d))
			    : VFS_DT_UNKNOWN;
	memcpy(ent->name, d->name, (size_t)len);
	ent->name[len] = '\0';
}

/* The entry at or after (block, offset): 1 and its position, 0 at the
 * end, or a negative errno. */
static int read_entry(struct ext4_mount *em, ext2_ino_t ino, uint64_t block,
		      uint32_t offset, struct vfs_dirent *ent, uint64_t *pos)
{
	ext2_filsys fs = em->fs;
	struct ext2_dir_entry *d;
	struct ext2_inode inode;
	uint64_t nblocks;
	blk64_t pblk;
	char *buf;
	errcode_t e;
	int rc = 0;

	e = ext2fs_read_inode(fs, ino, &inode);
	if (e)
		return ext4_fail(em, "reading a directory", e);
	if (inode.i_flags & EXT4_INLINE_DATA_FL)
		return -ENOTSUP; /* the caller walks it with libext2fs */
	nblocks = EXT2_I_SIZE(&inode) / fs->blocksize;
	e = ext2fs_get_mem(fs->blocksize, &buf);
	if (e)
		return -ENOMEM;
	for (; block < nblocks && rc == 0; block++, offset = 0) {
		e = ext2fs_bmap2(fs, ino, &inode, NULL, 0, block, NULL, &pblk);
		if (!e && pblk == 0)
			continue; /* a hole: no entries */
		if (!e)
			e = ext2fs_read_dir_block4(fs, pblk, buf, 0, ino);
		if (e) {
			rc = ext4_fail(em, "reading a directory", e);
			break;
		}
		rc = next_in_block(fs, buf, &offset, &d);
		if (rc == -EIO) {
			rc = ext4_fail(em, "reading a directory",
				       EXT2_ET_DIR_CORRUPTED);
		} else if (rc == 0) {
			fill_dirent(fs, d, ent);
			*pos = dir_pos(block, offset);
			rc = 1;
		} else {
			rc = 0;
		}
	}
	ext2fs_free_mem(&buf);
	return rc;
}

/* Inline-data directories (not made by mkfs's defaults) are walked with
 * libext2fs's iterator, counting entries up to the cookie. */
struct walk_ctx {
	uint64_t cookie, n;
	bool found;
	ext2_filsys fs;
	struct vfs_dirent *ent;
};

static int walk_cb(ext2_ino_t dir, int entry, struct ext2_dir_entry *d,
		   int offset, int blocksize, char *buf, void *priv)
{
	struct walk_ctx *c = priv;

	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	if (++c->n <= c->cookie)
		return 0;
	fill_dirent(c->fs, d, c->ent);
	c->found = true;
	return DIRENT_ABORT;
}

static int walk_entries(struct ext4_mount *em, ext2_ino_t ino, uint64_t *cookie,
			struct vfs_dirent *ent)
{
	struct walk_ctx c = { .cookie = *cookie, .fs = em->fs, .ent = ent };
	errcode_t e;

	e = ext2fs_dir_iterate2(em->fs, ino, 0, NULL, walk_cb, &c);
	if (e)
		return ext4_fail(em, "reading a directory", e);
	if (!c.found)
		return 0;
	*cookie = c.n;
	return 1;
}

int ext4_readdir(struct vfs_node *dir, uint64_t *cookie, struct vfs_dirent *ent)
{
	struct ext4_mount *em = ext4_node_of(dir)->em;
	uint64_t block = 0, pos = 0;
	uint32_t offset = 0;
	int rc;

	if (*cookie != 0) {
		block = (*cookie - 1) >> 32;
		offset = (uint32_t)(*cookie - 1) + 1;
	}
	rc = read_entry(em, ext4_ino_of(dir), block, offset, ent, &pos);
	if (rc == -ENOTSUP)
		return walk_entries(em, ext4_ino_of(dir), cookie, ent);
	if (rc == 1)
		*cookie = pos;
	return rc;
}
