/*
 * Kernel printf-style formatter (see kernel/fmt.h for what it supports).
 *
 * Output goes through a small sink that counts every character but stores
 * only those that fit, which gives C99's "length it would have had" result
 * for free. Each conversion is parsed into a struct fmt_spec first and then
 * printed by one emit function per kind (integer, string, character), so
 * the padding rules live in one place per kind.
 *
 * Uses no libc function and no floating point.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fmt.h"

#define FMT_LEFT 0x01u	/* '-' */
#define FMT_ZERO 0x02u	/* '0' */
#define FMT_PLUS 0x04u	/* '+' */
#define FMT_SPACE 0x08u /* ' ' */
#define FMT_ALT 0x10u	/* '#' */

/* Widths and precisions are clamped here; C leaves larger ones undefined. */
#define FMT_MAX_WIDTH (1 << 24)

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct fmt_spec {
	unsigned int flags;
	int width; /* 0 if none */
	int prec;  /* -1 if none */
	enum fmt_len len;
	char conv;
};

struct fmt_sink {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static void put(struct fmt_sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void pad(struct fmt_sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read a decimal number at *p, clamped to FMT_MAX_WIDTH. */
static int parse_num(const char **p)
{
	int n = 0;

	while (is_digit(**p)) {
		if (n < FMT_MAX_WIDTH)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n < FMT_MAX_WIDTH ? n : FMT_MAX_WIDTH;
}

static const char *parse_flags(const char *p, struct fmt_spec *sp)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			sp->flags |= FMT_LEFT;
			break;
		case '0':
			sp->flags |= FMT_ZERO;
			break;
		case '+':
			sp->flags |= FMT_PLUS;
			break;
		case ' ':
			sp->flags |= FMT_SPACE;
			break;
		case '#':
			sp->flags |= FMT_ALT;
			break;
		default:
			return p;
		}
	}
}

static const char *parse_width(const char *p, struct fmt_spec *sp, va_list *ap)
{
	int w;

	if (*p != '*') {
		sp->width = parse_num(&p);
		return p;
	}
	w = va_arg(*ap, int);
	if (w < 0) {
		/* A negative '*' width means '-' flag plus its magnitude. */
		sp->flags |= FMT_LEFT;
		w = w < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH : -w;
	}
	sp->width = w < FMT_MAX_WIDTH ? w : FMT_MAX_WIDTH;
	return p + 1;
}

static const char *parse_prec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	int pr;

	sp->prec = -1;
	if (*p != '.')
		return p;
	p++;
	if (*p != '*') {
		sp->prec = parse_num(&p);
		return p;
	}
	pr = va_arg(*ap, int);
	/* A negative '*' precision is taken as if omitted. */
	sp->prec = pr < 0 ? -1 : (pr < FMT_MAX_WIDTH ? pr : FMT_MAX_WIDTH);
	return p + 1;
}

static const char *parse_len(const char *p, struct fmt_spec *sp)
{
	sp->len = LEN_NONE;
	switch (*p) {
	case 'h':
		sp->len = p[1] == 'h' ? LEN_HH : LEN_H;
		return p + (p[1] == 'h' ? 2 : 1);
	case 'l':
		sp->len = p[1] == 'l' ? LEN_LL : LEN_L;
		return p + (p[1] == 'l' ? 2 : 1);
	case 'z':
		sp->len = LEN_Z;
		return p + 1;
	case 'j':
		sp->len = LEN_J;
		return p + 1;
	case 't':
		sp->len = LEN_T;
		return p + 1;
	default:
		return p;
	}
}

/* Parse the conversion after a '%'; returns the position after it. */
static const char *parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	sp->flags = 0;
	p = parse_flags(p, sp);
	p = parse_width(p, sp, ap);
	p = parse_prec(p, sp, ap);
	p = parse_len(p, sp);
	sp->conv = *p;
	return *p != '\0' ? p + 1 : p;
}

static uintmax_t arg_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static intmax_t arg_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	/* The signed type matching size_t is ptrdiff_t on our targets. */
	case LEN_Z:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Write digits of v in base, least significant first; returns the count. */
static int to_digits(uintmax_t v, unsigned int base, bool upper, char *out)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	while (v != 0) {
		out[n++] = set[v % base];
		v /= base;
	}
	return n;
}

