/*
 * Directory streams (include/dirent.h) over a descriptor opened with
 * O_DIRECTORY: each readdir() asks the filesystem for one entry from the
 * descriptor's position (lib/file.c keeps the cookie there), so a stream
 * costs one struct dirent and entries added or removed while it is read
 * disturb no other entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>

#include "lib/file.h"
#include "lib/sysret.h"
#include "lib/vfs.h"

struct skiff_dir {
	int fd;
	struct dirent ent;
};

DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;

	if (fstat(fd, &st))
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* The next entry into ent: 1, 0 at the end, or a negative errno. */
static int next(DIR *d, struct dirent *ent)
{
	struct vfs_dirent *v = malloc(sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	rc = file_readdir(d->fd, v);
	if (rc == 1) {
		ent->d_ino = (ino_t)v->ino;
		ent->d_off = lseek(d->fd, 0, SEEK_CUR);
		ent->d_reclen = sizeof(*ent);
		ent->d_type = v->type;
		strcpy(ent->d_name, v->name);
	}
	free(v);
	return rc;
}

struct dirent *readdir(DIR *d)
{
	int rc = next(d, &d->ent);

	if (rc < 0)
		errno = -rc;
	return rc == 1 ? &d->ent : NULL;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	int rc = next(d, entry);

	*result = rc == 1 ? entry : NULL;
	return rc < 0 ? -rc : 0;
}

int closedir(DIR *d)
{
	int rc = close(d->fd);

	free(d);
	return rc;
}

void rewinddir(DIR *d)
{
	(void)lseek(d->fd, 0, SEEK_SET); /* cannot fail on a directory */
}

long telldir(DIR *d)
{
	return (long)lseek(d->fd, 0, SEEK_CUR);
}

void seekdir(DIR *d, long pos)
{
	(void)lseek(d->fd, pos, SEEK_SET); /* a cookie telldir gave */
}

int dirfd(DIR *d)
{
	return d->fd;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Insertion sort: qsort() has no argument for the caller's comparison,
 * and directories listed this way are small. */
static void sort(struct dirent **list, size_t n,
		 int (*compar)(const struct dirent **, const struct dirent **))
{
	for (size_t i = 1; i < n; i++) {
		struct dirent *e = list[i];
		const struct dirent *key = e, *prev;
		size_t j = i;

		for (; j > 0; j--) {
			prev = list[j - 1];
			if (compar(&prev, &key) <= 0)
				break;
			list[j] = list[j - 1];
		}
		list[j] = e;
	}
}

static void free_list(struct dirent **list, size_t n)
{
	while (n)
		free(list[--n]);
	free(list);
}

/* Append a copy of ent to *list (n entries, room for *cap). */
static int append(struct dirent ***list, size_t *n, size_t *cap,
		  const struct dirent *ent)
{
	struct dirent *copy;

	if (*n == *cap) {
		size_t more = *cap ? *cap * 2 : 16;
		struct dirent **grown = realloc(*list, more * sizeof(**list));

		if (!grown)
			return -ENOMEM;
		*list = grown;
		*cap = more;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	*copy = *ent;
	(*list)[(*n)++] = copy;
	return 0;
}

int scandir(const char *path, struct dirent ***out,
	    int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(path);
	struct dirent **list = NULL, *ent;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d)
		return -1;
	while (rc == 0 && (ent = readdir(d)))
		if (!filter || filter(ent))
			rc = append(&list, &n, &cap, ent);
	closedir(d);
	if (rc) {
		free_list(list, n);
		return (int)sys_result(rc);
	}
	if (compar)
		sort(list, n, compar);
	*out = list;
	return (int)n;
}
