/*
 * The system calls newlib needs, on top of the kernel.
 *
 * newlib built for x86_64-elf without its own syscalls calls these plain
 * POSIX names. Descriptors 0-2 are the console; the fd table for files and
 * sockets comes with the VFS and lwIP. A call we do not implement yet fails
 * with ENOSYS and says so once on the log: never a silent success.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <reent.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_TAG "libc"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/sync.h"
#include "kernel/timer.h"

#define NS_PER_S 1000000000ULL
#define SKIFF_PID 1

/* Log the first use of a missing call, then fail it with ENOSYS. */
#define UNSUPPORTED(name)                                                     \
	do {                                                                  \
		static int told;                                              \
		if (!told++)                                                  \
			log_warn("%s() is not supported yet (ENOSYS)", name); \
		errno = ENOSYS;                                               \
		return -1;                                                    \
	} while (0)

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

/* newlib's generic configuration types read() and write() as returning
 * _READ_WRITE_RETURN_TYPE (int), not ssize_t. */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return (_READ_WRITE_RETURN_TYPE)len;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	long n;

	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	n = console_read(buf, len);
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	return (_READ_WRITE_RETURN_TYPE)n;
}

int close(int fd)
{
	if (is_console(fd))
		return 0;
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 1024 };
	return 0;
}

int isatty(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	errno = is_console(fd) ? ESPIPE : EBADF;
	return -1;
}

void *sbrk(ptrdiff_t incr)
{
	void *old = heap_sbrk(incr);

	if (!old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return old;
}

void _exit(int status)
{
	kernel_exit(status);
}

pid_t getpid(void)
{
	return SKIFF_PID;
}

int kill(pid_t pid, int sig)
{
	if (pid != SKIFF_PID) {
		errno = ESRCH;
		return -1;
	}
	/* One process, no handlers yet: every signal to ourselves ends it,
	 * reported the way a shell would (128 + signal). abort() gets here
	 * through raise(SIGABRT). */
	log_err("terminated by signal %d", sig);
	kernel_exit(128 + sig);
}

/* --- time ---------------------------------------------------------------- */

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NS_PER_S);
	ts->tv_nsec = (long)(ns % NS_PER_S);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	switch (clock) {
	case CLOCK_REALTIME:
		ns_to_timespec(timer_realtime_ns(), ts);
		return 0;
	case CLOCK_MONOTONIC:
		ns_to_timespec(timer_now_ns(), ts);
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int clock_getres(clockid_t clock, struct timespec *res)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	if (res)
		*res = (struct timespec){ 0, 1 };
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = timer_realtime_ns();

	(void)tz;
	tv->tv_sec = (time_t)(ns / NS_PER_S);
	tv->tv_usec = (suseconds_t)(ns % NS_PER_S / 1000);
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= 1000000000L) {
		errno = EINVAL;
		return -1;
	}
	thread_sleep_ns((uint64_t)req->tv_sec * NS_PER_S +
			(uint64_t)req->tv_nsec);
	if (rem)
		*rem = (struct timespec){ 0, 0 };
	return 0;
}

int usleep(useconds_t us)
{
	thread_sleep_ns((uint64_t)us * 1000);
	return 0;
}

unsigned sleep(unsigned s)
{
	thread_sleep_ns((uint64_t)s * NS_PER_S);
	return 0;
}

clock_t times(struct tms *t)
{
	clock_t ticks = (clock_t)(timer_now_ns() / (NS_PER_S / CLOCKS_PER_SEC));

	/* All time is the one process's user time. */
	if (t)
		*t = (struct tms){ .tms_utime = ticks, .tms_stime = 0 };
	return ticks;
}

/* --- malloc's lock ---------------------------------------------------------
 */

static struct mutex malloc_mutex = { .recursive = true };

void __malloc_lock(struct _reent *r)
{
	(void)r;
	mutex_lock(&malloc_mutex);
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	mutex_unlock(&malloc_mutex);
}

/* --- not yet ---------------------------------------------------------------
 */

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	UNSUPPORTED("open");
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	UNSUPPORTED("stat");
}

int unlink(const char *path)
{
	(void)path;
	UNSUPPORTED("unlink");
}

int mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	UNSUPPORTED("mkdir");
}

int link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	UNSUPPORTED("link");
}

int fcntl(int fd, int cmd, ...)
{
	(void)fd;
	(void)cmd;
	UNSUPPORTED("fcntl");
}

int getentropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	UNSUPPORTED("getentropy");
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	(void)old;
	UNSUPPORTED("sigprocmask");
}

pid_t fork(void)
{
	UNSUPPORTED("fork");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	UNSUPPORTED("execve");
}

pid_t wait(int *status)
{
	(void)status;
	UNSUPPORTED("wait");
}
