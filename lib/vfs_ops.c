/*
 * The namespace operations of lib/vfs.h that the POSIX calls use (stat,
 * mkdir, rename, open, node I/O, ...): each resolves its paths
 * (lib/vfs_path.c), checks what POSIX asks of the call -- validate, then
 * act -- and hands one question to the filesystem. Pure, like the rest of
 * the VFS: tested on the host with ramfs (tests/unit/test_vfs.c).
 *
 * Every function takes the VFS lock (recursive), so they also serve code
 * that holds it already.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vfs.h"
#include "lib/vfs_priv.h"

/* --- operations by path ------------------------------------------------- */

static bool read_only(const struct vfs_node *node)
{
	return node->mount->flags & VFS_MOUNT_RDONLY;
}

int vfs_node_getattr(struct vfs_node *node, struct vfs_attr *attr)
{
	int rc;

	vfs_lock();
	*attr = (struct vfs_attr){ 0 };
	rc = node->ops->getattr(node, attr);
	if (rc == 0 && !attr->blksize)
		attr->blksize = 4096;
	vfs_unlock();
	return rc;
}

int vfs_stat(const char *path, unsigned flags, struct vfs_attr *attr,
	     uint32_t *dev)
{
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, flags, &node);
	if (rc == 0) {
		rc = vfs_node_getattr(node, attr);
		*dev = node->mount->dev;
		vfs_node_put(node);
	}
	vfs_unlock();
	return rc;
}

