/*
 * Kernel command-line parser (see lib/cmdline.h for syntax and contract).
 *
 * The line is never modified or copied as a whole. A tokenizer returns the
 * raw span of each token, quotes included; values are unquoted only into
 * their final destination, after their length has been checked, so a value
 * that does not fit changes nothing. Error messages are built in a fixed
 * buffer on the stack and truncated if needed.
 *
 * This file uses no libc functions, not even the string functions the
 * kernel provides, so it stays a dependency-free leaf utility.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ascii.h"
#include "lib/cmdline.h"

#define CMDLINE_MSG_MAX 160
#define CMDLINE_WORD_MAX 32 /* numbers, flag words, enum choices */

/* A token as it appears in the line, quotes included. */
struct cl_token {
	const char *p;
	size_t len;
	bool open_quote; /* ended inside quotes, at the end of the line */
};

struct cl_parser {
	cmdline_report_fn report;
	void *ctx;
	int nerrors;
};

struct cl_msg {
	char buf[CMDLINE_MSG_MAX];
	size_t len;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Find the token starting at or after s; returns false at end of line. */
static bool next_token(const char **s, struct cl_token *t)
{
	const char *p = *s;
	bool quoted = false;

	while (is_space(*p))
		p++;
	if (*p == '\0')
		return false;
	t->p = p;
	for (; *p != '\0' && (quoted || !is_space(*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
	}
	t->len = (size_t)(p - t->p);
	t->open_quote = quoted;
	*s = p;
	return true;
}

static size_t unquoted_len(const char *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] != '"';
	return n;
}

/* Copy p[0..len) without quotes to dst, plus a NUL; the caller checked
 * that dst has unquoted_len(p, len) + 1 bytes. */
static void unquote(const char *p, size_t len, char *dst)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != '"')
			*dst++ = p[i];
	}
	*dst = '\0';
}

/* Unquote into a small buffer; returns false if it does not fit. */
static bool unquote_word(const char *p, size_t len, char *dst, size_t cap)
{
	if (unquoted_len(p, len) + 1 > cap)
		return false;
	unquote(p, len, dst);
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void msg_add(struct cl_msg *m, const char *s)
{
	while (*s != '\0' && m->len + 1 < sizeof(m->buf))
		m->buf[m->len++] = *s++;
	m->buf[m->len] = '\0';
}

static void msg_add_u64(struct cl_msg *m, uint64_t v)
{
	char digits[21];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0) {
		char one[2] = { digits[--n], '\0' };

		msg_add(m, one);
	}
}

/* Report "<what> '<name>'<tail>"; tail may be NULL. */
static void fail(struct cl_parser *ps, struct cl_msg *m, const char *what,
		 const char *name, const char *tail)
{
	struct cl_msg head = { .len = 0 };

	msg_add(&head, what);
	msg_add(&head, " '");
	msg_add(&head, name);
	msg_add(&head, "'");
	if (tail != NULL)
		msg_add(&head, tail);
	if (m != NULL)
		msg_add(&head, m->buf);
	ps->nerrors++;
	if (ps->report != NULL)
		ps->report(ps->ctx, head.buf);
}

/* Shift for a size suffix, or -1 if c is not one. */
static int suffix_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	default:
		return -1;
	}
}

/*
 * Parse a whole string as a number. Returns 0, -EINVAL if it is not a
 * number, or -ERANGE if it does not fit in 64 bits.
 */
