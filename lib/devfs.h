/*
 * devfs: the character devices under /dev (lib/file_init.c mounts it):
 * null (reads end at once, writes vanish), zero (reads zeros), urandom and
 * random (both the CSPRNG of lib/random.h, which is seeded before main()
 * and so never needs to block); stdin, stdout and stderr, whose open()
 * duplicates descriptor 0, 1 or 2 (as /proc/self/fd/N does on Linux), so
 * a service told to log to /dev/stderr logs to the console.
 */
#ifndef SKIFF_LIB_DEVFS_H
#define SKIFF_LIB_DEVFS_H

#include "lib/vfs.h"

/* Mount by the name "devfs"; mount data: NULL. */
extern const struct vfs_fs_type devfs_type;

#endif
