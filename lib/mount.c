/*
 * The mount= option and the mounts it asks for (lib/mount.h). The
 * option's values are kept as the command line gave them (CMDLINE_LIST)
 * and parsed here at boot, so that a bad one is reported with the rest of
 * the boot's messages, by the option's name.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define LOG_TAG "mount"
#include "drivers/blkdev.h"
#include "kernel/log.h"
#include "lib/cmdline.h"
#include "lib/ext4.h"
#include "lib/memdisk.h"
#include "lib/mount.h"
#include "lib/vfs.h"

_Static_assert(MOUNT_DEV_MAX == BLKDEV_NAME_MAX,
	       "mount=: a device name is a blkdev name");

static struct mount_state {
	char list[1024]; /* every mount= value, NUL-separated */
} ms;

CMDLINE_OPTION(opt_mount) = { .name = "mount",
			      .type = CMDLINE_LIST,
			      .dest = ms.list,
			      .size = sizeof(ms.list) };

/* mkdir -p in the filesystem that holds the mount point. */
static int make_path(const char *path)
{
	char buf[MOUNT_PATH_MAX];
	size_t i;
	int rc = 0;

	strcpy(buf, path);
	for (i = 1; buf[i - 1] != '\0' && rc == 0; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		rc = vfs_mkdir(buf, 0755);
		if (rc == -EEXIST)
			rc = 0;
		buf[i] = path[i];
	}
	return rc;
}

static void mount_one(const char *value)
{
	struct mount_spec spec;
	const char *why;
	int rc;

	if (mount_parse(value, &spec, &why) < 0) {
		log_err("option mount=%s: %s", value, why);
		return;
	}
	if (!blkdev_find(spec.dev)) {
		log_err("option mount=%s: no block device '%s'", value,
			spec.dev);
		return;
	}
	rc = make_path(spec.path);
	if (rc < 0) {
		log_err("option mount=%s: cannot make %s (%d)", value,
			spec.path, rc);
		return;
	}
	rc = vfs_mount("ext4", spec.dev, spec.path,
		       spec.readonly ? VFS_MOUNT_RDONLY : 0, NULL);
	if (rc < 0)
		log_err("option mount=%s: not mounted (%d)", value, rc);
}

void mount_init(void)
{
	const char *v;

	if (vfs_register_fs(&ext4_fs_type) < 0)
		log_err("cannot register the ext4 filesystem type");
	memdisk_boot();
	for (v = ms.list; *v != '\0'; v += strlen(v) + 1)
		mount_one(v);
}
