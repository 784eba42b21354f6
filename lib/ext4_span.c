/*
 * I/O request arithmetic for ext4's I/O manager (see lib/ext4_span.h).
 * Every sum is checked against overflow before it is made: the block
 * numbers come from the disk, which may be hostile.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/ext4_span.h"

static bool is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int ext4_span_request(uint64_t block, int count, uint32_t block_size,
		      uint64_t *offset, size_t *len)
{
	uint64_t bytes;

	if (!is_pow2(block_size) || block_size < 512 || block_size > 65536)
		return -EINVAL;
	if (count == 0)
		return -EINVAL;
	if (count < 0)
		bytes = (uint64_t)(-(int64_t)count);
	else
		bytes = (uint64_t)count * block_size;
	if (bytes > EXT4_SPAN_MAX)
		return -EINVAL;
	if (block > (UINT64_MAX - bytes) / block_size)
		return -EINVAL;
	*offset = block * block_size;
	*len = (size_t)bytes;
	return 0;
}

int ext4_span_cover(uint64_t offset, size_t len, uint32_t sector_size,
		    struct ext4_span *s)
{
	uint64_t mask = (uint64_t)sector_size - 1;
	uint64_t end;

	if (!is_pow2(sector_size) || len > EXT4_SPAN_MAX)
		return -EINVAL;
	if (offset > UINT64_MAX - len - mask)
		return -EINVAL;
	end = (offset + len + mask) & ~mask;
	s->start = offset & ~mask;
	s->len = (size_t)(end - s->start);
	s->head = (size_t)(offset - s->start);
	s->aligned = s->head == 0 && s->len == len;
	return 0;
}
