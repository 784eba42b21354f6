/*
 * Boot test ramfs-bad: booted with a cpio archive cut short in the middle
 * of a file (tests/boot/ramfs/mkramdisk --damaged). The guest must say
 * why it refused the ramdisk (tests/run checks the console), unpack none
 * of it (the whole archive is checked first), and still give main() a
 * working "/" with /tmp and /dev.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME "ramfs-bad"

int main(void)
{
	struct stat st;
	int fd;

	if (stat("/etc/motd", &st) == 0 || errno != ENOENT ||
	    stat("/data", &st) == 0) {
		printf("TEST FAIL %s: part of the damaged archive was "
		       "unpacked\n",
		       NAME);
		return 1;
	}
	fd = open("/tmp/ok", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) ||
	    stat("/dev/null", &st) || !S_ISCHR(st.st_mode)) {
		printf("TEST FAIL %s: / is not usable (errno %d)\n", NAME,
		       errno);
		return 1;
	}
	printf("TEST PASS %s: damaged archive refused as a whole, / with "
	       "/tmp and /dev usable\n",
	       NAME);
	return 0;
}
