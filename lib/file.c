/*
 * Open files of the VFS: open() and the operations behind a descriptor it
 * returned (read, write, pread, pwrite, lseek, fstat, fsync, ftruncate,
 * close), plus the descriptor calls that are not about one kind of file
 * (dup, dup2, readv, writev, fsync, pread, ...). The calls by path are in
 * lib/file_path.c, the directory stream in lib/file_dir.c.
 *
 * The file position lives in the open file (struct vfs_file), shared by
 * descriptors made with dup(), and is read and moved under the VFS lock
 * together with the I/O, so that two threads writing through one
 * descriptor (or with O_APPEND) never write over each other. For a
 * directory the position is the readdir cookie.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define LOG_TAG "file"
#include "kernel/log.h"
#include "lib/fd.h"
#include "lib/file.h"
#include "lib/sysret.h"
#include "lib/vfs.h"

struct vfs_file {
	struct vfs_node *node;
	int64_t pos;
};

static const struct file_ops vfs_file_ops;

static struct vfs_file *vfile(struct file *f)
{
	return f->priv;
}

void file_attr_to_stat(const struct vfs_attr *a, uint32_t dev, struct stat *st)
{
	/* newlib's st_dev and st_ino are 16 bits here: lib/vfs.h. */
	*st = (struct stat){
		.st_dev = (dev_t)dev,
		.st_ino = (ino_t)a->ino,
		.st_mode = (mode_t)a->mode,
		.st_nlink = (nlink_t)a->nlink,
		.st_uid = (uid_t)a->uid,
		.st_gid = (gid_t)a->gid,
		.st_rdev = (dev_t)a->rdev,
		.st_size = (off_t)a->size,
		.st_atim = a->atime,
		.st_mtim = a->mtime,
		.st_ctim = a->ctime,
		.st_blksize = (blksize_t)a->blksize,
		.st_blocks = (blkcnt_t)a->blocks,
	};
}

/* --- the open file's operations ----------------------------------------- */

/* The byte count of a transfer as a long that fits what read() returns:
 * newlib's read()/write() return an int. */
static size_t clamp(size_t len)
{
	return len > INT_MAX ? INT_MAX : len;
}

static long vfile_read(struct file *f, void *buf, size_t len)
{
	struct vfs_file *vf = vfile(f);
	long n;

	vfs_lock();
	n = vfs_node_read(vf->node, buf, clamp(len), (uint64_t)vf->pos);
	if (n > 0)
		vf->pos += n;
	vfs_unlock();
	return n;
}

/* After a write of n bytes with O_SYNC: n once it is durable, or the
 * fsync's error (the data was written, but is not known to be safe). */
static long sync_written(struct vfs_node *node, long n)
{
	int rc = vfs_node_fsync(node, true);

	return rc ? rc : n;
}

static long vfile_write(struct file *f, const void *buf, size_t len)
{
	struct vfs_file *vf = vfile(f);
	struct vfs_attr a;
	long n = 0;

	vfs_lock();
	if (f->flags & O_APPEND) {
		n = vfs_node_getattr(vf->node, &a);
		if (n == 0)
			vf->pos = (int64_t)a.size;
	}
	if (n == 0)
		n = vfs_node_write(vf->node, buf, clamp(len),
				   (uint64_t)vf->pos);
	if (n > 0)
		vf->pos += n;
	if (n > 0 && (f->flags & O_SYNC))
		n = sync_written(vf->node, n);
	vfs_unlock();
	return n;
}

static long vfile_pread(struct file *f, void *buf, size_t len, int64_t off)
{
	return vfs_node_read(vfile(f)->node, buf, clamp(len), (uint64_t)off);
}

