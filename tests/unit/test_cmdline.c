/*
 * Host tests for lib/cmdline.c: every option type, quoting, the "--"
 * split, each error message (with the option name in it), buffer limits,
 * and random input with exact-size buffers so ASan sees any overrun.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"
#include "tests/unit/check.h"

#define MAX_MSGS 16

struct msgs {
	int n;
	char text[MAX_MSGS][200];
};

static void collect(void *ctx, const char *msg)
{
	struct msgs *m = ctx;

	if (m->n < MAX_MSGS)
		snprintf(m->text[m->n], sizeof(m->text[0]), "%s", msg);
	m->n++;
}

static const char *const levels[] = { "debug", "info", "warn", "err", NULL };

static bool verbose, quiet;
static uint64_t mem, port;
static char msg[8];
static unsigned int loglevel;

static const struct cmdline_opt opts[] = {
	{ .name = "verbose", .type = CMDLINE_FLAG, .dest = &verbose },
	{ .name = "quiet", .type = CMDLINE_FLAG, .dest = &quiet },
	{ .name = "mem",
	  .type = CMDLINE_SIZE,
	  .dest = &mem,
	  .max = (uint64_t)1 << 32 },
	{ .name = "port", .type = CMDLINE_UINT, .dest = &port, .max = 65535 },
	{ .name = "msg",
	  .type = CMDLINE_STRING,
	  .dest = msg,
	  .size = sizeof(msg) },
	{ .name = "loglevel",
	  .type = CMDLINE_ENUM,
	  .dest = &loglevel,
	  .choices = levels },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static char abuf[64];
static char *argv[6];
static struct cmdline_args args;
static struct msgs m;

static int parse(const char *line)
{
	verbose = quiet = false;
	mem = port = 0;
	strcpy(msg, "old");
	loglevel = 1;
	memset(&m, 0, sizeof(m));
	args = (struct cmdline_args){ .buf = abuf,
				      .buf_size = sizeof(abuf),
				      .argv = argv,
				      .max_argv = 6 };
	return cmdline_parse(line, opts, NOPTS, &args, collect, &m);
}

static void test_cmdline_types(void)
{
	CHECK(parse(" verbose\tmem=64M port=0x1F90 msg=\"a b\" "
		    "loglevel=warn quiet=off\n") == 0);
	CHECK(m.n == 0);
	CHECK(verbose && !quiet && mem == 64u << 20 && port == 8080);
	CHECK(strcmp(msg, "a b") == 0 && loglevel == 2 && args.argc == 0);
	CHECK(parse("mem=4G mem=2k quiet=yes verbose=0 msg= port=65535") == 0);
	CHECK(mem == 2048 && quiet && !verbose && msg[0] == '\0');
	CHECK(port == 65535);
	CHECK(parse("msg=a\"  \"b \"loglevel=err\" mem=0x10K") == 0);
	CHECK(strcmp(msg, "a  b") == 0 && loglevel == 3 && mem == 16384);
	CHECK(parse("") == 0 && parse("  \t\n ") == 0 && args.argc == 0);
	CHECK(cmdline_parse(NULL, opts, NOPTS, NULL, NULL, NULL) == 0);
}

static void test_cmdline_app_args(void)
{
	CHECK(parse("verbose -- app \"x y\" --z -- \"\"") == 0);
	CHECK(verbose && args.argc == 5 && argv[5] == NULL);
	CHECK(strcmp(argv[0], "app") == 0 && strcmp(argv[1], "x y") == 0);
	CHECK(strcmp(argv[2], "--z") == 0 && strcmp(argv[3], "--") == 0);
	CHECK(strcmp(argv[4], "") == 0);
	/* Options after "--" belong to the application. */
	CHECK(parse("-- verbose") == 0 && !verbose && args.argc == 1);
	CHECK(parse("--") == 0 && args.argc == 0 && argv[0] == NULL);
}

/* True if some collected message equals s. */
static bool said(const char *s)
{
	int i;

	for (i = 0; i < m.n && i < MAX_MSGS; i++) {
		if (strcmp(m.text[i], s) == 0)
			return true;
	}
	return false;
}

static void test_cmdline_errors(void)
{
	CHECK(parse("foo mem port=70000 msg=toolong! loglevel=loud "
		    "verbose=maybe quiet mem=12X port=1k bar=1") == -EINVAL);
	CHECK(m.n == 9);
	CHECK(said("unknown option 'foo'"));
	CHECK(said("missing value for option 'mem'"));
	CHECK(said("value too large for option 'port' (max 65535)"));
	CHECK(said("value too long for option 'msg' (max 7 characters)"));
	CHECK(said("bad value for option 'loglevel' "
		   "(expected debug|info|warn|err)"));
	CHECK(said("bad value for flag 'verbose' "
		   "(expected 0|1|no|yes|off|on|false|true)"));
	CHECK(said("bad value for option 'mem' "
		   "(expected a number, optionally with K, M or G)"));
	CHECK(said("bad value for option 'port' (expected a number)"));
	CHECK(said("unknown option 'bar'"));
	/* Options in error keep their values; the others are still set. */
	CHECK(quiet && !verbose && mem == 0 && port == 0);
	CHECK(strcmp(msg, "old") == 0 && loglevel == 1);
}

