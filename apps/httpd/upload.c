/*
 * PUT (httpd -w): a request body stored as a file under the document
 * root, acknowledged only once it is durable.
 *
 * The body goes to a new temporary file in the target's own directory
 * (FILES_TEMP_PREFIX<n>, created with O_EXCL), never to the target. When
 * the last byte is written the file is fsync'd and closed, renamed over
 * the target (atomic: a reader sees the old file or the new one, never a
 * mix), and the directory is fsync'd so that the rename itself is on the
 * disk. Only then is 201 (new file) or 204 (replaced file) sent, as RFC
 * 9110 9.3.4 asks. A body cut short (client gone, timeout, write error)
 * removes the temporary file; a crash of the whole guest may leave one
 * behind, which files.c never serves and a later PUT does not reuse.
 *
 * The target's directory must exist (no directories are created: 404
 * otherwise) and is found the way files.c finds any path, so links that
 * leave the root are refused; the target itself must not be a link
 * (403), a directory (409) or a temporary name (404).
 *
 * The file calls block the poll loop (fsync most of all): one upload's
 * sync delays every connection by as much. Bodies are limited to
 * upload_init()'s maximum (413), need a Content-Length (411; chunked
 * bodies answer 501 from the parser).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd.h"

/* Temporary names tried before giving up (others may be left over). */
#define UPLOAD_TEMP_TRIES 64

struct upload {
	int fd;
	int existed; /* the target was there: 204, else 201 */
	uint64_t left;
	char dir[FILES_PATH_MAX]; /* file system paths */
	char tmp[FILES_PATH_MAX];
	char target[FILES_PATH_MAX];
};

static struct upload_state {
	uint64_t max;
	unsigned seq;
} uploads;

void upload_init(uint64_t max)
{
	uploads.max = max;
}

/* An errno from storing the body as the status that answers it. */
static int write_status(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG ? 507 : 500;
}

/* Split url into its directory's file system path and the target's. */
static int locate(const char *url, struct upload *u)
{
	char parent[HTTP_TARGET_MAX];
	const char *name = strrchr(url, '/') + 1; /* url starts with '/' */
	size_t plen = (size_t)(name - url);
	struct stat st;
	int rc;

	if (!*name)
		return 409; /* a directory's URL */
	memcpy(parent, url, plen);
	parent[plen] = '\0';
	if (!strncmp(name, FILES_TEMP_PREFIX, strlen(FILES_TEMP_PREFIX)))
		return 404;
	rc = files_resolve(parent, u->dir, sizeof(u->dir));
	if (rc == 0 && stat(u->dir, &st) == 0 && !S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	if (rc < 0)
		return files_status(rc);
	if ((size_t)snprintf(u->target, sizeof(u->target), "%s/%s", u->dir,
			     name) >= sizeof(u->target))
		return 404;
	if (lstat(u->target, &st) < 0)
		return errno == ENOENT ? 0 : files_status(-errno);
	if (S_ISDIR(st.st_mode))
		return 409;
	if (!S_ISREG(st.st_mode))
		return 403; /* a link, a device...: never written through */
	u->existed = 1;
	return 0;
}

static int create_temp(struct upload *u)
{
	for (int i = 0; i < UPLOAD_TEMP_TRIES; i++) {
		int n = snprintf(u->tmp, sizeof(u->tmp), "%s/%s%u", u->dir,
				 FILES_TEMP_PREFIX, ++uploads.seq);

		if (n < 0 || (size_t)n >= sizeof(u->tmp))
			return 404; /* too deep to hold a temporary name */
		u->fd = open(u->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (u->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return errno == EACCES ? 403 : write_status(errno);
	}
	return 500;
}

int upload_begin(const struct http_request *req, struct upload **out)
{
	struct upload *u;
	int status;

	*out = NULL;
	if (!files_writable())
		return 405;
	if (!req->has_length)
		return 411;
	if (req->content_length > uploads.max)
		return 413;
	if (req->path[0] != '/')
		return 404;
	u = calloc(1, sizeof(*u));
	if (!u)
		return 503;
	u->fd = -1;
	u->left = req->content_length;
	status = locate(req->path, u);
	if (status == 0)
		status = create_temp(u);
	if (status) {
		free(u);
		return status;
	}
	*out = u;
	return 0;
}

uint64_t upload_left(const struct upload *u)
{
	return u->left;
}

int upload_write(struct upload *u, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(u->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "httpd: PUT %s: write: %s\n", u->target,
				n < 0 ? strerror(errno) : "no progress");
			return n < 0 ? write_status(errno) : 500;
		}
		p += n;
		len -= (size_t)n;
		u->left -= (uint64_t)n;
	}
	return 0;
}

void upload_abort(struct upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	(void)unlink(u->tmp); /* best effort: nothing else to do on failure */
	free(u);
}

/* fsync a directory, so the names in it (a rename) are on the disk. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) < 0)
		rc = -1;
	close(fd);
	return rc;
}

static int failed(struct upload *u, const char *what)
{
	int status = write_status(errno);

	fprintf(stderr, "httpd: PUT %s: %s: %s\n", u->target, what,
		strerror(errno));
	upload_abort(u);
	return status;
}

int upload_finish(struct upload *u)
{
	int status = u->existed ? 204 : 201;
	int fd = u->fd;

	if (fsync(fd) < 0)
		return failed(u, "fsync");
	u->fd = -1;
	if (close(fd) < 0)
		return failed(u, "close");
	if (rename(u->tmp, u->target) < 0)
		return failed(u, "rename");
	/* The new name is in place: from here a failure cannot be undone,
	 * only reported (the file is there, but not known to be durable). */
	if (sync_dir(u->dir) < 0) {
		fprintf(stderr, "httpd: PUT %s: fsync of %s: %s\n", u->target,
			u->dir, strerror(errno));
		status = 500;
	}
	free(u);
	return status;
}
