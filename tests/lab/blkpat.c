/*
 * blkpat - write or check the storage tests' pattern (tests/lab/blkpat.h)
 * on a file or block device, from dom0. Built static for the lab's dom0
 * (make build/lab-tools/blkpat).
 *
 *   blkpat write PATH SEED OFFSET LEN   the pattern at OFFSET..OFFSET+LEN
 *   blkpat check PATH SEED OFFSET LEN   exit 0 if it is there; else say
 *                                       where it first differs, exit 1
 * OFFSET and LEN are bytes (suffixes K and M), multiples of 8.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkpat.h"

#define CHUNK (1u << 20)

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end == 'K')
		v <<= 10;
	else if (*end == 'M')
		v <<= 20;
	else if (*end != '\0') {
		fprintf(stderr, "blkpat: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	unsigned long long seed, off, len, done;
	int write_mode, fd;

	if (argc != 6 ||
	    (strcmp(argv[1], "write") && strcmp(argv[1], "check"))) {
		fprintf(stderr,
			"usage: blkpat write|check PATH SEED OFFSET LEN\n");
		return 2;
	}
	write_mode = strcmp(argv[1], "write") == 0;
	seed = num(argv[3]);
	off = num(argv[4]);
	len = num(argv[5]);
	if ((off | len) & 7) {
		fprintf(stderr,
			"blkpat: offset and length must be multiples of 8\n");
		return 2;
	}
	fd = open(argv[2], write_mode ? O_WRONLY | O_CREAT : O_RDONLY, 0644);
	if (fd < 0) {
		fprintf(stderr, "blkpat: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	for (done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		ssize_t r;

		if (write_mode) {
			blkpat_fill(buf, seed, off + done, n);
			r = pwrite(fd, buf, n, (off_t)(off + done));
		} else {
			r = pread(fd, buf, n, (off_t)(off + done));
		}
		if (r != (ssize_t)n) {
			fprintf(stderr, "blkpat: %s at %llu: %s\n", argv[2],
				off + done, r < 0 ? strerror(errno) : "short");
			return 1;
		}
		if (!write_mode) {
			int64_t bad = blkpat_find_bad(buf, seed, off + done, n);

			if (bad >= 0) {
				printf("blkpat: %s: seed %llu differs at byte "
				       "%lld\n",
				       argv[2], seed, (long long)bad);
				return 1;
			}
		}
		done += n;
	}
	if (write_mode && fsync(fd) != 0) {
		fprintf(stderr, "blkpat: fsync: %s\n", strerror(errno));
		return 1;
	}
	printf("blkpat: %s %s seed %llu bytes %llu..%llu: ok\n", argv[1],
	       argv[2], seed, off, off + len);
	return 0;
}
