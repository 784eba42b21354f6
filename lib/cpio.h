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

#endif
