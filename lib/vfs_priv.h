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

/* Replace work (VFS_PATH_MAX bytes) with the path the symlink link,
 * found in r->dir, points to: 1, or a negative errno. Lock held. */
long vfs_link_path(struct vfs_resolved *r, struct vfs_node *link, char *work);

/* One log line: m is being unmounted (busy: files of it still open). */
void vfs_log_unmount(const struct vfs_mount *m, bool busy);
/* One log line: what failed on m, and the negative errno. */
void vfs_log_error(const struct vfs_mount *m, const char *what, int rc);

#endif
