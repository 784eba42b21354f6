/*
 * Host tests for kernel/fmt.c: every supported conversion, flag, width,
 * precision and length modifier is compared with the host's snprintf,
 * including truncation at small buffer sizes, plus the cases where we
 * define behaviour the C standard leaves open (NULL for %s and %p).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/fmt.h"
#include "tests/unit/check.h"

static char why[512];

/* Compare with the host at several buffer sizes; record the first miss. */
static void vsame(const char *fmt, va_list args)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 17, 300 };
	char want[320], got[320];
	va_list ap, aq;
	int rw, rg;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(want, 'Z', sizeof(want));
		memset(got, 'Z', sizeof(got));
		va_copy(ap, args);
		va_copy(aq, args);
		rw = vsnprintf(sizes[i] ? want : NULL, sizes[i], fmt, ap);
		rg = fmt_vsnprintf(sizes[i] ? got : NULL, sizes[i], fmt, aq);
		va_end(aq);
		va_end(ap);
		if (rw != rg || memcmp(want, got, sizeof(want)) != 0) {
			snprintf(why, sizeof(why),
				 "format \"%s\" size %zu: want %d \"%.60s\", "
				 "got %d \"%.60s\"",
				 fmt, sizes[i], rw, sizes[i] ? want : "", rg,
				 sizes[i] ? got : "");
			check_fail(__FILE__, __LINE__, why);
			return;
		}
	}
}

/* Checked by the compiler's format warnings. */
static void __attribute__((format(printf, 1, 2))) same(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsame(fmt, ap);
	va_end(ap);
}

/* For flag mixes the compiler warns about although C defines them, and
 * for dynamic formats. */
static void same_odd(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsame(fmt, ap);
	va_end(ap);
}

/* fmt_snprintf() without format warnings, for deliberately odd input. */
static int odd_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_fmt_basic(void)
{
	int x = 0;

	same("plain text");
	same("%%");
	same("%d %i %u %x %X %o", -42, 42, 42u, 0xbeefu, 0xbeefu, 8u);
	same("%c%c%c", 'a', 'b', 0x7a);
	same("[%s] [%10s] [%-10s] [%.2s] [%*.*s]", "hi", "hi", "hi", "hello", 8,
	     3, "abcdef");
	same("[%.*s]", 3, "abcdefgh");
	same("[%.*s]", -1, "abc");
	same("[%*d] [%-*d]", -6, 12, 6, 12);
	same("%d %d", INT_MIN, INT_MAX);
	same("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	same("%lld %llu %llo", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	same("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	same("%hhx %hx", -1, -1);
	same("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)12345, (ptrdiff_t)-5);
	same("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	same("%td %tx", (ptrdiff_t)-77, (ptrdiff_t)0x1234);
	same("%p %20p %-20p|", (void *)&x, (void *)&x, (void *)0x1234);
	same("%p", (void *)0);
	same("%5c|%-5c|", 'q', 'r');
	same("%#o %#o %#.0o %.0o %#x %#X %#x", 0u, 8u, 0u, 0u, 0u, 255u, 255u);
	same("%.0d|%.0u|%.0x|%5.0d|", 0, 0u, 0u, 0);
	same_odd("%+d % d %+d % d %+ d", 5, 5, -5, -5, 5);
	same_odd("%08.3d|%-08d|%+08d|% 08d|%#010x|%#08o", 7, 7, 7, 7, 0xabu,
		 9u);
	same("a%sb%sc", "", "xyz");
	same("%s", "a string longer than the small buffer sizes used here");
	CHECK_OK();
}

static const char *const flag_sets[] = {
	"", "-", "0", "+", " ", "#", "-+", "0+", "0 ", "-#", "0#", "+ #0-",
};
static const char *const widths[] = { "", "0", "1", "6", "25" };
static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".22" };

/* Every flag, width and precision mix for one conversion and value. */
static void mix(const char *len, char conv, long long v)
{
	size_t f, w, p;
	char spec[64];

	for (f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
				snprintf(spec, sizeof(spec), "<%%%s%s%s%s%c>",
					 flag_sets[f], widths[w], precs[p], len,
					 conv);
				if (len[0] == 'l')
					same_odd(spec, v);
				else
					same_odd(spec, (int)v);
				if (why[0] != '\0')
					return;
			}
}

static void test_fmt_integer_matrix(void)
{
	static const long long vals[] = {
		0,
		1,
		-1,
		7,
		42,
		-42,
		255,
		4096,
		INT_MAX,
		INT_MIN,
		LLONG_MAX,
		LLONG_MIN,
		0x123456789abcdefll,
	};
	static const char convs[] = "diuxXo";
	size_t v, c;

	why[0] = '\0';
	for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
		for (c = 0; convs[c] != '\0'; c++) {
			mix("ll", convs[c], vals[v]);
			mix("", convs[c], vals[v]);
			mix("hh", convs[c], vals[v]);
			CHECK_OK();
		}
	}
}

static void test_fmt_string_matrix(void)
{
	static const char *const strs[] = { "", "a", "hello", "with space" };
	size_t s, f, w, p;
	char spec[64];

	why[0] = '\0';
	for (s = 0; s < sizeof(strs) / sizeof(strs[0]); s++)
		for (f = 0; f < 3; f++) /* "", "-", "0"-less sets only */
			for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
				for (p = 0;
				     p < sizeof(precs) / sizeof(precs[0]);
				     p++) {
					snprintf(spec, sizeof(spec),
						 "<%%%s%s%ss>",
						 f == 2 ? "" : flag_sets[f],
						 widths[w], precs[p]);
					same_odd(spec, strs[s]);
					CHECK_OK();
				}
}

static void test_fmt_truncation(void)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	CHECK(fmt_snprintf(buf, 4, "%d", 123456) == 6);
	CHECK(strcmp(buf, "123") == 0 && buf[4] == 'Z');
	memset(buf, 'Z', sizeof(buf));
	CHECK(fmt_snprintf(buf, 1, "abc") == 3 && buf[0] == '\0');
	CHECK(buf[1] == 'Z');
	CHECK(fmt_snprintf(NULL, 0, "%s-%d", "abc", 10) == 6);
	CHECK(fmt_snprintf(buf, sizeof(buf), "%s", "") == 0 && buf[0] == 0);
}

