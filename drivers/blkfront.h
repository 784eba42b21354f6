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

/* Attach every device/vbd/<id> and register it as a block device. A disk
 * that cannot be attached is logged and left out. Returns the number of
 * disks registered. Thread context (drivers_init); blocks for each
 * backend's handshake. */
int blkfront_init(void);

#endif
