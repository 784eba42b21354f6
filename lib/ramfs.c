/*
 * ramfs (lib/ramfs.h): every inode is a struct ramfs_node that embeds its
 * VFS node. A node lives while a directory entry names it (nlink > 0) or
 * the VFS holds a reference to it (an open file, the current directory):
 * the last of the two to go frees it, so an unlinked file stays usable
 * through its descriptor, as POSIX asks.
 *
 * Directories are lists of entries in creation order; each entry carries
 * a cookie that only grows, which is what readdir resumes from (0 is ".",
 * 1 is ".."), so entries added or removed during a walk disturb no other,
 * and a cursor makes reading a whole directory linear. A hash table by
 * name (doubled as the directory grows) makes lookups constant-time.
 *
 * The VFS serialises all calls (lib/vfs.h, Locking): no locks here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/ramfs.h"

#define RAMFS_PAGE 4096u
#define RAMFS_ROOT_INO 1
#define RAMFS_FIRST_COOKIE 2
#define RAMFS_MIN_BUCKETS 8 /* a power of two; doubled as a directory grows */

struct ramfs_node;

struct ramfs_entry {
	struct ramfs_entry *next, *prev; /* in cookie order */
	struct ramfs_entry *hnext;	 /* in its hash bucket */
	struct ramfs_node *node;
	uint64_t cookie;
	uint32_t hash;
	char name[];
};

struct ramfs {
	struct ramfs_node *all; /* every node, to free them at unmount */
	uint64_t next_ino;
	uint64_t pages; /* data pages allocated, for statvfs */
	uint64_t nodes;
};

struct ramfs_node {
	struct vfs_node vn;
	struct ramfs *fs;
	struct ramfs_node *all_prev, *all_next;
	uint32_t mode, nlink, uid, gid;
	uint64_t size;
	struct timespec atime, mtime, ctime;
	union {
		struct {
			struct ramfs_entry *head, *tail;
			/* The entry readdir returned last: the next call
			 * usually resumes right after it. */
			struct ramfs_entry *cursor;
			struct ramfs_node *parent; /* NULL once removed */
			uint64_t next_cookie;
			/* Entries by name: chains in buckets[hash & mask]. */
			struct ramfs_entry **buckets;
			uint32_t nbuckets, count;
		} dir;
		struct {
			uint8_t **pages;
			size_t npages; /* slots in pages[] */
		} file;
		char *target;
	};
};

static const struct vfs_node_ops ramfs_ops;

static struct ramfs_node *rnode(struct vfs_node *vn)
{
	return (struct ramfs_node *)((char *)vn -
				     offsetof(struct ramfs_node, vn));
}

static struct timespec now(void)
{
	struct timespec ts = { 0, 0 };

	(void)clock_gettime(CLOCK_REALTIME, &ts); /* cannot fail for it */
	return ts;
}

/* --- nodes ---------------------------------------------------------------- */

static struct ramfs_node *node_new(struct vfs_mount *m, uint32_t mode)
{
	struct ramfs *fs = m->priv;
	struct ramfs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	if (vfs_is_dir(mode)) {
		n->dir.buckets = calloc(RAMFS_MIN_BUCKETS, sizeof(void *));
		if (!n->dir.buckets) {
			free(n);
			return NULL;
		}
		n->dir.nbuckets = RAMFS_MIN_BUCKETS;
	}
	vfs_node_init(&n->vn, &ramfs_ops, m, fs->next_ino++, mode);
	n->fs = fs;
	n->mode = mode;
	n->atime = n->mtime = n->ctime = now();
	if (vfs_is_dir(mode))
		n->dir.next_cookie = RAMFS_FIRST_COOKIE;
	n->all_next = fs->all;
	if (fs->all)
		fs->all->all_prev = n;
	fs->all = n;
	fs->nodes++;
	return n;
}

static void free_pages(struct ramfs_node *n, size_t from)
{
	for (size_t i = from; i < n->file.npages; i++) {
		if (n->file.pages[i]) {
			free(n->file.pages[i]);
			n->file.pages[i] = NULL;
			n->fs->pages--;
		}
	}
}

