/*
 * The kernel side of the VFS (lib/vfs_lock.c) as the host tests have it:
 * the lock counts its depth (a test checks it ends at zero), log lines go
 * to stdout. Included by each test program that links lib/vfs.c.
 */
#ifndef SKIFF_TESTS_UNIT_TEST_VFS_HOST_H
#define SKIFF_TESTS_UNIT_TEST_VFS_HOST_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/vfs.h"
#include "lib/vfs_priv.h"

static int lock_depth;

void vfs_lock(void)
{
	lock_depth++;
}

void vfs_unlock(void)
{
	lock_depth--;
}

void vfs_log_unmount(const struct vfs_mount *m, bool busy)
{
	(void)m;
	(void)busy;
}

void vfs_log_error(const struct vfs_mount *m, const char *what, int rc)
{
	printf("note: %s %s: %d\n", m->path, what, rc);
}

#endif
