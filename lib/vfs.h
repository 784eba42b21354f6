/*
 * The VFS: one file namespace for the guest, built from mounted
 * filesystems, and the contract a filesystem implements to be mounted in
 * it. ramfs (lib/ramfs.c, at "/"), devfs (lib/devfs.c, at "/dev") and ext4
 * through libext2fs implement it; the POSIX calls (lib/file.c for open
 * files, lib/file_path.c by path, lib/file_at.c, lib/file_dir.c for
 * directory streams) use it. lib/file_init.c mounts "/" and "/dev" at
 * boot and has vfs_unmount_all() run at power-off (kernel/shutdown.h).
 *
 * The model, in the terms of the calls below:
 * - A filesystem type (struct vfs_fs_type) makes a mount
 *   (struct vfs_mount) from a source ("ram0", "xvda", ...) and gives it a
 *   root node.
 * - A node (struct vfs_node) is an inode in use: a file, a directory, a
 *   symbolic link or a device. The filesystem allocates it, usually
 *   embedded in a bigger struct of its own (container_of), and the VFS
 *   counts references to it (open files, the current directory, a mount's
 *   root, a path walk in progress). When the count drops to zero the VFS
 *   calls ops->release: the filesystem frees the node or keeps it cached.
 *   A filesystem may give out a fresh node per lookup or the same one
 *   each time; the VFS never compares nodes by pointer, only by
 *   (mount, ino), so both work. (A filesystem with files that can be open
 *   while unlinked, as POSIX requires, keeps such an inode alive until its
 *   node's release.)
 * - Names given to node operations are single path components, NUL-
 *   terminated, never "", "." or "..", at most VFS_NAME_MAX bytes, without
 *   '/'. The VFS resolves paths ("/a/../b", symlinks, mount points) itself;
 *   a filesystem only answers questions about one directory at a time.
 *   lookup() must however answer ".." (the parent directory; the root's
 *   ".." is the root itself): the VFS uses it for "..", getcwd() and the
 *   rename loop check.
 *
 * Locking: every node, mount and fs-type operation is called with the
 * VFS lock held (vfs_lock()), and the VFS calls at most one operation at
 * a time in the whole guest. A filesystem therefore needs no lock of its
 * own for its in-memory state (libext2fs is not thread-safe, which this
 * suits). Operations may block (disk I/O): other threads wanting the VFS
 * wait, threads doing anything else run. Thread context only.
 *
 * Errors are negative errno values (newlib's numbering) everywhere. A
 * missing optional operation makes the call fail with the errno given at
 * its field below.
 *
 * This header is host-compilable (the VFS core, ramfs and the path walk
 * are tested on the host, tests/unit/test_vfs.c): it uses only standard C
 * headers.
 */
#ifndef SKIFF_LIB_VFS_H
#define SKIFF_LIB_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct vfs_node;
struct vfs_mount;

/* Longest path component and longest path (with its NUL) the VFS takes;
 * longer ones fail with -ENAMETOOLONG. */
#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
/* Symbolic links followed in one resolution before -ELOOP. */
#define VFS_SYMLINK_MAX 40

/* File type bits of vfs_attr.mode and vfs_node.mode: the usual S_IF*
 * values, spelled out so this header needs no <sys/stat.h>. */
#define VFS_IFMT 0170000u
#define VFS_IFDIR 0040000u
#define VFS_IFCHR 0020000u
#define VFS_IFREG 0100000u
#define VFS_IFLNK 0120000u
#define VFS_IFIFO 0010000u
#define VFS_IFSOCK 0140000u
#define VFS_IFBLK 0060000u
#define VFS_MODE_PERM 07777u

static inline bool vfs_is_dir(uint32_t mode)
{
	return (mode & VFS_IFMT) == VFS_IFDIR;
}

static inline bool vfs_is_link(uint32_t mode)
{
	return (mode & VFS_IFMT) == VFS_IFLNK;
}

static inline bool vfs_is_reg(uint32_t mode)
{
	return (mode & VFS_IFMT) == VFS_IFREG;
}

/*
 * What stat() reports, as the filesystem knows it. The VFS adds st_dev
 * (one number per mount, never reused while the guest runs). ino must be
 * stable for the life of the file and unique in the mount. (newlib's
 * struct stat for this target has a 16-bit st_ino and st_dev: stat()
 * reports the low bits; the VFS itself always uses all 64.)
 */
