/*
 * httpd: what the parts of the server share.
 *
 *   main.c      the connections: accept, poll loop, reading, writing,
 *               keep-alive, pipelining, timeouts, streaming file bodies
 *   request.c   parsing one HTTP/1.x request header section (pure: no I/O,
 *               no allocation, no global state)
 *   pages.c     the built-in page set and every response's status line,
 *               headers and body
 *   files.c     GET and HEAD of the files under the document root
 *   upload.c    PUT: a body stored as a file, durably
 *   filemeta.c  the pure part of serving files (its own header)
 */
#ifndef HTTPD_H
#define HTTPD_H

#include <stddef.h>
#include <stdint.h>

/* A request's header section (request line, fields, blank line) may not
 * be longer than this: 431 otherwise. */
#define HTTP_HEADER_MAX 8192
/* Longest request-target: 414 otherwise. */
#define HTTP_TARGET_MAX 1024
/* Most header fields in one request: 431 otherwise. */
#define HTTP_FIELDS_MAX 100
/* Content-Length with more digits than this is refused (400): it cannot
 * be a body we would wait for, and it cannot overflow 64 bits. */
#define HTTP_CONTENT_LENGTH_DIGITS 18
/* Bodies of requests other than an accepted PUT up to this size are read
 * and dropped so the connection can go on, larger ones end it. */
#define HTTP_BODY_SKIP_MAX (1u << 20)

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_PUT,
	HTTP_OTHER,   /* a method HTTP defines that we do not serve: 405 */
	HTTP_UNKNOWN, /* any other token: 501 */
};

/* Longest Range, If-Range or If-Modified-Since value kept; a longer one
 * is ignored. */
#define HTTP_VALUE_MAX 128

struct http_request {
	enum http_method method;
	int minor;		 /* HTTP/1.<minor> */
	int keep_alive;		 /* after the defaults and Connection: */
	uint64_t content_length; /* 0 when absent */
	int has_length;		 /* Content-Length was there */
	int expect_continue;	 /* Expect: 100-continue */
	/* Values of these fields, "" when absent, repeated or too long. */
	char range[HTTP_VALUE_MAX];
	char if_range[HTTP_VALUE_MAX];
	char if_modified_since[HTTP_VALUE_MAX];
	/* The path, percent-decoded, without query or fragment; "*" for
	 * the asterisk form. Never contains NUL or a ".." segment. */
	char path[HTTP_TARGET_MAX];
};

/*
 * Parse the request at the start of buf[0, len). Returns the length of its
 * header section (leading empty lines included) when one is complete, 0
 * when more bytes are needed, or minus an HTTP status when the request is
 * malformed: -400 (syntax, missing or repeated Host in HTTP/1.1, bad or
 * huge Content-Length), -414 (target too long), -431 (header section or
 * field count over the limits), -501 (Transfer-Encoding: request bodies
 * other than Content-Length are not supported), -505 (HTTP major version
 * other than 1). req is complete only when the result is positive.
 * Never reads outside buf.
 */
long http_parse_request(const char *buf, size_t len, struct http_request *req);

/* What the home page reports. */
struct httpd_info {
	uint64_t uptime_ms;
	uint64_t requests; /* answered so far, this one not included */
	unsigned conns_open;
	uint64_t conns_total;
};

/* A response being built: status line, header fields and (small) body in
 * buf, then pattern_len bytes of the /bytes/ pattern streamed from
 * page_pattern(), or file_len bytes of the open file file_fd from offset
 * file_off on (the reply owns file_fd: main.c closes it when the response
 * is sent or the connection ends). */
struct http_reply {
	char *buf;
	size_t cap; /* at least HTTP_REPLY_MIN */
	size_t len;
	uint64_t pattern_len;
	int file_fd; /* -1: no file body */
	uint64_t file_off, file_len;
	int close; /* the connection ends after this response */
};

#define HTTP_REPLY_MIN 4096
/* The largest /bytes/<n>. */
#define PAGE_BYTES_MAX (64u << 20)

