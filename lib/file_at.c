/*
 * The *at() calls (openat, fstatat, mkdirat, unlinkat, renameat, ...) and
 * utimensat/futimens: a relative path is taken relative to the directory
 * open at dirfd by prefixing that directory's current path (AT_FDCWD:
 * the current directory, as the plain calls do). The one difference from
 * resolving against the directory itself: a directory renamed between
 * the lookup of its path and the call is not followed. Single-process
 * services use these for the cwd and directories they own, where that
 * does not happen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/sysret.h"
#include "lib/vfs.h"

/* The path to use for (dirfd, path): path itself, or a buffer from
 * malloc in *mine (the caller frees it) holding dir + "/" + path. */
static int at_path(int dirfd, const char *path, const char **out, char **mine)
{
	struct vfs_node *dir;
	size_t len;
	long n;
	int rc;

	*mine = NULL;
	*out = path;
	if (dirfd == AT_FDCWD || path[0] == '/')
		return 0;
	if (!path[0])
		return -ENOENT;
	dir = file_node(dirfd, &rc);
	if (!dir)
		return rc;
	len = strlen(path);
	*mine = malloc(VFS_PATH_MAX + len + 1);
	rc = *mine ? 0 : -ENOMEM;
	if (rc == 0 && !vfs_is_dir(dir->mode))
		rc = -ENOTDIR;
	if (rc == 0) {
		vfs_lock();
		n = vfs_dir_path(dir, *mine, VFS_PATH_MAX);
		vfs_unlock();
		rc = n < 0 ? (int)n : 0;
		if (rc == 0)
			sprintf(*mine + n, "/%s", path);
		*out = *mine;
	}
	vfs_node_release(dir);
	if (rc) {
		free(*mine);
		*mine = NULL;
	}
	return rc;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	const char *p;
	char *mine;
	int mode = 0, rc;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	rc = at_path(dirfd, path, &p, &mine);
	if (rc)
		return (int)sys_result(rc);
	rc = open(p, flags, mode);
	free(mine);
	return rc;
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc)
		return (int)sys_result(rc);
	rc = (flags & AT_SYMLINK_NOFOLLOW) ? lstat(p, st) : stat(p, st);
	free(mine);
	return rc;
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc)
		return (int)sys_result(rc);
	rc = mkdir(p, mode);
	free(mine);
	return rc;
}

int unlinkat(int dirfd, const char *path, int flags)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc)
		return (int)sys_result(rc);
	rc = (flags & AT_REMOVEDIR) ? rmdir(p) : unlink(p);
	free(mine);
	return rc;
}

int renameat(int olddirfd, const char *from, int newdirfd, const char *to)
{
	const char *p, *q;
	char *mine, *mine2;
	int rc = at_path(olddirfd, from, &p, &mine);

	if (rc)
		return (int)sys_result(rc);
	rc = at_path(newdirfd, to, &q, &mine2);
	if (rc == 0)
		rc = rename(p, q);
	else
		rc = (int)sys_result(rc);
	free(mine2);
	free(mine);
	return rc;
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	const char *p;
	char *mine;
	ssize_t n;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc)
		return sys_result(rc);
	n = readlink(p, buf, len);
	free(mine);
	return n;
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc)
		return (int)sys_result(rc);
	rc = symlink(target, p);
	free(mine);
	return rc;
}

int faccessat(int dirfd, const char *path, int how, int flags)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	(void)flags; /* one user: real and effective ids are the same */
	if (rc)
		return (int)sys_result(rc);
	rc = access(p, how);
	free(mine);
	return rc;
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	(void)flags; /* symlinks carry no mode of their own here */
	if (rc)
		return (int)sys_result(rc);
	rc = chmod(p, mode);
	free(mine);
	return rc;
}

/* utimensat's two times into attributes: UTIME_NOW and UTIME_OMIT
 * (include/sys/stat.h) honoured. Returns the VFS_SET_* mask. */
static unsigned times_mask(const struct timespec *ts, struct vfs_attr *a)
{
	struct timespec now;
	unsigned mask = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	a->atime = a->mtime = now;
	if (!ts)
		return VFS_SET_ATIME | VFS_SET_MTIME;
	if (ts[0].tv_nsec != UTIME_OMIT) {
		mask |= VFS_SET_ATIME;
		if (ts[0].tv_nsec != UTIME_NOW)
			a->atime = ts[0];
	}
	if (ts[1].tv_nsec != UTIME_OMIT) {
		mask |= VFS_SET_MTIME;
		if (ts[1].tv_nsec != UTIME_NOW)
			a->mtime = ts[1];
	}
	return mask;
}

int utimensat(int dirfd, const char *path, const struct timespec *ts, int flags)
{
	struct vfs_attr a;
	unsigned mask = times_mask(ts, &a);
	const char *p;
	char *mine;
	int rc = at_path(dirfd, path, &p, &mine);

	if (rc == 0)
		rc = vfs_setattr(
			p, (flags & AT_SYMLINK_NOFOLLOW) ? VFS_NOFOLLOW : 0, &a,
			mask);
	free(mine);
	return (int)sys_result(rc);
}

int futimens(int fd, const struct timespec *ts)
{
	struct vfs_attr a;
	unsigned mask = times_mask(ts, &a);
	int rc;
	struct vfs_node *node = file_node(fd, &rc);

	if (!node)
		return (int)sys_result(rc);
	rc = vfs_node_setattr(node, &a, mask);
	vfs_node_release(node);
	return (int)sys_result(rc);
}
