/*
 * The POSIX calls that name a file by path (stat, mkdir, rename, ...),
 * and the few by descriptor that change attributes (fchmod, futimes,
 * fchdir, fstatvfs): thin translations onto lib/vfs.h, which does the
 * resolving and the checking. Permissions are not enforced: the guest is
 * one process acting as root; access() checks existence, a read-only
 * mount for W_OK, and an execute bit for X_OK.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#define LOG_TAG "file"
#include "kernel/log.h"
#include "lib/file.h"
#include "lib/sysret.h"
#include "lib/vfs.h"

static int stat_path(const char *path, unsigned flags, struct stat *st)
{
	struct vfs_attr a;
	uint32_t dev;
	int rc = vfs_stat(path, flags, &a, &dev);

	if (rc == 0)
		file_attr_to_stat(&a, dev, st);
	return rc;
}

int stat(const char *path, struct stat *st)
{
	return (int)sys_result(stat_path(path, 0, st));
}

int lstat(const char *path, struct stat *st)
{
	return (int)sys_result(stat_path(path, VFS_NOFOLLOW, st));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)sys_result(vfs_mkdir(path, mode & ~file_umask()));
}

int rmdir(const char *path)
{
	return (int)sys_result(vfs_rmdir(path));
}

int unlink(const char *path)
{
	return (int)sys_result(vfs_unlink(path));
}

int rename(const char *from, const char *to)
{
	return (int)sys_result(vfs_rename(from, to));
}

int link(const char *from, const char *to)
{
	return (int)sys_result(vfs_link(from, to));
}

int symlink(const char *target, const char *path)
{
	return (int)sys_result(vfs_symlink(target, path));
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
	long n = vfs_readlink(path, buf, len);

	/* POSIX: the bytes placed in buf, not the target's length. */
	if (n > (long)len)
		n = (long)len;
	return sys_result(n);
}

int truncate(const char *path, off_t len)
{
	struct vfs_attr a = { .size = (uint64_t)len };

	if (len < 0)
		return (int)sys_result(-EINVAL);
	return (int)sys_result(vfs_setattr(path, 0, &a, VFS_SET_SIZE));
}

int chmod(const char *path, mode_t mode)
{
	struct vfs_attr a = { .mode = mode };

	return (int)sys_result(vfs_setattr(path, 0, &a, VFS_SET_MODE));
}

/* chown's arguments as attributes: -1 leaves an id as it is. */
static unsigned owner(uid_t uid, gid_t gid, struct vfs_attr *a)
{
	a->uid = uid;
	a->gid = gid;
	return (uid != (uid_t)-1 ? VFS_SET_UID : 0) |
	       (gid != (gid_t)-1 ? VFS_SET_GID : 0);
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	struct vfs_attr a;
	unsigned mask = owner(uid, gid, &a);

	return (int)sys_result(vfs_setattr(path, 0, &a, mask));
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	struct vfs_attr a;
	unsigned mask = owner(uid, gid, &a);

	return (int)sys_result(vfs_setattr(path, VFS_NOFOLLOW, &a, mask));
}

/* setattr on the node open at fd. */
static int on_fd(int fd, const struct vfs_attr *a, unsigned mask)
{
	int rc;
	struct vfs_node *node = file_node(fd, &rc);

	if (!node)
		return rc;
	rc = vfs_node_setattr(node, a, mask);
	vfs_node_release(node);
	return rc;
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	struct vfs_attr a;
	unsigned mask = owner(uid, gid, &a);

	return (int)sys_result(on_fd(fd, &a, mask));
}

int fchmod(int fd, mode_t mode)
{
	struct vfs_attr a = { .mode = mode };

	return (int)sys_result(on_fd(fd, &a, VFS_SET_MODE));
}

/* times[0] is the access time, times[1] the modification time; NULL means
 * now. */
static void times_attr(const struct timeval *tv, struct vfs_attr *a)
{
	struct timespec now;

	if (!tv) {
		clock_gettime(CLOCK_REALTIME, &now);
		a->atime = a->mtime = now;
		return;
	}
	a->atime = (struct timespec){ tv[0].tv_sec, tv[0].tv_usec * 1000 };
	a->mtime = (struct timespec){ tv[1].tv_sec, tv[1].tv_usec * 1000 };
}

int utimes(const char *path, const struct timeval *tv)
{
	struct vfs_attr a;

	times_attr(tv, &a);
	return (int)sys_result(
		vfs_setattr(path, 0, &a, VFS_SET_ATIME | VFS_SET_MTIME));
}

