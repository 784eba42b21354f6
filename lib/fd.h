/*
 * File descriptors: one table for the whole (single-process) guest,
 * mapping small integers to open files. Descriptors 0, 1 and 2 are the
 * console from boot on; sockets (lib/socket.c) and files (lib/file.c)
 * take the lowest free numbers above. Each open file is a struct file with a
 * table of operations, so the POSIX calls in lib/syscalls.c and
 * lib/socket.c dispatch without knowing what the file is.
 *
 * Thread safety: the table is changed with events masked (one vCPU), so
 * every function here may be called from any thread. A caller working on
 * a file holds a reference (fd_get/fd_put): close() removes the number at
 * once, but the file's own close operation runs when the last reference
 * goes, never under another thread still inside read() or recv() on it.
 * (So, as on Linux, closing a socket does not wake a thread blocked on
 * it; shutdown() does.)
 *
 * Errors are negative errno values (newlib's numbering); the POSIX
 * wrappers turn them into errno and -1.
 */
#ifndef SKIFF_LIB_FD_H
#define SKIFF_LIB_FD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file;
struct stat;

#define FD_TABLE_SIZE 1024

/* Readiness bits of file_ops.poll (converted to POLLIN/POLLOUT/POLLERR by
 * lib/socket.c). */
#define FD_POLL_IN 0x1
#define FD_POLL_OUT 0x2
#define FD_POLL_ERR 0x4

/*
 * What a kind of file can do. Every operation is optional; a missing one
 * makes the call fail as POSIX says for such a file (read: -EINVAL,
 * write: -EINVAL, lseek: -ESPIPE, ioctl: -ENOTTY), except close (nothing
 * to do), fstat (a character device), getfl/setfl (the flags kept in the
 * struct file), poll (always ready for what was asked), pread/pwrite
 * (-ESPIPE), fsync and ftruncate (-EINVAL).
 */
struct file_ops {
	long (*read)(struct file *f, void *buf, size_t len);
	long (*write)(struct file *f, const void *buf, size_t len);
	/* The last reference is gone; f is freed after this. */
	int (*close)(struct file *f);
	int (*fstat)(struct file *f, struct stat *st);
	int64_t (*lseek)(struct file *f, int64_t off, int whence);
	int (*ioctl)(struct file *f, unsigned long req, void *arg);
	/* Status flags (O_NONBLOCK, ...) and access mode, as F_GETFL. */
	int (*getfl)(struct file *f);
	/* F_SETFL: flags has the caller's status flags (access mode and
	 * creation bits removed). */
	int (*setfl)(struct file *f, int flags);
	/* FD_POLL_* bits ready now among events; must not block. */
	unsigned (*poll)(struct file *f, unsigned events);
	/* At offset off (>= 0), leaving the file position alone. */
	long (*pread)(struct file *f, void *buf, size_t len, int64_t off);
	long (*pwrite)(struct file *f, const void *buf, size_t len,
		       int64_t off);
	/* Data (and metadata unless datasync) durable before returning. */
	int (*fsync)(struct file *f, bool datasync);
	/* Cut or extend to len (>= 0) bytes. */
	int (*ftruncate)(struct file *f, int64_t len);
	bool isatty;
};

struct file {
	const struct file_ops *ops;
	void *priv;    /* the owner's: lib/socket.c keeps lwIP's socket here */
	int flags;     /* access mode and status flags (fcntl F_GETFL) */
	unsigned refs; /* changed with events masked */
};

/* Put the console at descriptors 0, 1 and 2. Called once by the main
 * thread before main() (lib/start.c); nothing uses descriptors earlier. */
void fd_init(void);

/*
 * Open a new file with ops and priv at the lowest free descriptor.
 * flags are open()'s: the access mode and status flags are kept in the
 * file, O_CLOEXEC becomes the descriptor's FD_CLOEXEC.
 * Returns the descriptor, or -EMFILE (table full) or -ENOMEM; on failure
 * nothing is called on priv (the caller still owns it). Thread context.
 */
int fd_install(const struct file_ops *ops, void *priv, int flags);

/* The open file behind fd with a reference held, or NULL when fd is not
 * open. Any context. */
struct file *fd_get(int fd);

/* Drop a reference from fd_get(); the last one runs ops->close and frees
 * the file. Thread context when the file may be closed by it. */
void fd_put(struct file *f);

/* The POSIX calls on a descriptor. Each returns what POSIX says on
 * success or a negative errno (-EBADF for a descriptor that is not open).
 * They block as the file's operation does; thread context. */
long fd_read(int fd, void *buf, size_t len);
long fd_write(int fd, const void *buf, size_t len);
int fd_close(int fd);
int fd_fstat(int fd, struct stat *st);
int fd_isatty(int fd); /* 1, or -EBADF / -ENOTTY */
int64_t fd_lseek(int fd, int64_t off, int whence);
/* F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC;
 * F_GETLK/F_SETLK/F_SETLKW on a struct flock at arg: one process holds
 * every lock, so setting one always succeeds and F_GETLK answers F_UNLCK.
 * Others -EINVAL. */
int fd_fcntl(int fd, int cmd, long arg);
long fd_pread(int fd, void *buf, size_t len, int64_t off);
long fd_pwrite(int fd, const void *buf, size_t len, int64_t off);
int fd_fsync(int fd, bool datasync);
int fd_ftruncate(int fd, int64_t len);
/* A second descriptor for fd's open file (sharing its position and
 * status flags), the lowest free one >= min: -EBADF, -EINVAL (min out of
 * range), -EMFILE. cloexec sets the new descriptor's FD_CLOEXEC. */
int fd_dup(int fd, int min, bool cloexec);
/* Make newfd name fd's open file, closing what newfd named before (its
 * close error is ignored, as on Linux): newfd, or -EBADF. */
int fd_dup2(int fd, int newfd);
int fd_ioctl(int fd, unsigned long req, void *arg);

#endif
