/*
 * Memory disks (lib/memdisk.h): the blkdev calls are memcpy. blkdev.c
 * has checked alignment, bounds and read-only before a call gets here;
 * the VFS serialises filesystem I/O, and blkdev users that do not (two
 * threads on one raw device) get what memcpy gives, like a disk with
 * requests in flight at once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAG "memdisk"
#include "drivers/blkdev.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "lib/cpio.h"
#include "lib/memdisk.h"

struct memdisk {
	struct blkdev dev;
	uint8_t *buf;
};

static uint8_t *mem_of(struct blkdev *d)
{
	return ((struct memdisk *)d->priv)->buf;
}

static int md_read(struct blkdev *d, uint64_t off, void *buf, size_t len)
{
	memcpy(buf, mem_of(d) + off, len);
	return 0;
}

static int md_write(struct blkdev *d, uint64_t off, const void *buf, size_t len)
{
	memcpy(mem_of(d) + off, buf, len);
	return 0;
}

/* Memory has no cache to flush: a write is as durable as it gets. */
static int md_flush(struct blkdev *d)
{
	(void)d;
	return 0;
}

/* Discarded sectors read as zeros, as on a disk that says so. */
static int md_discard(struct blkdev *d, uint64_t off, uint64_t len)
{
	memset(mem_of(d) + off, 0, (size_t)len);
	return 0;
}

static const struct blkdev_ops memdisk_ops = {
	.read = md_read,
	.write = md_write,
	.flush = md_flush,
	.discard = md_discard,
};

int memdisk_create(const char *name, void *buf, uint64_t len, bool readonly)
{
	struct memdisk *md;
	int rc;

	if (strlen(name) >= BLKDEV_NAME_MAX || len < MEMDISK_SECTOR)
		return -EINVAL;
	md = calloc(1, sizeof(*md));
	if (!md)
		return -ENOMEM;
	md->buf = buf;
	strcpy(md->dev.name, name);
	md->dev.sector_size = MEMDISK_SECTOR;
	md->dev.size = len & ~(uint64_t)(MEMDISK_SECTOR - 1);
	md->dev.readonly = readonly;
	md->dev.ops = &memdisk_ops;
	md->dev.priv = md;
	rc = blkdev_register(&md->dev);
	if (rc < 0)
		free(md);
	return rc;
}

void memdisk_boot(void)
{
	const struct boot_info *bi = kernel_boot_info();
	int rc;

	if (!bi->ramdisk || bi->ramdisk_len == 0 ||
	    cpio_detect(bi->ramdisk, (size_t)bi->ramdisk_len) != CPIO_KIND_NONE)
		return;
	/* The module is ours, in the read-write 1:1 map (arch/ keeps it out
	 * of the page allocator): the disk writes to it in place. */
	rc = memdisk_create("ram0", (void *)(uintptr_t)bi->ramdisk,
			    bi->ramdisk_len, false);
	if (rc < 0)
		log_err("cannot make the ramdisk the block device ram0 (%d)",
			rc);
	else
		log_info("ramdisk is the block device ram0 (%llu bytes)",
			 (unsigned long long)bi->ramdisk_len);
}
