/*
 * Serving the files under the document root (httpd DIR): GET and HEAD,
 * with Content-Type, Last-Modified, If-Modified-Since (304), one byte
 * range (206/416), a directory's index.html, and 301 to add the slash a
 * directory's URL lacks. The body is not read here: the reply carries the
 * open file and the range, and main.c streams it.
 *
 * Paths stay under the root. The parser has already refused ".." and NUL
 * (also percent-encoded); here the path is walked one segment at a time
 * with lstat(), and a symbolic link is followed only when its target,
 * taken relative to the directory holding it (or, when absolute, to the
 * file system root), stays inside the document root: otherwise 403. The
 * file is then opened with O_NOFOLLOW, so a link swapped in for the last
 * segment after the check is not followed; a swap of a directory higher
 * up between the walk and the open is not caught (one process serves this
 * tree; do not give httpd a directory that others rewrite with links).
 * Absolute link targets can only match a root given as an absolute path.
 *
 * Names starting with FILES_TEMP_PREFIX are upload.c's temporary files:
 * they answer 404.
 *
 * Not here: PUT (upload.c), sockets, the order of responses (main.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "filemeta.h"
#include "httpd.h"

/* Symbolic links followed for one request, as Linux's limit. */
#define FILES_MAX_LINKS 40

static struct files_state {
	char root[FILES_PATH_MAX]; /* without trailing '/'; "" for "/" */
	int writable;
} files;

int files_init(const char *root, int writable)
{
	struct stat st;
	size_t len = strlen(root);

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len >= FILES_PATH_MAX / 2) {
		fprintf(stderr, "httpd: %s: path too long\n", root);
		return -1;
	}
	if (stat(root, &st) < 0) {
		fprintf(stderr, "httpd: %s: %s\n", root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "httpd: %s: not a directory\n", root);
		return -1;
	}
	memcpy(files.root, root, len);
	files.root[len == 1 && root[0] == '/' ? 0 : len] = '\0';
	files.writable = writable;
	return 0;
}

int files_writable(void)
{
	return files.writable;
}

const char *files_allow(void)
{
	return files.writable ? "Allow: GET, HEAD, PUT\r\n"
			      : "Allow: GET, HEAD\r\n";
}

int files_status(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
	case -ENAMETOOLONG:
		return 404;
	case -EACCES:
	case -EPERM:
	case -ELOOP:
		return 403;
	default:
		return 500;
	}
}

/* The file system path of rel (relative to the root) into out. */
static int full_path(const char *rel, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", files.root, rel);

	return n > 0 && (size_t)n < cap ? 0 : -ENAMETOOLONG;
}

/* The rest of a walk after following a link at done/<link>: the link's
 * target, then what was left (todo). Absolute targets restart at the
 * root, and only when they lie under it. */
