/*
 * Memory disks: block devices (drivers/blkdev.h) over a buffer in memory.
 * At boot, a ramdisk module that is not a cpio archive (lib/cpio.h) is a
 * disk image: it becomes the writable device "ram0", which mount= can
 * mount (mount=ram0:/data). Writes change the module's memory in place;
 * nothing survives the domain. For tests and read-mostly images.
 */
#ifndef SKIFF_LIB_MEMDISK_H
#define SKIFF_LIB_MEMDISK_H

#include <stdbool.h>
#include <stdint.h>

#define MEMDISK_SECTOR 512

/*
 * Register the len bytes at buf as the block device name, with 512-byte
 * sectors (a partial last sector is left out). buf must stay valid for
 * the rest of the guest's life. Returns 0, -EINVAL (shorter than one
 * sector, or a name too long), -ENOMEM, or -EEXIST. Thread context.
 */
int memdisk_create(const char *name, void *buf, uint64_t len, bool readonly);

/* At boot: the ramdisk module as "ram0" when it is not an archive (and
 * not empty). Logs what it did. Thread context, before main(). */
void memdisk_boot(void);

#endif
