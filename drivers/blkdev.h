/*
 * Block devices: what the filesystems (lib/) see of a disk, whatever drives
 * it. blkfront registers one per device/vbd/<id> (named as Linux names
 * them: xvda, xvdb, ...); a memory disk (a boot module, for tests) can
 * register under the same interface. Users find a device by name and do
 * synchronous, thread-safe I/O on it: several threads may have requests in
 * flight on one device at once (that is how queue depth is reached), and a
 * driver splits and merges requests to fit its protocol.
 *
 * Offsets and lengths are in bytes and must be multiples of the device's
 * sector size; the buffer may be anywhere in memory and need not be
 * aligned (drivers copy or bounce as needed). Errors are negative errno:
 * -EIO (the backend failed this request, or went away), -EROFS (a write,
 * flush or discard to a read-only device), -EINVAL (misaligned or beyond
 * the end), -EOPNOTSUPP (discard on a device without it), -ENODEV (the
 * device is detached and has not come back).
 */
#ifndef DRIVERS_BLKDEV_H
#define DRIVERS_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLKDEV_NAME_MAX 16

struct blkdev;

struct blkdev_ops {
	int (*read)(struct blkdev *d, uint64_t offset, void *buf, size_t len);
	int (*write)(struct blkdev *d, uint64_t offset, const void *buf,
		     size_t len);
	/* Return only once everything written before is durable (the
	 * backend's cache flushed). */
	int (*flush)(struct blkdev *d);
	/* Optional: NULL when the device cannot discard. */
	int (*discard)(struct blkdev *d, uint64_t offset, uint64_t len);
};

struct blkdev {
	char name[BLKDEV_NAME_MAX]; /* "xvda" */
	uint32_t sector_size;	    /* 512 or 4096 (a power of two) */
	uint64_t size;		    /* bytes */
	bool readonly;
	const struct blkdev_ops *ops;
	void *priv; /* the driver's */
	struct blkdev *next;
};

/* Make d findable by its name. Returns 0, or -EEXIST. Thread context. */
int blkdev_register(struct blkdev *d);
/* Forget d (the driver is going away for good). */
void blkdev_unregister(struct blkdev *d);
/* The device called name, or NULL. */
struct blkdev *blkdev_find(const char *name);
/* Call fn for every registered device, in registration order. */
void blkdev_for_each(void (*fn)(struct blkdev *d, void *arg), void *arg);

/* The I/O calls: check alignment, bounds and read-only, then call the
 * driver. Thread context; they block until the request completes. */
int blkdev_read(struct blkdev *d, uint64_t offset, void *buf, size_t len);
int blkdev_write(struct blkdev *d, uint64_t offset, const void *buf,
		 size_t len);
int blkdev_flush(struct blkdev *d);
int blkdev_discard(struct blkdev *d, uint64_t offset, uint64_t len);

#endif
