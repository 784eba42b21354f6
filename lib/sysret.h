/*
 * How the POSIX calls in lib/ report: the layers below return a negative
 * errno, the call sets errno and returns -1; a call Skiff lacks fails
 * with ENOSYS and says so once on the log. Shared by lib/syscalls.c and
 * the file calls (lib/file*.c).
 */
#ifndef SKIFF_LIB_SYSRET_H
#define SKIFF_LIB_SYSRET_H

#include <errno.h>

/* A negative errno becomes errno and -1; anything else is returned. */
static inline long sys_result(long rc)
{
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return rc;
}

/* Log the first use of a missing call, then fail it with ENOSYS. Needs
 * kernel/log.h. */
#define UNSUPPORTED(name)                                                     \
	do {                                                                  \
		static int told;                                              \
		if (!told++)                                                  \
			log_warn("%s() is not supported yet (ENOSYS)", name); \
		errno = ENOSYS;                                               \
		return -1;                                                    \
	} while (0)

#endif
