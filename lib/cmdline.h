/*
 * Table-driven parser for the kernel command line.
 *
 * Syntax: tokens separated by spaces, tabs or newlines. A token is either
 * "key=value" or a bare "flag". Double quotes group characters, spaces
 * included, and are removed: msg="a b" sets msg to "a b". There are no
 * backslash escapes, so a value cannot contain a double quote. A key ends
 * at the first '=', so "msg=a b" (the whole token quoted) works too.
 * The token "--" ends the kernel options; every token after it becomes an
 * argument of the application, split and unquoted the same way.
 *
 * The caller describes the options in a table of struct cmdline_opt and
 * passes all storage; the parser allocates nothing and has no global state.
 * It is a leaf utility: it uses no libc and no other Skiff module, so any
 * layer, and the host unit tests, can use it.
 */
#ifndef SKIFF_LIB_CMDLINE_H
#define SKIFF_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest option name the parser can report or match, in characters. */
#define CMDLINE_NAME_MAX 47

enum cmdline_type {
	/* dest is a bool. "name" or name=1|yes|on|true sets it true,
	 * name=0|no|off|false sets it false. */
	CMDLINE_FLAG,
	/* dest is a uint64_t. Decimal or 0x-prefixed hexadecimal. */
	CMDLINE_UINT,
	/* As CMDLINE_UINT, plus an optional K, M or G suffix (either case)
	 * multiplying by 2^10, 2^20 or 2^30. */
	CMDLINE_SIZE,
	/* dest is a char array of size bytes; the value and its NUL must
	 * fit. An empty value (name=) gives an empty string. */
	CMDLINE_STRING,
	/* A repeatable option. dest is a char array of size bytes,
	 * zeroed before parsing, that collects every value in order:
	 * each NUL-terminated, the list ended by an empty string (so
	 * "a\0b\0\0"). An empty value is refused; a value that does not
	 * fit is reported and the ones before it stay. */
	CMDLINE_LIST,
	/* dest is an unsigned int set to the index of the value in choices,
	 * a NULL-terminated list of accepted strings. */
	CMDLINE_ENUM,
};

struct cmdline_opt {
	const char *name;
	enum cmdline_type type;
	void *dest;
	uint64_t max; /* UINT, SIZE: largest accepted value; 0: none */
	size_t size;  /* STRING, LIST: bytes at dest, NULs included */
	const char *const *choices; /* ENUM: NULL-terminated */
};

/*
 * Declare a command-line option next to the code that uses it: the linker
 * gathers every such declaration (linker.ld, section skiff_cmdline) and
 * the kernel parses them all at boot, so an option of a library that is
 * not linked in is simply unknown. Use at file scope:
 *   CMDLINE_OPTION(opt_loglevel) = { .name = "loglevel", ... };
 */
#define CMDLINE_OPTION(var)                 \
	static const struct cmdline_opt var \
		__attribute__((used, section("skiff_cmdline"), aligned(8)))

/*
 * Where the application's arguments (those after "--") go. The caller sets
 * buf, buf_size, argv and max_argv; the parser sets argc. Argument strings
 * are copied into buf, NUL-terminated; argv has room for max_argv pointers
 * and is always NULL-terminated, so it holds at most max_argv - 1
 * arguments.
 */
struct cmdline_args {
	char *buf;
	size_t buf_size;
	char **argv;
	int max_argv;
	int argc;
};

/* Receives one error message; msg is only valid during the call. */
typedef void (*cmdline_report_fn)(void *ctx, const char *msg);

/*
 * Parse line against the nopts options in opts and store each value at its
 * dest. A later occurrence of an option overrides an earlier one (a
 * CMDLINE_LIST option collects them all).
 *
 * Each error is passed to report (if not NULL) as one message naming the
 * offending option, e.g. "unknown option 'foo'", "missing value for option
 * 'mem'", "value too large for option 'mem' (max 1024)". The option in
 * error keeps its previous value and parsing goes on with the next token,
 * so one call reports every problem. The messages cover: unknown option,
 * missing value, bad value, value too large, string too long, unterminated
 * quote, and application arguments that do not fit (too many, or buf too
 * small) or are not expected (args is NULL).
 *
 * Returns 0 if there was no error, -EINVAL if at least one was reported
 * (the caller's report callback can count them). args may be NULL when no
 * application arguments are expected. Never writes past any buffer. Does
 * not block; callable from any context.
 */
int cmdline_parse(const char *line, const struct cmdline_opt *opts,
		  size_t nopts, struct cmdline_args *args,
		  cmdline_report_fn report, void *ctx);

#endif /* SKIFF_LIB_CMDLINE_H */