struct vfs_attr {
	uint64_t ino;
	uint32_t mode; /* VFS_IF* type | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;	  /* bytes; a symlink: length of its target */
	uint64_t blocks;  /* 512-byte units allocated */
	uint32_t blksize; /* preferred I/O size; 0: the VFS says 4096 */
	uint64_t rdev;	  /* devices only */
	struct timespec atime, mtime, ctime;
};

/* Which fields of a vfs_attr setattr() changes (a bit mask). Size is
 * truncate/extend (new bytes read as zeros). */
#define VFS_SET_MODE 0x01u /* permission bits only; type bits ignored */
#define VFS_SET_UID 0x02u
#define VFS_SET_GID 0x04u
#define VFS_SET_SIZE 0x08u
#define VFS_SET_ATIME 0x10u
#define VFS_SET_MTIME 0x20u

/* Directory entry types, the values of <dirent.h>'s DT_*. */
enum vfs_dtype {
	VFS_DT_UNKNOWN = 0,
	VFS_DT_FIFO = 1,
	VFS_DT_CHR = 2,
	VFS_DT_DIR = 4,
	VFS_DT_BLK = 6,
	VFS_DT_REG = 8,
	VFS_DT_LNK = 10,
	VFS_DT_SOCK = 12,
};

/* The entry type for a VFS_IF* mode. */
enum vfs_dtype vfs_mode_dtype(uint32_t mode);

struct vfs_dirent {
	uint64_t ino;
	uint8_t type; /* enum vfs_dtype; VFS_DT_UNKNOWN is allowed */
	char name[VFS_NAME_MAX + 1];
};

/*
 * What a filesystem does with one node. Operations on a directory get the
 * directory as dir. Nodes returned through out (lookup, create, mkdir,
 * symlink) carry one reference for the caller. Unless said otherwise,
 * -ENOSYS is what a missing operation means to the caller (a filesystem
 * that cannot do something at all leaves it NULL).
 */
