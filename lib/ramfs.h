/*
 * ramfs: a filesystem in memory, mounted at "/" at boot (lib/file_init.c)
 * and seeded from the ramdisk (lib/ramdisk.c). Directories, regular files
 * (sparse: 4 KiB pages allocated on first write, holes read as zeros),
 * symbolic links and hard links; nothing survives the guest. Pure C over
 * malloc, tested on the host (tests/unit/test_ramfs.c).
 */
#ifndef SKIFF_LIB_RAMFS_H
#define SKIFF_LIB_RAMFS_H

#include "lib/vfs.h"

/* The type to register (vfs_register_fs) and mount by the name "ramfs".
 * Mount data: NULL. */
extern const struct vfs_fs_type ramfs_type;

/* Largest file ramfs keeps; a write past it fails with -EFBIG. */
#define RAMFS_MAX_FILE (1ull << 40)

#endif
