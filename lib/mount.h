/*
 * Disks mounted at boot: the repeatable command-line option
 * mount=<dev>:<path>[:ro|:rw] mounts the ext4 filesystem on block device
 * <dev> (xvda, ram0, ...) at <path>, read-write unless ":ro" (or the
 * device is read-only). The mount point is made in the root filesystem
 * when missing. A malformed value, a missing device or a disk that does
 * not mount is logged naming the option; the other mounts and the
 * application go on.
 */
#ifndef SKIFF_LIB_MOUNT_H
#define SKIFF_LIB_MOUNT_H

#include <stdbool.h>

#define MOUNT_DEV_MAX 16   /* with its NUL: drivers/blkdev.h's name size */
#define MOUNT_PATH_MAX 256 /* with its NUL */

struct mount_spec {
	char dev[MOUNT_DEV_MAX];
	char path[MOUNT_PATH_MAX];
	bool readonly;
};

/*
 * Parse one mount= value. Returns 0 with *spec filled, or -EINVAL with
 * *why (a static string saying what is wrong). The device name is
 * letters, digits, '_' and '-'; the path is absolute and has no ':';
 * the flag, if any, is "ro" or "rw". Pure (a leaf utility); any context.
 */
int mount_parse(const char *value, struct mount_spec *spec, const char **why);

/* Register the ext4 filesystem type, make the ramdisk the memory disk
 * ram0 when it is a disk image (lib/memdisk.h), and mount every mount=
 * in order. Called once at boot, after the root filesystem is up and
 * before main(). Thread context. Nothing in an image built with EXT4=0
 * (the Makefile leaves lib/mount.c and ext4 out). */
#if CONFIG_EXT4
void mount_init(void);
#else
static inline void mount_init(void)
{
}
#endif

#endif
