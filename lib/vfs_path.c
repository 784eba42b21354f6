/*
 * Path resolution (lib/vfs.h): from a path string to a node, one
 * component at a time, through the filesystems' lookup(), following
 * symbolic links and crossing mount points in both directions; the
 * current directory; and the way back from a directory to its path
 * (getcwd). Pure: tested on the host with ramfs (tests/unit/test_vfs.c).
 *
 * A symlink is expanded in place: the rest of the path is appended to its
 * target and the walk goes on from the directory holding the link (or
 * from "/" for an absolute target), so the walk is one loop with one
 * buffer and no recursion, whatever the nesting.
 *
 * Caller holds the VFS lock throughout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vfs.h"
#include "lib/vfs_priv.h"

static struct vfs_path_state {
	struct vfs_node *cwd;
} vfs_path_state;

struct vfs_node *vfs_cwd(void)
{
	return vfs_path_state.cwd;
}

void vfs_set_cwd(struct vfs_node *dir)
{
	struct vfs_node *old = vfs_path_state.cwd;

	vfs_path_state.cwd = dir ? vfs_node_get(dir) : NULL;
	vfs_node_put(old);
}

struct vfs_node *vfs_cross_down(struct vfs_node *node)
{
	struct vfs_mount *m = vfs_mount_list();

	while (m) {
		if (m->covered && m->covered->mount == node->mount &&
		    m->covered->ino == node->ino) {
			vfs_node_put(node);
			node = vfs_node_get(m->root);
			m = vfs_mount_list(); /* a mount on this root? */
			continue;
		}
		m = m->next;
	}
	return node;
}

/* ".." of dir: in its filesystem, except at a mount's root, where it is
 * ".." of the directory the mount covers ("/" stays "/"). */
static int parent_dir(struct vfs_node *dir, struct vfs_node **out)
{
	struct vfs_node *cur = vfs_node_get(dir);
	int rc;

	while (vfs_is_mount_root(cur) && cur->mount->covered) {
		struct vfs_node *under = vfs_node_get(cur->mount->covered);

		vfs_node_put(cur);
		cur = under;
	}
	if (vfs_is_mount_root(cur)) {
		*out = cur;
		return 0;
	}
	rc = cur->ops->lookup(cur, "..", out);
	vfs_node_put(cur);
	return rc;
}

/* The walk's state: what is left of the path in buf from pos on, the
 * directory reached so far, and how many links were followed. */
struct walk {
	char *buf;
	size_t pos;
	struct vfs_node *cur;
	unsigned links;
};

/* Replace the walk's remaining path by target + "/" + rest (rest starts
 * at pos in buf); an absolute target restarts at "/". */
static int splice_link(struct walk *w, struct vfs_node *link)
{
	size_t rest_len = strlen(w->buf + w->pos);
	char *target = malloc(VFS_PATH_MAX);
	long n;
	int rc = 0;

	if (!target)
		return -ENOMEM;
	n = link->ops->readlink(link, target, VFS_PATH_MAX);
	if (n < 0)
		rc = (int)n;
	else if (n == 0)
		rc = -ENOENT;
	else if ((size_t)n + 1 + rest_len >= VFS_PATH_MAX)
		rc = -ENAMETOOLONG;
	if (rc)
		goto out;
	memmove(w->buf + n + 1, w->buf + w->pos, rest_len + 1);
	memcpy(w->buf, target, (size_t)n);
	w->buf[n] = rest_len ? '/' : '\0';
	w->pos = 0;
	if (target[0] == '/') {
		vfs_node_put(w->cur);
		w->cur = vfs_node_get(vfs_root_mount()->root);
	}
out:
	free(target);
	return rc;
}

/* One component: name (len bytes) from w->cur. follow says whether a
 * symlink found there is expanded. */
static int step(struct walk *w, const char *name, bool follow)
{
	struct vfs_node *next;
	int rc;

	if (!vfs_is_dir(w->cur->mode))
		return -ENOTDIR;
	if (!strcmp(name, "."))
		return 0;
	if (!strcmp(name, ".."))
		rc = parent_dir(w->cur, &next);
	else
		rc = w->cur->ops->lookup(w->cur, name, &next);
	if (rc)
		return rc;
	next = vfs_cross_down(next);
	if (vfs_is_link(next->mode) && follow) {
		if (++w->links > VFS_SYMLINK_MAX)
			rc = -ELOOP;
		else
			rc = splice_link(w, next);
		vfs_node_put(next);
		return rc;
	}
	vfs_node_put(w->cur);
	w->cur = next;
	return 0;
}

/* The next component of the walk into name: 1 when there is one, 0 at
 * the end. *last says nothing but slashes follows it, *slash that at
 * least one does. */
