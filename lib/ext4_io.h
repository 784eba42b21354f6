/*
 * libext2fs's I/O manager over a block device of drivers/blkdev.h: what
 * lib/ext4.c passes to ext2fs_open2(), with the device's registered name
 * ("xvda", "ram0") as the name to open.
 */
#ifndef SKIFF_LIB_EXT4_IO_H
#define SKIFF_LIB_EXT4_IO_H

#include <stdbool.h>

#include <ext2fs/ext2fs.h>

/*
 * Reads and writes go straight to the device, synchronously and in the
 * order libext2fs makes them (there is no cache here: a write has
 * reached the backend when the call returns), in whole sectors: a
 * request that does not cover whole sectors is bounced through the
 * sectors around it (read, or read-modify-write). flush is
 * blkdev_flush(): everything written before is durable when it returns.
 * Opening with IO_FLAG_RW a read-only device fails with EROFS; a channel
 * opened without it refuses writes with EROFS. The device's sector size
 * may be 512 or 4096; libext2fs's block size is whatever it sets.
 *
 * Thread context only (it blocks on the device); a channel is not safe
 * for concurrent use (the VFS serialises filesystem operations).
 */
extern io_manager const ext4_io_manager;

/* Whether a write or flush through ch has failed since it was opened:
 * then what is on the disk may not be what libext2fs thinks, and the
 * filesystem must not be marked clean. */
bool ext4_io_failed(io_channel ch);

#endif
