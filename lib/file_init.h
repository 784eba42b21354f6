/*
 * Files at boot: the namespace an application finds when main() starts.
 */
#ifndef SKIFF_LIB_FILE_INIT_H
#define SKIFF_LIB_FILE_INIT_H

/*
 * Mount ramfs at "/", unpack the ramdisk into it when the boot module is
 * a cpio archive (plain or gzip; anything else is left for the block
 * layer), make /tmp (mode 1777) and /dev, mount devfs on /dev, and
 * register the power-off hook that syncs and unmounts everything. Logs
 * what it did; a refused ramdisk is logged and leaves "/" empty but
 * usable. Called once by the main thread before main() (lib/start.c).
 */
void file_init(void);

#endif
