/*
 * ext4's I/O manager (see lib/ext4_io.h): libext2fs's struct_io_manager
 * over drivers/blkdev.h. It owns the translation of libext2fs's block
 * requests to byte ranges and whole sectors (the arithmetic is
 * lib/ext4_span.c) and of the device's negative errno to errcode_t (a
 * positive errno, which libext2fs passes up unchanged). It keeps no
 * cache: libext2fs's own inode and bitmap caches are enough for a
 * unikernel's working set, and a write-through design keeps the write
 * order that lib/ext4.c's durability argument rests on.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ext2fs/ext2fs.h>

#define LOG_TAG "ext4"
#include "drivers/blkdev.h"
#include "kernel/log.h"
#include "lib/ext4_io.h"
#include "lib/ext4_span.h"

struct ext4_io {
	struct blkdev *dev;
	bool rw;
	bool failed; /* a write or flush failed */
	struct struct_io_stats stats;
};

static struct ext4_io *io_of(io_channel ch)
{
	return ch->private_data;
}

/* A device's negative errno as libext2fs's errcode_t. */
static errcode_t io_err(int rc)
{
	return rc < 0 ? (errcode_t)-rc : 0;
}

static errcode_t io_open(const char *name, int flags, io_channel *out)
{
	struct blkdev *dev = blkdev_find(name);
	struct ext4_io *io;
	io_channel ch;

	if (!dev)
		return ENODEV;
	if ((flags & IO_FLAG_RW) && dev->readonly)
		return EROFS;
	io = calloc(1, sizeof(*io));
	if (!io)
		return ENOMEM;
	ch = calloc(1, sizeof(*ch));
	if (!ch)
		goto err_free_io;
	ch->name = strdup(name);
	if (!ch->name)
		goto err_free_channel;
	io->dev = dev;
	io->rw = (flags & IO_FLAG_RW) != 0;
	io->stats.num_fields = 2;
	ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	ch->manager = ext4_io_manager;
	ch->block_size = 1024;
	ch->refcount = 1;
	ch->flags = CHANNEL_FLAGS_BLOCK_DEVICE;
	ch->private_data = io;
	*out = ch;
	return 0;

err_free_channel:
	free(ch);
err_free_io:
	free(io);
	return ENOMEM;
}

static errcode_t io_close(io_channel ch)
{
	if (--ch->refcount > 0)
		return 0;
	free(ch->private_data);
	free(ch->name);
	free(ch);
	return 0;
}

static errcode_t io_set_blksize(io_channel ch, int blksize)
{
	uint64_t off;
	size_t len;

	if (blksize <= 0 ||
	    ext4_span_request(0, 1, (uint32_t)blksize, &off, &len) < 0)
		return EXT2_ET_INVALID_ARGUMENT;
	ch->block_size = blksize;
	return 0;
}

/* The sectors around a request that does not cover whole sectors, read
 * into a new buffer (the caller frees it). */
static errcode_t read_around(struct ext4_io *io, const struct ext4_span *s,
			     uint8_t **out)
{
	uint8_t *bounce = malloc(s->len);
	int rc;

	if (!bounce)
		return ENOMEM;
	rc = blkdev_read(io->dev, s->start, bounce, s->len);
	if (rc < 0) {
		free(bounce);
		return io_err(rc);
	}
	*out = bounce;
	return 0;
}

static errcode_t read_bytes(struct ext4_io *io, uint64_t off, void *data,
			    size_t len)
{
	struct ext4_span s;
	uint8_t *bounce;
	errcode_t e;

	if (ext4_span_cover(off, len, io->dev->sector_size, &s) < 0)
		return EXT2_ET_INVALID_ARGUMENT;
	if (s.aligned)
		return io_err(blkdev_read(io->dev, off, data, len));
	e = read_around(io, &s, &bounce);
	if (e)
		return e;
	memcpy(data, bounce + s.head, len);
	free(bounce);
	return 0;
}

/* A partial-sector write reads the sectors around it first: the bytes
 * outside the request keep what the disk has. */