struct vfs_node_ops {
	/* The child called name (or ".." as above) of dir: 0 and *out, or
	 * -ENOENT. Required for directories. */
	int (*lookup)(struct vfs_node *dir, const char *name,
		      struct vfs_node **out);
	/* A new regular file (mode: permission bits, umask applied). The VFS
	 * has checked that name does not exist; -EEXIST still possible.
	 * Missing: -EROFS. */
	int (*create)(struct vfs_node *dir, const char *name, uint32_t mode,
		      struct vfs_node **out);
	/* A new empty directory (mode: permission bits). out may be NULL.
	 * Missing: -EROFS. */
	int (*mkdir)(struct vfs_node *dir, const char *name, uint32_t mode,
		     struct vfs_node **out);
	/* Remove a non-directory entry: -EISDIR for a directory. An open
	 * file stays readable and writable through its node until release.
	 * Missing: -EROFS. */
	int (*unlink)(struct vfs_node *dir, const char *name);
	/* Remove an empty directory: -ENOTEMPTY, -ENOTDIR. The VFS has
	 * checked it is not a mount point and not the root. Missing:
	 * -EROFS. */
	int (*rmdir)(struct vfs_node *dir, const char *name);
	/*
	 * Move odir/oname to ndir/nname, both in this mount, atomically: an
	 * existing nname is replaced (a file by a file; a directory only by
	 * a directory, and only an empty one: -ENOTEMPTY, -EISDIR,
	 * -ENOTDIR), and at no moment is nname missing. The VFS has already
	 * refused moving a directory into itself or below itself (-EINVAL)
	 * and handles oname and nname naming the same inode (nothing to do).
	 * Missing: -EROFS.
	 */
	int (*rename)(struct vfs_node *odir, const char *oname,
		      struct vfs_node *ndir, const char *nname);
	/* A symbolic link name -> target (target is any NUL-terminated
	 * string up to VFS_PATH_MAX - 1). out may be NULL. Missing: -EPERM. */
	int (*symlink)(struct vfs_node *dir, const char *name,
		       const char *target, struct vfs_node **out);
	/* A hard link dir/name to the non-directory node (same mount).
	 * Missing: -EPERM. */
	int (*link)(struct vfs_node *dir, const char *name,
		    struct vfs_node *node);
	/* Copy a symlink's target into buf (not NUL-terminated, truncated
	 * to len); returns its length. Required for symlinks. */
	long (*readlink)(struct vfs_node *node, char *buf, size_t len);
	/* Read up to len bytes at off: the count (0 at or past the end).
	 * Missing: -EINVAL. Directories: the VFS answers -EISDIR itself. */
	long (*read)(struct vfs_node *node, void *buf, size_t len,
		     uint64_t off);
	/* Write len bytes at off, extending the file (a hole reads as
	 * zeros): the count, short only on -ENOSPC after some bytes were
	 * written. -EFBIG past what the fs can hold. Missing: -EINVAL. */
	long (*write)(struct vfs_node *node, const void *buf, size_t len,
		      uint64_t off);
	/* Fill *attr. Required. */
	int (*getattr)(struct vfs_node *node, struct vfs_attr *attr);
	/* Change the fields named by mask (VFS_SET_*); a filesystem also
	 * updates ctime (and mtime on a size change). Missing: -EPERM. */
	int (*setattr)(struct vfs_node *node, const struct vfs_attr *attr,
		       unsigned mask);
	/*
	 * The directory entry at or after *cookie: returns 1 with *ent filled
	 * and *cookie set to where the next call resumes, 0 at the end
	 * (cookie unchanged), or a negative errno. Cookie 0 is the start.
	 * Cookies are opaque to the VFS and stay valid while entries are
	 * added and removed (an entry present for the whole walk is returned
	 * exactly once). "." and ".." are returned too (first). Required
	 * for directories.
	 */
	int (*readdir)(struct vfs_node *dir, uint64_t *cookie,
		       struct vfs_dirent *ent);
	/* Make node's data (and, unless datasync, all of its metadata) and
	 * whatever finds it durable: 0 only once it is on stable storage.
	 * Missing: success (nothing to make durable). */
	int (*fsync)(struct vfs_node *node, bool datasync);
	/* Optional, for devices that stand for a descriptor (devfs's
	 * /dev/stdin, /dev/stdout, /dev/stderr: /proc/self/fd/N on Linux):
	 * the descriptor that open() duplicates instead of opening the node,
	 * or a negative value to open it as usual. */
	int (*dup_fd)(struct vfs_node *node);
	/* The last VFS reference is gone (see the top of this file). The
	 * filesystem frees node or keeps it; after this the VFS does not
	 * touch it unless the filesystem returns it again. Required. */
	void (*release)(struct vfs_node *node);
};

/*
 * A node. The filesystem fills it with vfs_node_init() and then owns the
 * memory; refs belongs to the VFS. mode's type bits must stay what they
 * were at init (the VFS walks paths by them); the permission bits are
 * informative (getattr is authoritative).
 */
struct vfs_node {
	const struct vfs_node_ops *ops;
	struct vfs_mount *mount;
	uint64_t ino;
	uint32_t mode;
	unsigned refs;
};

/* Fill a node the filesystem has allocated, with one reference (for the
 * caller that asked for it). Any context. */
void vfs_node_init(struct vfs_node *node, const struct vfs_node_ops *ops,
		   struct vfs_mount *mount, uint64_t ino, uint32_t mode);

/* Take one more reference on node; returns node. A filesystem handing out
 * a cached node again (refs 0 after release, or already in use) calls
 * this before returning it. */
struct vfs_node *vfs_node_get(struct vfs_node *node);

/* Drop a reference; the last one calls ops->release. NULL is ignored. */
void vfs_node_put(struct vfs_node *node);

/* What statvfs() reports; counts in units of bsize. */
struct vfs_statfs {
	uint64_t bsize;
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
	uint32_t namemax;
};

/* Mount flags. */
#define VFS_MOUNT_RDONLY 0x1u

/*
 * A filesystem type, registered once with vfs_register_fs().
 * mount() sets m->root (a node with one reference, which the VFS keeps
 * until unmount) and may use m->priv; m->source and m->flags are set
 * before it runs. unmount() is called after sync() succeeded and after
 * the VFS dropped the root's reference; it must release everything.
 */
