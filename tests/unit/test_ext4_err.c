/*
 * Host tests for lib/ext4_err.c: plain errnos pass through, libext2fs's
 * codes become the errno an application expects, damage becomes EIO,
 * and the log text comes from libext2fs's own table.
 */
#include <errno.h>
#include <string.h>

#include <ext2fs/ext2_err.h>

#include "lib/ext4_err.h"
#include "tests/unit/check.h"

static void test_map(void)
{
	CHECK(ext4_err(0) == 0);
	CHECK(ext4_err(ENOMEM) == -ENOMEM);
	CHECK(ext4_err(EROFS) == -EROFS);
	CHECK(ext4_err(EXT2_ET_FILE_NOT_FOUND) == -ENOENT);
	CHECK(ext4_err(EXT2_ET_BLOCK_ALLOC_FAIL) == -ENOSPC);
	CHECK(ext4_err(EXT2_ET_INODE_ALLOC_FAIL) == -ENOSPC);
	CHECK(ext4_err(EXT2_ET_RO_FILSYS) == -EROFS);
	CHECK(ext4_err(EXT2_ET_FILE_TOO_BIG) == -EFBIG);
	CHECK(ext4_err(EXT2_ET_DIR_CORRUPTED) == -EIO);
	CHECK(ext4_err(EXT2_ET_DIR_CSUM_INVALID) == -EIO);
	CHECK(ext4_err(EXT2_ET_BAD_MAGIC) == -EIO);
	CHECK(ext4_err(-5) == -EIO);
	CHECK(ext4_err(123456789) == -EIO);
}

static void test_text(void)
{
	CHECK(ext4_err_text(EIO) == NULL);
	CHECK(ext4_err_text(EXT2_ET_BASE - 1) == NULL);
	CHECK(strcmp(ext4_err_text(EXT2_ET_BAD_MAGIC),
		     "Bad magic number in super-block") == 0);
	CHECK(ext4_err_text(EXT2_ET_EXTERNAL_JOURNAL_NOSUPP) != NULL);
	CHECK(ext4_err_text(EXT2_ET_EXTERNAL_JOURNAL_NOSUPP + 1) == NULL);
}

int main(void)
{
	check_run("ext4_err_map",
		  "errno pass-through, EXT2_ET_* mapped, "
		  "damage is EIO",
		  test_map);
	check_run("ext4_err_text", "libext2fs's messages by code", test_text);
	return check_exit();
}
