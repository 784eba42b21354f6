/*
 * The arithmetic of ext4's I/O manager (lib/ext4_io.c), apart from its
 * effects so that it is tested on the host: where a libext2fs request
 * lies on the disk in bytes, and which whole sectors cover it.
 *
 * libext2fs asks for "count blocks from block" in its current block size
 * (1024 while it looks for the superblock, then the filesystem's), or,
 * with a negative count, for -count bytes from the start of that block.
 * A disk only moves whole sectors (512 or 4096 bytes, drivers/blkdev.h):
 * a request that does not start and end on sector boundaries (the 1 KiB
 * superblock on a 4 KiB-sector disk, 1 KiB blocks there) goes through a
 * bounce buffer covering the sectors around it.
 *
 * A leaf utility: no libc beyond <stdint.h>/<stdbool.h>, no state.
 */
#ifndef SKIFF_LIB_EXT4_SPAN_H
#define SKIFF_LIB_EXT4_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest single transfer the I/O manager accepts (bytes): bigger
 * requests than libext2fs makes, small enough that a bounce buffer for
 * it is a reasonable allocation. */
#define EXT4_SPAN_MAX (64u << 20)

/*
 * The byte range of a libext2fs request: count blocks of block_size bytes
 * from block, or -count bytes when count is negative. Returns 0 with
 * *offset and *len, or -EINVAL: count 0, a block size that is not a power
 * of two between 512 and 65536, a length over EXT4_SPAN_MAX, or an
 * offset that overflows 64 bits.
 */
int ext4_span_request(uint64_t block, int count, uint32_t block_size,
		      uint64_t *offset, size_t *len);

/* The whole sectors covering [offset, offset + len). */
struct ext4_span {
	uint64_t start; /* first byte of the first sector */
	size_t len;	/* bytes, a multiple of the sector size */
	size_t head;	/* offset - start: where the request begins */
	bool aligned;	/* the request is exactly the sectors */
};

/*
 * Fill *s for a request of len bytes at offset on a disk with sectors of
 * sector_size bytes (a power of two). Returns 0, or -EINVAL when the
 * sector size is not a power of two or the covering span would overflow.
 */
int ext4_span_cover(uint64_t offset, size_t len, uint32_t sector_size,
		    struct ext4_span *s);

#endif
