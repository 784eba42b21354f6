/*
 * Host tests for apps/httpd/filemeta.c: media types, HTTP dates in the
 * three formats (against known instants and a round trip over random
 * times), byte ranges (every form, the edges of the representation,
 * what is ignored and what is unsatisfiable), path normalisation (no
 * escape above the root) and URL encoding, with exact-size buffers so
 * ASan sees any overrun.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/filemeta.h"
#include "tests/unit/check.h"

static void test_httpd_mime(void)
{
	CHECK(!strcmp(filemeta_mime("/index.html"),
		      "text/html; charset=utf-8"));
	CHECK(!strcmp(filemeta_mime("/a/B.PNG"), "image/png"));
	CHECK(!strcmp(filemeta_mime("/x.tar.gz"), "application/gzip"));
	CHECK(!strcmp(filemeta_mime("/dir.html/file"),
		      "application/octet-stream"));
	CHECK(!strcmp(filemeta_mime("/noext"), "application/octet-stream"));
	CHECK(!strcmp(filemeta_mime("/trailing."), "application/octet-stream"));
	CHECK(!strcmp(filemeta_mime("/x.htmlx"), "application/octet-stream"));
	CHECK(!strcmp(filemeta_mime("style.css"), "text/css; charset=utf-8"));
}

static int parse(const char *s, int64_t *t)
{
	return filemeta_parse_date(s, strlen(s), t);
}

static void test_httpd_date_known(void)
{
	char out[FILEMETA_DATE_LEN];
	int64_t t;

	CHECK(filemeta_format_date(784111777, out) == 0);
	CHECK(!strcmp(out, "Sun, 06 Nov 1994 08:49:37 GMT"));
	CHECK(filemeta_format_date(0, out) == 0);
	CHECK(!strcmp(out, "Thu, 01 Jan 1970 00:00:00 GMT"));
	CHECK(filemeta_format_date(951782400, out) == 0); /* leap day */
	CHECK(!strcmp(out, "Tue, 29 Feb 2000 00:00:00 GMT"));
	CHECK(filemeta_format_date(-1, out) == -1 && out[0] == '\0');
	CHECK(filemeta_format_date(253402300799, out) == 0);
	CHECK(!strcmp(out, "Fri, 31 Dec 9999 23:59:59 GMT"));
	CHECK(filemeta_format_date(253402300800, out) == -1);

	CHECK(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t) == 0 &&
	      t == 784111777);
	CHECK(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t) == 0 &&
	      t == 784111777);
	CHECK(parse("Sun Nov  6 08:49:37 1994", &t) == 0 && t == 784111777);
	CHECK(parse("  Sun, 06 Nov 1994 08:49:37 GMT ", &t) == 0);
	CHECK(parse("Thu, 01 Jan 1970 00:00:00 GMT", &t) == 0 && t == 0);
	CHECK(parse("Wed, 15-Jan-25 10:00:00 GMT", &t) == -1); /* 850 short */
	CHECK(parse("Wednesday, 15-Jan-25 10:00:00 GMT", &t) == 0 &&
	      t == 1736935200);
	CHECK(parse("Tue, 29 Feb 2000 00:00:00 GMT", &t) == 0 &&
	      t == 951782400);
	CHECK(parse("Sat, 30 Jun 2012 23:59:60 GMT", &t) == 0 &&
	      t == 1341100799);
}

static void test_httpd_date_bad(void)
{
	static const char *const bad[] = {
		"",
		"Sun",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"sun, 06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 31 Nov 1994 08:49:37 GMT",
		"Sun, 29 Feb 1900 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Sun, 06 Nov 1969 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMTx",
		"Sun,06 Nov 1994 08:49:37 GMT",
		"Sunday, 06 Nov 1994 08:49:37 GMT x",
		"Sun Nov 6 08:49:37 1994",
		"Sun Nov  6 08:49:37 94",
		"Fooday, 06-Nov-94 08:49:37 GMT",
		"Sun, 06 Nov 1994 8:49:37 GMT",
	};
	int64_t t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);
		char *exact = malloc(n ? n : 1); /* no NUL: ASan checks */

		CHECK(exact != NULL);
		memcpy(exact, bad[i], n);
		if (filemeta_parse_date(exact, n, &t) != -1) {
			free(exact);
			CHECK(!"a malformed date was accepted");
		}
		free(exact);
	}
}

