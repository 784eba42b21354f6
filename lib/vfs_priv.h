/*
 * What the VFS's own files share and nothing else uses: the mount table
 * (lib/vfs.c) for path resolution (lib/vfs_path.c), and the lock and log
 * lines that need the kernel (lib/vfs_lock.c; the host tests give their
 * own).
 */
#ifndef SKIFF_LIB_VFS_PRIV_H
#define SKIFF_LIB_VFS_PRIV_H

#include <stdbool.h>

#include "lib/vfs.h"

/* The mount at "/" (NULL before the first mount) and every mount, newest
 * first. VFS lock held. */
struct vfs_mount *vfs_root_mount(void);
struct vfs_mount *vfs_mount_list(void);

/* Is node its mount's root directory? */
bool vfs_is_mount_root(const struct vfs_node *node);

/* One log line: m is being unmounted (busy: files of it still open). */
void vfs_log_unmount(const struct vfs_mount *m, bool busy);
/* One log line: what failed on m, and the negative errno. */
void vfs_log_error(const struct vfs_mount *m, const char *what, int rc);

#endif
