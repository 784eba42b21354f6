/*
 * The ramdisk as ramfs content: a cpio "newc" archive (what
 * `find . | cpio -o -H newc` makes, the Linux initramfs format), plain or
 * gzip-compressed. This header has the parser (pure, host-tested with
 * seeded fuzzing) and the one test both sides of the boot module use to
 * decide what it is: an archive becomes files under "/" (lib/ramdisk.c),
 * anything else is left to the block layer as the memory disk "ram0".
 */
#ifndef SKIFF_LIB_CPIO_H
#define SKIFF_LIB_CPIO_H

#include <stddef.h>
#include <stdint.h>

enum cpio_kind {
	CPIO_KIND_NONE = 0, /* not an archive: a disk image, or nothing */
	CPIO_KIND_NEWC,	    /* "070701" or "070702" (newc with checksums) */
	CPIO_KIND_GZIP,	    /* 1f 8b 08: gzip (of an archive, we assume) */
};

/* What the boot module (or any buffer) is, by its first bytes only.
 * Pure; any context. */
enum cpio_kind cpio_detect(const void *buf, size_t len);

/* Longest path an archive may hold, and longest symlink target. */
#define CPIO_PATH_MAX 4095

/* One archive member, as cpio_parse() hands it over. */
struct cpio_entry {
	/* Normalised: no leading "/" or "./", no empty or "." components,
	 * never "..". "" is the archive's root ("." in the archive). */
	const char *name;
	uint32_t ino, mode, uid, gid, nlink;
	/* Hard links are the members with the same (archive, dev, ino): an
	 * inode number alone may repeat across the concatenated archives
	 * (each numbers from the same start) and across filesystems. */
	uint32_t archive; /* 0 for the first of concatenated archives */
	uint32_t dev_major, dev_minor;
	uint32_t rdev_major, rdev_minor;
	uint64_t mtime;	     /* seconds since 1970 */
	const uint8_t *data; /* file contents or symlink target */
	size_t size;
};

/* Where and why an archive was refused. */
struct cpio_error {
	size_t offset; /* of the member's header */
	const char *why;
};

/* Called per member; a non-zero return stops the walk and is returned. */
typedef int (*cpio_entry_fn)(void *ctx, const struct cpio_entry *e);

/*
 * Walk the newc archive buf[0..len): every member in order up to the
 * "TRAILER!!!" member (several archives one after the other, with zero
 * padding between them, as the kernel accepts, are walked as one). fn may
 * be NULL to only validate. Returns 0, fn's non-zero result, -ENOMEM, or
 * -EINVAL with *err filled: bad magic or hex digits, a truncated header,
 * name or data, a name without its NUL or longer than CPIO_PATH_MAX, a
 * ".." component, a symlink target that is empty or too long, a missing
 * trailer, or bytes other than zeros after it. Pure; thread context.
 */
int cpio_parse(const void *buf, size_t len, cpio_entry_fn fn, void *ctx,
	       struct cpio_error *err);

#endif