static void node_free(struct ramfs_node *n)
{
	struct ramfs *fs = n->fs;

	if (vfs_is_reg(n->mode)) {
		free_pages(n, 0);
		free(n->file.pages);
	} else if (vfs_is_link(n->mode)) {
		free(n->target);
	} else if (vfs_is_dir(n->mode)) {
		while (n->dir.head) {
			struct ramfs_entry *e = n->dir.head;

			n->dir.head = e->next;
			free(e);
		}
		free(n->dir.buckets);
	}
	if (n->all_prev)
		n->all_prev->all_next = n->all_next;
	else
		fs->all = n->all_next;
	if (n->all_next)
		n->all_next->all_prev = n->all_prev;
	fs->nodes--;
	free(n);
}

/* A name no longer points at n. */
static void drop_link(struct ramfs_node *n)
{
	n->nlink = vfs_is_dir(n->mode) ? 0 : n->nlink - 1;
	n->ctime = now();
	if (vfs_is_dir(n->mode))
		n->dir.parent = NULL;
	if (n->nlink == 0 && n->vn.refs == 0)
		node_free(n);
}

static void ramfs_release(struct vfs_node *vn)
{
	struct ramfs_node *n = rnode(vn);

	if (n->nlink == 0)
		node_free(n);
}

/* --- directories ------------------------------------------------------- */

/* FNV-1a: short names, few collisions, no setup. */
static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}

static struct ramfs_entry **bucket(struct ramfs_node *dir, uint32_t hash)
{
	return &dir->dir.buckets[hash & (dir->dir.nbuckets - 1)];
}

static struct ramfs_entry *find(struct ramfs_node *dir, const char *name)
{
	uint32_t hash = name_hash(name);
	struct ramfs_entry *e = *bucket(dir, hash);

	while (e && (e->hash != hash || strcmp(e->name, name)))
		e = e->hnext;
	return e;
}

static struct ramfs_entry *entry_new(const char *name, struct ramfs_node *n)
{
	size_t len = strlen(name);
	struct ramfs_entry *e = malloc(sizeof(*e) + len + 1);

	if (!e)
		return NULL;
	*e = (struct ramfs_entry){ .node = n, .hash = name_hash(name) };
	memcpy(e->name, name, len + 1);
	return e;
}

/* Twice the buckets once there are twice as many entries: lookups stay
 * short. Best effort: without memory the chains just grow. */
static void maybe_grow(struct ramfs_node *dir)
{
	uint32_t n = dir->dir.nbuckets * 2;
	struct ramfs_entry **b;

	if (dir->dir.count <= dir->dir.nbuckets * 2 || n == 0)
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	free(dir->dir.buckets);
	dir->dir.buckets = b;
	dir->dir.nbuckets = n;
	for (struct ramfs_entry *e = dir->dir.head; e; e = e->next) {
		e->hnext = *bucket(dir, e->hash);
		*bucket(dir, e->hash) = e;
	}
}

static void entry_append(struct ramfs_node *dir, struct ramfs_entry *e)
{
	struct ramfs_node *n = e->node;

	e->cookie = dir->dir.next_cookie++;
	e->next = NULL;
	e->prev = dir->dir.tail;
	if (dir->dir.tail)
		dir->dir.tail->next = e;
	else
		dir->dir.head = e;
	dir->dir.tail = e;
	e->hnext = *bucket(dir, e->hash);
	*bucket(dir, e->hash) = e;
	dir->dir.count++;
	maybe_grow(dir);
	if (vfs_is_dir(n->mode)) {
		n->dir.parent = dir;
		dir->nlink++;
	}
	dir->mtime = dir->ctime = now();
}

/* Take e out of dir (list and hash); the caller frees it. */
static void entry_remove(struct ramfs_node *dir, struct ramfs_entry *e)
{
	struct ramfs_entry **pp = bucket(dir, e->hash);

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		dir->dir.head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		dir->dir.tail = e->prev;
	if (dir->dir.cursor == e)
		dir->dir.cursor = NULL;
	dir->dir.count--;
	if (vfs_is_dir(e->node->mode))
		dir->nlink--;
	dir->mtime = dir->ctime = now();
}

static int ramfs_lookup(struct vfs_node *vdir, const char *name,
			struct vfs_node **out)
{
	struct ramfs_node *dir = rnode(vdir);
	struct ramfs_entry *e;

	if (!strcmp(name, "..")) {
		if (dir->nlink == 0)
			return -ENOENT;
		*out = vfs_node_get(dir->dir.parent ? &dir->dir.parent->vn
						    : vdir);
		return 0;
	}
	e = find(dir, name);
	if (!e)
		return -ENOENT;
	*out = vfs_node_get(&e->node->vn);
	return 0;
}

/* Make a node of mode under dir as name, with its entry; out gets the
 * node's reference or it is dropped. */