static void test_httpd_date_roundtrip(void)
{
	check_seed(7);
	for (int i = 0; i < 20000; i++) {
		int64_t t = (int64_t)check_rand_below(253402300800ull), back;
		char out[FILEMETA_DATE_LEN];
		char *exact = malloc(FILEMETA_DATE_LEN - 1);

		CHECK(exact != NULL);
		CHECK(filemeta_format_date(t, out) == 0);
		memcpy(exact, out, FILEMETA_DATE_LEN - 1);
		back = -1;
		(void)filemeta_parse_date(exact, FILEMETA_DATE_LEN - 1, &back);
		free(exact);
		CHECK(back == t);
	}
}

static int range(const char *s, uint64_t size, uint64_t *a, uint64_t *b)
{
	size_t n = strlen(s);
	char *exact = malloc(n ? n : 1);
	int rc;

	memcpy(exact, s, n);
	*a = *b = 12345;
	rc = filemeta_parse_range(exact, n, size, a, b);
	free(exact);
	return rc;
}

static void test_httpd_range(void)
{
	uint64_t a, b;

	CHECK(range("bytes=0-99", 1000, &a, &b) == 1 && a == 0 && b == 99);
	CHECK(range("bytes=100-", 1000, &a, &b) == 1 && a == 100 && b == 999);
	CHECK(range("bytes=-100", 1000, &a, &b) == 1 && a == 900 && b == 999);
	CHECK(range("bytes=-5000", 1000, &a, &b) == 1 && a == 0 && b == 999);
	CHECK(range("bytes=990-5000", 1000, &a, &b) == 1 && a == 990 &&
	      b == 999);
	CHECK(range("bytes=999-999", 1000, &a, &b) == 1 && a == 999 &&
	      b == 999);
	CHECK(range("Bytes = 1-2", 1000, &a, &b) == 0);
	CHECK(range(" BYTES=1-2 ", 1000, &a, &b) == 1 && a == 1 && b == 2);
	CHECK(range("bytes= 1-2 ,", 1000, &a, &b) == 1 && a == 1 && b == 2);
	/* Unsatisfiable. */
	CHECK(range("bytes=1000-", 1000, &a, &b) == -416);
	CHECK(range("bytes=1000-2000", 1000, &a, &b) == -416);
	CHECK(range("bytes=-0", 1000, &a, &b) == -416);
	CHECK(range("bytes=0-", 0, &a, &b) == -416);
	CHECK(range("bytes=-1", 0, &a, &b) == -416);
	/* Ignored: the whole representation is sent. */
	CHECK(range("bytes=0-1,5-6", 1000, &a, &b) == 0);
	CHECK(range("bytes=5-1", 1000, &a, &b) == 0);
	CHECK(range("bytes=", 1000, &a, &b) == 0);
	CHECK(range("bytes=-", 1000, &a, &b) == 0);
	CHECK(range("bytes=a-b", 1000, &a, &b) == 0);
	CHECK(range("bytes=1-2x", 1000, &a, &b) == 0);
	CHECK(range("items=1-2", 1000, &a, &b) == 0);
	CHECK(range("bytes=1234567890123456789-", 1000, &a, &b) == 0);
	CHECK(range("bytes=0-1234567890123456789", 1000, &a, &b) == 0);
	CHECK(range("bytes=0-123456789012345678", 1000, &a, &b) == 1 &&
	      b == 999);
	CHECK(range("", 1000, &a, &b) == 0);
}

static void test_httpd_range_random(void)
{
	check_seed(11);
	for (int i = 0; i < 20000; i++) {
		char s[64];
		uint64_t size = check_rand_below(5000), a, b;
		uint64_t x = check_rand_below(6000), y = check_rand_below(6000);
		int rc;

		switch (check_rand_below(3)) {
		case 0:
			snprintf(s, sizeof(s), "bytes=%llu-%llu",
				 (unsigned long long)x, (unsigned long long)y);
			break;
		case 1:
			snprintf(s, sizeof(s), "bytes=%llu-",
				 (unsigned long long)x);
			break;
		default:
			snprintf(s, sizeof(s), "bytes=-%llu",
				 (unsigned long long)x);
			break;
		}
		rc = range(s, size, &a, &b);
		if (rc == 1)
			CHECK(a <= b && b < size);
		else
			CHECK(rc == 0 || rc == -416);
	}
}

static int push(char *path, size_t cap, const char *rel)
{
	return filemeta_path_push(path, cap, rel);
}