/* Resolve path's parent for a call that makes or removes an entry. */
static int parent_of(const char *path, struct vfs_resolved *r)
{
	int rc = vfs_resolve(path, VFS_PARENT, r);

	if (rc)
		return rc;
	if (read_only(r->dir)) {
		vfs_resolved_put(r);
		return -EROFS;
	}
	return 0;
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* Does dir/name exist? 0: no; 1: yes (*out set when out); <0: error. */
static int child(struct vfs_node *dir, const char *name, struct vfs_node **out)
{
	struct vfs_node *node = NULL;
	int rc = dir->ops->lookup(dir, name, &node);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (out)
		*out = node;
	else
		vfs_node_put(node);
	return 1;
}

int vfs_mkdir(const char *path, uint32_t mode)
{
	struct vfs_resolved r;
	int rc;

	vfs_lock();
	rc = parent_of(path, &r);
	if (rc)
		goto out;
	rc = is_dot(r.name) ? -EEXIST : child(r.dir, r.name, NULL);
	if (rc == 0)
		rc = r.dir->ops->mkdir
			     ? r.dir->ops->mkdir(r.dir, r.name,
						 mode & VFS_MODE_PERM, NULL)
			     : -EROFS;
	else if (rc > 0)
		rc = -EEXIST;
	vfs_resolved_put(&r);
out:
	vfs_unlock();
	return rc;
}

/* The entry dir/name, with its node crossed into a mount on it, so that
 * removing a mount point is noticed. */
static int victim(struct vfs_node *dir, const char *name, struct vfs_node **out)
{
	int rc = child(dir, name, out);

	if (rc == 0)
		return -ENOENT;
	return rc < 0 ? rc : 0;
}

/* rmdir (dir) or unlink (!dir) of r's entry, checked as POSIX says. */
static int remove_checked(struct vfs_resolved *r, bool dir)
{
	int (*op)(struct vfs_node *, const char *);
	struct vfs_node *node = NULL;
	int rc;

	if (!strcmp(r->name, "."))
		return dir ? -EINVAL : -EISDIR;
	if (!strcmp(r->name, ".."))
		return dir ? -ENOTEMPTY : -EISDIR;
	rc = victim(r->dir, r->name, &node);
	if (rc)
		return rc;
	node = vfs_cross_down(node);
	op = dir ? r->dir->ops->rmdir : r->dir->ops->unlink;
	if (dir != vfs_is_dir(node->mode))
		rc = dir ? -ENOTDIR : -EISDIR;
	else if (vfs_is_mount_root(node))
		rc = -EBUSY;
	else if (!dir && r->trailing_slash)
		rc = -ENOTDIR;
	else
		rc = op ? op(r->dir, r->name) : -EROFS;
	vfs_node_put(node);
	return rc;
}

static int remove_path(const char *path, bool dir)
{
	struct vfs_resolved r;
	int rc;

	vfs_lock();
	rc = parent_of(path, &r);
	if (rc == 0) {
		rc = remove_checked(&r, dir);
		vfs_resolved_put(&r);
	}
	vfs_unlock();
	return rc;
}

int vfs_rmdir(const char *path)
{
	return remove_path(path, true);
}

int vfs_unlink(const char *path)
{
	return remove_path(path, false);
}

/* A directory deeper than this cannot have a path under VFS_PATH_MAX
 * (each level takes at least "/x"): a walk up that goes on longer is
 * following a loop of ".." entries on a damaged disk. */
#define VFS_DEPTH_MAX (VFS_PATH_MAX / 2)

/* Is dir, or a directory above it in its mount, the directory moved? 1,
 * 0, or a negative errno (-ELOOP for a ".." chain that never ends). */
static int inside(struct vfs_node *dir, const struct vfs_node *moved)
{
	struct vfs_node *cur = vfs_node_get(dir), *up;
	unsigned depth = 0;
	int rc = 0;

	while (rc == 0) {
		if (cur->ino == moved->ino) {
			rc = 1;
			break;
		}
		if (vfs_is_mount_root(cur))
			break;
		if (++depth > VFS_DEPTH_MAX) {
			rc = -ELOOP;
			break;
		}
		rc = cur->ops->lookup(cur, "..", &up);
		if (rc)
			break;
		vfs_node_put(cur);
		cur = up;
	}
	vfs_node_put(cur);
	return rc;
}

static int rename_checked(struct vfs_resolved *from, struct vfs_resolved *to)
{
	struct vfs_node *src = NULL, *dst = NULL;
	int rc;

	if (is_dot(from->name) || is_dot(to->name))
		return -EBUSY;
	if (from->dir->mount != to->dir->mount)
		return -EXDEV;
	rc = victim(from->dir, from->name, &src);
	if (rc)
		return rc;
	src = vfs_cross_down(src);
	if (vfs_is_mount_root(src))
		rc = -EBUSY;
	else if (!vfs_is_dir(src->mode) &&
		 (from->trailing_slash || to->trailing_slash))
		rc = -ENOTDIR;
	else if (vfs_is_dir(src->mode) && (rc = inside(to->dir, src)) == 1)
		rc = -EINVAL; /* into itself or below it */
	if (rc == 0)
		rc = child(to->dir, to->name, &dst);
	if (rc == 1) {
		rc = dst->ino == src->ino ? 1 : 0;
		dst = vfs_cross_down(dst);
		if (rc == 0 && vfs_is_mount_root(dst))
			rc = -EBUSY;
	}
	if (rc == 0)
		rc = from->dir->ops->rename
			     ? from->dir->ops->rename(from->dir, from->name,
						      to->dir, to->name)
			     : -EROFS;
	vfs_node_put(dst);
	vfs_node_put(src);
	return rc > 0 ? 0 : rc;
}

int vfs_rename(const char *from, const char *to)
{
	struct vfs_resolved rf, rt;
	int rc;

	vfs_lock();
	rc = parent_of(from, &rf);
	if (rc)
		goto out;
	rc = parent_of(to, &rt);
	if (rc)
		goto put_from;
	rc = rename_checked(&rf, &rt);
	vfs_resolved_put(&rt);
put_from:
	vfs_resolved_put(&rf);
out:
	vfs_unlock();
	return rc;
}

int vfs_symlink(const char *target, const char *path)
{
	struct vfs_resolved r;
	int rc;

	if (!target[0])
		return -ENOENT;
	if (strlen(target) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	vfs_lock();
	rc = parent_of(path, &r);
	if (rc)
		goto out;
	rc = is_dot(r.name) ? 1 : child(r.dir, r.name, NULL);
	if (rc == 0)
		rc = r.dir->ops->symlink
			     ? r.dir->ops->symlink(r.dir, r.name, target, NULL)
			     : -EPERM;
	else if (rc > 0)
		rc = -EEXIST;
	vfs_resolved_put(&r);
out:
	vfs_unlock();
	return rc;
}

long vfs_readlink(const char *path, char *buf, size_t len)
{
	struct vfs_node *node = NULL;
	long rc;

	vfs_lock();
	rc = vfs_lookup_path(path, VFS_NOFOLLOW, &node);
	if (rc == 0) {
		rc = vfs_is_link(node->mode)
			     ? node->ops->readlink(node, buf, len)
			     : -EINVAL;
		vfs_node_put(node);
	}
	vfs_unlock();
	return rc;
}

int vfs_link(const char *from, const char *to)
{
	struct vfs_resolved r;
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(from, VFS_NOFOLLOW, &node);
	if (rc)
		goto out;
	rc = parent_of(to, &r);
	if (rc)
		goto put_node;
	if (vfs_is_dir(node->mode))
		rc = -EPERM;
	else if (r.dir->mount != node->mount)
		rc = -EXDEV;
	else
		rc = is_dot(r.name) ? 1 : child(r.dir, r.name, NULL);
	if (rc == 0)
		rc = r.dir->ops->link ? r.dir->ops->link(r.dir, r.name, node)
				      : -EPERM;
	else if (rc > 0)
		rc = -EEXIST;
	vfs_resolved_put(&r);
put_node:
	vfs_node_put(node);
out:
	vfs_unlock();
	return rc;
}

int vfs_node_setattr(struct vfs_node *node, const struct vfs_attr *attr,
		     unsigned mask)
{
	int rc;

	vfs_lock();
	if (read_only(node))
		rc = -EROFS;
	else if ((mask & VFS_SET_SIZE) && vfs_is_dir(node->mode))
		rc = -EISDIR;
	else if ((mask & VFS_SET_SIZE) && !vfs_is_reg(node->mode))
		rc = -EINVAL;
	else
		rc = node->ops->setattr ? node->ops->setattr(node, attr, mask)
					: -EPERM;
	vfs_unlock();
	return rc;
}

int vfs_setattr(const char *path, unsigned flags, const struct vfs_attr *attr,
		unsigned mask)
{
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, flags, &node);
	if (rc == 0) {
		rc = vfs_node_setattr(node, attr, mask);
		vfs_node_put(node);
	}
	vfs_unlock();
	return rc;
}

int vfs_statfs(const char *path, struct vfs_statfs *st, uint32_t *flags)
{
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, 0, &node);
	if (rc == 0) {
		struct vfs_mount *m = node->mount;

		*st = (struct vfs_statfs){ .bsize = 4096,
					   .namemax = VFS_NAME_MAX };
		rc = m->type->statfs ? m->type->statfs(m, st) : -ENOSYS;
		*flags = m->flags;
		vfs_node_put(node);
	}
	vfs_unlock();
	return rc;
}

