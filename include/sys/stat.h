/*
 * <sys/stat.h> for Skiff applications: newlib's, plus what its
 * x86_64-elf build leaves undeclared although lib/file_path.c provides
 * it (lstat).
 */
#ifndef SKIFF_SYS_STAT_H
#define SKIFF_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict st);

#ifdef __cplusplus
}
#endif

#endif