static void test_cmdline_numbers(void)
{
	CHECK(parse("mem=4G") == 0 && mem == (uint64_t)1 << 32);
	CHECK(parse("mem=4194305K") == -EINVAL);
	CHECK(said("value too large for option 'mem' (max 4294967296)"));
	CHECK(parse("port=18446744073709551616") == -EINVAL);
	CHECK(said("value too large for option 'port' (max 65535)"));
	CHECK(parse("port=0x10000000000000000") == -EINVAL && m.n == 1);
	CHECK(parse("port=0x") == -EINVAL && parse("port=") == -EINVAL);
	CHECK(parse("port=-1") == -EINVAL && parse("port=1 2") == -EINVAL);
	CHECK(parse("mem=1T") == -EINVAL && parse("mem=1KK") == -EINVAL);
	CHECK(parse("port=000000000000000000000000000000000001") == -EINVAL);
	CHECK(parse("port=0X00ff") == 0 && port == 255);
}

static void test_cmdline_quotes(void)
{
	CHECK(parse("verbose msg=\"abc") == -EINVAL && m.n == 1);
	CHECK(said("unterminated quote in option 'msg'"));
	CHECK(verbose && strcmp(msg, "old") == 0);
	CHECK(parse("-- a \"b c") == -EINVAL && m.n == 1);
	CHECK(said("unterminated quote in argument after '--'"));
	CHECK(args.argc == 1 && argv[1] == NULL);
	CHECK(parse("\"verbose\" \"port\"=\"80\"") == 0 && verbose);
	CHECK(port == 80);
}

static void test_cmdline_limits(void)
{
	char line[200];

	CHECK(parse("-- 1 2 3 4 5 6 7") == -EINVAL && m.n == 1);
	CHECK(said("too many application arguments after '--' (max 5)"));
	CHECK(args.argc == 5 && argv[5] == NULL);
	memset(line, 0, sizeof(line));
	strcpy(line, "-- ");
	memset(line + 3, 'x', 70);
	CHECK(parse(line) == -EINVAL && args.argc == 0);
	CHECK(said("application arguments too long after '--' "
		   "(buffer 64 bytes)"));
	CHECK(parse("-- a") == 0);
	CHECK(cmdline_parse("-- a", opts, NOPTS, NULL, collect, &m) == -EINVAL);
	CHECK(strcmp(m.text[0],
		     "no application arguments expected after '--'") == 0);
	/* A long unknown name is cut to CMDLINE_NAME_MAX in the message. */
	memset(line, 'n', 100);
	line[100] = '\0';
	CHECK(parse(line) == -EINVAL && m.n == 1);
	CHECK(strlen(m.text[0]) == strlen("unknown option ''") + 47);
}

/* Random lines against exact-size buffers: ASan reports any overrun. */
static void test_cmdline_fuzz(void)
{
	static const char alphabet[] = "ab=\" -\t0x1kKG";
	static const struct cmdline_opt fo[] = {
		{ .name = "a", .type = CMDLINE_STRING, .size = 3 },
		{ .name = "b", .type = CMDLINE_SIZE, .max = 100 },
		{ .name = "ab", .type = CMDLINE_ENUM, .choices = levels },
		{ .name = "b-", .type = CMDLINE_FLAG },
	};
	struct cmdline_opt o[4];
	uint64_t num;
	unsigned int e;
	bool flag;
	int iter, i, len, j;

	memcpy(o, fo, sizeof(o));
	o[1].dest = &num;
	o[2].dest = &e;
	o[3].dest = &flag;
	check_seed(99);
	for (iter = 0; iter < 20000; iter++) {
		char *line, *buf = malloc(9), **av = malloc(3 * sizeof(*av));
		char *sbuf = malloc(3);
		struct cmdline_args a = {
			.buf = buf, .buf_size = 9, .argv = av, .max_argv = 3
		};

		len = (int)check_rand_below(40);
		line = malloc((size_t)len + 1);
		for (i = 0; i < len; i++)
			line[i] = alphabet[check_rand_below(sizeof(alphabet) -
							    1)];
		line[len] = '\0';
		o[0].dest = sbuf;
		(void)cmdline_parse(line, o, 4, &a, NULL, NULL);
		CHECK(a.argc >= 0 && a.argc < 3 && av[a.argc] == NULL);
		for (j = 0; j < a.argc; j++)
			CHECK(av[j] >= buf && av[j] + strlen(av[j]) < buf + 9);
		free(line);
		free(buf);
		free(av);
		free(sbuf);
	}
}

int main(void)
{
	RUN(cmdline_types, "flags, decimal/hex/K/M/G numbers, quoted strings "
			   "and enums parse");
	RUN(cmdline_app_args, "tokens after '--' become a NULL-terminated "
			      "unquoted argv");
	RUN(cmdline_errors, "9 kinds of bad options are each reported by "
			    "name while the rest still parse");
	RUN(cmdline_numbers, "64-bit overflow, max, bad suffixes and empty "
			     "numbers are rejected");
	RUN(cmdline_quotes, "unterminated quotes are reported, quoted keys "
			    "work");
	RUN(cmdline_limits, "too many args, small argv buffer, unexpected "
			    "args and long names are handled");
	RUN(cmdline_fuzz, "20000 random lines never overrun exact-size "
			  "buffers");
	return check_exit();
}
