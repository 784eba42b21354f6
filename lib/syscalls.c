/*
 * The system calls newlib needs, on top of the kernel.
 *
 * newlib built for x86_64-elf without its own syscalls calls these plain
 * POSIX names. Calls on a file descriptor go through the fd table
 * (lib/fd.h: the console at 0-2, sockets from lib/socket.c, files from
 * lib/file.c, which also has the calls by path).
 * A call we do not implement yet fails with ENOSYS and says so once on the
 * log: never a silent success.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <reent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_TAG "libc"
#include "kernel/heap.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/sync.h"
#include "kernel/timer.h"
#include "lib/fd.h"
#include "lib/sysret.h"

#define NS_PER_S 1000000000ULL
#define SKIFF_PID 1

/* newlib's generic configuration types read() and write() as returning
 * _READ_WRITE_RETURN_TYPE (int), not ssize_t: a longer transfer is cut
 * to what an int can report, which POSIX allows (a short count). */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	if (len > INT_MAX)
		len = INT_MAX;
	return (_READ_WRITE_RETURN_TYPE)sys_result(fd_write(fd, buf, len));
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	if (len > INT_MAX)
		len = INT_MAX;
	return (_READ_WRITE_RETURN_TYPE)sys_result(fd_read(fd, buf, len));
}

int close(int fd)
{
	return (int)sys_result(fd_close(fd));
}

int fstat(int fd, struct stat *st)
{
	return (int)sys_result(fd_fstat(fd, st));
}

int isatty(int fd)
{
	/* 0 with errno (EBADF or ENOTTY) when not a terminal. */
	return sys_result(fd_isatty(fd)) == 1;
}

off_t lseek(int fd, off_t off, int whence)
{
	return (off_t)sys_result(fd_lseek(fd, off, whence));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	/* An int and a pointer both arrive in one 64-bit slot, where an
	 * int's upper half is undefined: only the lock commands take a
	 * pointer, the others get the low 32 bits. (A command without an
	 * argument reads a value that is not used.) */
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (cmd != F_GETLK && cmd != F_SETLK && cmd != F_SETLKW)
		arg = (int)arg;
	return (int)sys_result(fd_fcntl(fd, cmd, arg));
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