static int next_component(struct walk *w, char *name, bool *last, bool *slash)
{
	const char *p = w->buf + w->pos, *end;
	size_t len;

	while (*p == '/')
		p++;
	if (!*p)
		return 0;
	end = p + strcspn(p, "/");
	len = (size_t)(end - p);
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, p, len);
	name[len] = '\0';
	/* pos stays on the slashes after the name, so that a symlink
	 * expanded here keeps them (a trailing '/' still asks for a
	 * directory after "link/"). */
	w->pos = (size_t)(end - w->buf);
	*slash = *end == '/';
	while (*end == '/')
		end++;
	*last = !*end;
	return 1;
}

static int walk_start(struct walk *w, const char *path)
{
	size_t len = strlen(path);
	struct vfs_node *start;

	if (!len)
		return -ENOENT;
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (!vfs_root_mount())
		return -ENOENT;
	start = path[0] == '/' ? vfs_root_mount()->root : vfs_cwd();
	if (!start)
		return -ENOENT;
	w->buf = malloc(VFS_PATH_MAX);
	if (!w->buf)
		return -ENOMEM;
	memcpy(w->buf, path, len + 1);
	w->pos = 0;
	w->links = 0;
	w->cur = vfs_node_get(start);
	return 0;
}

static int walk(struct walk *w, unsigned flags, struct vfs_resolved *r)
{
	bool last = false, slash = false;
	int rc;

	for (;;) {
		rc = next_component(w, r->name, &last, &slash);
		if (rc <= 0)
			break;
		if (last)
			r->trailing_slash = slash;
		if (last && (flags & VFS_PARENT))
			return 0;
		/* A trailing '/' follows a final symlink even with
		 * VFS_NOFOLLOW, as POSIX says. */
		rc = step(w, r->name,
			  !last || slash || !(flags & VFS_NOFOLLOW));
		if (rc)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (flags & VFS_PARENT)
		strcpy(r->name, "."); /* the path was "/" (or only slashes) */
	return 0;
}

int vfs_resolve(const char *path, unsigned flags, struct vfs_resolved *r)
{
	struct walk w;
	int rc;

	*r = (struct vfs_resolved){ .dir = NULL };
	rc = walk_start(&w, path);
	if (rc)
		return rc;
	r->trailing_slash = path[strlen(path) - 1] == '/';
	rc = walk(&w, flags, r);
	free(w.buf);
	if (rc == 0 && (flags & VFS_PARENT) && !vfs_is_dir(w.cur->mode))
		rc = -ENOTDIR;
	if (rc == 0 && !(flags & VFS_PARENT) && r->trailing_slash &&
	    !vfs_is_dir(w.cur->mode))
		rc = -ENOTDIR;
	if (rc) {
		vfs_node_put(w.cur);
		return rc;
	}
	if (flags & VFS_PARENT)
		r->dir = w.cur;
	else
		r->node = w.cur;
	return 0;
}

void vfs_resolved_put(struct vfs_resolved *r)
{
	vfs_node_put(r->dir);
	vfs_node_put(r->node);
	r->dir = r->node = NULL;
}

int vfs_lookup_path(const char *path, unsigned flags, struct vfs_node **out)
{
	struct vfs_resolved r;
	int rc = vfs_resolve(path, flags & VFS_NOFOLLOW, &r);

	*out = rc ? NULL : r.node;
	return rc;
}

/* --- from a directory back to its path ---------------------------------- */

/* The name of the entry of parent whose inode is ino, into name. */
static int name_in(struct vfs_node *parent, uint64_t ino, char *name)
{
	struct vfs_dirent *ent = malloc(sizeof(*ent));
	uint64_t cookie = 0;
	int rc;

	if (!ent)
		return -ENOMEM;
	while ((rc = parent->ops->readdir(parent, &cookie, ent)) == 1) {
		if (ent->ino == ino && strcmp(ent->name, ".") &&
		    strcmp(ent->name, "..")) {
			strcpy(name, ent->name);
			break;
		}
	}
	free(ent);
	return rc == 1 ? 0 : rc == 0 ? -ENOENT : rc;
}

/* Put "/" + name in front of the path being built backwards in buf. */
static int prepend(char *buf, size_t *pos, const char *name)
{
	size_t len = strlen(name);

	if (len + 1 > *pos)
		return -ERANGE;
	*pos -= len;
	memcpy(buf + *pos, name, len);
	buf[--*pos] = '/';
	return 0;
}

static int climb(struct vfs_node **cur, char *tmp, size_t *pos, char *name)
{
	struct vfs_node *up;
	int rc;

	if (vfs_is_mount_root(*cur)) {
		up = vfs_node_get((*cur)->mount->covered);
		vfs_node_put(*cur);
		*cur = up;
		return 0;
	}
	rc = (*cur)->ops->lookup(*cur, "..", &up);
	if (rc)
		return rc;
	rc = name_in(up, (*cur)->ino, name);
	if (rc == 0)
		rc = prepend(tmp, pos, name);
	vfs_node_put(*cur);
	*cur = up;
	return rc;
}

long vfs_dir_path(struct vfs_node *dir, char *buf, size_t size)
{
	char *tmp = malloc(VFS_PATH_MAX + VFS_NAME_MAX + 2);
	struct vfs_node *cur = vfs_node_get(dir);
	size_t pos = VFS_PATH_MAX, len;
	int rc = 0;

	if (!tmp) {
		vfs_node_put(cur);
		return -ENOMEM;
	}
	tmp[pos] = '\0';
	while (rc == 0 && !(vfs_is_mount_root(cur) && !cur->mount->covered))
		rc = climb(&cur, tmp, &pos, tmp + VFS_PATH_MAX + 1);
	if (rc == 0 && pos == VFS_PATH_MAX)
		rc = prepend(tmp, &pos, "");
	len = VFS_PATH_MAX - pos;
	if (rc == 0 && len + 1 > size)
		rc = -ERANGE;
	if (rc == 0)
		memcpy(buf, tmp + pos, len + 1);
	vfs_node_put(cur);
	free(tmp);
	return rc ? rc : (long)len;
}

/* --- realpath ----------------------------------------------------------- */

/* dir's path, then "/" + name unless name is "." (dir itself). */
static long join(struct vfs_node *dir, const char *name, char *buf, size_t size)
{
	long n = vfs_dir_path(dir, buf, size);
	size_t len = strlen(name);

	if (n < 0 || !strcmp(name, "."))
		return n;
	if ((size_t)n + (n > 1) + len + 1 > size)
		return -ERANGE;
	if (n > 1)
		buf[n++] = '/';
	memcpy(buf + n, name, len + 1);
	return n + (long)len;
}

long vfs_link_path(struct vfs_resolved *r, struct vfs_node *link, char *work)
{
	char *target = malloc(VFS_PATH_MAX);
	long n, rc;

	if (!target)
		return -ENOMEM;
	n = link->ops->readlink(link, target, VFS_PATH_MAX - 1);
	if (n <= 0)
		rc = n ? n : -ENOENT;
	else if (n >= VFS_PATH_MAX - 1)
		rc = -ENAMETOOLONG;
	else
		rc = 0;
	if (rc == 0) {
		target[n] = '\0';
		if (target[0] == '/')
			strcpy(work, target);
		else
			rc = join(r->dir, target, work, VFS_PATH_MAX);
	}
	free(target);
	return rc < 0 ? rc : 1;
}

/* The canonical path of a non-directory: its directory's path and its
 * name, after following a final symlink (each step re-resolves the link's
 * target from the link's directory). */
static long real_leaf(const char *path, char *buf, size_t size, char *work)
{
	struct vfs_resolved r;
	struct vfs_node *node = NULL;
	unsigned links = 0;
	long rc;

	strcpy(work, path);
	for (;;) {
		rc = vfs_resolve(work, VFS_PARENT, &r);
		if (rc)
			return rc;
		rc = r.dir->ops->lookup(r.dir, r.name, &node);
		if (rc == 0 && vfs_is_link(node->mode) &&
		    ++links > VFS_SYMLINK_MAX)
			rc = -ELOOP;
		if (rc == 0 && !vfs_is_link(node->mode))
			rc = join(r.dir, r.name, buf, size);
		else if (rc == 0)
			rc = vfs_link_path(&r, node, work);
		vfs_node_put(node);
		node = NULL;
		vfs_resolved_put(&r);
		if (rc != 1)
			return rc;
	}
}

long vfs_realpath(const char *path, char *buf, size_t size)
{
	struct vfs_node *node;
	char *work;
	long rc;

	vfs_lock();
	rc = vfs_lookup_path(path, 0, &node);
	if (rc == 0 && vfs_is_dir(node->mode)) {
		rc = vfs_dir_path(node, buf, size);
	} else if (rc == 0) {
		work = malloc(VFS_PATH_MAX);
		rc = work ? real_leaf(path, buf, size, work) : -ENOMEM;
		free(work);
	}
	vfs_node_put(node);
	vfs_unlock();
	return rc;
}

/* --- the current directory by path --------------------------------------- */

int vfs_chdir(const char *path)
{
	struct vfs_node *node;
	int rc;

	vfs_lock();
	rc = vfs_lookup_path(path, 0, &node);
	if (rc == 0) {
		if (vfs_is_dir(node->mode))
			vfs_set_cwd(node);
		else
			rc = -ENOTDIR;
		vfs_node_put(node);
	}
	vfs_unlock();
	return rc;
}

long vfs_getcwd(char *buf, size_t size)
{
	long rc = -ENOENT;

	vfs_lock();
	if (vfs_cwd())
		rc = vfs_dir_path(vfs_cwd(), buf, size);
	vfs_unlock();
	return rc;
}