/* Sign or 0x prefix for an integer conversion; returns its length. */
static int int_prefix(const struct fmt_spec *sp, uintmax_t v, bool neg,
		      char *pre)
{
	if (sp->conv == 'd' || sp->conv == 'i') {
		if (neg)
			pre[0] = '-';
		else if (sp->flags & FMT_PLUS)
			pre[0] = '+';
		else if (sp->flags & FMT_SPACE)
			pre[0] = ' ';
		else
			return 0;
		return 1;
	}
	if ((sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') &&
	    (sp->flags & FMT_ALT) && v != 0) {
		pre[0] = '0';
		pre[1] = sp->conv == 'X' ? 'X' : 'x';
		return 2;
	}
	return 0;
}

static void emit_int(struct fmt_sink *s, const struct fmt_spec *sp, uintmax_t v,
		     bool neg)
{
	char digits[24], pre[2];
	unsigned int base =
		sp->conv == 'o'						  ? 8
		: (sp->conv == 'u' || sp->conv == 'd' || sp->conv == 'i') ? 10
									  : 16;
	int n = to_digits(v, base, sp->conv == 'X', digits);
	int npre = int_prefix(sp, v, neg, pre);
	int zeros = (sp->prec < 0 ? 1 : sp->prec) - n;
	int spaces, i;

	if (zeros < 0)
		zeros = 0;
	/* '#' with 'o' forces a leading zero digit. */
	if (sp->conv == 'o' && (sp->flags & FMT_ALT) && zeros == 0 &&
	    (n == 0 || digits[n - 1] != '0'))
		zeros = 1;
	spaces = sp->width - npre - zeros - n;
	if (spaces > 0 && (sp->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO &&
	    sp->prec < 0) {
		zeros += spaces;
		spaces = 0;
	}
	if (!(sp->flags & FMT_LEFT))
		pad(s, ' ', spaces);
	for (i = 0; i < npre; i++)
		put(s, pre[i]);
	pad(s, '0', zeros);
	while (n > 0)
		put(s, digits[--n]);
	if (sp->flags & FMT_LEFT)
		pad(s, ' ', spaces);
}

/* Print n characters of str padded to the field width. */
static void emit_chars(struct fmt_sink *s, const struct fmt_spec *sp,
		       const char *str, int n)
{
	int i;

	if (!(sp->flags & FMT_LEFT))
		pad(s, ' ', sp->width - n);
	for (i = 0; i < n; i++)
		put(s, str[i]);
	if (sp->flags & FMT_LEFT)
		pad(s, ' ', sp->width - n);
}

static void emit_str(struct fmt_sink *s, const struct fmt_spec *sp,
		     const char *str)
{
	int n = 0;

	if (str == NULL)
		str = "(null)";
	/* Stop at the precision: the string need not be NUL-terminated. */
	while ((sp->prec < 0 || n < sp->prec) && str[n] != '\0' &&
	       n < INT32_MAX)
		n++;
	emit_chars(s, sp, str, n);
}

static void emit_ptr(struct fmt_sink *s, const struct fmt_spec *sp, void *p)
{
	struct fmt_spec hex = *sp;

	if (p == NULL) {
		hex.prec = -1;
		emit_chars(s, &hex, "(nil)", 5);
		return;
	}
	hex.flags |= FMT_ALT;
	emit_int(s, &hex, (uintptr_t)p, false);
}

static void emit_signed(struct fmt_sink *s, const struct fmt_spec *sp,
			intmax_t v)
{
	/* Negate in unsigned arithmetic so that INTMAX_MIN works. */
	uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;

	emit_int(s, sp, mag, v < 0);
}

static void emit(struct fmt_sink *s, const struct fmt_spec *sp, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		emit_signed(s, sp, arg_signed(sp->len, ap));
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		emit_int(s, sp, arg_unsigned(sp->len, ap), false);
		break;
	case 'p':
		emit_ptr(s, sp, va_arg(*ap, void *));
		break;
	case 's':
		emit_str(s, sp, va_arg(*ap, const char *));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_chars(s, sp, &c, 1);
		break;
	case '%':
		put(s, '%');
		break;
	default:
		/* Unknown conversion: show it, do not guess at arguments. */
		put(s, '%');
		if (sp->conv != '\0')
			put(s, sp->conv);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_sink s = { .buf = buf, .size = size, .len = 0 };
	struct fmt_spec sp;
	va_list args;

	/* Helpers take a va_list pointer; a copy makes that portable. */
	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			put(&s, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		emit(&s, &sp, &args);
	}
	va_end(args);
	if (size > 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len <= INT32_MAX ? (int)s.len : -ERANGE;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
