/*
 * <utime.h> for Skiff applications: newlib's struct utimbuf, plus the
 * declaration of utime() (lib/file_path.c), which newlib's generic
 * <sys/utime.h> leaves out.
 */
#ifndef SKIFF_UTIME_H
#define SKIFF_UTIME_H

#include_next <utime.h>

#ifdef __cplusplus
extern "C" {
#endif

int utime(const char *path, const struct utimbuf *times);

#ifdef __cplusplus
}
#endif

#endif
