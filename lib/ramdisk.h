/*
 * The ramdisk module as files: a cpio "newc" archive, plain or gzipped
 * (lib/cpio.h decides by its magic), unpacked into the VFS under "/" at
 * boot (lib/file_init.c). Pure over lib/vfs.h, so it is host-tested with
 * ramfs (tests/unit/test_cpio.c).
 */
#ifndef SKIFF_LIB_RAMDISK_H
#define SKIFF_LIB_RAMDISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest archive a gzipped ramdisk may inflate to. */
#define RAMDISK_MAX_INFLATED (1ull << 30)

struct ramdisk_stats {
	unsigned dirs, files, links, symlinks, skipped; /* skipped: devices,
							 * fifos, sockets */
	uint64_t bytes;					/* file data written */
	bool compressed;				/* it was gzipped */
};

/*
 * Unpack the archive buf[0..len) into the VFS (which has "/" mounted).
 * The whole archive is checked before anything is written, so a damaged
 * or hostile one changes nothing. Members: directories (made, or kept if
 * present), regular files (replacing what is there), hard links,
 * symlinks; mode, uid, gid and mtime kept; missing parent directories are
 * made; device nodes, fifos and sockets are skipped (counted). Returns 0,
 * or a negative errno with *why (a static string) and *where (the
 * member's path, "the member at byte N" for a damaged archive, or ""
 * for the archive as a whole, in a static buffer) set. Thread context.
 */
int ramdisk_unpack(const void *buf, size_t len, struct ramdisk_stats *st,
		   const char **why, const char **where);

#endif