struct vfs_fs_type {
	const char *name; /* "ramfs", "devfs", "ext4" */
	int (*mount)(struct vfs_mount *m, const void *data);
	/* Make everything written to this mount durable (the whole-fs
	 * sync()). Missing: success. */
	int (*sync)(struct vfs_mount *m);
	/* Tear down after sync. Missing: nothing to do. Its result is
	 * reported, the mount is gone either way. */
	int (*unmount)(struct vfs_mount *m);
	/* Missing: statvfs() fails with -ENOSYS. */
	int (*statfs)(struct vfs_mount *m, struct vfs_statfs *st);
};

/*
 * A mounted filesystem. The VFS allocates and links it; the filesystem
 * sets root and may use priv. dev is the st_dev of everything in it.
 */
struct vfs_mount {
	const struct vfs_fs_type *type;
	void *priv;
	struct vfs_node *root;
	unsigned flags; /* VFS_MOUNT_* */
	uint32_t dev;
	char source[64];
	char path[VFS_PATH_MAX]; /* where it is mounted, canonical */
	/* The VFS's own: the directory this mount covers (NULL for "/"),
	 * with a reference held, and the mount that directory is in. */
	struct vfs_node *covered;
	struct vfs_mount *parent;
	struct vfs_mount *next;
	unsigned active; /* nodes of this mount with references */
};

/* --- the namespace: for filesystems, start-up code and lib/file*.c ------- */

/* Serialise all VFS work (see Locking above). Recursive: code already
 * holding the lock may call the functions below. In host tests these are
 * no-ops. */
void vfs_lock(void);
void vfs_unlock(void);

/* Make a filesystem type mountable by name. type must live forever.
 * -EEXIST for a second type with the same name. */
int vfs_register_fs(const struct vfs_fs_type *type);

/*
 * Mount a filesystem of type fstype from source on the directory path
 * ("/" only for the first mount, which must be "/"). data is passed to
 * type->mount. -ENODEV for an unknown type, -ENOENT/-ENOTDIR for path,
 * -EBUSY when path is already a mount point, or the type's error. Takes
 * the VFS lock.
 */
int vfs_mount(const char *fstype, const char *source, const char *path,
	      unsigned flags, const void *data);

/* Sync and unmount the filesystem mounted at path: -EINVAL when path is
 * not a mount point, -EBUSY when a node of it other than its root is
 * still referenced (an open file, the current directory) or another
 * mount sits inside it. Takes the VFS lock. */
int vfs_unmount(const char *path);

/* Sync every mount; the first error is returned, all are tried. */
int vfs_sync_all(void);

/* At power-off: sync and unmount every mount, innermost first, even with
 * files still open. Logs what failed; returns the first error. After this
 * the namespace is empty and files still open must not be used again:
 * this is for the last moments before the domain goes away (the
 * power-off hook in lib/file_init.c keeps the VFS lock afterwards, so
 * other threads block rather than touch freed nodes). */
int vfs_unmount_all(void);

/* --- path resolution (lib/vfs_path.c) ------------------------------------ */

/* Flags of vfs_resolve(). */
#define VFS_NOFOLLOW 0x1u /* do not follow a symlink in the last component */
#define VFS_PARENT 0x2u	  /* stop at the parent of the last component */

/*
 * What a resolution found. With VFS_PARENT: dir is the directory that
 * holds the last component, name that component ("." when the path ends
 * in "/" or names "/", ".." for a path ending in ".."), node is NULL.
 * Without it: node is what path names and dir is NULL. trailing_slash
 * says path ended in '/' (then the last component must be a directory).
 * Release with vfs_resolved_put().
 */
struct vfs_resolved {
	struct vfs_node *dir;
	struct vfs_node *node;
	char name[VFS_NAME_MAX + 1];
	bool trailing_slash;
};

/*
 * Resolve path (absolute, or relative to the current directory) to a
 * node, following symlinks (at most VFS_SYMLINK_MAX: -ELOOP), crossing
 * mount points down (into a mount's root) and up (".." of a mount's root
 * is the ".." of the directory it covers; ".." of "/" is "/"). Errors:
 * -ENOENT (a missing component, or ""), -ENOTDIR (a component used as a
 * directory is not one, or a trailing '/' on a non-directory),
 * -ENAMETOOLONG, -ELOOP.
 * Caller holds the VFS lock.
 */
int vfs_resolve(const char *path, unsigned flags, struct vfs_resolved *r);
void vfs_resolved_put(struct vfs_resolved *r);

