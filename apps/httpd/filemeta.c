/*
 * The pure part of serving files: media types, HTTP dates (RFC 9110
 * 5.6.7), byte ranges (RFC 9110 14.1-14.2) and request paths as paths
 * under the document root.
 *
 * Inputs are untrusted bytes of a known length; nothing here reads past
 * them or writes past an output's capacity. Dates are computed with the
 * proleptic Gregorian calendar in plain integer arithmetic, not with the C
 * library's time zone machinery, so the results do not depend on TZ or on
 * what the C library of the target implements.
 *
 * Not here: files, sockets, the clock.
 */
#include <string.h>

#include "filemeta.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int eq_nocase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* --- media types ---------------------------------------------------------
 */

const char *filemeta_mime(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "htm", "text/html; charset=utf-8" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "md", "text/markdown; charset=utf-8" },
		{ "c", "text/plain; charset=utf-8" },
		{ "h", "text/plain; charset=utf-8" },
		{ "sh", "text/plain; charset=utf-8" },
		{ "csv", "text/csv; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "xml", "application/xml" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "ico", "image/x-icon" },
		{ "webp", "image/webp" },
		{ "avif", "image/avif" },
		{ "woff", "font/woff" },
		{ "woff2", "font/woff2" },
		{ "ttf", "font/ttf" },
		{ "otf", "font/otf" },
		{ "mp3", "audio/mpeg" },
		{ "ogg", "audio/ogg" },
		{ "wav", "audio/wav" },
		{ "mp4", "video/mp4" },
		{ "webm", "video/webm" },
		{ "wasm", "application/wasm" },
		{ "pdf", "application/pdf" },
		{ "zip", "application/zip" },
		{ "gz", "application/gzip" },
		{ "xz", "application/x-xz" },
		{ "zst", "application/zstd" },
		{ "tar", "application/x-tar" },
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');

	if (!dot)
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i].ext);

		if (strlen(dot + 1) == n && eq_nocase(dot + 1, types[i].ext, n))
			return types[i].type;
	}
	return "application/octet-stream";
}

/* --- dates ---------------------------------------------------------------
 */

static const char month_names[12][4] = { "Jan", "Feb", "Mar", "Apr",
					 "May", "Jun", "Jul", "Aug",
					 "Sep", "Oct", "Nov", "Dec" };
static const char day_names[7][4] = { "Sun", "Mon", "Tue", "Wed",
				      "Thu", "Fri", "Sat" };

/* Days from 1970-01-01 to y-m-d (m 1-12), for y >= 0: the count of days
 * in whole 400-year eras, then in the era, with the year taken to start
 * in March so that February's length only matters at its end. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(), for days >= 0. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

int filemeta_format_date(int64_t t, char out[FILEMETA_DATE_LEN])
{
	int64_t days, y;
	int m, d, sec;

	out[0] = '\0';
	if (t < 0 || t > days_from_civil(9999, 12, 31) * 86400 + 86399)
		return -1;
	days = t / 86400;
	sec = (int)(t % 86400);
	civil_from_days(days, &y, &m, &d);
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	memcpy(out, day_names[(days + 4) % 7], 3);
	memcpy(out + 3, ", ", 2);
	put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, month_names[m - 1], 3);
	out[11] = ' ';
	put2(out + 12, (int)(y / 100));
	put2(out + 14, (int)(y % 100));
	out[16] = ' ';
	put2(out + 17, sec / 3600);
	out[19] = ':';
	put2(out + 20, sec / 60 % 60);
	out[22] = ':';
	put2(out + 23, sec % 60);
	memcpy(out + 25, " GMT", 5);
	return 0;
}

/* A cursor over the field value. */
struct scan {
	const char *p, *end;
};

static int scan_char(struct scan *s, char c)
{
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/* Exactly n digits (n <= 4). */
static int scan_digits(struct scan *s, int n, int *v)
{
	*v = 0;
	if (s->end - s->p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s->p[i]))
			return -1;
		*v = *v * 10 + (s->p[i] - '0');
	}
	s->p += n;
	return 0;
}