static int parse_u64(const char *s, bool allow_suffix, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int d, shift;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -EINVAL;
	for (; (d = ascii_digit_value(*s)) >= 0 && d < (int)base; s++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	shift = allow_suffix ? suffix_shift(*s) : -1;
	if (shift >= 0) {
		s++;
		if (v > UINT64_MAX >> shift)
			return -ERANGE;
		v <<= shift;
	}
	if (*s != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* Returns 1 for a true word, 0 for a false one, -EINVAL otherwise. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (str_eq(s, yes[i]))
			return 1;
		if (str_eq(s, no[i]))
			return 0;
	}
	return -EINVAL;
}

static void set_flag(struct cl_parser *ps, const struct cmdline_opt *o,
		     const struct cl_token *val)
{
	char word[CMDLINE_WORD_MAX];
	int r;

	if (val == NULL) {
		*(bool *)o->dest = true;
		return;
	}
	r = unquote_word(val->p, val->len, word, sizeof(word))
		    ? parse_bool(word)
		    : -EINVAL;
	if (r < 0)
		fail(ps, NULL, "bad value for flag", o->name,
		     " (expected 0|1|no|yes|off|on|false|true)");
	else
		*(bool *)o->dest = r == 1;
}

static void set_uint(struct cl_parser *ps, const struct cmdline_opt *o,
		     const struct cl_token *val)
{
	char word[CMDLINE_WORD_MAX];
	struct cl_msg tail = { .len = 0 };
	uint64_t v;
	int r;

	r = unquote_word(val->p, val->len, word, sizeof(word))
		    ? parse_u64(word, o->type == CMDLINE_SIZE, &v)
		    : -EINVAL;
	if (r == 0 && o->max != 0 && v > o->max)
		r = -ERANGE;
	if (r == -EINVAL) {
		fail(ps, NULL, "bad value for option", o->name,
		     o->type == CMDLINE_SIZE
			     ? " (expected a number, optionally with K, M or G)"
			     : " (expected a number)");
		return;
	}
	if (r == -ERANGE) {
		msg_add(&tail, " (max ");
		msg_add_u64(&tail, o->max != 0 ? o->max : UINT64_MAX);
		msg_add(&tail, ")");
		fail(ps, &tail, "value too large for option", o->name, NULL);
		return;
	}
	*(uint64_t *)o->dest = v;
}

static void set_string(struct cl_parser *ps, const struct cmdline_opt *o,
		       const struct cl_token *val)
{
	struct cl_msg tail = { .len = 0 };

	if (unquoted_len(val->p, val->len) + 1 > o->size) {
		msg_add(&tail, " (max ");
		msg_add_u64(&tail, o->size > 0 ? o->size - 1 : 0);
		msg_add(&tail, " characters)");
		fail(ps, &tail, "value too long for option", o->name, NULL);
		return;
	}
	unquote(val->p, val->len, o->dest);
}

/* Where the next value of a list goes: after the last NUL-terminated
 * value, at the empty string that ends the list. */
static size_t list_end(const char *list, size_t size)
{
	size_t i = 0;

	while (i < size && list[i] != '\0') {
		while (i < size && list[i] != '\0')
			i++;
		i++;
	}
	return i;
}

static void set_list(struct cl_parser *ps, const struct cmdline_opt *o,
		     const struct cl_token *val)
{
	char *list = o->dest;
	size_t end = list_end(list, o->size);
	size_t len = unquoted_len(val->p, val->len);
	struct cl_msg tail = { .len = 0 };

	if (len == 0) {
		fail(ps, NULL, "empty value for option", o->name, NULL);
		return;
	}
	/* The value, its NUL and the list's closing NUL must fit. */
	if (end + len + 2 > o->size) {
		msg_add(&tail, " (");
		msg_add_u64(&tail, o->size);
		msg_add(&tail, " bytes for all of them)");
		fail(ps, &tail, "too many values for option", o->name, NULL);
		return;
	}
	unquote(val->p, val->len, list + end);
	list[end + len + 1] = '\0';
}

static void set_enum(struct cl_parser *ps, const struct cmdline_opt *o,
		     const struct cl_token *val)
{
	char word[CMDLINE_WORD_MAX];
	struct cl_msg tail = { .len = 0 };
	unsigned int i;

	if (unquote_word(val->p, val->len, word, sizeof(word))) {
		for (i = 0; o->choices != NULL && o->choices[i] != NULL; i++) {
			if (str_eq(word, o->choices[i])) {
				*(unsigned int *)o->dest = i;
				return;
			}
		}
	}
	msg_add(&tail, " (expected ");
	for (i = 0; o->choices != NULL && o->choices[i] != NULL; i++) {
		msg_add(&tail, i > 0 ? "|" : "");
		msg_add(&tail, o->choices[i]);
	}
	msg_add(&tail, ")");
	fail(ps, &tail, "bad value for option", o->name, NULL);
}

static const struct cmdline_opt *find_opt(const struct cmdline_opt *opts,
					  size_t nopts, const char *name)
{
	size_t i;

	for (i = 0; i < nopts; i++) {
		if (str_eq(opts[i].name, name))
			return &opts[i];
	}
	return NULL;
}

/*
 * Split a raw token at its first '=', quoted or not, so that both
 * msg="a=b" and "msg=a b" (the whole token quoted) mean msg = ....
 */
static bool split_at_equals(const struct cl_token *t, struct cl_token *key,
			    struct cl_token *val)
{
	size_t i;

	for (i = 0; i < t->len && t->p[i] != '='; i++)
		;
	*key = (struct cl_token){ .p = t->p, .len = i };
	if (i == t->len)
		return false;
	*val = (struct cl_token){ .p = t->p + i + 1, .len = t->len - i - 1 };
	return true;
}

/* Unquoted key for matching and messages, cut to CMDLINE_NAME_MAX. */
static void key_name(const struct cl_token *key, char *name)
{
	size_t i, n = 0;

	for (i = 0; i < key->len && n < CMDLINE_NAME_MAX; i++) {
		if (key->p[i] != '"')
			name[n++] = key->p[i];
	}
	name[n] = '\0';
}

static void parse_option(struct cl_parser *ps, const struct cl_token *t,
			 const struct cmdline_opt *opts, size_t nopts)
{
	char name[CMDLINE_NAME_MAX + 1];
	struct cl_token key, val = { .p = NULL, .len = 0 };
	bool has_val = split_at_equals(t, &key, &val);
	const struct cmdline_opt *o;

	key_name(&key, name);
	o = unquoted_len(key.p, key.len) <= CMDLINE_NAME_MAX
		    ? find_opt(opts, nopts, name)
		    : NULL;
	if (t->open_quote)
		fail(ps, NULL, "unterminated quote in option", name, NULL);
	else if (o == NULL)
		fail(ps, NULL, "unknown option", name, NULL);
	else if (o->type == CMDLINE_FLAG)
		set_flag(ps, o, has_val ? &val : NULL);
	else if (!has_val)
		fail(ps, NULL, "missing value for option", name, NULL);
	else if (o->type == CMDLINE_STRING)
		set_string(ps, o, &val);
	else if (o->type == CMDLINE_LIST)
		set_list(ps, o, &val);
	else if (o->type == CMDLINE_ENUM)
		set_enum(ps, o, &val);
	else
		set_uint(ps, o, &val);
}

/* Append one application argument; returns false once args are full. */
static bool add_arg(struct cl_parser *ps, struct cmdline_args *a,
		    const struct cl_token *t, size_t *used)
{
	struct cl_msg tail = { .len = 0 };
	size_t n = unquoted_len(t->p, t->len) + 1;

	if (a->argc + 1 >= a->max_argv) {
		msg_add_u64(&tail,
			    a->max_argv > 0 ? (uint64_t)a->max_argv - 1 : 0);
		msg_add(&tail, ")");
		fail(ps, &tail, "too many application arguments after", "--",
		     " (max ");
		return false;
	}
	if (n > a->buf_size - *used) {
		msg_add_u64(&tail, a->buf_size);
		msg_add(&tail, " bytes)");
		fail(ps, &tail, "application arguments too long after", "--",
		     " (buffer ");
		return false;
	}
	a->argv[a->argc++] = a->buf + *used;
	unquote(t->p, t->len, a->buf + *used);
	*used += n;
	a->argv[a->argc] = NULL;
	return true;
}

static void parse_app_args(struct cl_parser *ps, const char *s,
			   struct cmdline_args *a)
{
	struct cl_token t;
	size_t used = 0;

	while (next_token(&s, &t)) {
		if (a == NULL) {
			fail(ps, NULL,
			     "no application arguments expected after", "--",
			     NULL);
			return;
		}
		if (t.open_quote) {
			fail(ps, NULL, "unterminated quote in argument after",
			     "--", NULL);
			return;
		}
		if (!add_arg(ps, a, &t, &used))
			return;
	}
}

int cmdline_parse(const char *line, const struct cmdline_opt *opts,
		  size_t nopts, struct cmdline_args *args,
		  cmdline_report_fn report, void *ctx)
{
	struct cl_parser ps = { .report = report, .ctx = ctx, .nerrors = 0 };
	struct cl_token t;

	if (args != NULL) {
		args->argc = 0;
		if (args->max_argv > 0)
			args->argv[0] = NULL;
	}
	while (line != NULL && next_token(&line, &t)) {
		if (t.len == 2 && t.p[0] == '-' && t.p[1] == '-') {
			parse_app_args(&ps, line, args);
			break;
		}
		parse_option(&ps, &t, opts, nopts);
	}
	return ps.nerrors == 0 ? 0 : -EINVAL;
}
