/*
 * <sys/statvfs.h> for Skiff applications (newlib has none): what the
 * filesystem under a path reports (lib/file_path.c).
 */
#ifndef SKIFF_SYS_STATVFS_H
#define SKIFF_SYS_STATVFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ST_RDONLY 0x1
#define ST_NOSUID 0x2

struct statvfs {
	unsigned long f_bsize;
	unsigned long f_frsize;
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	fsfilcnt_t f_favail;
	unsigned long f_fsid;
	unsigned long f_flag;
	unsigned long f_namemax;
};

int statvfs(const char *path, struct statvfs *st);
int fstatvfs(int fd, struct statvfs *st);

#ifdef __cplusplus
}
#endif

#endif