static void test_httpd_path(void)
{
	char p[32];

	p[0] = '\0';
	CHECK(push(p, sizeof(p), "/") == 0 && !strcmp(p, ""));
	CHECK(push(p, sizeof(p), "/a//b/./c/") == 0 && !strcmp(p, "a/b/c"));
	CHECK(push(p, sizeof(p), "../d") == 0 && !strcmp(p, "a/b/d"));
	CHECK(push(p, sizeof(p), "../../..") == 0 && !strcmp(p, ""));
	CHECK(push(p, sizeof(p), "..") == -1);
	p[0] = '\0';
	CHECK(push(p, sizeof(p), "a/../../etc/passwd") == -1);
	p[0] = '\0';
	CHECK(push(p, sizeof(p), ".../x") == 0 && !strcmp(p, ".../x"));
	p[0] = '\0';
	CHECK(push(p, sizeof(p), "..a/b..") == 0 && !strcmp(p, "..a/b.."));
	/* Exact fit: 31 characters and the NUL. */
	p[0] = '\0';
	CHECK(push(p, sizeof(p), "aaaaaaaaaaaaaaa/bbbbbbbbbbbbbbb") == 0);
	CHECK(strlen(p) == 31);
	CHECK(push(p, sizeof(p), "c") == -1);
	p[0] = '\0';
	CHECK(push(p, sizeof(p), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == -1);

	CHECK(filemeta_path_has_prefix_segment("a/.tmp-1/b", ".tmp-"));
	CHECK(filemeta_path_has_prefix_segment(".tmp-x", ".tmp-"));
	CHECK(!filemeta_path_has_prefix_segment("a/x.tmp-1", ".tmp-"));
	CHECK(!filemeta_path_has_prefix_segment("", ".tmp-"));
}

static void test_httpd_path_random(void)
{
	static const char *const segs[] = { "a", "bb", ".", "..", "", "c.d" };

	check_seed(3);
	for (int i = 0; i < 20000; i++) {
		char rel[128] = "", p[24] = "";
		int depth = 0, escapes = 0, n = (int)check_rand_below(10);

		for (int k = 0; k < n; k++) {
			const char *s = segs[check_rand_below(6)];

			strcat(rel, "/");
			strcat(rel, s);
			if (!strcmp(s, ".."))
				escapes |= --depth < 0;
			else if (*s && strcmp(s, "."))
				depth++;
		}
		if (push(p, sizeof(p), rel) == 0) {
			CHECK(!escapes);
			CHECK(p[0] != '/' && strstr(p, "//") == NULL);
			CHECK(strcmp(p, "..") && strncmp(p, "../", 3));
			CHECK(strstr(p, "/../") == NULL);
		} else if (!escapes) {
			char big[256] = "";

			/* Not an escape: only a result too long may fail. */
			CHECK(push(big, sizeof(big), rel) == 0);
			CHECK(strlen(big) >= sizeof(p) - 1);
		}
	}
}

static void test_httpd_url_encode(void)
{
	char out[16];

	CHECK(filemeta_url_encode("/a b/é", out, sizeof(out)) == 0);
	CHECK(!strcmp(out, "/a%20b/%C3%A9"));
	CHECK(filemeta_url_encode("/x?y#z%", out, sizeof(out)) == 0);
	CHECK(!strcmp(out, "/x%3Fy%23z%25"));
	CHECK(filemeta_url_encode("/0123456789abcd", out, sizeof(out)) == 0);
	CHECK(filemeta_url_encode("/0123456789abcde", out, sizeof(out)) == -1);
	CHECK(filemeta_url_encode("/0123456789ab c", out, sizeof(out)) == -1);
}

int main(void)
{
	RUN(httpd_mime, "extensions in any case, last segment only");
	RUN(httpd_date_known, "IMF-fixdate, RFC 850 and asctime at known "
			      "instants, leap day, leap second, year 9999");
	RUN(httpd_date_bad, "21 malformed or impossible dates refused");
	RUN(httpd_date_roundtrip, "20000 random times format and parse back");
	RUN(httpd_range, "first-last, first-, -suffix, clamping, 416, "
			 "ignored forms");
	RUN(httpd_range_random, "20000 random ranges stay inside the file");
	RUN(httpd_path, "segments normalised, no climb above the root, "
			"exact-fit buffer");
	RUN(httpd_path_random, "20000 random paths: never escape, never "
			       "'..' or '//' in the result");
	RUN(httpd_url_encode, "reserved and non-ASCII bytes encoded, "
			      "exact fit");
	return check_exit();
}
