/*
 * Host tests for apps/httpd/request.c: the request line and the fields a
 * file server acts on (PUT and its Content-Length, Expect, Range,
 * If-Range, If-Modified-Since), the paths that must never reach the file
 * system ("..", also percent-encoded, NUL), and random mutations of valid
 * requests in exact-size buffers so ASan sees any read past the input.
 */
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/httpd.h"
#include "tests/unit/check.h"

static struct http_request req;

/* Parse s from a heap copy of exactly its length (no NUL after it). */
static long parse_n(const char *s, size_t n)
{
	char *exact = malloc(n ? n : 1);
	long rc;

	memcpy(exact, s, n);
	rc = http_parse_request(exact, n, &req);
	free(exact);
	return rc;
}

static long parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static void test_httpd_request_basic(void)
{
	const char *get = "GET /a/b.html?q=1 HTTP/1.1\r\nHost: x\r\n\r\n";

	CHECK(parse(get) == (long)strlen(get));
	CHECK(req.method == HTTP_GET && req.minor == 1 && req.keep_alive);
	CHECK(!strcmp(req.path, "/a/b.html"));
	CHECK(!req.has_length && req.range[0] == '\0');
	CHECK(parse_n(get, strlen(get) - 1) == 0);
	CHECK(parse("HEAD / HTTP/1.0\r\n\r\n") > 0 && req.method == HTTP_HEAD);
	CHECK(!req.keep_alive);
	CHECK(parse("POST / HTTP/1.1\r\nHost: x\r\n\r\n") > 0 &&
	      req.method == HTTP_OTHER);
	CHECK(parse("BREW / HTTP/1.1\r\nHost: x\r\n\r\n") > 0 &&
	      req.method == HTTP_UNKNOWN);
	CHECK(parse("GET / HTTP/1.1\r\n\r\n") == -400);
	CHECK(parse("GET / HTTP/2.0\r\nHost: x\r\n\r\n") == -505);
}

static void test_httpd_request_put(void)
{
	const char *put = "PUT /up/f.bin HTTP/1.1\r\nHost: x\r\n"
			  "Content-Length: 12345\r\n"
			  "Expect: 100-continue\r\n\r\nbody...";

	CHECK(parse(put) == (long)(strlen(put) - strlen("body...")));
	CHECK(req.method == HTTP_PUT && req.has_length);
	CHECK(req.content_length == 12345 && req.expect_continue);
	CHECK(parse("PUT /f HTTP/1.1\r\nHost: x\r\n\r\n") > 0);
	CHECK(!req.has_length && !req.expect_continue);
	CHECK(parse("PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") >
	      0);
	CHECK(req.has_length && req.content_length == 0);
	CHECK(parse("PUT /f HTTP/1.1\r\nHost: x\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n") == -501);
	CHECK(parse("PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
		    "Content-Length: 2\r\n\r\n") == -400);
}

static void test_httpd_request_conditional(void)
{
	char big[512];

	CHECK(parse("GET /f HTTP/1.1\r\nHost: x\r\nRange:  bytes=0-9 \r\n"
		    "If-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
		    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
		    "\r\n") > 0);
	CHECK(!strcmp(req.range, "bytes=0-9"));
	CHECK(!strcmp(req.if_range, "Sun, 06 Nov 1994 08:49:37 GMT"));
	CHECK(!strcmp(req.if_modified_since, req.if_range));
	/* Repeated: ignored. */
	CHECK(parse("GET /f HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n"
		    "range: bytes=2-3\r\n\r\n") > 0);
	CHECK(req.range[0] == '\0');
	/* Too long to keep: ignored, the request still stands. */
	snprintf(big, sizeof(big),
		 "GET /f HTTP/1.1\r\nHost: x\r\nRange: bytes=%0*d-\r\n\r\n",
		 HTTP_VALUE_MAX, 1);
	CHECK(parse(big) > 0 && req.range[0] == '\0');
	snprintf(big, sizeof(big),
		 "GET /f HTTP/1.1\r\nHost: x\r\nRange: bytes=%0*d-\r\n\r\n",
		 HTTP_VALUE_MAX - 8, 1);
	CHECK(parse(big) > 0 && strlen(req.range) == HTTP_VALUE_MAX - 1);
}

static void test_httpd_request_paths(void)
{
	static const char *const refused[] = {
		"/..",	     "/../etc/passwd", "/a/../../b",
		"/%2e%2e/x", "/%2E%2e",	       "/a/%2e%2E/",
		"/a%00b",    "/.%2e/",	       "/%2e./x/",
	};
	char r[128];

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(r, sizeof(r), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n",
			 refused[i]);
		CHECK(parse(r) == -400);
	}
	CHECK(parse("GET /a..b/..c/d.. HTTP/1.1\r\nHost: x\r\n\r\n") > 0);
	CHECK(!strcmp(req.path, "/a..b/..c/d.."));
	CHECK(parse("GET /a%20b%2Fc HTTP/1.1\r\nHost: x\r\n\r\n") > 0);
	CHECK(!strcmp(req.path, "/a b/c"));
	CHECK(parse("GET http://h/x/y HTTP/1.1\r\nHost: h\r\n\r\n") > 0);
	CHECK(!strcmp(req.path, "/x/y"));
}

/* Random byte changes to valid requests: the parser must answer (any
 * result) without reading outside the input, and a positive result must
 * be a length inside it with a path free of ".." segments. */
static void test_httpd_request_mutations(void)
{
	static const char *const seeds[] = {
		"GET /a/b HTTP/1.1\r\nHost: x\r\nRange: bytes=1-2\r\n\r\n",
		"PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Expect: 100-continue\r\n\r\nhello",
		"HEAD /%41/%2e HTTP/1.0\r\nIf-Modified-Since: x\r\n\r\n",
	};
	static const char alphabet[] = "\r\n :/.%2eE0-,aA\t\x7f";

	check_seed(99);
	for (int i = 0; i < 30000; i++) {
		const char *seed = seeds[check_rand_below(3)];
		size_t n = strlen(seed);
		char *b = malloc(n);
		long rc;

		memcpy(b, seed, n);
		for (int k = (int)check_rand_below(4); k >= 0; k--)
			b[check_rand_below(n)] = alphabet[check_rand_below(
				sizeof(alphabet) - 1)];
		n = (size_t)check_rand_below(n + 1);
		rc = http_parse_request(b, n, &req);
		free(b);
		CHECK(rc <= (long)n);
		if (rc > 0) {
			CHECK(strstr(req.path, "/../") == NULL);
			CHECK(strlen(req.path) < 3 ||
			      strcmp(req.path + strlen(req.path) - 3, "/.."));
		}
	}
}

int main(void)
{
	RUN(httpd_request_basic, "methods, versions, Host, incomplete input");
	RUN(httpd_request_put, "PUT with and without Content-Length, Expect, "
			       "chunked refused, conflicting lengths");
	RUN(httpd_request_conditional, "Range, If-Range, If-Modified-Since "
				       "kept; repeated or too long ignored");
	RUN(httpd_request_paths, "'..' plain and percent-encoded, NUL "
				 "refused; dots inside names kept");
	RUN(httpd_request_mutations, "30000 mutated requests in exact-size "
				     "buffers");
	return check_exit();
}
