/*
 * ext4 (and ext2/ext3) on a block device, through libext2fs, as a VFS
 * filesystem type named "ext4": vfs_mount("ext4", "xvda", "/data",
 * flags, NULL) mounts the block device registered as "xvda"
 * (drivers/blkdev.h). lib/mount.c does that for the mount= option.
 *
 * What it reads and writes is what dom0's mkfs.ext4 makes with its
 * defaults (journal, extents, 64bit, flex_bg, metadata_csum, huge_file,
 * dir_index, dir_nlink, extra_isize) and what `mkfs.ext4 -d DIR` seeds;
 * lib/ext4.c's opening comment says what happens to a journal, to a
 * damaged disk, and what a crash leaves.
 */
#ifndef SKIFF_LIB_EXT4_H
#define SKIFF_LIB_EXT4_H

#include "lib/vfs.h"

/* The filesystem type; register it with vfs_register_fs() once. */
extern const struct vfs_fs_type ext4_fs_type;

#endif
