/*
 * Blkfront: Xen virtual block devices (device/vbd/<id>) as block devices
 * (drivers/blkdev.h), named as Linux names them (xvda, xvdb, ...).
 *
 * Every disk the toolstack gave the domain is attached at boot. Each has
 * a control thread that follows its backend: when the backend goes away
 * (xl block-detach, or the backend closing) the requests in flight fail
 * with -EIO, later ones with -ENODEV, and when the toolstack creates the
 * device again (xl block-attach) it is reconnected under the same name.
 */
#ifndef DRIVERS_BLKFRONT_H
#define DRIVERS_BLKFRONT_H

#include <stdint.h>

#include "drivers/blkdev.h"

/* Kinds of response verdicts counted (drivers/blkif_check.h). */
#define BLKFRONT_RSP_KINDS 7

struct blkfront_stats {
	uint64_t ios;	   /* requests from above (after splitting) */
	uint64_t requests; /* ring requests (after merging) */
	uint64_t merged;   /* requests from above merged into another's */
	uint64_t bytes_read, bytes_written, flushes, discards;
	uint64_t errors; /* requests from above that failed */
	/* Responses by verdict other than okay (blkif_verdict_name()):
	 * backend errors, and the bad ones that were dropped. */
	uint64_t bad_rsp[BLKFRONT_RSP_KINDS];
	uint64_t ring_errors, disconnects, reconnects;
};

/* Attach every device/vbd/<id> and register it as a block device. A disk
 * that cannot be attached is logged and left out. Returns the number of
 * disks registered. Thread context (drivers_init); blocks for each
 * backend's handshake. */
int blkfront_init(void);

/* A copy of d's counters. Returns 0, or -ENODEV if d is not a blkfront
 * disk. Any thread. */
int blkfront_get_stats(const struct blkdev *d, struct blkfront_stats *out);

#endif
