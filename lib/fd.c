/*
 * The file descriptor table (lib/fd.h) and the console's files behind
 * descriptors 0-2. It dispatches the generic calls to a file's operations;
 * what a socket or a file does is elsewhere.
 *
 * The table is guarded by masking events: there is one vCPU, every
 * critical section is a few loads and stores, and it works in any context
 * (a mutex would not before the scheduler runs). Files are allocated and
 * closed outside that section.
 */
#include <errno.h>
#include <sys/select.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kernel/console.h"
#include "kernel/critical.h"
#include "lib/fd.h"

/* Status flags F_SETFL may change; the rest of its argument is ignored,
 * as POSIX asks. */
#define FD_SETFL_MASK (O_APPEND | O_NONBLOCK)

/* select() must be able to name every descriptor (the Makefile sets it). */
_Static_assert(FD_SETSIZE >= FD_TABLE_SIZE, "FD_SETSIZE below the fd table");

/* --- the console --------------------------------------------------------- */

static long console_file_read(struct file *f, void *buf, size_t len)
{
	(void)f;
	return console_read(buf, len);
}

static long console_file_write(struct file *f, const void *buf, size_t len)
{
	(void)f;
	console_write(buf, len);
	return (long)len;
}

static int console_file_fstat(struct file *f, struct stat *st)
{
	(void)f;
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 1024 };
	return 0;
}

/* Output never waits for long. Whether input is waiting cannot be asked
 * of the console yet, so it never reports readable: select() and poll()
 * on stdin wait for their timeout (and for the sockets among them).
 * TODO: report FD_POLL_IN once kernel/console.h can say input is
 * pending. */
static unsigned console_file_poll(struct file *f, unsigned events)
{
	(void)f;
	return events & FD_POLL_OUT;
}

static const struct file_ops console_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.fstat = console_file_fstat,
	.poll = console_file_poll,
	.isatty = true,
};

/* Each starts with a reference of its own, so closing 0-2 never frees
 * them (they are not from the heap). */
static struct file console_in = { &console_ops, NULL, O_RDONLY, 2 };
static struct file console_out = { &console_ops, NULL, O_WRONLY, 2 };
static struct file console_err = { &console_ops, NULL, O_WRONLY, 2 };

/* --- the table ----------------------------------------------------------- */

static struct fd_state {
	struct file *files[FD_TABLE_SIZE];
	unsigned char fd_flags[FD_TABLE_SIZE]; /* FD_CLOEXEC */
} fd_state; /* zeroed (.bss, not 9 KiB of image): fd_init() fills 0-2 */

void fd_init(void)
{
	fd_state.files[0] = &console_in;
	fd_state.files[1] = &console_out;
	fd_state.files[2] = &console_err;
}

int fd_install(const struct file_ops *ops, void *priv, int flags)
{
	struct fd_state *st = &fd_state;
	struct file *f = malloc(sizeof(*f));
	unsigned long irq;
	int fd;

	if (!f)
		return -ENOMEM;
	*f = (struct file){
		.ops = ops, .priv = priv, .flags = flags & ~O_CLOEXEC, .refs = 1
	};
	irq = critical_enter();
	for (fd = 0; fd < FD_TABLE_SIZE && st->files[fd]; fd++)
		;
	if (fd < FD_TABLE_SIZE) {
		st->files[fd] = f;
		st->fd_flags[fd] = (flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
	}
	critical_exit(irq);
	if (fd == FD_TABLE_SIZE) {
		free(f);
		return -EMFILE;
	}
	return fd;
}

struct file *fd_get(int fd)
{
	struct file *f = NULL;
	unsigned long irq;

	if (fd < 0 || fd >= FD_TABLE_SIZE)
		return NULL;
	irq = critical_enter();
	f = fd_state.files[fd];
	if (f)
		f->refs++;
	critical_exit(irq);
	return f;
}

/* Drop a reference; the last one closes. Returns close's result, or 0. */
static int release(struct file *f)
{
	unsigned long irq = critical_enter();
	unsigned left = --f->refs;
	int rc = 0;

	critical_exit(irq);
	if (left)
		return 0;
	if (f->ops->close)
		rc = f->ops->close(f);
	free(f);
	return rc;
}

void fd_put(struct file *f)
{
	/* A close error here has no caller to go to: the close() that
	 * removed the descriptor already returned. */
	(void)release(f);
}

int fd_close(int fd)
{
	struct file *f = NULL;
	unsigned long irq;

	if (fd < 0 || fd >= FD_TABLE_SIZE)
		return -EBADF;
	irq = critical_enter();
	f = fd_state.files[fd];
	fd_state.files[fd] = NULL;
	critical_exit(irq);
	return f ? release(f) : -EBADF;
}

/* --- the calls ----------------------------------------------------------- */

long fd_read(int fd, void *buf, size_t len)
{
	struct file *f = fd_get(fd);
	long rc;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		rc = -EBADF;
	else
		rc = f->ops->read ? f->ops->read(f, buf, len) : -EINVAL;
	fd_put(f);
	return rc;
}

long fd_write(int fd, const void *buf, size_t len)
{
	struct file *f = fd_get(fd);
	long rc;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		rc = -EBADF;
	else
		rc = f->ops->write ? f->ops->write(f, buf, len) : -EINVAL;
	fd_put(f);
	return rc;
}

int fd_fstat(int fd, struct stat *st)
{
	struct file *f = fd_get(fd);
	int rc = 0;

	if (!f)
		return -EBADF;
	if (f->ops->fstat)
		rc = f->ops->fstat(f, st);
	else
		*st = (struct stat){ .st_mode = S_IFCHR | 0600 };
	fd_put(f);
	return rc;
}

int fd_isatty(int fd)
{
	struct file *f = fd_get(fd);
	int rc;

	if (!f)
		return -EBADF;
	rc = f->ops->isatty ? 1 : -ENOTTY;
	fd_put(f);
	return rc;
}

int64_t fd_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_get(fd);
	int64_t rc;

	if (!f)
		return -EBADF;
	rc = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	fd_put(f);
	return rc;
}

