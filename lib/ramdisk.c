/*
 * Unpacking the ramdisk archive into the VFS (lib/ramdisk.h): gunzip if
 * needed (lib/inflate.c), validate the whole archive (lib/cpio.c), then a
 * second walk applies every member through the ordinary VFS calls, so
 * this works on whatever filesystem is mounted at "/".
 *
 * Directory times are set at the end: adding entries to a directory
 * changes its mtime, so setting it when the directory itself is unpacked
 * would not last. Hard links (newc gives every name of a file the same
 * ino, and the data with the last one) are made with link() from the
 * first name seen.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cpio.h"
#include "lib/inflate.h"
#include "lib/ramdisk.h"
#include "lib/vfs.h"

#define S_FMT 0170000u
#define S_DIR 0040000u
#define S_REG 0100000u
#define S_LNK 0120000u

/* A path that comes back later: a directory whose times are set at the
 * end, or the first name of a hard-linked file. */
struct remembered {
	char *path;
	uint32_t archive, dev_major, dev_minor, ino; /* a hard link's key */
	uint64_t mtime;
};

/* Hard-linked files remembered at most: each new one is looked up among
 * them, so a hostile archive of millions could stall the boot. */
#define LINKED_MAX 4096

struct unpack {
	struct ramdisk_stats *st;
	char path[CPIO_PATH_MAX + 2]; /* "/" + the member's name */
	struct remembered *dirs, *linked;
	size_t ndirs, nlinked, cap_dirs, cap_linked;
};

/* The member's path for *where when something fails (static: the caller
 * logs it after we return). */
static char failed_path[CPIO_PATH_MAX + 2];

/* Keep path with the member's hard-link key and mtime. */
static int remember(struct remembered **list, size_t *n, size_t *cap,
		    const char *path, const struct cpio_entry *e)
{
	char *copy = strdup(path);

	if (!copy)
		return -ENOMEM;
	if (*n == *cap) {
		size_t more = *cap ? *cap * 2 : 32;
		struct remembered *grown =
			realloc(*list, more * sizeof(**list));

		if (!grown) {
			free(copy);
			return -ENOMEM;
		}
		*list = grown;
		*cap = more;
	}
	(*list)[(*n)++] = (struct remembered){ .path = copy,
					       .archive = e->archive,
					       .dev_major = e->dev_major,
					       .dev_minor = e->dev_minor,
					       .ino = e->ino,
					       .mtime = e->mtime };
	return 0;
}

static void forget(struct remembered *list, size_t n)
{
	while (n)
		free(list[--n].path);
	free(list);
}

/* mode, owner and mtime of the member on path (not following a final
 * symlink: a link's own attributes are not kept). */
static int set_attrs(const char *path, const struct cpio_entry *e, bool times)
{
	struct vfs_attr a = {
		.mode = e->mode & VFS_MODE_PERM,
		.uid = e->uid,
		.gid = e->gid,
		.atime = { (time_t)e->mtime, 0 },
		.mtime = { (time_t)e->mtime, 0 },
	};
	unsigned mask = VFS_SET_MODE | VFS_SET_UID | VFS_SET_GID;

	if (times)
		mask |= VFS_SET_ATIME | VFS_SET_MTIME;
	return vfs_setattr(path, VFS_NOFOLLOW, &a, mask);
}

/* Make every missing directory above path (like mkdir -p). */
static int make_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		int rc;

		*p = '\0';
		rc = vfs_mkdir(path, 0755);
		*p = '/';
		if (rc && rc != -EEXIST)
			return rc;
	}
	return 0;
}

static int unpack_dir(struct unpack *u, const struct cpio_entry *e)
{
	int rc = vfs_mkdir(u->path, e->mode);

	if (rc && rc != -EEXIST)
		return rc;
	rc = set_attrs(u->path, e, false);
	if (rc == 0)
		rc = remember(&u->dirs, &u->ndirs, &u->cap_dirs, u->path, e);
	u->st->dirs += rc == 0;
	return rc;
}

static bool same_inode(const struct remembered *r, const struct cpio_entry *e)
{
	return r->ino == e->ino && r->archive == e->archive &&
	       r->dev_major == e->dev_major && r->dev_minor == e->dev_minor;
}

static const struct remembered *linked_name(struct unpack *u,
					    const struct cpio_entry *e)
{
	for (size_t i = 0; i < u->nlinked; i++)
		if (same_inode(&u->linked[i], e))
			return &u->linked[i];
	return NULL;
}

static int write_data(const char *path, const struct cpio_entry *e)
{
	struct vfs_node *node;
	struct vfs_attr a;
	uint32_t dev;
	size_t done = 0;
	int rc;

	/* A symlink of an earlier member at this name is replaced, never
	 * followed: an archive writes only inside the tree it makes. */
	if (vfs_stat(path, VFS_NOFOLLOW, &a, &dev) == 0 && vfs_is_link(a.mode))
		(void)vfs_unlink(path);
	rc = vfs_open_node(path,
			   VFS_OPEN_CREATE | VFS_OPEN_WRITE | VFS_OPEN_TRUNC,
			   VFS_NOFOLLOW, e->mode & VFS_MODE_PERM, &node);

	while (rc == 0 && done < e->size) {
		long n = vfs_node_write(node, e->data + done, e->size - done,
					done);

		if (n <= 0)
			rc = n ? (int)n : -EIO;
		else
			done += (size_t)n;
	}
	if (node)
		vfs_node_release(node);
	return rc;
}

