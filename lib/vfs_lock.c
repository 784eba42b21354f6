/*
 * The VFS's ties to the kernel (lib/vfs_priv.h): its lock, a recursive
 * mutex (a filesystem operation may block on disk I/O, and the VFS calls
 * itself under the lock), and its log lines. Kept apart so that the rest
 * of the VFS is pure and runs in the host tests.
 */
#define LOG_TAG "vfs"
#include "kernel/log.h"
#include "kernel/sync.h"
#include "lib/vfs.h"
#include "lib/vfs_priv.h"

static struct mutex vfs_mutex = { .recursive = true };

void vfs_lock(void)
{
	mutex_lock(&vfs_mutex);
}

void vfs_unlock(void)
{
	mutex_unlock(&vfs_mutex);
}

void vfs_log_unmount(const struct vfs_mount *m, bool busy)
{
	if (busy)
		log_info("unmounting %s (%s from %s) with files still open",
			 m->path, m->type->name, m->source);
	else
		log_debug("unmounting %s (%s from %s)", m->path, m->type->name,
			  m->source);
}

void vfs_log_error(const struct vfs_mount *m, const char *what, int rc)
{
	log_err("%s of %s (%s) failed (%d)", what, m->path, m->type->name, rc);
}
