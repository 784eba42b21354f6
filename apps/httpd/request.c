/*
 * Parsing one HTTP/1.x request header section (RFC 9112 sections 2-3 and
 * 5, RFC 9110 for the fields we act on: Host, Connection,
 * Content-Length, Transfer-Encoding, Expect, and the ones a file server
 * reads: Range, If-Range, If-Modified-Since, whose values are kept as
 * text for filemeta.c).
 *
 * The input is untrusted bytes that need not end in NUL. Nothing here
 * reads outside [buf, buf + len), and every length that reaches a fixed
 * buffer is checked first. Strict where leniency could let two parsers
 * disagree about where a request ends (no whitespace before a field's
 * colon, no obsolete line folding, one Content-Length value, no
 * Content-Length together with Transfer-Encoding); lenient where RFC 9112
 * allows it (bare LF line ends, empty lines before the request line).
 *
 * Not here: I/O, the response, which methods and paths exist.
 */
#include <string.h>

#include "httpd.h"

/* A line of the header section, without its CRLF or LF. */
struct line {
	const char *p;
	size_t len;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 5.6.2 tchar. */
static int is_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Field values: visible characters, space, tab and obs-text. */
static int is_value_char(int c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int eq_nocase(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != b[i])
			return 0;
	return 1;
}

/*
 * Where the header section ends (just after its empty line), or 0 when it
 * has not arrived yet. *start is set past the empty lines a client may send
 * before the request line (RFC 9112 2.2).
 */
static size_t section_end(const char *b, size_t len, size_t *start)
{
	size_t i = 0;

	while (i < len && (b[i] == '\r' || b[i] == '\n'))
		i++;
	*start = i;
	for (size_t j = i; j < len; j++) {
		if (b[j] != '\n')
			continue;
		if (j + 1 < len && b[j + 1] == '\n')
			return j + 2;
		if (j + 2 < len && b[j + 1] == '\r' && b[j + 2] == '\n')
			return j + 3;
	}
	return 0;
}

/* The next line of [*p, end); a CR may only appear right before the LF.
 * Returns 0, or -400. */
static int next_line(const char **p, const char *end, struct line *l)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));

	if (!nl)
		return -400; /* section_end() saw one: cannot happen */
	l->p = *p;
	l->len = (size_t)(nl - *p);
	if (l->len > 0 && l->p[l->len - 1] == '\r')
		l->len--;
	*p = nl + 1;
	for (size_t i = 0; i < l->len; i++)
		if (!is_value_char((unsigned char)l->p[i]))
			return -400;
	return 0;
}

static enum http_method method_of(const char *m, size_t len)
{
	static const char *const others[] = { "POST",	 "DELETE", "CONNECT",
					      "OPTIONS", "TRACE",  "PATCH" };

	if (len == 3 && !memcmp(m, "GET", 3))
		return HTTP_GET;
	if (len == 4 && !memcmp(m, "HEAD", 4))
		return HTTP_HEAD;
	if (len == 3 && !memcmp(m, "PUT", 3))
		return HTTP_PUT;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (len == strlen(others[i]) && !memcmp(m, others[i], len))
			return HTTP_OTHER;
	return HTTP_UNKNOWN;
}

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 1 when path (NUL-terminated) has a ".." segment. */
static int has_dotdot(const char *path)
{
	for (const char *s = path; (s = strstr(s, "..")) != NULL; s += 2)
		if (s[-1] == '/' && (s[2] == '/' || s[2] == '\0'))
			return 1;
	return 0;
}

/* Decode the path of an origin-form target into out, up to '?' or '#'. */
static int decode_path(const char *t, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len && t[i] != '?' && t[i] != '#'; i++) {
		int c = (unsigned char)t[i];

		if (c == '%') {
			int hi = i + 2 < len ? hex_value(t[i + 1]) : -1;
			int lo = hi >= 0 ? hex_value(t[i + 2]) : -1;

			if (lo < 0 || (hi == 0 && lo == 0))
				return -400;
			c = hi * 16 + lo;
			i += 2;
		}
		out[o++] = (char)c; /* o < len < HTTP_TARGET_MAX */
	}
	out[o] = '\0';
	return has_dotdot(out) ? -400 : 0;
}

/* The request-target: origin form, absolute form (its path is used; Host
 * still has to be there) or "*". */
static int parse_target(const char *t, size_t len, struct http_request *req)
{
	if (len >= HTTP_TARGET_MAX)
		return -414;
	if (len == 1 && t[0] == '*') {
		strcpy(req->path, "*");
		return 0;
	}
	if (len > 7 && (eq_nocase(t, 7, "http://") ||
			(len > 8 && eq_nocase(t, 8, "https://")))) {
		const char *auth = (const char *)memchr(t, ':', len) + 3;
		const char *slash = memchr(auth, '/', len - (size_t)(auth - t));

		if (!slash) {
			strcpy(req->path, "/");
			return 0;
		}
		len -= (size_t)(slash - t);
		t = slash;
	}
	if (len == 0 || t[0] != '/')
		return -400;
	return decode_path(t, len, req->path);
}

static int parse_version(const char *v, size_t len, struct http_request *req)
{
	if (len != 8 || memcmp(v, "HTTP/", 5) || !is_digit(v[5]) ||
	    v[6] != '.' || !is_digit(v[7]))
		return -400;
	if (v[5] != '1')
		return -505;
	req->minor = v[7] - '0';
	return 0;
}

