/*
 * The VFS core (lib/vfs.h): node references, filesystem types, the mount
 * table, mounting and unmounting. The namespace operations by path are in
 * lib/vfs_ops.c, path resolution and the current directory in
 * lib/vfs_path.c, the lock in lib/vfs_lock.c (a kernel mutex; the host
 * tests stub it), so this file is pure C over malloc and string functions
 * and is tested on the host with ramfs (tests/unit/test_vfs.c).
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
