/*
 * Host tests for lib/mount_parse.c (the mount= value) and for the
 * repeatable option type it is declared with (CMDLINE_LIST in
 * lib/cmdline.c): good and bad values, limits, every occurrence kept.
 */
#include <errno.h>
#include <string.h>

#include "lib/cmdline.h"
#include "lib/mount.h"
#include "tests/unit/check.h"

static int parse(const char *v, struct mount_spec *s)
{
	const char *why = NULL;
	int rc = mount_parse(v, s, &why);

	return rc == 0 || why != NULL ? rc : 99;
}

static void test_good(void)
{
	struct mount_spec s;

	CHECK(parse("xvda:/data", &s) == 0);
	CHECK(strcmp(s.dev, "xvda") == 0 && strcmp(s.path, "/data") == 0);
	CHECK(!s.readonly);
	CHECK(parse("ram0:/mnt/a/b:ro", &s) == 0 && s.readonly);
	CHECK(strcmp(s.path, "/mnt/a/b") == 0);
	CHECK(parse("xvdb_1-x:/:rw", &s) == 0 && !s.readonly);
	CHECK(parse("abcdefghijklmno:/x", &s) == 0); /* 15 characters */
}

static void test_bad(void)
{
	struct mount_spec s;
	char longpath[MOUNT_PATH_MAX + 8];

	CHECK(parse("", &s) == -EINVAL);
	CHECK(parse("xvda", &s) == -EINVAL);
	CHECK(parse(":/data", &s) == -EINVAL);
	CHECK(parse("xvda:", &s) == -EINVAL);
	CHECK(parse("xvda:data", &s) == -EINVAL);
	CHECK(parse("xvda:/data:", &s) == -EINVAL);
	CHECK(parse("xvda:/data:rox", &s) == -EINVAL);
	CHECK(parse("xvda:/data:ro:ro", &s) == -EINVAL);
	CHECK(parse("xv/da:/data", &s) == -EINVAL);
	CHECK(parse("abcdefghijklmnop:/x", &s) == -EINVAL);
	memset(longpath, 'a', sizeof(longpath));
	memcpy(longpath, "x:/", 3);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK(parse(longpath, &s) == -EINVAL);
}

static char list[32];
static int nmsgs;

static void count(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	nmsgs++;
}

static void test_list(void)
{
	const struct cmdline_opt opts[] = {
		{ .name = "mount",
		  .type = CMDLINE_LIST,
		  .dest = list,
		  .size = sizeof(list) },
	};

	CHECK(cmdline_parse("mount=a:/x mount=\"b:/y z\"", opts, 1, NULL, count,
			    NULL) == 0);
	CHECK(memcmp(list, "a:/x\0b:/y z\0\0", 13) == 0);
	/* 13 bytes used of 32: "c:/0123456789abcdef" (19 + NUL) does not
	 * fit with the closing NUL, and the ones before stay. */
	CHECK(cmdline_parse("mount=c:/0123456789abcdef mount=", opts, 1, NULL,
			    count, NULL) == -EINVAL);
	CHECK(nmsgs == 2);
	CHECK(memcmp(list, "a:/x\0b:/y z\0\0", 13) == 0);
	CHECK(cmdline_parse("mount=d:/q", opts, 1, NULL, count, NULL) == 0);
	CHECK(memcmp(list, "a:/x\0b:/y z\0d:/q\0\0", 18) == 0);
}

int main(void)
{
	check_run("mount_parse_good", "dev:path, :ro, :rw, 15-char names",
		  test_good);
	check_run("mount_parse_bad",
		  "missing parts, bad flags, characters, "
		  "lengths",
		  test_bad);
	check_run("cmdline_list",
		  "every occurrence kept in order, overflow "
		  "and empty values reported",
		  test_list);
	return check_exit();
}
