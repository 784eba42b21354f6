/*
 * The file namespace at boot (lib/file_init.h). Its one policy: a
 * ramdisk that is not an archive is not an error here (it may be a disk
 * image for the memory disk), one that is an archive but is damaged is
 * (logged with the reason; the application still starts).
 */
#include <errno.h>
#include <stdint.h>

#define LOG_TAG "files"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/shutdown.h"
#include "lib/cpio.h"
#include "lib/devfs.h"
#include "lib/file_init.h"
#include "lib/ramdisk.h"
#include "lib/ramfs.h"
#include "lib/vfs.h"

static void load_ramdisk(const void *buf, size_t len)
{
	struct ramdisk_stats st;
	const char *why = "", *where = "";
	int rc;

	if (!buf || !len)
		return;
	if (cpio_detect(buf, len) == CPIO_KIND_NONE) {
		log_info("ramdisk (%zu bytes) is not a cpio archive: not "
			 "unpacked",
			 len);
		return;
	}
	rc = ramdisk_unpack(buf, len, &st, &why, &where);
	if (rc) {
		log_err("ramdisk refused: %s%s%s (%d)", why,
			where[0] ? " at " : "", where, rc);
		return;
	}
	log_info("ramdisk%s unpacked: %u files, %u dirs, %u symlinks, %u "
		 "hard links, %llu bytes%s",
		 st.compressed ? " (gzip)" : "", st.files, st.dirs, st.symlinks,
		 st.links, (unsigned long long)st.bytes,
		 st.skipped ? ", devices skipped" : "");
}

static void unmount_all(void)
{
	/* The lock is kept: the domain is going away, and another thread
	 * still using a file waits for that instead of touching a
	 * filesystem torn down under it. */
	vfs_lock();
	if (vfs_unmount_all() == 0)
		log_info("filesystems synced and unmounted");
}

/* mkdir that accepts an existing directory (the ramdisk may have made
 * it), then sets mode exactly (mkdir's goes through no umask here, but
 * an archive's may differ). */
static void make_dir(const char *path, uint32_t mode)
{
	struct vfs_attr a = { .mode = mode };
	int rc = vfs_mkdir(path, mode);

	if (rc == 0 || rc == -EEXIST)
		rc = vfs_setattr(path, 0, &a, VFS_SET_MODE);
	if (rc)
		log_err("cannot make %s (%d)", path, rc);
}

void file_init(void)
{
	const struct boot_info *bi = kernel_boot_info();
	int rc;

	if (vfs_register_fs(&ramfs_type) || vfs_register_fs(&devfs_type))
		log_err("cannot register ramfs and devfs");
	rc = vfs_mount("ramfs", "ram", "/", 0, NULL);
	if (rc) {
		log_err("cannot mount ramfs at / (%d): no files", rc);
		return;
	}
	load_ramdisk(bi->ramdisk, (size_t)bi->ramdisk_len);
	make_dir("/tmp", 01777);
	make_dir("/dev", 0755);
	rc = vfs_mount("devfs", "dev", "/dev", 0, NULL);
	if (rc)
		log_err("cannot mount devfs at /dev (%d)", rc);
	if (shutdown_hook_register(unmount_all))
		log_err("no room for the unmount hook: filesystems will not "
			"be synced at exit");
}