int futimes(int fd, const struct timeval *tv)
{
	struct vfs_attr a;

	times_attr(tv, &a);
	return (int)sys_result(on_fd(fd, &a, VFS_SET_ATIME | VFS_SET_MTIME));
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timeval tv[2];

	if (!times)
		return utimes(path, NULL);
	tv[0] = (struct timeval){ times->actime, 0 };
	tv[1] = (struct timeval){ times->modtime, 0 };
	return utimes(path, tv);
}

int chdir(const char *path)
{
	return (int)sys_result(vfs_chdir(path));
}

int fchdir(int fd)
{
	int rc;
	struct vfs_node *node = file_node(fd, &rc);

	if (!node)
		return (int)sys_result(rc);
	if (vfs_is_dir(node->mode)) {
		vfs_lock();
		vfs_set_cwd(node);
		vfs_unlock();
	} else {
		rc = -ENOTDIR;
	}
	vfs_node_release(node);
	return (int)sys_result(rc);
}

char *getcwd(char *buf, size_t size)
{
	char *mine = NULL;
	long rc;

	/* glibc's extension: NULL asks for an allocated buffer. */
	if (!buf) {
		size = size ? size : VFS_PATH_MAX;
		buf = mine = malloc(size);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
	}
	rc = size ? vfs_getcwd(buf, size) : -EINVAL;
	if (rc < 0) {
		free(mine);
		errno = (int)-rc;
		return NULL;
	}
	return buf;
}

char *realpath(const char *path, char *buf)
{
	/* NULL: an allocated buffer, as POSIX 2008 says; otherwise the
	 * caller's has PATH_MAX bytes (1024 in newlib's <limits.h>, less
	 * than the VFS takes). */
	size_t size = buf ? PATH_MAX : VFS_PATH_MAX;
	char *out = buf ? buf : malloc(size);
	long rc = out ? vfs_realpath(path, out, size) : -ENOMEM;

	if (rc < 0) {
		if (!buf)
			free(out);
		errno = rc == -ERANGE ? ENAMETOOLONG : (int)-rc;
		return NULL;
	}
	return out;
}

int access(const char *path, int how)
{
	struct vfs_node *node;
	struct vfs_attr a;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, 0, &node);
	if (rc == 0) {
		rc = vfs_node_getattr(node, &a);
		if (rc == 0 && (how & W_OK) &&
		    (node->mount->flags & VFS_MOUNT_RDONLY))
			rc = -EROFS;
		if (rc == 0 && (how & X_OK) && !(a.mode & 0111))
			rc = -EACCES;
		vfs_node_put(node);
	}
	vfs_unlock();
	return (int)sys_result(rc);
}

static void to_statvfs(const struct vfs_statfs *s, uint32_t flags, int dev,
		       struct statvfs *st)
{
	*st = (struct statvfs){
		.f_bsize = s->bsize,
		.f_frsize = s->bsize,
		.f_blocks = s->blocks,
		.f_bfree = s->bfree,
		.f_bavail = s->bavail,
		.f_files = s->files,
		.f_ffree = s->ffree,
		.f_favail = s->ffree,
		.f_fsid = (unsigned long)dev,
		.f_flag = (flags & VFS_MOUNT_RDONLY) ? ST_RDONLY : 0,
		.f_namemax = s->namemax,
	};
}

int statvfs(const char *path, struct statvfs *st)
{
	struct vfs_statfs s;
	struct vfs_attr a;
	uint32_t flags, dev;
	int rc = vfs_stat(path, 0, &a, &dev);

	if (rc == 0)
		rc = vfs_statfs(path, &s, &flags);
	if (rc == 0)
		to_statvfs(&s, flags, (int)dev, st);
	return (int)sys_result(rc);
}

int fstatvfs(int fd, struct statvfs *st)
{
	struct vfs_statfs s = { .bsize = 4096, .namemax = VFS_NAME_MAX };
	int rc;
	struct vfs_node *node = file_node(fd, &rc);
	struct vfs_mount *m;

	if (!node)
		return (int)sys_result(rc);
	vfs_lock();
	m = node->mount;
	rc = m->type->statfs ? m->type->statfs(m, &s) : -ENOSYS;
	if (rc == 0)
		to_statvfs(&s, m->flags, (int)m->dev, st);
	vfs_unlock();
	vfs_node_release(node);
	return (int)sys_result(rc);
}

void sync(void)
{
	/* POSIX gives sync() no way to report a failure. */
	(void)vfs_sync_all();
}

/* Special files other than /dev's are not made: no filesystem here
 * stores them yet. */
int mknod(const char *path, mode_t mode, dev_t dev)
{
	(void)path;
	(void)mode;
	(void)dev;
	UNSUPPORTED("mknod");
}

int mkfifo(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	UNSUPPORTED("mkfifo");
}
