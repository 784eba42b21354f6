/*
 * The built-in page set, served when httpd is given no directory:
 *
 *   /, /index.html   an HTML page about this server (uptime, requests)
 *   /health          "ok\n"
 *   /bytes/<n>       n bytes (decimal, at most 64 MiB) of a fixed pattern
 *
 * and every response's status line and header fields (files.c and main.c
 * build theirs with page_head() and page_status()). Content-Type comes
 * from the path's extension, except where a page has no extension. No
 * I/O here: main.c sends what this file writes into a struct http_reply.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "filemeta.h"
#include "httpd.h"

#define PATTERN_PERIOD 64
/* The pattern buffer: one extra period, so any offset can be sent as one
 * contiguous chunk of PATTERN_CHUNK bytes. */
#define PATTERN_CHUNK 65536

static const char pattern_alphabet[PATTERN_PERIOD + 1] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

static char pattern_buf[PATTERN_CHUNK + PATTERN_PERIOD];

void page_init(void)
{
	for (size_t i = 0; i < sizeof(pattern_buf); i++)
		pattern_buf[i] = pattern_alphabet[i % PATTERN_PERIOD];
}

const char *page_pattern(uint64_t off, size_t want, size_t *len)
{
	*len = want < PATTERN_CHUNK ? want : PATTERN_CHUNK;
	return pattern_buf + off % PATTERN_PERIOD;
}

static const char *status_text(int status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 206:
		return "Partial Content";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 416:
		return "Range Not Satisfiable";
	case 431:
		return "Request Header Fields Too Large";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	case 507:
		return "Insufficient Storage";
	default:
		return "Internal Server Error";
	}
}

void page_head(struct http_reply *r, int status, const char *type,
	       uint64_t length, const char *extra)
{
	char date[FILEMETA_DATE_LEN], fields[160] = "";
	int n;

	/* A clock before 1970 (none set) gets no Date field, as RFC 9110
	 * 6.6.1 allows a server without a reliable clock. */
	(void)filemeta_format_date((int64_t)time(NULL), date);
	if (type)
		snprintf(fields, sizeof(fields),
			 "Content-Type: %s\r\nContent-Length: %llu\r\n", type,
			 (unsigned long long)length);
	n = snprintf(r->buf, r->cap,
		     "HTTP/1.1 %d %s\r\n"
		     "Server: skiff-httpd\r\n"
		     "%s%s%s"
		     "%s%s"
		     "Connection: %s\r\n"
		     "\r\n",
		     status, status_text(status), date[0] ? "Date: " : "", date,
		     date[0] ? "\r\n" : "", fields, extra,
		     r->close ? "close" : "keep-alive");

	/* The callers' extra fields are short and bounded (paths in them
	 * are at most HTTP_TARGET_MAX * 3): HTTP_REPLY_MIN holds it all. */
	r->len = n > 0 && (size_t)n < r->cap ? (size_t)n : 0;
}

void page_continue(struct http_reply *r)
{
	static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";

	memcpy(r->buf, line, sizeof(line) - 1);
	r->len = sizeof(line) - 1;
}

/* A complete response with a short body (dropped for HEAD). */
static void reply_small(struct http_reply *r, int head, int status,
			const char *type, const char *body, size_t len,
			const char *extra)
{
	page_head(r, status, type, len, extra);
	if (head || r->len + len > r->cap)
		return;
	memcpy(r->buf + r->len, body, len);
	r->len += len;
}

void page_status(struct http_reply *r, int head, int status, const char *extra)
{
	char body[64];
	int n = snprintf(body, sizeof(body), "%d %s\n", status,
			 status_text(status));

	reply_small(r, head, status, "text/plain; charset=utf-8", body,
		    (size_t)n, extra);
}

void page_error(int status, struct http_reply *r)
{
	r->pattern_len = 0;
	r->close = 1;
	page_status(r, 0, status, "");
}

static void home_page(const struct httpd_info *in, int head,
		      struct http_reply *r)
{
	char body[1536];
	uint64_t s = in->uptime_ms / 1000;
	int n = snprintf(
		body, sizeof(body),
		"<!DOCTYPE html>\n"
		"<html><head><meta charset=\"utf-8\">"
		"<title>Skiff httpd</title></head>\n"
		"<body>\n<h1>Skiff httpd</h1>\n"
		"<p>This is httpd, the HTTP/1.1 server of Skiff, a "
		"paravirtualized unikernel for Xen. It serves a built-in page "
		"set until Skiff has a filesystem.</p>\n<ul>\n"
		"<li>uptime: %llu d %02u:%02u:%02u</li>\n"
		"<li>requests served: %llu</li>\n"
		"<li>connections: %u open, %llu since start</li>\n</ul>\n"
		"<p>Also here: <a href=\"/health\">/health</a> and "
		"<a href=\"/bytes/1024\">/bytes/&lt;n&gt;</a> (n bytes of a "
		"fixed pattern, n at most %u).</p>\n</body></html>\n",
		(unsigned long long)(s / 86400), (unsigned)(s / 3600 % 24),
		(unsigned)(s / 60 % 60), (unsigned)(s % 60),
		(unsigned long long)in->requests, in->conns_open,
		(unsigned long long)in->conns_total, PAGE_BYTES_MAX);

	if (n < 0 || (size_t)n >= sizeof(body))
		n = 0; /* cannot happen: the numbers are bounded */
	reply_small(r, head, 200, filemeta_mime("/index.html"), body, (size_t)n,
		    "");
}

/* "/bytes/<n>": 1 to 8 decimal digits. Returns n, or -1 (not this page),
 * or -2 (too large). */
static long bytes_count(const char *path)
{
	const char *d = path + strlen("/bytes/");
	long n = 0;
	size_t i;

	if (strncmp(path, "/bytes/", strlen("/bytes/")))
		return -1;
	for (i = 0; d[i]; i++) {
		if (d[i] < '0' || d[i] > '9')
			return -1;
		if (i == 8)
			return -2;
		n = n * 10 + (d[i] - '0');
	}
	if (i == 0)
		return -1;
	return n > (long)PAGE_BYTES_MAX ? -2 : n;
}

static void reply_get(const struct http_request *req,
		      const struct httpd_info *info, struct http_reply *r)
{
	int head = req->method == HTTP_HEAD;
	long n = bytes_count(req->path);

	if (!strcmp(req->path, "/") || !strcmp(req->path, "/index.html")) {
		home_page(info, head, r);
	} else if (!strcmp(req->path, "/health")) {
		reply_small(r, head, 200, "text/plain; charset=utf-8", "ok\n",
			    3, "");
	} else if (n >= 0) {
		page_head(r, 200, filemeta_mime(req->path), (uint64_t)n, "");
		r->pattern_len = head ? 0 : (uint64_t)n;
	} else {
		page_status(r, head, n == -2 ? 400 : 404, "");
	}
}

void page_reply(const struct http_request *req, const struct httpd_info *info,
		struct http_reply *r)
{
	r->pattern_len = 0;
	r->close = !req->keep_alive || req->content_length > HTTP_BODY_SKIP_MAX;
	if (req->content_length > HTTP_BODY_SKIP_MAX) {
		page_status(r, 0, 413, "");
		return;
	}
	switch (req->method) {
	case HTTP_GET:
	case HTTP_HEAD:
		reply_get(req, info, r);
		break;
	case HTTP_PUT:
	case HTTP_OTHER:
		page_status(r, 0, 405, "Allow: GET, HEAD\r\n");
		break;
	default:
		page_status(r, 0, 501, "");
		break;
	}
}