/* A letter word, compared case-sensitively as RFC 9110 says. */
static int scan_word(struct scan *s, const char **w, size_t *len)
{
	*w = s->p;
	while (s->p < s->end && ((*s->p >= 'a' && *s->p <= 'z') ||
				 (*s->p >= 'A' && *s->p <= 'Z')))
		s->p++;
	*len = (size_t)(s->p - *w);
	return *len ? 0 : -1;
}

static int scan_month(struct scan *s, int *m)
{
	const char *w;
	size_t len;

	if (scan_word(s, &w, &len) < 0 || len != 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (!memcmp(w, month_names[i], 3)) {
			*m = i + 1;
			return 0;
		}
	return -1;
}

/* "Sun", or with RFC 850 "Sunday". Returns the name's length or -1. */
static int scan_day_name(struct scan *s)
{
	static const char *const long_names[7] = { "Sunday",   "Monday",
						   "Tuesday",  "Wednesday",
						   "Thursday", "Friday",
						   "Saturday" };
	const char *w;
	size_t len;

	if (scan_word(s, &w, &len) < 0)
		return -1;
	for (int i = 0; i < 7; i++)
		if ((len == 3 && !memcmp(w, day_names[i], 3)) ||
		    (len == strlen(long_names[i]) &&
		     !memcmp(w, long_names[i], len)))
			return (int)len;
	return -1;
}

struct date_parts {
	int y, m, d, hh, mm, ss;
};

static int scan_time(struct scan *s, struct date_parts *dp)
{
	if (scan_digits(s, 2, &dp->hh) < 0 || !scan_char(s, ':') ||
	    scan_digits(s, 2, &dp->mm) < 0 || !scan_char(s, ':') ||
	    scan_digits(s, 2, &dp->ss) < 0)
		return -1;
	return 0;
}

static int scan_gmt(struct scan *s)
{
	if (!scan_char(s, ' ') || s->end - s->p < 3 || memcmp(s->p, "GMT", 3))
		return -1;
	s->p += 3;
	return 0;
}

/*
 * After "Sun, ": "06 Nov 1994 08:49:37 GMT" (sep ' ', 4-digit year), or
 * after "Sunday, ": "06-Nov-94 08:49:37 GMT" (RFC 850: sep '-', 2-digit
 * year, taken in 1970-2069: this server has no files from before 1970).
 */
static int scan_dmy(struct scan *s, char sep, int ydigits,
		    struct date_parts *dp)
{
	if (scan_digits(s, 2, &dp->d) < 0 || !scan_char(s, sep) ||
	    scan_month(s, &dp->m) < 0 || !scan_char(s, sep) ||
	    scan_digits(s, ydigits, &dp->y) < 0 || !scan_char(s, ' ') ||
	    scan_time(s, dp) < 0)
		return -1;
	if (ydigits == 2)
		dp->y += dp->y < 70 ? 2000 : 1900;
	return scan_gmt(s);
}

/* After "Sun ": "Nov  6 08:49:37 1994". */
static int scan_asctime(struct scan *s, struct date_parts *dp)
{
	if (scan_month(s, &dp->m) < 0 || !scan_char(s, ' '))
		return -1;
	if (scan_char(s, ' ')) {
		if (scan_digits(s, 1, &dp->d) < 0)
			return -1;
	} else if (scan_digits(s, 2, &dp->d) < 0) {
		return -1;
	}
	if (!scan_char(s, ' ') || scan_time(s, dp) < 0 || !scan_char(s, ' ') ||
	    scan_digits(s, 4, &dp->y) < 0)
		return -1;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

int filemeta_parse_date(const char *str, size_t len, int64_t *t)
{
	struct scan s = { str, str + len };
	struct date_parts dp = { 0 };
	int name_len, rc;

	while (s.p < s.end && *s.p == ' ')
		s.p++;
	while (s.end > s.p && s.end[-1] == ' ')
		s.end--;
	name_len = scan_day_name(&s);
	if (name_len < 0)
		return -1;
	if (scan_char(&s, ','))
		rc = !scan_char(&s, ' ') ? -1
		     : name_len == 3	 ? scan_dmy(&s, ' ', 4, &dp)
					 : scan_dmy(&s, '-', 2, &dp);
	else
		rc = name_len == 3 && scan_char(&s, ' ') ? scan_asctime(&s, &dp)
							 : -1;
	if (rc < 0 || s.p != s.end || dp.y < 1970 || dp.d < 1 ||
	    dp.d > days_in_month(dp.y, dp.m) || dp.hh > 23 || dp.mm > 59 ||
	    dp.ss > 60)
		return -1;
	/* A leap second counts as the last second of its minute. */
	*t = days_from_civil(dp.y, dp.m, dp.d) * 86400 + dp.hh * 3600 +
	     dp.mm * 60 + (dp.ss == 60 ? 59 : dp.ss);
	return 0;
}

/* --- ranges --------------------------------------------------------------
 */

/* 1*DIGIT at most 18 of them (cannot overflow); -1 when there are none. */
static int scan_number(struct scan *s, uint64_t *v)
{
	int n = 0;

	*v = 0;
	while (s->p < s->end && is_digit(*s->p)) {
		if (++n > 18)
			return -1;
		*v = *v * 10 + (uint64_t)(*s->p++ - '0');
	}
	return n ? 0 : -1;
}

/* Drop optional whitespace at both ends. */
static void trim_ows(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
	while (s->end > s->p && (s->end[-1] == ' ' || s->end[-1] == '\t'))
		s->end--;
}

/* One range-spec, the whole of s: "first-[last]" or "-suffix". Returns 1,
 * 0 (invalid) or -416. */
static int range_spec(struct scan *s, uint64_t size, uint64_t *first,
		      uint64_t *last)
{
	uint64_t a, b;

	if (scan_char(s, '-')) {
		if (scan_number(s, &b) < 0 || s->p != s->end)
			return 0;
		if (b == 0 || size == 0)
			return -416;
		*first = b < size ? size - b : 0;
		*last = size - 1;
		return 1;
	}
	if (scan_number(s, &a) < 0 || !scan_char(s, '-'))
		return 0;
	b = UINT64_MAX;
	if (s->p != s->end && scan_number(s, &b) < 0)
		return 0;
	if (s->p != s->end || b < a)
		return 0;
	if (a >= size)
		return -416;
	*first = a;
	*last = b < size - 1 ? b : size - 1;
	return 1;
}

int filemeta_parse_range(const char *str, size_t len, uint64_t size,
			 uint64_t *first, uint64_t *last)
{
	struct scan s = { str, str + len };
	const char *comma;

	trim_ows(&s);
	if (s.end - s.p < 6 || !eq_nocase(s.p, "bytes=", 6))
		return 0;
	s.p += 6;
	/* A list may have empty elements ("bytes=0-1,"); more than one
	 * real range is served as the whole representation. */
	comma = memchr(s.p, ',', (size_t)(s.end - s.p));
	if (comma) {
		for (const char *c = comma; c < s.end; c++)
			if (*c != ',' && *c != ' ' && *c != '\t')
				return 0;
		s.end = comma;
	}
	trim_ows(&s);
	return range_spec(&s, size, first, last);
}

/* --- paths ---------------------------------------------------------------
 */

static void pop_segment(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash)
		*slash = '\0';
	else
		path[0] = '\0';
}

int filemeta_path_push(char *path, size_t cap, const char *rel)
{
	size_t len = strlen(path);

	while (*rel) {
		const char *seg = rel;
		size_t n;

		while (*rel && *rel != '/')
			rel++;
		n = (size_t)(rel - seg);
		while (*rel == '/')
			rel++;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (len == 0)
				return -1;
			pop_segment(path);
			len = strlen(path);
			continue;
		}
		if (len + (len > 0) + n + 1 > cap)
			return -1;
		if (len > 0)
			path[len++] = '/';
		memcpy(path + len, seg, n);
		len += n;
		path[len] = '\0';
	}
	return 0;
}

int filemeta_path_has_prefix_segment(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *s = path; *s;) {
		if (!strncmp(s, prefix, n))
			return 1;
		s = strchr(s, '/');
		if (!s)
			break;
		s++;
	}
	return 0;
}

int filemeta_url_encode(const char *path, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') || is_digit(*p) ||
			    strchr("-._~/!$&'()*+,;=:@", *p);

		if (o + (plain ? 1 : 3) + 1 > cap)
			return -1;
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return 0;
}
