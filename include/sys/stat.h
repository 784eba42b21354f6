/*
 * <sys/stat.h> for Skiff applications: newlib's, plus what its
 * x86_64-elf build leaves undeclared although lib/file_path.c provides
 * it (lstat; mknod, which fails with ENOSYS), and utimensat()'s special
 * times, which it defines only for Cygwin (Linux's values).
 */
#ifndef SKIFF_SYS_STAT_H
#define SKIFF_SYS_STAT_H

#include_next <sys/stat.h>

#ifndef UTIME_NOW
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict st);
int mknod(const char *path, mode_t mode, dev_t dev); /* ENOSYS */

#ifdef __cplusplus
}
#endif

#endif