/* --- open and node I/O ------------------------------------------------------
 */

/* One step of create_at(): create r's entry, or, when it is a symlink
 * and follow, put the path it points to in work and return 1. */
static int create_step(struct vfs_resolved *r, uint32_t mode, bool follow,
		       char *work, struct vfs_node **out)
{
	struct vfs_node *link = NULL;
	int rc;

	if (is_dot(r->name) || r->trailing_slash)
		return -EISDIR;
	rc = follow ? child(r->dir, r->name, &link) : 0;
	if (rc == 1) {
		rc = vfs_is_link(link->mode) ? (int)vfs_link_path(r, link, work)
					     : -EEXIST;
		vfs_node_put(link);
		return rc;
	}
	if (rc < 0)
		return rc;
	return r->dir->ops->create
		       ? r->dir->ops->create(r->dir, r->name,
					     mode & VFS_MODE_PERM, out)
		       : -EROFS;
}

/* Create path, which did not resolve: a missing name, or (when follow) a
 * dangling symlink, whose target is then created, as open() does. */
static int create_at(const char *path, uint32_t mode, bool follow,
		     struct vfs_node **out)
{
	char *work = malloc(VFS_PATH_MAX);
	struct vfs_resolved r;
	unsigned links = 0;
	int rc = work ? 1 : -ENOMEM;