static int getfl(struct file *f)
{
	return f->ops->getfl ? f->ops->getfl(f) : f->flags;
}

static int setfl(struct file *f, int flags)
{
	int rc = 0;

	flags &= FD_SETFL_MASK;
	if (f->ops->setfl)
		rc = f->ops->setfl(f, flags);
	if (rc == 0)
		f->flags = (f->flags & ~FD_SETFL_MASK) | flags;
	return rc;
}

/* Put f (with a reference the caller gives away) at the lowest free
 * descriptor >= min. */
static int install_at_least(struct file *f, int min, bool cloexec)
{
	struct fd_state *st = &fd_state;
	unsigned long irq = critical_enter();
	int fd;

	for (fd = min; fd < FD_TABLE_SIZE && st->files[fd]; fd++)
		;
	if (fd < FD_TABLE_SIZE) {
		st->files[fd] = f;
		st->fd_flags[fd] = cloexec ? FD_CLOEXEC : 0;
	}
	critical_exit(irq);
	if (fd == FD_TABLE_SIZE) {
		fd_put(f);
		return -EMFILE;
	}
	return fd;
}

int fd_dup(int fd, int min, bool cloexec)
{
	struct file *f;

	if (min < 0 || min >= FD_TABLE_SIZE)
		return -EINVAL;
	f = fd_get(fd);
	return f ? install_at_least(f, min, cloexec) : -EBADF;
}

int fd_dup2(int fd, int newfd)
{
	struct file *f, *old;
	unsigned long irq;

	if (newfd < 0 || newfd >= FD_TABLE_SIZE)
		return -EBADF;
	f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (fd == newfd) {
		fd_put(f);
		return newfd;
	}
	irq = critical_enter();
	old = fd_state.files[newfd];
	fd_state.files[newfd] = f;
	fd_state.fd_flags[newfd] = 0;
	critical_exit(irq);
	if (old)
		fd_put(old);
	return newfd;
}

/* Record locks: one process owns every lock there is. */
static int lock_cmd(int cmd, struct flock *fl)
{
	if (!fl)
		return -EFAULT;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    fl->l_type != F_UNLCK)
		return -EINVAL;
	if (cmd == F_GETLK)
		fl->l_type = F_UNLCK;
	return 0;
}

int fd_fcntl(int fd, int cmd, long arg)
{
	struct file *f = fd_get(fd);
	int rc;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		rc = fd_dup(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		rc = lock_cmd(cmd, (struct flock *)arg);
		break;
	case F_GETFD:
		rc = fd_state.fd_flags[fd];
		break;
	case F_SETFD:
		fd_state.fd_flags[fd] = (unsigned char)(arg & FD_CLOEXEC);
		rc = 0;
		break;
	case F_GETFL:
		rc = getfl(f);
		break;
	case F_SETFL:
		rc = setfl(f, (int)arg);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	fd_put(f);
	return rc;
}

int fd_ioctl(int fd, unsigned long req, void *arg)
{
	struct file *f = fd_get(fd);
	int rc;

	if (!f)
		return -EBADF;
	rc = f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	fd_put(f);
	return rc;
}

/* pread (into rbuf) or pwrite (from wbuf), whichever buffer is given. */
static long at_offset(int fd, void *rbuf, const void *wbuf, size_t len,
		      int64_t off)
{
	struct file *f = fd_get(fd);
	int denied = rbuf ? O_WRONLY : O_RDONLY;
	long rc;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == denied)
		rc = -EBADF;
	else if (off < 0)
		rc = -EINVAL;
	else if (rbuf)
		rc = f->ops->pread ? f->ops->pread(f, rbuf, len, off) : -ESPIPE;
	else
		rc = f->ops->pwrite ? f->ops->pwrite(f, wbuf, len, off)
				    : -ESPIPE;
	fd_put(f);
	return rc;
}

long fd_pread(int fd, void *buf, size_t len, int64_t off)
{
	return at_offset(fd, buf, NULL, len, off);
}

long fd_pwrite(int fd, const void *buf, size_t len, int64_t off)
{
	return at_offset(fd, NULL, buf, len, off);
}

int fd_fsync(int fd, bool datasync)
{
	struct file *f = fd_get(fd);
	int rc;

	if (!f)
		return -EBADF;
	rc = f->ops->fsync ? f->ops->fsync(f, datasync) : -EINVAL;
	fd_put(f);
	return rc;
}

int fd_ftruncate(int fd, int64_t len)
{
	struct file *f = fd_get(fd);
	int rc;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || len < 0)
		rc = -EINVAL;
	else
		rc = f->ops->ftruncate ? f->ops->ftruncate(f, len) : -EINVAL;
	fd_put(f);
	return rc;
}