static int add(struct vfs_node *vdir, const char *name, uint32_t mode,
	       struct ramfs_node **made, struct vfs_node **out)
{
	struct ramfs_node *dir = rnode(vdir), *n;
	struct ramfs_entry *e;

	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no entries */
	if (find(dir, name))
		return -EEXIST;
	n = node_new(vdir->mount, mode);
	if (!n)
		return -ENOMEM;
	e = entry_new(name, n);
	if (!e) {
		n->nlink = 0;
		vfs_node_put(&n->vn);
		return -ENOMEM;
	}
	n->nlink = vfs_is_dir(mode) ? 2 : 1;
	entry_append(dir, e);
	*made = n;
	if (out)
		*out = &n->vn;
	else
		vfs_node_put(&n->vn);
	return 0;
}

static int ramfs_create(struct vfs_node *dir, const char *name, uint32_t mode,
			struct vfs_node **out)
{
	struct ramfs_node *n;

	return add(dir, name, VFS_IFREG | (mode & VFS_MODE_PERM), &n, out);
}

static int ramfs_mkdir(struct vfs_node *dir, const char *name, uint32_t mode,
		       struct vfs_node **out)
{
	struct ramfs_node *n;

	return add(dir, name, VFS_IFDIR | (mode & VFS_MODE_PERM), &n, out);
}

static int ramfs_symlink(struct vfs_node *dir, const char *name,
			 const char *target, struct vfs_node **out)
{
	char *copy = strdup(target);
	struct vfs_node *vn;
	struct ramfs_node *n;
	int rc;

	if (!copy)
		return -ENOMEM;
	rc = add(dir, name, VFS_IFLNK | 0777, &n, &vn);
	if (rc) {
		free(copy);
		return rc;
	}
	n->target = copy;
	n->size = strlen(copy);
	if (out)
		*out = vn;
	else
		vfs_node_put(vn);
	return 0;
}

static int ramfs_link(struct vfs_node *vdir, const char *name,
		      struct vfs_node *vnode)
{
	struct ramfs_node *dir = rnode(vdir), *n = rnode(vnode);
	struct ramfs_entry *e;

	if (dir->nlink == 0 || n->nlink == 0)
		return -ENOENT;
	if (find(dir, name))
		return -EEXIST;
	e = entry_new(name, n);
	if (!e)
		return -ENOMEM;
	n->nlink++;
	n->ctime = now();
	entry_append(dir, e);
	return 0;
}

/* Remove the entry name of dir: a directory (which must be empty) when
 * want_dir, anything else otherwise. */
static int remove_entry(struct vfs_node *vdir, const char *name, bool want_dir)
{
	struct ramfs_node *dir = rnode(vdir);
	struct ramfs_entry *e = find(dir, name);
	bool is_dir;

	if (!e)
		return -ENOENT;
	is_dir = vfs_is_dir(e->node->mode);
	if (is_dir != want_dir)
		return is_dir ? -EISDIR : -ENOTDIR;
	if (is_dir && e->node->dir.head)
		return -ENOTEMPTY;
	entry_remove(dir, e);
	drop_link(e->node);
	free(e);
	return 0;
}

static int ramfs_unlink(struct vfs_node *dir, const char *name)
{
	return remove_entry(dir, name, false);
}

static int ramfs_rmdir(struct vfs_node *dir, const char *name)
{
	return remove_entry(dir, name, true);
}

/* May src replace dst in a rename? */
static int replace_check(const struct ramfs_node *src,
			 const struct ramfs_node *dst)
{
	if (vfs_is_dir(src->mode) && !vfs_is_dir(dst->mode))
		return -ENOTDIR;
	if (!vfs_is_dir(src->mode) && vfs_is_dir(dst->mode))
		return -EISDIR;
	if (vfs_is_dir(dst->mode) && dst->dir.head)
		return -ENOTEMPTY;
	return 0;
}

static int ramfs_rename(struct vfs_node *vodir, const char *oname,
			struct vfs_node *vndir, const char *nname)
{
	struct ramfs_node *odir = rnode(vodir), *ndir = rnode(vndir), *src;
	struct ramfs_entry *from = find(odir, oname), *to, *e;
	int rc;