static long vfile_pwrite(struct file *f, const void *buf, size_t len,
			 int64_t off)
{
	struct vfs_node *node = vfile(f)->node;
	struct vfs_attr a;
	long n;

	vfs_lock();
	/* As on Linux, O_APPEND wins over the offset. */
	if ((f->flags & O_APPEND) && vfs_node_getattr(node, &a) == 0)
		off = (int64_t)a.size;
	n = vfs_node_write(node, buf, clamp(len), (uint64_t)off);
	if (n > 0 && (f->flags & O_SYNC))
		n = sync_written(node, n);
	vfs_unlock();
	return n;
}

static int64_t vfile_lseek(struct file *f, int64_t off, int whence)
{
	struct vfs_file *vf = vfile(f);
	struct vfs_attr a;
	int64_t base = 0;
	int64_t rc = 0;

	vfs_lock();
	if (whence == SEEK_CUR)
		base = vf->pos;
	else if (whence == SEEK_END)
		rc = vfs_node_getattr(vf->node, &a);
	else if (whence != SEEK_SET)
		rc = -EINVAL;
	if (rc == 0 && whence == SEEK_END)
		base = (int64_t)a.size;
	if (rc == 0 && (off > INT64_MAX - base || base + off < 0))
		rc = off > 0 ? -EOVERFLOW : -EINVAL;
	if (rc == 0)
		rc = vf->pos = base + off;
	vfs_unlock();
	return rc;
}

static int vfile_fstat(struct file *f, struct stat *st)
{
	struct vfs_node *node = vfile(f)->node;
	struct vfs_attr a;
	int rc = vfs_node_getattr(node, &a);

	if (rc == 0)
		file_attr_to_stat(&a, node->mount->dev, st);
	return rc;
}

static int vfile_fsync(struct file *f, bool datasync)
{
	return vfs_node_fsync(vfile(f)->node, datasync);
}

static int vfile_ftruncate(struct file *f, int64_t len)
{
	struct vfs_attr a = { .size = (uint64_t)len };

	return vfs_node_setattr(vfile(f)->node, &a, VFS_SET_SIZE);
}

static int vfile_close(struct file *f)
{
	struct vfs_file *vf = vfile(f);

	vfs_node_release(vf->node);
	free(vf);
	return 0;
}

static const struct file_ops vfs_file_ops = {
	.read = vfile_read,
	.write = vfile_write,
	.close = vfile_close,
	.fstat = vfile_fstat,
	.lseek = vfile_lseek,
	.pread = vfile_pread,
	.pwrite = vfile_pwrite,
	.fsync = vfile_fsync,
	.ftruncate = vfile_ftruncate,
};

struct vfs_node *file_node(int fd, int *err)
{
	struct file *f = fd_get(fd);
	struct vfs_node *node = NULL;

	*err = -EBADF;
	if (!f)
		return NULL;
	if (f->ops == &vfs_file_ops) {
		vfs_lock();
		node = vfs_node_get(vfile(f)->node);
		vfs_unlock();
		*err = 0;
	}
	fd_put(f);
	return node;
}

int file_readdir(int fd, struct vfs_dirent *ent)
{
	struct file *f = fd_get(fd);
	uint64_t cookie;
	int rc;

	if (!f)
		return -EBADF;
	if (f->ops != &vfs_file_ops) {
		fd_put(f);
		return -ENOTDIR;
	}
	vfs_lock();
	cookie = (uint64_t)vfile(f)->pos;
	rc = vfs_node_readdir(vfile(f)->node, &cookie, ent);
	vfile(f)->pos = (int64_t)cookie;
	vfs_unlock();
	fd_put(f);
	return rc;
}

/* --- open ---------------------------------------------------------------- */

static struct {
	uint32_t umask;
} file_state = { .umask = 022 };

uint32_t file_umask(void)
{
	return file_state.umask;
}

mode_t umask(mode_t mask)
{
	mode_t old = (mode_t)file_state.umask;

	file_state.umask = mask & 0777;
	return old;
}

