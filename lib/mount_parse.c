/*
 * The mount= value's syntax (lib/mount.h), apart from its effects so
 * that it is host-tested. Uses no libc: a leaf utility.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/mount.h"

static bool dev_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool same(const char *a, size_t len, const char *b)
{
	size_t i;

	for (i = 0; i < len && b[i] == a[i]; i++)
		;
	return i == len && b[i] == '\0';
}

/* Copy the field that starts at s and ends at the next ':' or the end;
 * returns its length, or cap when it does not fit in cap bytes. */
static size_t field(const char *s, char *dst, size_t cap)
{
	size_t n;

	for (n = 0; s[n] != '\0' && s[n] != ':'; n++) {
		if (n + 1 >= cap)
			return cap;
		dst[n] = s[n];
	}
	dst[n] = '\0';
	return n;
}

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

int mount_parse(const char *value, struct mount_spec *spec, const char **why)
{
	const char *s = value;
	size_t n, i;

	n = field(s, spec->dev, sizeof(spec->dev));
	if (n == 0)
		return fail(why, "no device name before ':'");
	if (n == sizeof(spec->dev))
		return fail(why, "device name too long");
	for (i = 0; i < n; i++)
		if (!dev_char(spec->dev[i]))
			return fail(why, "bad character in the device name");
	s += n;
	if (*s != ':')
		return fail(why, "expected <dev>:<path>[:ro]");
	s++;
	n = field(s, spec->path, sizeof(spec->path));
	if (n == sizeof(spec->path))
		return fail(why, "path too long");
	if (spec->path[0] != '/')
		return fail(why, "the path must be absolute");
	s += n;
	spec->readonly = false;
	if (*s == '\0')
		return 0;
	s++;
	for (n = 0; s[n] != '\0'; n++)
		;
	if (same(s, n, "ro"))
		spec->readonly = true;
	else if (!same(s, n, "rw"))
		return fail(why, "the flag after the path must be ro or rw");
	return 0;
}