static errcode_t write_bytes(struct ext4_io *io, uint64_t off, const void *data,
			     size_t len)
{
	struct ext4_span s;
	uint8_t *bounce;
	errcode_t e;

	if (!io->rw)
		return EROFS;
	if (ext4_span_cover(off, len, io->dev->sector_size, &s) < 0)
		return EXT2_ET_INVALID_ARGUMENT;
	if (s.aligned)
		return io_err(blkdev_write(io->dev, off, data, len));
	e = read_around(io, &s, &bounce);
	if (e)
		return e;
	memcpy(bounce + s.head, data, len);
	e = io_err(blkdev_write(io->dev, s.start, bounce, s.len));
	free(bounce);
	return e;
}

/* The bytes a libext2fs request covers, in the channel's block size. */
static errcode_t request(io_channel ch, unsigned long long block, int count,
			 uint64_t *off, size_t *len)
{
	if (ext4_span_request(block, count, (uint32_t)ch->block_size, off,
			      len) < 0)
		return EXT2_ET_INVALID_ARGUMENT;
	return 0;
}

static errcode_t io_read_blk64(io_channel ch, unsigned long long block,
			       int count, void *data)
{
	struct ext4_io *io = io_of(ch);
	uint64_t off;
	size_t len;
	errcode_t e = request(ch, block, count, &off, &len);

	if (!e)
		e = read_bytes(io, off, data, len);
	if (e) {
		log_debug("%s: read of block %llu (%d) failed (%ld)",
			  io->dev->name, block, count, (long)e);
		return e;
	}
	io->stats.bytes_read += len;
	return 0;
}

static errcode_t io_write_blk64(io_channel ch, unsigned long long block,
				int count, const void *data)
{
	struct ext4_io *io = io_of(ch);
	uint64_t off;
	size_t len;
	errcode_t e = request(ch, block, count, &off, &len);

	if (!e)
		e = write_bytes(io, off, data, len);
	if (!e)
		io->stats.bytes_written += len;
	else if (e != EROFS)
		io->failed = true;
	return e;
}

static errcode_t io_read_blk(io_channel ch, unsigned long block, int count,
			     void *data)
{
	return io_read_blk64(ch, block, count, data);
}

static errcode_t io_write_blk(io_channel ch, unsigned long block, int count,
			      const void *data)
{
	return io_write_blk64(ch, block, count, data);
}

static errcode_t io_flush(io_channel ch)
{
	struct ext4_io *io = io_of(ch);
	errcode_t e;

	/* Nothing was written through a read-only channel. */
	if (!io->rw)
		return 0;
	e = io_err(blkdev_flush(io->dev));
	if (e)
		io->failed = true;
	return e;
}

bool ext4_io_failed(io_channel ch)
{
	return io_of(ch)->failed;
}

/* Only the whole sectors inside the range are discarded: discarding a
 * sector that holds bytes outside it would lose them. */
static errcode_t io_discard(io_channel ch, unsigned long long block,
			    unsigned long long count)
{
	struct ext4_io *io = io_of(ch);
	uint64_t mask = io->dev->sector_size - 1, bs = (uint64_t)ch->block_size;
	uint64_t start, end;
	int rc;

	if (!io->rw)
		return EROFS;
	if (!io->dev->ops->discard)
		return EXT2_ET_UNIMPLEMENTED;
	if (count == 0 || block > UINT64_MAX / bs ||
	    count > (UINT64_MAX - block * bs) / bs)
		return EXT2_ET_INVALID_ARGUMENT;
	start = (block * bs + mask) & ~mask;
	end = (block + count) * bs & ~mask;
	if (end <= start)
		return 0;
	rc = blkdev_discard(io->dev, start, end - start);
	return rc == -EOPNOTSUPP ? EXT2_ET_UNIMPLEMENTED : io_err(rc);
}

static errcode_t io_set_option(io_channel ch, const char *option,
			       const char *arg)
{
	(void)ch;
	(void)option;
	(void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t io_get_stats(io_channel ch, io_stats *stats)
{
	if (stats)
		*stats = &io_of(ch)->stats;
	return 0;
}

static struct struct_io_manager ext4_io_ops = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "Skiff block device I/O manager",
	.open = io_open,
	.close = io_close,
	.set_blksize = io_set_blksize,
	.read_blk = io_read_blk,
	.write_blk = io_write_blk,
	.flush = io_flush,
	.set_option = io_set_option,
	.get_stats = io_get_stats,
	.read_blk64 = io_read_blk64,
	.write_blk64 = io_write_blk64,
	.discard = io_discard,
};

io_manager const ext4_io_manager = &ext4_io_ops;