	if (!from)
		return -ENOENT;
	if (ndir->nlink == 0)
		return -ENOENT;
	src = from->node;
	to = find(ndir, nname);
	if (to && to->node == src)
		return 0;
	rc = to ? replace_check(src, to->node) : 0;
	if (rc)
		return rc;
	/* Everything that can fail is done before anything changes. */
	e = entry_new(nname, src);
	if (!e)
		return -ENOMEM;
	if (to) {
		entry_remove(ndir, to);
		drop_link(to->node);
		free(to);
	}
	entry_remove(odir, from);
	free(from);
	entry_append(ndir, e);
	src->ctime = now();
	return 0;
}

static long ramfs_readlink(struct vfs_node *vn, char *buf, size_t len)
{
	struct ramfs_node *n = rnode(vn);

	if (len > n->size)
		len = (size_t)n->size;
	memcpy(buf, n->target, len);
	return (long)n->size;
}

static void fill_dirent(struct vfs_dirent *ent, const char *name,
			const struct ramfs_node *n)
{
	ent->ino = n->vn.ino;
	ent->type = (uint8_t)vfs_mode_dtype(n->mode);
	strcpy(ent->name, name);
}

static int ramfs_readdir(struct vfs_node *vdir, uint64_t *cookie,
			 struct vfs_dirent *ent)
{
	struct ramfs_node *dir = rnode(vdir);
	struct ramfs_entry *e;

	if (*cookie == 0) {
		fill_dirent(ent, ".", dir);
		*cookie = 1;
		return 1;
	}
	if (*cookie == 1) {
		fill_dirent(ent, "..", dir->dir.parent ? dir->dir.parent : dir);
		*cookie = RAMFS_FIRST_COOKIE;
		return 1;
	}
	/* The list is in cookie order, so a walk can start at the cursor
	 * when the cookie is past it: one step per entry for a reader
	 * going through the directory, instead of a walk from the head. */
	e = dir->dir.cursor && dir->dir.cursor->cookie < *cookie
		    ? dir->dir.cursor
		    : dir->dir.head;
	while (e && e->cookie < *cookie)
		e = e->next;
	if (!e)
		return 0;
	dir->dir.cursor = e;
	fill_dirent(ent, e->name, e->node);
	*cookie = e->cookie + 1;
	return 1;
}

/* --- file data ----------------------------------------------------------- */

/* Make room for page index idx in the page table. */
static int grow_table(struct ramfs_node *n, size_t idx)
{
	size_t want = n->file.npages ? n->file.npages : 16;
	uint8_t **pages;

	if (idx < n->file.npages)
		return 0;
	while (want <= idx)
		want *= 2;
	pages = realloc(n->file.pages, want * sizeof(*pages));
	if (!pages)
		return -ENOSPC;
	memset(pages + n->file.npages, 0,
	       (want - n->file.npages) * sizeof(*pages));
	n->file.pages = pages;
	n->file.npages = want;
	return 0;
}

static uint8_t *page_for_write(struct ramfs_node *n, size_t idx)
{
	if (grow_table(n, idx))
		return NULL;
	if (!n->file.pages[idx]) {
		n->file.pages[idx] = calloc(1, RAMFS_PAGE);
		if (!n->file.pages[idx])
			return NULL;
		n->fs->pages++;
	}
	return n->file.pages[idx];
}