static int unpack_file(struct unpack *u, const struct cpio_entry *e)
{
	const struct remembered *first =
		e->nlink > 1 ? linked_name(u, e) : NULL;
	int rc;

	if (first) {
		(void)vfs_unlink(u->path); /* replace what is there, if any */
		rc = vfs_link(first->path, u->path);
		u->st->links += rc == 0;
		if (rc || e->size == 0)
			return rc;
	} else if (e->nlink > 1) {
		rc = remember(&u->linked, &u->nlinked, &u->cap_linked, u->path,
			      e);
		if (rc)
			return rc;
	}
	rc = write_data(u->path, e);
	if (rc == 0)
		rc = set_attrs(u->path, e, true);
	u->st->files += rc == 0 && !first;
	u->st->bytes += rc == 0 ? e->size : 0;
	return rc;
}

static int unpack_symlink(struct unpack *u, const struct cpio_entry *e)
{
	char *target = malloc(e->size + 1);
	int rc;

	if (!target)
		return -ENOMEM;
	memcpy(target, e->data, e->size);
	target[e->size] = '\0';
	(void)vfs_unlink(u->path); /* replace what is there, if any */
	rc = vfs_symlink(target, u->path);
	free(target);
	u->st->symlinks += rc == 0;
	return rc;
}

static int unpack_one(void *ctx, const struct cpio_entry *e)
{
	struct unpack *u = ctx;
	int rc;

	if (!e->name[0])
		return 0; /* "." : the root exists */
	u->path[0] = '/';
	strcpy(u->path + 1, e->name);
	rc = make_parents(u->path);
	if (rc == 0) {
		switch (e->mode & S_FMT) {
		case S_DIR:
			rc = unpack_dir(u, e);
			break;
		case S_REG:
			rc = unpack_file(u, e);
			break;
		case S_LNK:
			rc = unpack_symlink(u, e);
			break;
		default:
			u->st->skipped++;
		}
	}
	if (rc)
		strcpy(failed_path, u->path);
	return rc;
}

static void set_dir_times(struct unpack *u)
{
	for (size_t i = 0; i < u->ndirs; i++) {
		struct vfs_attr a = {
			.atime = { (time_t)u->dirs[i].mtime, 0 },
			.mtime = { (time_t)u->dirs[i].mtime, 0 },
		};

		/* Best effort: the files are what matters. */
		(void)vfs_setattr(u->dirs[i].path, VFS_NOFOLLOW, &a,
				  VFS_SET_ATIME | VFS_SET_MTIME);
	}
}

/* The validating walk: also refuses more hard-linked members than
 * LINKED_MAX (counted per member: an upper bound of what is remembered). */
static int count_linked(void *ctx, const struct cpio_entry *e)
{
	size_t *n = ctx;

	return e->nlink > 1 && (e->mode & S_FMT) == S_REG && ++*n > LINKED_MAX
		       ? -E2BIG
		       : 0;
}

static int unpack_archive(const void *buf, size_t len, struct ramdisk_stats *st,
			  const char **why)
{
	size_t linked = 0;
	struct unpack *u = calloc(1, sizeof(*u));
	struct cpio_error err = { 0, NULL };
	int rc;

	if (!u)
		return -ENOMEM;
	u->st = st;
	/* Validate everything, then act: the second walk cannot meet a
	 * format error, only a filesystem one. */
	rc = cpio_parse(buf, len, count_linked, &linked, &err);
	if (rc == 0)
		rc = cpio_parse(buf, len, unpack_one, u, &err);
	if (rc == 0)
		set_dir_times(u);
	else if (rc == -E2BIG)
		*why = "more hard-linked files than the unpacker keeps (4096)";
	else
		*why = err.why ? err.why : "cannot create it";
	if (err.why)
		snprintf(failed_path, sizeof(failed_path),
			 "the member at byte %zu", err.offset);
	forget(u->dirs, u->ndirs);
	forget(u->linked, u->nlinked);
	free(u);
	return rc;
}

int ramdisk_unpack(const void *buf, size_t len, struct ramdisk_stats *st,
		   const char **why, const char **where)
{
	uint8_t *plain = NULL;
	size_t plain_len;
	int rc;

	*st = (struct ramdisk_stats){ .compressed = false };
	*where = failed_path;
	failed_path[0] = '\0';
	switch (cpio_detect(buf, len)) {
	case CPIO_KIND_NEWC:
		return unpack_archive(buf, len, st, why);
	case CPIO_KIND_GZIP:
		st->compressed = true;
		rc = inflate_gzip(buf, len, RAMDISK_MAX_INFLATED, &plain,
				  &plain_len, why);
		if (rc)
			return rc;
		if (cpio_detect(plain, plain_len) != CPIO_KIND_NEWC) {
			*why = "gzip does not hold a newc cpio archive";
			rc = -EINVAL;
		} else {
			rc = unpack_archive(plain, plain_len, st, why);
		}
		free(plain);
		return rc;
	default:
		*why = "not a cpio newc archive nor gzip";
		return -EINVAL;
	}
}