/* Resolve path and return its node with a reference (following a final
 * symlink unless VFS_NOFOLLOW). Caller holds the VFS lock. */
int vfs_lookup_path(const char *path, unsigned flags, struct vfs_node **out);

/* If node (a directory) is covered by a mount, that mount's root with a
 * reference (after putting node's reference); otherwise node itself.
 * Repeats for mounts stacked on mounts. */
struct vfs_node *vfs_cross_down(struct vfs_node *node);

/* The current directory (a reference held by the VFS), settable by
 * chdir(). Before the first mount: NULL. */
struct vfs_node *vfs_cwd(void);
/* Make dir (a directory; a reference is taken) the current directory. */
void vfs_set_cwd(struct vfs_node *dir);

/* The canonical absolute path of directory dir, by walking ".." and
 * looking for each directory in its parent: length, or -ERANGE when it
 * does not fit in size (with its NUL), -ENOENT when dir was removed.
 * Caller holds the VFS lock. */
long vfs_dir_path(struct vfs_node *dir, char *buf, size_t size);

/* The canonical absolute path of what path names (realpath()): every
 * symlink followed, no ".", ".." or repeated '/': its length, or -ENOENT
 * (it must exist), -ERANGE (size too small), and the errors of
 * vfs_resolve(). Takes the VFS lock. */
long vfs_realpath(const char *path, char *buf, size_t size);

/* --- operations by path: what the POSIX calls do (lib/vfs_ops.c) ------- */
/* All take and release the VFS lock themselves, return 0 or a negative
 * errno, and resolve paths as above (relative to the current
 * directory). */

int vfs_stat(const char *path, unsigned flags, struct vfs_attr *attr,
	     uint32_t *dev);
int vfs_node_getattr(struct vfs_node *node, struct vfs_attr *attr);
int vfs_mkdir(const char *path, uint32_t mode);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int vfs_rename(const char *from, const char *to);
int vfs_symlink(const char *target, const char *path);
long vfs_readlink(const char *path, char *buf, size_t len);
int vfs_link(const char *from, const char *to);
/* mask and attr as for setattr; follows symlinks unless VFS_NOFOLLOW. */
int vfs_setattr(const char *path, unsigned flags, const struct vfs_attr *attr,
		unsigned mask);
int vfs_node_setattr(struct vfs_node *node, const struct vfs_attr *attr,
		     unsigned mask);
int vfs_statfs(const char *path, struct vfs_statfs *st, uint32_t *flags);
int vfs_chdir(const char *path);
long vfs_getcwd(char *buf, size_t size);

/*
 * open()'s resolution: the node path names, created as a regular file
 * with mode (umask already applied) when VFS_OPEN_CREATE and missing
 * (a dangling symlink at path: its target is created, unless
 * VFS_OPEN_EXCL);
 * -EEXIST when VFS_OPEN_EXCL and present (a symlink included, never
 * followed then); -ELOOP for a final symlink with VFS_NOFOLLOW; -EISDIR
 * for a directory when VFS_OPEN_WRITE; -ENOTDIR for a non-directory with
 * VFS_OPEN_DIRECTORY; truncated when VFS_OPEN_TRUNC and a regular file;
 * -EROFS for writing on a read-only mount. Returns the node with a
 * reference.
 */
#define VFS_OPEN_CREATE 0x01u
#define VFS_OPEN_EXCL 0x02u
#define VFS_OPEN_TRUNC 0x04u
#define VFS_OPEN_WRITE 0x08u
#define VFS_OPEN_DIRECTORY 0x10u
int vfs_open_node(const char *path, unsigned oflags, unsigned rflags,
		  uint32_t mode, struct vfs_node **out);

/* Node I/O with the VFS lock taken: read/write (a directory: -EISDIR),
 * fsync, and readdir (as the op). */
long vfs_node_read(struct vfs_node *node, void *buf, size_t len, uint64_t off);
long vfs_node_write(struct vfs_node *node, const void *buf, size_t len,
		    uint64_t off);
int vfs_node_fsync(struct vfs_node *node, bool datasync);
int vfs_node_readdir(struct vfs_node *dir, uint64_t *cookie,
		     struct vfs_dirent *ent);
/* vfs_node_put() with the VFS lock taken (for the fd layer). */
void vfs_node_release(struct vfs_node *node);

#endif
