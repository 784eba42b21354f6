/*
 * libext2fs's error codes (errcode_t: an errno below 256, or a com_err
 * code of its EXT2_ET_* table) as the negative errno the VFS speaks:
 * translated here once, nothing above lib/ext4*.c sees an errcode_t.
 * A leaf utility, tested on the host.
 */
#ifndef SKIFF_LIB_EXT4_ERR_H
#define SKIFF_LIB_EXT4_ERR_H

/*
 * 0 for 0; -code for a plain errno; for an EXT2_ET_* code the errno that
 * tells an application what happened: -ENOSPC (no free block or inode),
 * -EROFS, -ENOENT, -EEXIST, -ENOTDIR, -EFBIG, -ENOMEM, -EMLINK, -ELOOP,
 * -EINVAL, -ENOTSUP, and -EIO for everything that means the disk's
 * content is damaged or unreadable (bad checksums, corrupt directories or
 * extent trees, short reads). Pure; any context.
 */
int ext4_err(long code);

/* The text of libext2fs's message for code ("Directory block checksum
 * does not match directory block"), or NULL for a plain errno or an
 * unknown code: for log lines. */
const char *ext4_err_text(long code);

#endif
