/*
 * Boot test ramfs-gzip: boot test ramfs (tests/boot/ramfs/main.c), booted
 * with its ramdisk gzip-compressed, so the same checks run on what the
 * guest's own inflate unpacked.
 */
#define NAME "ramfs-gzip"
#include "tests/boot/ramfs/main.c"
