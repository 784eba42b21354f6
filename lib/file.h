/*
 * Files of the VFS in the fd table: what lib/file.c puts behind a
 * descriptor that open() returned, and what the directory calls
 * (lib/file_dir.c) and the path calls (lib/file_path.c) need from it.
 */
#ifndef SKIFF_LIB_FILE_H
#define SKIFF_LIB_FILE_H

#include <stdint.h>
#include <sys/stat.h>

#include "lib/vfs.h"

/* The next entry of the directory open at fd, from its position (a
 * readdir cookie, moved past the entry): 1, 0 at the end, or -EBADF,
 * -ENOTDIR. */
int file_readdir(int fd, struct vfs_dirent *ent);

/* The node open at fd with a reference (put it with vfs_node_release),
 * or NULL with *err set to -EBADF (not open, or not a VFS file). */
struct vfs_node *file_node(int fd, int *err);

/* A struct stat from the VFS's attributes and a mount's dev. */
void file_attr_to_stat(const struct vfs_attr *a, uint32_t dev, struct stat *st);

/* The process's file mode creation mask (umask()). */
uint32_t file_umask(void);

#endif
