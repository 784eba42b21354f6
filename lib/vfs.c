/*
 * The VFS core (lib/vfs.h): node references, filesystem types, the mount
 * table, and the namespace operations by path that the POSIX calls use.
 * Path resolution and the current directory are in lib/vfs_path.c, the
 * lock in lib/vfs_lock.c (a kernel mutex; the host tests stub it), so this
 * file is pure C over malloc and string functions and is tested on the
 * host with ramfs (tests/unit/test_vfs.c).
 *
 * Every function that touches the mount table or calls into a filesystem
 * runs with the VFS lock held: the exported calls take it, the static
 * helpers assume it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vfs.h"
#include "lib/vfs_priv.h"

#define VFS_MAX_TYPES 8

static struct vfs_state {
	const struct vfs_fs_type *types[VFS_MAX_TYPES];
	struct vfs_mount *mounts; /* newest first, so inner before outer */
	struct vfs_mount *root;
	uint32_t next_dev;
} vfs_state = { .next_dev = 1 };

/* --- nodes ---------------------------------------------------------------- */

enum vfs_dtype vfs_mode_dtype(uint32_t mode)
{
	switch (mode & VFS_IFMT) {
	case VFS_IFDIR:
		return VFS_DT_DIR;
	case VFS_IFREG:
		return VFS_DT_REG;
	case VFS_IFLNK:
		return VFS_DT_LNK;
	case VFS_IFCHR:
		return VFS_DT_CHR;
	case VFS_IFBLK:
		return VFS_DT_BLK;
	case VFS_IFIFO:
		return VFS_DT_FIFO;
	case VFS_IFSOCK:
		return VFS_DT_SOCK;
	default:
		return VFS_DT_UNKNOWN;
	}
}

void vfs_node_init(struct vfs_node *node, const struct vfs_node_ops *ops,
		   struct vfs_mount *mount, uint64_t ino, uint32_t mode)
{
	*node = (struct vfs_node){
		.ops = ops, .mount = mount, .ino = ino, .mode = mode, .refs = 1
	};
	mount->active++;
}

struct vfs_node *vfs_node_get(struct vfs_node *node)
{
	if (node->refs++ == 0)
		node->mount->active++;
	return node;
}

void vfs_node_put(struct vfs_node *node)
{
	if (!node || --node->refs)
		return;
	node->mount->active--;
	node->ops->release(node);
}

void vfs_node_release(struct vfs_node *node)
{
	vfs_lock();
	vfs_node_put(node);
	vfs_unlock();
}

/* --- the mount table -------------------------------------------------------
 */

struct vfs_mount *vfs_root_mount(void)
{
	return vfs_state.root;
}

struct vfs_mount *vfs_mount_list(void)
{
	return vfs_state.mounts;
}

int vfs_register_fs(const struct vfs_fs_type *type)
{
	int i, rc = -ENOMEM;

	vfs_lock();
	for (i = 0; i < VFS_MAX_TYPES; i++) {
		if (vfs_state.types[i] &&
		    !strcmp(vfs_state.types[i]->name, type->name)) {
			rc = -EEXIST;
			break;
		}
		if (!vfs_state.types[i]) {
			vfs_state.types[i] = type;
			rc = 0;
			break;
		}
	}
	vfs_unlock();
	return rc;
}

static const struct vfs_fs_type *find_type(const char *name)
{
	for (int i = 0; i < VFS_MAX_TYPES && vfs_state.types[i]; i++)
		if (!strcmp(vfs_state.types[i]->name, name))
			return vfs_state.types[i];
	return NULL;
}

bool vfs_is_mount_root(const struct vfs_node *node)
{
	return node->mount->root && node->ino == node->mount->root->ino;
}

/* Where a new mount goes: the directory at path (covered), or nothing for
 * the first mount at "/". */
static int mount_point(const char *path, struct vfs_node **covered)
{
	struct vfs_node *node = NULL;
	int rc;

	*covered = NULL;
	if (!vfs_state.root)
		return strcmp(path, "/") ? -ENOENT : 0;
	rc = vfs_lookup_path(path, 0, &node);
	if (rc)
		return rc;
	if (!vfs_is_dir(node->mode))
		rc = -ENOTDIR;
	else if (vfs_is_mount_root(node))
		rc = -EBUSY;
	if (rc) {
		vfs_node_put(node);
		return rc;
	}
	*covered = node;
	return 0;
}

static int mount_locked(const struct vfs_fs_type *type, const char *source,
			const char *path, unsigned flags, const void *data)
{
	struct vfs_mount *m = calloc(1, sizeof(*m));
	int rc;

	if (!m)
		return -ENOMEM;
	rc = mount_point(path, &m->covered);
	if (rc)
		goto err_free_mount;
	m->type = type;
	m->flags = flags;
	m->parent = m->covered ? m->covered->mount : NULL;
	strncpy(m->source, source ? source : "none", sizeof(m->source) - 1);
	rc = m->covered
		     ? (int)vfs_dir_path(m->covered, m->path, sizeof(m->path))
		     : (int)strlen(strcpy(m->path, "/"));
	if (rc < 0)
		goto err_put_covered;
	rc = type->mount(m, data);
	if (rc)
		goto err_put_covered;
	m->dev = vfs_state.next_dev++;
	m->next = vfs_state.mounts;
	vfs_state.mounts = m;
	if (!vfs_state.root) {
		vfs_state.root = m;
		vfs_set_cwd(m->root);
	}
	return 0;

err_put_covered:
	vfs_node_put(m->covered);
err_free_mount:
	free(m);
	return rc;
}