static int follow_link(const char *full, char *done, char *todo)
{
	char target[FILES_PATH_MAX], rest[FILES_PATH_MAX];
	ssize_t n = readlink(full, target, sizeof(target) - 1);
	size_t rlen = strlen(files.root);
	const char *t = target;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (target[0] == '/') {
		if (rlen == 0 || strncmp(target, files.root, rlen) ||
		    (target[rlen] != '/' && target[rlen] != '\0'))
			return -EACCES; /* outside the root */
		t = target + rlen;
		done[0] = '\0';
	}
	snprintf(rest, sizeof(rest), "%s", todo);
	if ((size_t)snprintf(todo, FILES_PATH_MAX, "%s/%s", t, rest) >=
	    FILES_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Take the first segment of todo into seg (shifting todo). */
static void next_segment(char *todo, char *seg)
{
	size_t n = strcspn(todo, "/"), skip = n;

	memcpy(seg, todo, n);
	seg[n] = '\0';
	while (todo[skip] == '/')
		skip++;
	memmove(todo, todo + skip, strlen(todo + skip) + 1);
}

/*
 * Walk url (a request path) under the root; on success full is the file
 * system path of what it names, with no link left in it, that exists
 * (but see the header comment about races). Returns 0 or a negative
 * errno: -ENOENT, -ENOTDIR, -EACCES (escape), -ELOOP, -ENAMETOOLONG.
 */
int files_resolve(const char *url, char *full, size_t cap)
{
	char done[FILES_PATH_MAX] = "", todo[FILES_PATH_MAX] = "";
	char seg[FILES_PATH_MAX];
	int links = 0, rc;

	if (filemeta_path_push(todo, sizeof(todo), url) < 0)
		return -EACCES;
	if (filemeta_path_has_prefix_segment(todo, FILES_TEMP_PREFIX))
		return -ENOENT;
	while (todo[0]) {
		struct stat st;
		char next[FILES_PATH_MAX];

		next_segment(todo, seg);
		if (!seg[0] || !strcmp(seg, "..") || !strcmp(seg, ".")) {
			/* From a link's target: done has no link in it, so
			 * its parent is found by text. */
			if (filemeta_path_push(done, sizeof(done), seg) < 0)
				return -EACCES;
			continue;
		}
		snprintf(next, sizeof(next), "%s", done);
		if (filemeta_path_push(next, sizeof(next), seg) < 0)
			return -ENAMETOOLONG;
		rc = full_path(next, full, cap);
		if (rc == 0 && lstat(full, &st) < 0)
			rc = -errno;
		if (rc < 0)
			return rc;
		if (S_ISLNK(st.st_mode)) {
			if (++links > FILES_MAX_LINKS)
				return -ELOOP;
			rc = follow_link(full, done, todo);
			if (rc < 0)
				return rc;
			continue;
		}
		if (todo[0] && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		memcpy(done, next, sizeof(done));
	}
	return full_path(done, full, cap);
}

/* What url names: its metadata, and for a regular file an open fd (else
 * *fd is -1: directories are never opened). */
static int open_url(const char *url, int *fd, struct stat *st)
{
	char full[FILES_PATH_MAX];
	int rc = files_resolve(url, full, sizeof(full));

	*fd = -1;
	if (rc == 0 && stat(full, st) < 0)
		rc = -errno;
	if (rc < 0 || !S_ISREG(st->st_mode))
		return rc;
	*fd = open(full, O_RDONLY | O_NOFOLLOW);
	if (*fd < 0)
		return errno == ELOOP ? -EACCES : -errno;
	if (fstat(*fd, st) < 0) {
		rc = -errno;
		close(*fd);
		return rc;
	}
	return 0;
}

/* If-Modified-Since says the client's copy is current (RFC 9110 13.1.3:
 * a date in the future, or not a date, is ignored). */
static int not_modified(const struct http_request *req, time_t mtime)
{
	int64_t since;
	const char *v = req->if_modified_since;

	if (!v[0] || filemeta_parse_date(v, strlen(v), &since) < 0)
		return 0;
	return since <= (int64_t)time(NULL) && (int64_t)mtime <= since;
}

/* If-Range (RFC 9110 13.1.5): the range applies only when the date given
 * is exactly our Last-Modified; an entity tag never matches (we send
 * none). */
static int range_applies(const struct http_request *req, time_t mtime)
{
	int64_t date;
	const char *v = req->if_range;

	if (!v[0])
		return 1;
	return filemeta_parse_date(v, strlen(v), &date) == 0 &&
	       date == (int64_t)mtime;
}

/* The response for an open regular file; takes fd. */
static void reply_file(const struct http_request *req, int fd,
		       const struct stat *st, struct http_reply *r)
{
	char date[FILEMETA_DATE_LEN], extra[256];
	uint64_t size = (uint64_t)st->st_size, first = 0, last = size - 1;
	int head = req->method == HTTP_HEAD, status = 200, rc = 0;
	int n;

	(void)filemeta_format_date((int64_t)st->st_mtime, date);
	n = snprintf(extra, sizeof(extra), "Last-Modified: %s\r\n", date);
	if (not_modified(req, st->st_mtime)) {
		close(fd);
		page_head(r, 304, NULL, 0, extra);
		return;
	}
	n += snprintf(extra + n, sizeof(extra) - (size_t)n,
		      "Accept-Ranges: bytes\r\n");
	if (req->range[0] && range_applies(req, st->st_mtime))
		rc = filemeta_parse_range(req->range, strlen(req->range), size,
					  &first, &last);
	if (rc == -416) {
		close(fd);
		snprintf(extra + n, sizeof(extra) - (size_t)n,
			 "Content-Range: bytes */%llu\r\n",
			 (unsigned long long)size);
		page_status(r, head, 416, extra);
		return;
	}
	if (rc == 1) {
		status = 206;
		snprintf(extra + n, sizeof(extra) - (size_t)n,
			 "Content-Range: bytes %llu-%llu/%llu\r\n",
			 (unsigned long long)first, (unsigned long long)last,
			 (unsigned long long)size);
	}
	page_head(r, status, filemeta_mime(req->path),
		  size ? last - first + 1 : 0, extra);
	if (head || size == 0) {
		close(fd);
		return;
	}
	r->file_fd = fd;
	r->file_off = first;
	r->file_len = last - first + 1;
}

/* A directory: its index.html when the URL ends in '/', else a redirect
 * to the URL that does (so relative links in the index resolve). */
static void reply_dir(const struct http_request *req, struct http_reply *r)
{
	int head = req->method == HTTP_HEAD;
	char url[HTTP_TARGET_MAX + 16], extra[HTTP_TARGET_MAX * 3 + 32];
	size_t len = strlen(req->path);
	struct http_request index;
	struct stat st;
	int fd, rc;

	if (req->path[len - 1] != '/') {
		snprintf(url, sizeof(url), "%s/", req->path);
		memcpy(extra, "Location: ", 10);
		if (filemeta_url_encode(url, extra + 10, sizeof(extra) - 12) <
		    0) {
			page_status(r, head, 414, "");
			return;
		}
		strcat(extra, "\r\n");
		page_status(r, head, 301, extra);
		return;
	}
	snprintf(url, sizeof(url), "%sindex.html", req->path);
	rc = open_url(url, &fd, &st);
	if (rc == 0 && fd < 0)
		rc = -EACCES; /* index.html is not a regular file */
	if (rc < 0) {
		/* No listings: a directory without an index is not shown. */
		page_status(r, head, rc == -ENOENT ? 403 : files_status(rc),
			    "");
		return;
	}
	index = *req;
	memcpy(index.path, url, sizeof(index.path));
	index.path[sizeof(index.path) - 1] = '\0';
	reply_file(&index, fd, &st, r);
}

void files_reply(const struct http_request *req, struct http_reply *r)
{
	int head = req->method == HTTP_HEAD;
	struct stat st;
	int fd, rc;

	if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
		page_status(r, 0, req->method == HTTP_UNKNOWN ? 501 : 405,
			    files_allow());
		return;
	}
	if (req->path[0] != '/') { /* "*" */
		page_status(r, head, 404, "");
		return;
	}
	rc = open_url(req->path, &fd, &st);
	if (rc < 0) {
		page_status(r, head, files_status(rc), "");
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		reply_dir(req, r);
		return;
	}
	if (fd < 0 || req->path[strlen(req->path) - 1] == '/') {
		if (fd >= 0)
			close(fd);
		/* A file named as a directory does not exist; a device,
		 * socket or pipe is not served. */
		page_status(r, head, fd >= 0 ? 404 : 403, "");
		return;
	}
	reply_file(req, fd, &st, r);
}