/* Fill the pattern buffer; call once before page_pattern(). */
void page_init(void);

/* Answer a parsed request into r (buf and cap set by the caller). Sets
 * r->close when the request asked for it or its body cannot be skipped. */
void page_reply(const struct http_request *req, const struct httpd_info *info,
		struct http_reply *r);

/* Write the status line and header fields into r: Server, Date,
 * Content-Type and Content-Length (both left out when type is NULL, as
 * for a 304), the lines of extra (each ending in CRLF, "" for none) and
 * Connection (from r->close). The body is the caller's to add. */
void page_head(struct http_reply *r, int status, const char *type,
	       uint64_t length, const char *extra);

/* A complete response whose body is "<status> <reason>\n" (headers only
 * for HEAD). */
void page_status(struct http_reply *r, int head, int status, const char *extra);

/* An interim "100 Continue" (RFC 9110 15.2.1): the client may send the
 * body it held back. */
void page_continue(struct http_reply *r);

/* The response to a request that could not be parsed (status from
 * http_parse_request()); the connection then closes. */
void page_error(int status, struct http_reply *r);

/* Bytes of the /bytes/ pattern from offset off on: returns a pointer to
 * at least *len (set, at most want) of them. The pattern repeats every
 * 64 bytes, so a client can check it: byte i is
 * "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"[i % 64].
 */
const char *page_pattern(uint64_t off, size_t want, size_t *len);

/* --- files (files.c) ------------------------------------------------------
 */

/* Longest file system path httpd builds (root + request path). */
#define FILES_PATH_MAX 4096
/* Temporary files of uploads start with this; no request reaches them. */
#define FILES_TEMP_PREFIX ".httpd-put."

/* Serve the tree under root; writable allows PUT. Returns 0, or -1 (with
 * a message on stderr) when root is not a directory. */
int files_init(const char *root, int writable);

/* 1 when PUT is allowed (httpd -w). */
int files_writable(void);

/* The Allow field (with its CRLF) for a 405. */
const char *files_allow(void);

/* Answer a GET or HEAD of a file (or 405/501 for other methods). May
 * leave an open file in r (r->file_fd), whose bytes the caller sends.
 * Blocks on the file system. */
void files_reply(const struct http_request *req, struct http_reply *r);

/* Resolve a request path (starting with '/') under the root, following
 * links that stay inside it: full gets the file system path of an
 * existing file or directory with no link in it. Returns 0, or -ENOENT,
 * -ENOTDIR, -EACCES (it would leave the root), -ELOOP, -ENAMETOOLONG, or
 * another negative errno from lstat()/readlink(). */
int files_resolve(const char *url, char *full, size_t cap);

/* The HTTP status for a negative errno of files_resolve() or of a file
 * call: 404, 403 or 500. */
int files_status(int err);

/* --- uploads (upload.c) ---------------------------------------------------
 */

struct upload;

/* Bodies larger than max bytes are refused (413). */
void upload_init(uint64_t max);

/* Start a PUT: checks the request and the target and creates the
 * temporary file. Returns 0 with *out (owned by the caller until
 * upload_finish() or upload_abort()), or the HTTP status that refuses it
 * (405, 411, 413, 404, 403, 409, 500, 503, 507). Blocks on the file
 * system. */
int upload_begin(const struct http_request *req, struct upload **out);

/* Body bytes still expected. */
uint64_t upload_left(const struct upload *u);

/* Append len body bytes (at most upload_left()). Returns 0, or the status
 * to answer (500, 507): the caller then calls upload_abort(). */
int upload_write(struct upload *u, const char *p, size_t len);

/* The whole body is written: make it durable and put it in place (see
 * upload.c). Frees u. Returns 201 or 204 once the file and its name are
 * on the disk, or 500/507 (the target is then unchanged, except after a
 * failed directory sync, reported as 500 with the new file in place). */
int upload_finish(struct upload *u);

/* Drop an upload: remove the temporary file, free u. */
void upload_abort(struct upload *u);

#endif
