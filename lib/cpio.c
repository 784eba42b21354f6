/*
 * The cpio "newc" parser (lib/cpio.h). Format (as GNU cpio and the Linux
 * kernel's initramfs write and read it): each member is a 110-byte ASCII
 * header -- the magic "070701" (or "070702": the same with a checksum we
 * verify) and 13 fields of 8 hex digits: ino, mode, uid, gid,
 * nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
 * namesize (with its NUL), check -- then the name, padded so header and
 * name end on a multiple of 4, then the data, padded to 4. The member
 * named "TRAILER!!!" ends an archive.
 *
 * Every length is checked against what is left of the buffer before
 * anything is read, so a hostile archive ends with -EINVAL and a reason.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "lib/cpio.h"

#define HDR_LEN 110
#define FIELDS 13
#define TRAILER "TRAILER!!!"
#define S_FMT 0170000u
#define S_LNK 0120000u
#define S_REG 0100000u

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_SIZE,
	F_DEVMAJ,
	F_DEVMIN,
	F_RDEVMAJ,
	F_RDEVMIN,
	F_NAMESIZE,
	F_CHECK
};

enum cpio_kind cpio_detect(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len >= 6 && (!memcmp(p, "070701", 6) || !memcmp(p, "070702", 6)))
		return CPIO_KIND_NEWC;
	if (len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return CPIO_KIND_GZIP;
	return CPIO_KIND_NONE;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static bool hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int d = ascii_digit_value((char)p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* Copy name into out without leading "/", "./", empty or "."
 * components; false for a ".." component. */
static bool normalise(const char *name, char *out)
{
	size_t len = 0;

	while (*name) {
		size_t n = strcspn(name, "/");

		if (n == 2 && name[0] == '.' && name[1] == '.')
			return false;
		if (n && !(n == 1 && name[0] == '.')) {
			if (len)
				out[len++] = '/';
			memcpy(out + len, name, n);
			len += n;
		}
		name += n;
		while (*name == '/')
			name++;
	}
	out[len] = '\0';
	return true;
}

/* The "070702" format's check value: the sum of the data's bytes. */
static uint32_t sum(const uint8_t *p, size_t len)
{
	uint32_t v = 0;

	while (len--)
		v += *p++;
	return v;
}

static int refuse(struct cpio_error *err, size_t at, const char *why)
{
	err->offset = at;
	err->why = why;
	return -EINVAL;
}

/* The header at buf[pos]: its fields, the name checked and normalised
 * into e->name's buffer, data located. *next is the following member. */
static int member(const uint8_t *buf, size_t len, size_t pos, char *name,
		  struct cpio_entry *e, size_t *next, struct cpio_error *err)
{
	uint32_t f[FIELDS];
	size_t left = len - pos, name_end, data_end;
	const char *raw;

	if (left < HDR_LEN)
		return refuse(err, pos, "truncated header");
	if (cpio_detect(buf + pos, 6) != CPIO_KIND_NEWC)
		return refuse(err, pos, "bad magic (not newc)");
	for (int i = 0; i < FIELDS; i++)
		if (!hex8(buf + pos + 6 + 8 * i, &f[i]))
			return refuse(err, pos, "bad hex digit in header");
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > CPIO_PATH_MAX + 1)
		return refuse(err, pos, "name size 0 or too long");
	name_end = pad4(HDR_LEN + (size_t)f[F_NAMESIZE]);
	if (left < name_end)
		return refuse(err, pos, "truncated name");
	raw = (const char *)buf + pos + HDR_LEN;
	if (raw[f[F_NAMESIZE] - 1] != '\0' ||
	    memchr(raw, '\0', f[F_NAMESIZE] - 1))
		return refuse(err, pos, "name not NUL-terminated");
	if (f[F_SIZE] > left - name_end)
		return refuse(err, pos, "file size beyond the archive");
	data_end = name_end + pad4((size_t)f[F_SIZE]);
	*next = pos + (data_end < left ? data_end : left);
	if (!strcmp(raw, TRAILER)) {
		e->name = NULL;
		return 0;
	}
	if (!normalise(raw, name))
		return refuse(err, pos, "'..' in a name");
	*e = (struct cpio_entry){
		.name = name,
		.ino = f[F_INO],
		.mode = f[F_MODE],
		.uid = f[F_UID],
		.gid = f[F_GID],
		.nlink = f[F_NLINK],
		.dev_major = f[F_DEVMAJ],
		.dev_minor = f[F_DEVMIN],
		.rdev_major = f[F_RDEVMAJ],
		.rdev_minor = f[F_RDEVMIN],
		.mtime = f[F_MTIME],
		.data = buf + pos + name_end,
		.size = f[F_SIZE],
	};
	if ((e->mode & S_FMT) == S_LNK &&
	    (e->size == 0 || e->size > CPIO_PATH_MAX ||
	     memchr(e->data, '\0', e->size)))
		return refuse(err, pos, "bad symlink target");
	if (buf[pos + 5] == '2' && (e->mode & S_FMT) == S_REG &&
	    sum(e->data, e->size) != f[F_CHECK])
		return refuse(err, pos, "checksum mismatch (070702)");
	return 0;
}

/* After a trailer: zeros, then either the end or another archive. */
static size_t skip_zeros(const uint8_t *buf, size_t len, size_t pos)
{
	while (pos < len && buf[pos] == 0)
		pos++;
	return pos;
}

int cpio_parse(const void *buf, size_t len, cpio_entry_fn fn, void *ctx,
	       struct cpio_error *err)
{
	const uint8_t *p = buf;
	char *name = malloc(CPIO_PATH_MAX + 1);
	size_t pos = 0, next;
	bool ended = false;
	uint32_t archive = 0;
	int rc = 0;

	if (!name)
		return -ENOMEM;
	while (rc == 0 && pos < len) {
		struct cpio_entry e;

		if (ended && p[pos] == 0)
			pos = skip_zeros(p, len, pos);
		if (pos == len)
			break;
		rc = member(p, len, pos, name, &e, &next, err);
		e.archive = archive;
		if (rc == 0 && e.name && fn)
			rc = fn(ctx, &e);
		archive += rc == 0 && !e.name;
		if (rc == 0 && !e.name &&
		    cpio_detect(p + next, len - next) != CPIO_KIND_NEWC)
			next = skip_zeros(p, len, next);
		ended = rc == 0 && !e.name;
		pos = next;
	}
	if (rc == 0 && !ended)
		rc = refuse(err, pos,
			    len ? "no trailer (truncated archive?)"
				: "empty archive");
	free(name);
	return rc;
}