static long ramfs_read(struct vfs_node *vn, void *buf, size_t len, uint64_t off)
{
	struct ramfs_node *n = rnode(vn);
	size_t done = 0;

	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	while (done < len) {
		size_t idx = (size_t)((off + done) / RAMFS_PAGE);
		size_t in = (size_t)((off + done) % RAMFS_PAGE);
		size_t chunk = RAMFS_PAGE - in;

		if (chunk > len - done)
			chunk = len - done;
		if (idx < n->file.npages && n->file.pages[idx])
			memcpy((char *)buf + done, n->file.pages[idx] + in,
			       chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
	}
	n->atime = now();
	return (long)len;
}

static long ramfs_write(struct vfs_node *vn, const void *buf, size_t len,
			uint64_t off)
{
	struct ramfs_node *n = rnode(vn);
	size_t done = 0;

	if (off >= RAMFS_MAX_FILE || len > RAMFS_MAX_FILE - off)
		return -EFBIG;
	while (done < len) {
		size_t idx = (size_t)((off + done) / RAMFS_PAGE);
		size_t in = (size_t)((off + done) % RAMFS_PAGE);
		size_t chunk = RAMFS_PAGE - in;
		uint8_t *page = page_for_write(n, idx);

		if (!page)
			break;
		if (chunk > len - done)
			chunk = len - done;
		memcpy(page + in, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (done == 0 && len)
		return -ENOSPC;
	if (off + done > n->size)
		n->size = off + done;
	n->mtime = n->ctime = now();
	return (long)done;
}

/* Cut or extend to size; bytes past a cut are zeroed so that a later
 * extension reads zeros there. */
static void truncate_to(struct ramfs_node *n, uint64_t size)
{
	size_t keep = (size_t)((size + RAMFS_PAGE - 1) / RAMFS_PAGE);
	size_t in = (size_t)(size % RAMFS_PAGE);

	if (size < n->size) {
		free_pages(n, keep);
		if (in && keep - 1 < n->file.npages && n->file.pages[keep - 1])
			memset(n->file.pages[keep - 1] + in, 0,
			       RAMFS_PAGE - in);
	}
	n->size = size;
	n->mtime = n->ctime = now();
}

/* --- attributes -------------------------------------------------------- */

static int ramfs_getattr(struct vfs_node *vn, struct vfs_attr *a)
{
	struct ramfs_node *n = rnode(vn);
	uint64_t pages = 0;

	if (vfs_is_reg(n->mode))
		for (size_t i = 0; i < n->file.npages; i++)
			pages += n->file.pages[i] != NULL;
	*a = (struct vfs_attr){
		.ino = vn->ino,
		.mode = n->mode,
		.nlink = n->nlink,
		.uid = n->uid,
		.gid = n->gid,
		.size = vfs_is_dir(n->mode) ? RAMFS_PAGE : n->size,
		.blocks = pages * (RAMFS_PAGE / 512),
		.blksize = RAMFS_PAGE,
		.atime = n->atime,
		.mtime = n->mtime,
		.ctime = n->ctime,
	};
	return 0;
}

static int ramfs_setattr(struct vfs_node *vn, const struct vfs_attr *a,
			 unsigned mask)
{
	struct ramfs_node *n = rnode(vn);

	if ((mask & VFS_SET_SIZE) && a->size > RAMFS_MAX_FILE)
		return -EFBIG;
	if (mask & VFS_SET_SIZE)
		truncate_to(n, a->size);
	if (mask & VFS_SET_MODE)
		n->mode = (n->mode & VFS_IFMT) | (a->mode & VFS_MODE_PERM);
	if (mask & VFS_SET_UID)
		n->uid = a->uid;
	if (mask & VFS_SET_GID)
		n->gid = a->gid;
	if (mask & VFS_SET_ATIME)
		n->atime = a->atime;
	if (mask & VFS_SET_MTIME)
		n->mtime = a->mtime;
	vn->mode = n->mode;
	n->ctime = now();
	return 0;
}

static const struct vfs_node_ops ramfs_ops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.readlink = ramfs_readlink,
	.read = ramfs_read,
	.write = ramfs_write,
	.getattr = ramfs_getattr,
	.setattr = ramfs_setattr,
	.readdir = ramfs_readdir,
	.release = ramfs_release,
};

/* --- the filesystem ---------------------------------------------------- */

static int ramfs_mount(struct vfs_mount *m, const void *data)
{
	struct ramfs *fs = calloc(1, sizeof(*fs));
	struct ramfs_node *root;

	(void)data;
	if (!fs)
		return -ENOMEM;
	fs->next_ino = RAMFS_ROOT_INO;
	m->priv = fs;
	root = node_new(m, VFS_IFDIR | 0755);
	if (!root) {
		free(fs);
		return -ENOMEM;
	}
	root->nlink = 2;
	m->root = &root->vn;
	return 0;
}

static int ramfs_unmount(struct vfs_mount *m)
{
	struct ramfs *fs = m->priv;

	while (fs->all)
		node_free(fs->all);
	free(fs);
	return 0;
}

/* Memory is the only limit, and this layer cannot see how much is left:
 * it reports what is used and 1 GiB more as free. */
static int ramfs_statfs(struct vfs_mount *m, struct vfs_statfs *st)
{
	struct ramfs *fs = m->priv;
	uint64_t spare = (1ull << 30) / RAMFS_PAGE;

	st->bsize = RAMFS_PAGE;
	st->blocks = fs->pages + spare;
	st->bfree = st->bavail = spare;
	st->files = fs->nodes + spare;
	st->ffree = spare;
	return 0;
}

const struct vfs_fs_type ramfs_type = {
	.name = "ramfs",
	.mount = ramfs_mount,
	.unmount = ramfs_unmount,
	.statfs = ramfs_statfs,
};