/* method SP request-target SP HTTP-version, single spaces. */
static int parse_request_line(const struct line *l, struct http_request *req)
{
	const char *end = l->p + l->len;
	const char *sp1 = memchr(l->p, ' ', l->len);
	const char *sp2;
	int rc;

	if (!sp1 || sp1 == l->p)
		return -400;
	for (const char *c = l->p; c < sp1; c++)
		if (!is_tchar((unsigned char)*c))
			return -400;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || sp2 == sp1 + 1)
		return -400;
	for (const char *c = sp1 + 1; c < sp2; c++)
		if (*c <= 0x20 || *c >= 0x7f)
			return -400;
	rc = parse_version(sp2 + 1, (size_t)(end - sp2 - 1), req);
	if (rc < 0)
		return rc;
	req->method = method_of(l->p, (size_t)(sp1 - l->p));
	return parse_target(sp1 + 1, (size_t)(sp2 - sp1 - 1), req);
}

/* What the fields told us, before it is folded into the request. */
struct fields {
	int hosts;
	int have_length;
	int transfer_encoding;
	int conn_close, conn_keep_alive;
	/* How many times each kept value came: one is usable, more are
	 * ignored as RFC 9110 13.1.3 says of If-Modified-Since. */
	int ranges, if_ranges, if_modified_sinces;
};

/* Keep a field value for the caller; one too long to keep is dropped (the
 * field is then ignored, which each of these fields allows). */
static void keep_value(char *dst, const char *v, size_t len, int *count)
{
	(*count)++;
	if (len >= HTTP_VALUE_MAX)
		return;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* 1*DIGIT, nothing else, not too many digits. */
static int parse_length(const char *v, size_t len, uint64_t *out)
{
	uint64_t n = 0;

	if (len == 0 || len > HTTP_CONTENT_LENGTH_DIGITS)
		return -400;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(v[i]))
			return -400;
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	*out = n;
	return 0;
}

/* Connection: a comma-separated list of options. */
static void parse_connection(const char *v, size_t len, struct fields *f)
{
	size_t i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < len && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (eq_nocase(v + s, e - s, "close"))
			f->conn_close = 1;
		else if (eq_nocase(v + s, e - s, "keep-alive"))
			f->conn_keep_alive = 1;
	}
}

static int apply_field(const char *name, size_t nlen, const char *v,
		       size_t vlen, struct fields *f, struct http_request *req)
{
	if (eq_nocase(name, nlen, "host")) {
		f->hosts++;
	} else if (eq_nocase(name, nlen, "content-length")) {
		uint64_t n;

		if (parse_length(v, vlen, &n) < 0)
			return -400;
		if (f->have_length && n != req->content_length)
			return -400;
		f->have_length = 1;
		req->has_length = 1;
		req->content_length = n;
	} else if (eq_nocase(name, nlen, "transfer-encoding")) {
		f->transfer_encoding = 1;
	} else if (eq_nocase(name, nlen, "connection")) {
		parse_connection(v, vlen, f);
	} else if (eq_nocase(name, nlen, "expect")) {
		/* The only expectation HTTP defines; others are ignored. */
		if (eq_nocase(v, vlen, "100-continue"))
			req->expect_continue = 1;
	} else if (eq_nocase(name, nlen, "range")) {
		keep_value(req->range, v, vlen, &f->ranges);
	} else if (eq_nocase(name, nlen, "if-range")) {
		keep_value(req->if_range, v, vlen, &f->if_ranges);
	} else if (eq_nocase(name, nlen, "if-modified-since")) {
		keep_value(req->if_modified_since, v, vlen,
			   &f->if_modified_sinces);
	}
	return 0;
}

/* name ":" OWS value OWS */
static int parse_field(const struct line *l, struct fields *f,
		       struct http_request *req)
{
	const char *colon = memchr(l->p, ':', l->len);
	const char *v, *end = l->p + l->len;

	/* Also refuses obs-fold: a continuation line starts with a space. */
	if (!colon || colon == l->p)
		return -400;
	for (const char *c = l->p; c < colon; c++)
		if (!is_tchar((unsigned char)*c))
			return -400;
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return apply_field(l->p, (size_t)(colon - l->p), v, (size_t)(end - v),
			   f, req);
}

/* The checks that need every field. */
static int finish(const struct fields *f, struct http_request *req)
{
	if (f->hosts > 1 || (req->minor >= 1 && f->hosts == 0))
		return -400;
	if (f->transfer_encoding)
		return f->have_length ? -400 : -501;
	if (f->ranges > 1)
		req->range[0] = '\0';
	if (f->if_ranges > 1)
		req->if_range[0] = '\0';
	if (f->if_modified_sinces > 1)
		req->if_modified_since[0] = '\0';
	req->keep_alive = req->minor >= 1
				  ? !f->conn_close
				  : f->conn_keep_alive && !f->conn_close;
	return 0;
}

long http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	struct fields f = { 0 };
	struct line l;
	size_t start, end = section_end(buf, len, &start);
	const char *p = buf + start;
	int rc, nfields = 0;

	if (end == 0)
		return len >= HTTP_HEADER_MAX ? -431 : 0;
	if (end > HTTP_HEADER_MAX)
		return -431;
	memset(req, 0, sizeof(*req));
	rc = next_line(&p, buf + end, &l);
	if (rc == 0)
		rc = parse_request_line(&l, req);
	while (rc == 0) {
		rc = next_line(&p, buf + end, &l);
		if (rc < 0 || l.len == 0)
			break;
		if (++nfields > HTTP_FIELDS_MAX)
			return -431;
		rc = parse_field(&l, &f, req);
	}
	if (rc == 0)
		rc = finish(&f, req);
	return rc < 0 ? rc : (long)end;
}
