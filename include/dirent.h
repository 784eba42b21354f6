/*
 * <dirent.h> for Skiff applications (newlib's x86_64-elf build has none):
 * directory streams over the VFS (lib/file_dir.c). A DIR holds a
 * descriptor opened with O_DIRECTORY; its position is the filesystem's
 * readdir cookie, which telldir() and seekdir() expose.
 */
#ifndef SKIFF_DIRENT_H
#define SKIFF_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

#define MAXNAMLEN 255

struct dirent {
	ino_t d_ino; /* as st_ino: the low bits of the filesystem's */
	off_t d_off; /* the position after this entry (telldir) */
	unsigned short d_reclen;
	unsigned char d_type; /* DT_*; DT_UNKNOWN when the fs cannot say */
	char d_name[MAXNAMLEN + 1];
};

typedef struct skiff_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
int readdir_r(DIR *dir, struct dirent *entry, struct dirent **result);
int closedir(DIR *dir);
void rewinddir(DIR *dir);
long telldir(DIR *dir);
void seekdir(DIR *dir, long pos);
int dirfd(DIR *dir);
int alphasort(const struct dirent **a, const struct dirent **b);
int scandir(const char *path, struct dirent ***list,
	    int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **));

#ifdef __cplusplus
}
#endif

#endif
