/*
 * Boot tests ext4-bad and ext4-badgdt: the ramdisk is an ext4 image with
 * a damaged superblock (ext4-bad) or group descriptor (ext4-badgdt,
 * whose main.c includes this one), given to mount=ram0:/disk. The mount
 * must fail with a clear log line (tests/run checks it) and the guest
 * must go on: the mount point is there, empty, and usable.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME
#define NAME "ext4-bad"
#endif

int main(void)
{
	struct stat st;
	struct dirent *e;
	int n = 0, fd;
	DIR *d;

	if (stat("/disk", &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("TEST FAIL " NAME ": no mount point /disk\n");
		return 1;
	}
	if (stat("/disk/etc/motd", &st) == 0 || errno != ENOENT) {
		printf("TEST FAIL " NAME ": the damaged disk is mounted\n");
		return 1;
	}
	d = opendir("/disk");
	while (d && (e = readdir(d)) != NULL)
		n++;
	if (d)
		closedir(d);
	fd = open("/disk/after", O_WRONLY | O_CREAT, 0644);
	if (n != 2 || fd < 0 || write(fd, "ok", 2) != 2 || close(fd) != 0) {
		printf("TEST FAIL " NAME ": /disk has %d entries or is not "
		       "writable\n",
		       n);
		return 1;
	}
	printf("TEST PASS " NAME ": mount refused, guest lives, /disk is an "
	       "empty directory in ramfs\n");
	return 0;
}
