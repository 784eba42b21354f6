/*
 * The block-device registry and the checks every I/O call makes before a
 * driver sees it (see blkdev.h). The registry is a singly linked list in
 * registration order under one mutex; devices are few and looked up by
 * name only when a filesystem mounts, so nothing faster is needed.
 *
 * The checks here are the contract's, once for every driver: alignment
 * to the device's sector size, the end of the device, read-only. A
 * driver may assume them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "drivers/blkdev.h"
#include "kernel/sync.h"

static struct blkdev_state {
	struct mutex lock;
	bool ready;
	struct blkdev *head;
} blk;

/* The mutex is set up on first use: registration happens in thread
 * context, at boot or later, one thread at a time until then. */
static void lock(void)
{
	if (!blk.ready) {
		mutex_init(&blk.lock, false);
		blk.ready = true;
	}
	mutex_lock(&blk.lock);
}

static void unlock(void)
{
	mutex_unlock(&blk.lock);
}

static struct blkdev *find_locked(const char *name)
{
	struct blkdev *d;

	for (d = blk.head; d; d = d->next)
		if (strncmp(d->name, name, BLKDEV_NAME_MAX) == 0)
			return d;
	return NULL;
}

int blkdev_register(struct blkdev *d)
{
	struct blkdev **p;
	int rc = 0;

	lock();
	if (find_locked(d->name)) {
		rc = -EEXIST;
	} else {
		d->next = NULL;
		for (p = &blk.head; *p; p = &(*p)->next)
			;
		*p = d;
	}
	unlock();
	return rc;
}

void blkdev_unregister(struct blkdev *d)
{
	struct blkdev **p;

	lock();
	for (p = &blk.head; *p; p = &(*p)->next) {
		if (*p == d) {
			*p = d->next;
			break;
		}
	}
	unlock();
}

struct blkdev *blkdev_find(const char *name)
{
	struct blkdev *d;

	lock();
	d = find_locked(name);
	unlock();
	return d;
}

void blkdev_for_each(void (*fn)(struct blkdev *d, void *arg), void *arg)
{
	struct blkdev *d;

	/* Devices are never freed while registered, and fn may block (it
	 * may do I/O): walk without the lock, reading next before fn. */
	lock();
	d = blk.head;
	unlock();
	while (d) {
		struct blkdev *next;

		lock();
		next = d->next;
		unlock();
		fn(d, arg);
		d = next;
	}
}

/* Aligned to the sector size and within the device. */
static int check_range(const struct blkdev *d, uint64_t offset, uint64_t len)
{
	uint64_t mask = (uint64_t)d->sector_size - 1;

	if ((offset | len) & mask)
		return -EINVAL;
	if (offset > d->size || len > d->size - offset)
		return -EINVAL;
	return 0;
}

int blkdev_read(struct blkdev *d, uint64_t offset, void *buf, size_t len)
{
	int rc = check_range(d, offset, len);

	if (rc != 0)
		return rc;
	if (len == 0)
		return 0;
	return d->ops->read(d, offset, buf, len);
}

int blkdev_write(struct blkdev *d, uint64_t offset, const void *buf, size_t len)
{
	int rc = check_range(d, offset, len);

	if (rc != 0)
		return rc;
	if (d->readonly)
		return -EROFS;
	if (len == 0)
		return 0;
	return d->ops->write(d, offset, buf, len);
}

int blkdev_flush(struct blkdev *d)
{
	if (d->readonly)
		return -EROFS;
	return d->ops->flush(d);
}

int blkdev_discard(struct blkdev *d, uint64_t offset, uint64_t len)
{
	int rc = check_range(d, offset, len);

	if (rc != 0)
		return rc;
	if (d->readonly)
		return -EROFS;
	if (!d->ops->discard)
		return -EOPNOTSUPP;
	if (len == 0)
		return 0;
	return d->ops->discard(d, offset, len);
}