static unsigned open_flags(int flags)
{
	unsigned o = 0;
	int acc = flags & O_ACCMODE;

	if (flags & O_CREAT)
		o |= VFS_OPEN_CREATE | ((flags & O_EXCL) ? VFS_OPEN_EXCL : 0);
	if (acc == O_WRONLY || acc == O_RDWR)
		o |= VFS_OPEN_WRITE;
	if ((flags & O_TRUNC) && (o & VFS_OPEN_WRITE))
		o |= VFS_OPEN_TRUNC;
	if (flags & O_DIRECTORY)
		o |= VFS_OPEN_DIRECTORY;
	return o;
}

/* What open() keeps in the struct file: access mode, status flags
 * (O_SYNC, which is also newlib's O_DSYNC: every write is fsynced) and
 * O_CLOEXEC (which fd_install turns into the descriptor flag). */
#define FILE_KEPT_FLAGS (O_ACCMODE | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_SYNC)

/* The descriptor a device node stands for (vfs_node_ops.dup_fd), or -1. */
static int alias_of(struct vfs_node *node)
{
	int fd = -1;

	if (node->ops->dup_fd) {
		vfs_lock();
		fd = node->ops->dup_fd(node);
		vfs_unlock();
	}
	return fd;
}

static int open_file(const char *path, int flags, uint32_t mode)
{
	struct vfs_file *vf;
	int rc;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	vf = calloc(1, sizeof(*vf));
	if (!vf)
		return -ENOMEM;
	rc = vfs_open_node(path, open_flags(flags),
			   (flags & O_NOFOLLOW) ? VFS_NOFOLLOW : 0,
			   mode & ~file_state.umask, &vf->node);
	if (rc)
		goto err_free_file;
	rc = alias_of(vf->node);
	if (rc >= 0) {
		vfs_node_release(vf->node);
		free(vf);
		return fd_dup(rc, 0, flags & O_CLOEXEC);
	}
	rc = fd_install(&vfs_file_ops, vf, flags & FILE_KEPT_FLAGS);
	if (rc < 0)
		goto err_release_node;
	return rc;

err_release_node:
	vfs_node_release(vf->node);
err_free_file:
	free(vf);
	return rc;
}

int open(const char *path, int flags, ...)
{
	uint32_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (uint32_t)va_arg(ap, int);
		va_end(ap);
	}
	return (int)sys_result(open_file(path, flags, mode));
}

/* --- calls on descriptors ------------------------------------------------- */

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return sys_result(fd_pread(fd, buf, len, off));
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return sys_result(fd_pwrite(fd, buf, len, off));
}

/* readv/writev: one transfer per buffer, stopping at the first short one,
 * so the result is what a single transfer of the whole would report. */
static long vector_total(const struct iovec *iov, int n)
{
	size_t total = 0;

	if (n < 0 || n > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (iov[i].iov_len > (size_t)LONG_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return (long)total;
}

static long transfer(int fd, const struct iovec *iov, int n, bool write)
{
	long total = vector_total(iov, n), done = 0, rc = 0;

	if (total < 0)
		return total;
	for (int i = 0; i < n; i++) {
		rc = write ? fd_write(fd, iov[i].iov_base, iov[i].iov_len)
			   : fd_read(fd, iov[i].iov_base, iov[i].iov_len);
		if (rc < 0)
			break;
		done += rc;
		if ((size_t)rc < iov[i].iov_len)
			break;
	}
	return rc < 0 && done == 0 ? rc : done;
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	return sys_result(transfer(fd, iov, n, false));
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	return sys_result(transfer(fd, iov, n, true));
}

int fsync(int fd)
{
	return (int)sys_result(fd_fsync(fd, false));
}

int fdatasync(int fd)
{
	return (int)sys_result(fd_fsync(fd, true));
}

int ftruncate(int fd, off_t len)
{
	return (int)sys_result(fd_ftruncate(fd, len));
}

int dup(int fd)
{
	return (int)sys_result(fd_dup(fd, 0, false));
}

int dup2(int fd, int newfd)
{
	return (int)sys_result(fd_dup2(fd, newfd));
}