int vfs_mount(const char *fstype, const char *source, const char *path,
	      unsigned flags, const void *data)
{
	const struct vfs_fs_type *type;
	int rc = -ENODEV;

	vfs_lock();
	type = find_type(fstype);
	if (type)
		rc = mount_locked(type, source, path, flags, data);
	vfs_unlock();
	return rc;
}

static int sync_mount(struct vfs_mount *m)
{
	return m->type->sync ? m->type->sync(m) : 0;
}

/* Take m out of the table and tear it down. When force is false it must
 * be idle (only its root referenced, nothing mounted inside). */
static int unmount_locked(struct vfs_mount *m, bool force)
{
	struct vfs_mount **pp;
	int rc;

	for (pp = &vfs_state.mounts; *pp; pp = &(*pp)->next)
		if (*pp != m && (*pp)->parent == m)
			return -EBUSY;
	if (!force && (m->active > 1 || m->root->refs > 1))
		return -EBUSY;
	rc = sync_mount(m);
	if (rc && !force)
		return rc;
	if (m == vfs_state.root)
		vfs_set_cwd(NULL);
	else if (m->active > 1 && vfs_cwd() && vfs_cwd()->mount == m)
		vfs_set_cwd(NULL);
	for (pp = &vfs_state.mounts; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	vfs_node_put(m->root);
	if (m->type->unmount) {
		int urc = m->type->unmount(m);

		rc = rc ? rc : urc;
	}
	vfs_node_put(m->covered);
	if (m == vfs_state.root)
		vfs_state.root = NULL;
	free(m);
	return rc;
}

int vfs_unmount(const char *path)
{
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, 0, &node);
	if (rc == 0) {
		struct vfs_mount *m = node->mount;

		rc = vfs_is_mount_root(node) ? 0 : -EINVAL;
		vfs_node_put(node);
		if (rc == 0)
			rc = unmount_locked(m, false);
	}
	vfs_unlock();
	return rc;
}

int vfs_sync_all(void)
{
	int rc = 0;

	vfs_lock();
	for (struct vfs_mount *m = vfs_state.mounts; m; m = m->next) {
		int mrc = sync_mount(m);

		rc = rc ? rc : mrc;
	}
	vfs_unlock();
	return rc;
}

int vfs_unmount_all(void)
{
	int rc = 0;

	vfs_lock();
	vfs_set_cwd(NULL);
	/* The list is newest first: a mount is always newer than the one
	 * it sits in, so the head never has a mount inside it. */
	while (vfs_state.mounts) {
		struct vfs_mount *m = vfs_state.mounts;
		int mrc;

		vfs_log_unmount(m, m->active > 1);
		mrc = unmount_locked(m, true);
		if (mrc)
			vfs_log_error(m, "unmount", mrc);
		rc = rc ? rc : mrc;
	}
	vfs_unlock();
	return rc;
}

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

int vfs_rmdir(const char *path)
{
	struct vfs_resolved r;
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = parent_of(path, &r);
	if (rc)
		goto out;
	if (!strcmp(r.name, "."))
		rc = -EINVAL;
	else if (!strcmp(r.name, ".."))
		rc = -ENOTEMPTY;
	else
		rc = victim(r.dir, r.name, &node);
	if (rc)
		goto put_resolved;
	node = vfs_cross_down(node);
	if (!vfs_is_dir(node->mode))
		rc = -ENOTDIR;
	else if (vfs_is_mount_root(node))
		rc = -EBUSY;
	else
		rc = r.dir->ops->rmdir ? r.dir->ops->rmdir(r.dir, r.name)
				       : -EROFS;
	vfs_node_put(node);
put_resolved:
	vfs_resolved_put(&r);
out:
	vfs_unlock();
	return rc;
}

int vfs_unlink(const char *path)
{
	struct vfs_resolved r;
	struct vfs_node *node = NULL;
	int rc;

	vfs_lock();
	rc = parent_of(path, &r);
	if (rc)
		goto out;
	rc = is_dot(r.name) ? -EISDIR : victim(r.dir, r.name, &node);
	if (rc)
		goto put_resolved;
	if (vfs_is_dir(node->mode))
		rc = -EISDIR;
	else if (r.trailing_slash)
		rc = -ENOTDIR;
	else
		rc = r.dir->ops->unlink ? r.dir->ops->unlink(r.dir, r.name)
					: -EROFS;
	vfs_node_put(node);
put_resolved:
	vfs_resolved_put(&r);
out:
	vfs_unlock();
	return rc;
}

/* Is dir, or a directory above it in its mount, the directory moved? */
static int inside(struct vfs_node *dir, const struct vfs_node *moved)
{
	struct vfs_node *cur = vfs_node_get(dir), *up;
	int rc = 0;

	while (rc == 0) {
		if (cur->ino == moved->ino) {
			rc = 1;
			break;
		}
		if (vfs_is_mount_root(cur))
			break;
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
	else if (vfs_is_dir(src->mode))
		rc = inside(to->dir, src) ? -EINVAL : 0;
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

static int create_at(const char *path, uint32_t mode, struct vfs_node **out)
{
	struct vfs_resolved r;
	int rc = parent_of(path, &r);

	if (rc)
		return rc;
	if (is_dot(r.name) || r.trailing_slash)
		rc = -EISDIR;
	else
		rc = r.dir->ops->create
			     ? r.dir->ops->create(r.dir, r.name,
						  mode & VFS_MODE_PERM, out)
			     : -EROFS;
	vfs_resolved_put(&r);
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
		rc = create_at(path, mode, &node);
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
