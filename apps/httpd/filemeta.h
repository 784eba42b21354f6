/*
 * httpd: what a file server computes from header fields and file metadata,
 * with no I/O: the media type of a name, HTTP dates, byte ranges, request
 * paths made relative to the document root. Pure, host-tested
 * (tests/unit/test_httpd_filemeta.c).
 */
#ifndef HTTPD_FILEMETA_H
#define HTTPD_FILEMETA_H

#include <stddef.h>
#include <stdint.h>

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and its NUL. */
#define FILEMETA_DATE_LEN 30

/* Media type for the last segment of path, by its extension (any case):
 * "application/octet-stream" when there is none or it is unknown. */
const char *filemeta_mime(const char *path);

/* Write t (seconds since 1970, UTC; years 1970 to 9999) as an IMF-fixdate
 * into out. Returns 0, or -1 when t is out of that range (out is then
 * empty). */
int filemeta_format_date(int64_t t, char out[FILEMETA_DATE_LEN]);

/* Parse an HTTP-date in any of the three formats RFC 9110 section 5.6.7
 * says a recipient must accept (IMF-fixdate, RFC 850, asctime), len bytes
 * at s, surrounding spaces allowed. Returns 0 and *t, or -1 when the value
 * is not such a date. */
int filemeta_parse_date(const char *s, size_t len, int64_t *t);

/*
 * Apply a Range field value (s, len bytes) to a representation of size
 * bytes. Returns 1 with [*first, *last] (inclusive) for one satisfiable
 * range; 0 when the field is to be ignored (not a "bytes" range, invalid,
 * or more than one range: the whole representation is sent); -416 when
 * the one range asked for starts at or past the end.
 */
int filemeta_parse_range(const char *s, size_t len, uint64_t size,
			 uint64_t *first, uint64_t *last);

/*
 * Append the segments of rel ('/'-separated; empty and "." segments
 * dropped, ".." removing the last segment) to path, a NUL-terminated
 * relative path of cap bytes ("" is the root; segments joined by one '/',
 * no leading or trailing '/'). Returns 0, or -1 when ".." would climb
 * above the root or the result does not fit (path is then unspecified).
 */
int filemeta_path_push(char *path, size_t cap, const char *rel);

/* 1 when a segment of path (a relative path as above) starts with prefix. */
int filemeta_path_has_prefix_segment(const char *path, const char *prefix);

/* Percent-encode path (a decoded request path) for a Location field: every
 * byte but unreserved characters, '/' and sub-delims becomes %XX. Returns
 * 0, or -1 when it does not fit in cap bytes. */
int filemeta_url_encode(const char *path, char *out, size_t cap);

#endif