static void test_fmt_null_and_unknown(void)
{
	char buf[64];
	char unterminated[3] = { 'a', 'b', 'c' };

	CHECK(odd_snprintf(buf, sizeof(buf), "[%s]", (char *)NULL) == 8);
	CHECK(strcmp(buf, "[(null)]") == 0);
	CHECK(odd_snprintf(buf, sizeof(buf), "[%.3s]", (char *)NULL) == 5);
	CHECK(strcmp(buf, "[(nu]") == 0);
	CHECK(fmt_snprintf(buf, sizeof(buf), "[%6p]", (void *)0) == 8);
	CHECK(strcmp(buf, "[ (nil)]") == 0);
	/* A precision bounds the read: no NUL needed within it. */
	CHECK(fmt_snprintf(buf, sizeof(buf), "%.3s", unterminated) == 3);
	CHECK(strcmp(buf, "abc") == 0);
	/* %w is not supported and is copied; a trailing % is kept. */
	CHECK(odd_snprintf(buf, sizeof(buf), "a%wb%", 1) == 5);
	CHECK(strcmp(buf, "a%wb%") == 0);
}

int main(void)
{
	RUN(fmt_basic, "every conversion and length modifier matches the "
		       "host snprintf at buffer sizes 0..300");
	RUN(fmt_integer_matrix,
	    "13 values x 6 conversions x 3 lengths x "
	    "12 flag sets x 5 widths x 6 precisions match the host");
	RUN(fmt_string_matrix, "%s with widths, precisions and '-' matches "
			       "the host");
	RUN(fmt_truncation, "output is cut and NUL-terminated, the return is "
			    "the untruncated length");
	RUN(fmt_null_and_unknown,
	    "NULL %s/%p print (null)/(nil), precision "
	    "bounds reads, unknown conversions are copied");
	return check_exit();
}