	if (work)
		strcpy(work, path); /* shorter: vfs_lookup_path took it */
	while (rc == 1) {
		if (links++ > VFS_SYMLINK_MAX) {
			rc = -ELOOP;
			break;
		}
		rc = parent_of(work, &r);
		if (rc)
			break;
		rc = create_step(&r, mode, follow, work, out);
		vfs_resolved_put(&r);
	}
	free(work);
	return rc;
}

static int open_checks(struct vfs_node *node, unsigned oflags)
{
	bool dir = vfs_is_dir(node->mode);
	struct vfs_attr attr = { .size = 0 };

	if (vfs_is_link(node->mode))
		return -ELOOP; /* only reached with VFS_NOFOLLOW */
	if ((oflags & VFS_OPEN_DIRECTORY) && !dir)
		return -ENOTDIR;
	if (dir && (oflags & (VFS_OPEN_WRITE | VFS_OPEN_TRUNC)))
		return -EISDIR;
	if ((oflags & (VFS_OPEN_WRITE | VFS_OPEN_TRUNC)) && read_only(node))
		return -EROFS;
	if (!(oflags & VFS_OPEN_TRUNC) || !vfs_is_reg(node->mode))
		return 0;
	return node->ops->setattr
		       ? node->ops->setattr(node, &attr, VFS_SET_SIZE)
		       : -EPERM;
}

int vfs_open_node(const char *path, unsigned oflags, unsigned rflags,
		  uint32_t mode, struct vfs_node **out)
{
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	/* O_EXCL looks at the name itself: a symlink there counts. */
	if (oflags & VFS_OPEN_EXCL)
		rflags |= VFS_NOFOLLOW;
	rc = vfs_lookup_path(path, rflags, &node);
	if (rc == 0 && (oflags & VFS_OPEN_CREATE) && (oflags & VFS_OPEN_EXCL))
		rc = -EEXIST;
	else if (rc == -ENOENT && (oflags & VFS_OPEN_CREATE))
		rc = create_at(path, mode, !(oflags & VFS_OPEN_EXCL), &node);
	else if (rc == 0)
		rc = open_checks(node, oflags);
	if (rc) {
		vfs_node_put(node);
		node = NULL;
	}
	*out = node;
	vfs_unlock();
	return rc;
}

long vfs_node_read(struct vfs_node *node, void *buf, size_t len, uint64_t off)
{
	long rc;

	vfs_lock();
	if (vfs_is_dir(node->mode))
		rc = -EISDIR;
	else
		rc = node->ops->read ? node->ops->read(node, buf, len, off)
				     : -EINVAL;
	vfs_unlock();
	return rc;
}

long vfs_node_write(struct vfs_node *node, const void *buf, size_t len,
		    uint64_t off)
{
	long rc;

	vfs_lock();
	if (vfs_is_dir(node->mode))
		rc = -EISDIR;
	else if (read_only(node))
		rc = -EROFS;
	else
		rc = node->ops->write ? node->ops->write(node, buf, len, off)
				      : -EINVAL;
	vfs_unlock();
	return rc;
}

int vfs_node_fsync(struct vfs_node *node, bool datasync)
{
	int rc;

	vfs_lock();
	rc = node->ops->fsync ? node->ops->fsync(node, datasync) : 0;
	vfs_unlock();
	return rc;
}

int vfs_node_readdir(struct vfs_node *dir, uint64_t *cookie,
		     struct vfs_dirent *ent)
{
	int rc;

	vfs_lock();
	if (!vfs_is_dir(dir->mode))
		rc = -ENOTDIR;
	else
		rc = dir->ops->readdir(dir, cookie, ent);
	vfs_unlock();
	return rc;
}
