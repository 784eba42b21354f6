/*
 * libext2fs error codes to negative errno (see lib/ext4_err.h). The
 * table lists what has a better errno than -EIO; any other EXT2_ET_* code
 * is damage or an internal failure, which an application sees as -EIO
 * (and lib/ext4*.c logs with ext4_err_text()).
 */
#include <errno.h>
#include <stddef.h>

#include <ext2fs/ext2_err.h>

#include "lib/ext4_err.h"

static const struct {
	long code;
	int err;
} ext4_err_map[] = {
	{ EXT2_ET_RO_FILSYS, EROFS },
	{ EXT2_ET_FILE_RO, EROFS },
	{ EXT2_ET_DIR_NO_SPACE, ENOSPC },
	{ EXT2_ET_BLOCK_ALLOC_FAIL, ENOSPC },
	{ EXT2_ET_INODE_ALLOC_FAIL, ENOSPC },
	{ EXT2_ET_EXTENT_NO_SPACE, ENOSPC },
	{ EXT2_ET_EA_NO_SPACE, ENOSPC },
	{ EXT2_ET_INLINE_DATA_NO_SPACE, ENOSPC },
	{ EXT2_ET_DIR_NO_SPACE_FOR_CSUM, ENOSPC },
	{ EXT2_ET_FILE_NOT_FOUND, ENOENT },
	{ EXT2_ET_DIR_EXISTS, EEXIST },
	{ EXT2_ET_FILE_EXISTS, EEXIST },
	{ EXT2_ET_NO_DIRECTORY, ENOTDIR },
	{ EXT2_ET_FILE_TOO_BIG, EFBIG },
	{ EXT2_ET_NO_MEMORY, ENOMEM },
	{ EXT2_ET_TOO_MANY_REFS, EMLINK },
	{ EXT2_ET_SYMLINK_LOOP, ELOOP },
	{ EXT2_ET_INVALID_ARGUMENT, EINVAL },
	{ EXT2_ET_UNIMPLEMENTED, ENOTSUP },
	{ EXT2_ET_OP_NOT_SUPPORTED, ENOTSUP },
	{ EXT2_ET_UNSUPP_FEATURE, ENOTSUP },
	{ EXT2_ET_RO_UNSUPP_FEATURE, EROFS },
};

int ext4_err(long code)
{
	size_t i;

	if (code == 0)
		return 0;
	if (code > 0 && code < 256)
		return (int)-code;
	for (i = 0; i < sizeof(ext4_err_map) / sizeof(ext4_err_map[0]); i++)
		if (ext4_err_map[i].code == code)
			return -ext4_err_map[i].err;
	return -EIO;
}

const char *ext4_err_text(long code)
{
	long i = code - EXT2_ET_BASE;

	if (i < 0 || i >= et_ext2_error_table.n_msgs)
		return NULL;
	return et_ext2_error_table.msgs[i];
}
