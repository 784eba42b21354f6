/*
 * httpd: a small HTTP/1.1 server for the files under a directory
 * (files.c, upload.c) or, without one, for the built-in page set
 * (pages.c).
 *
 * One thread, one poll() loop, non-blocking sockets. Each connection reads
 * into a fixed buffer of HTTP_HEADER_MAX bytes, answers the requests in it
 * strictly one after the other (a pipelined request is parsed only once
 * the response before it has been sent in full, so responses keep their
 * order and a client that does not read stops being read), and either
 * waits for the next request (keep-alive) or shuts its side down, drains
 * what the client still sends for a moment, and closes (so the response is
 * not destroyed by a reset). Connections that make no progress for
 * HTTPD_IDLE_MS are closed.
 *
 * A file body is read in chunks of HTTPD_CHUNK bytes as the socket takes
 * them, never whole; no connection sends more than HTTPD_SEND_BUDGET bytes
 * before the loop turns to the others, so a large download does not hold
 * up the rest. A PUT body is written to its file as it arrives (upload.c),
 * straight from the socket in reads of up to HTTPD_CHUNK bytes when no
 * other input is buffered. The file calls themselves block the loop (an
 * upload's fsync most of all).
 *
 * usage: httpd [-p PORT] [-c MAXCONN] [-v] [-w] [-m MAXPUT] [DIR]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "httpd.h"

#define HTTPD_DEFAULT_PORT 80
#define HTTPD_DEFAULT_CONNS 512
/* poll() on Skiff takes at most 1024 entries; one is the listener. */
#define HTTPD_MAX_CONNS 1000
/* No byte in or out for this long: the connection is closed. */
#define HTTPD_IDLE_MS 30000
/* After our last response on a connection, how long we read and drop
 * what the client still sends before closing. */
#define HTTPD_LINGER_MS 2000
#define HTTPD_ACCEPT_BACKOFF_MS 100
/* Bytes of a file read at once, and sent by one connection per turn. */
#define HTTPD_CHUNK 65536
#define HTTPD_SEND_BUDGET (4 * HTTPD_CHUNK)
#define HTTPD_DEFAULT_PUT_MAX (64ull << 20)

enum conn_state { CONN_FREE, CONN_ACTIVE, CONN_LINGER };

struct conn {
	int fd;
	enum conn_state state;
	char *in; /* HTTP_HEADER_MAX bytes */
	size_t in_len;
	uint64_t skip;		 /* request body bytes still to drop */
	int eof;		 /* the client will send nothing more */
	struct http_reply reply; /* reply.buf: HTTP_REPLY_MIN bytes */
	size_t out_off;		 /* of reply.buf sent */
	uint64_t pat_off;	 /* of reply.pattern_len sent */
	char *chunk; /* HTTPD_CHUNK bytes: a file or PUT body passing */
	size_t chunk_len, chunk_off; /* read into it, sent from it */
	struct upload *up;	     /* a PUT body is being received */
	int up_error;		     /* status of a failed write into it */
	int up_keep_alive;	     /* that PUT's keep-alive */
	int64_t deadline;	     /* ms: idle or linger limit */
	char peer[32];
};

struct httpd_state {
	int lsock;
	int verbose;
	int files; /* serving a directory, not the built-in pages */
	int maxconns, nconns;
	int accept_paused;
	int64_t start_ms;
	uint64_t requests, conns_total;
	struct conn *conns;
	struct pollfd *pfds;
	int *pfd_conn;
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL, 0);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static int open_listener(int port)
{
	struct sockaddr_in a;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		perror("httpd: socket");
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("httpd: bind");
		goto err_close;
	}
	if (listen(fd, 128) < 0 || set_nonblock(fd) < 0) {
		perror("httpd: listen");
		goto err_close;
	}
	return fd;
err_close:
	close(fd);
	return -1;
}

/* --- one connection ------------------------------------------------------ */

static void conn_close(struct httpd_state *st, struct conn *c, const char *why)
{
	if (st->verbose)
		printf("httpd: close %s (%s)\n", c->peer, why);
	close(c->fd);
	if (c->up)
		upload_abort(c->up); /* an unfinished body leaves nothing */
	if (c->reply.file_fd >= 0)
		close(c->reply.file_fd);
	free(c->chunk);
	free(c->in);
	free(c->reply.buf);
	*c = (struct conn){ .fd = -1, .state = CONN_FREE };
	c->reply.file_fd = -1;
	st->nconns--;
}

static int output_pending(const struct conn *c)
{
	return c->out_off < c->reply.len || c->pat_off < c->reply.pattern_len ||
	       c->chunk_off < c->chunk_len || c->reply.file_len > 0;
}

/* Read the next chunk of the file body. Returns 0, or -1 when the file
 * cannot give the bytes its length promised (the response cannot be
 * completed: the connection must end). */
static int refill_chunk(struct conn *c)
{
	struct http_reply *r = &c->reply;
	size_t want =
		r->file_len < HTTPD_CHUNK ? (size_t)r->file_len : HTTPD_CHUNK;
	ssize_t n;

	if (!c->chunk)
		c->chunk = malloc(HTTPD_CHUNK);
	if (!c->chunk)
		return -1;
	n = pread(r->file_fd, c->chunk, want, (off_t)r->file_off);
	if (n <= 0) {
		fprintf(stderr, "httpd: %s: file read at %llu: %s\n", c->peer,
			(unsigned long long)r->file_off,
			n < 0 ? strerror(errno) : "file shrank");
		return -1;
	}
	r->file_off += (uint64_t)n;
	r->file_len -= (uint64_t)n;
	c->chunk_len = (size_t)n;
	c->chunk_off = 0;
	return 0;
}

/* The next bytes of the response: the head, then the pattern or the
 * file. Returns 0, or -1 when the file failed. */
static int next_bytes(struct conn *c, const char **p, size_t *len)
{
	if (c->out_off < c->reply.len) {
		*p = c->reply.buf + c->out_off;
		*len = c->reply.len - c->out_off;
	} else if (c->pat_off < c->reply.pattern_len) {
		*p = page_pattern(c->pat_off, c->reply.pattern_len - c->pat_off,
				  len);
	} else {
		if (c->chunk_off == c->chunk_len && refill_chunk(c) < 0)
			return -1;
		*p = c->chunk + c->chunk_off;
		*len = c->chunk_len - c->chunk_off;
	}
	return 0;
}

static void advance(struct conn *c, size_t n)
{
	if (c->out_off < c->reply.len)
		c->out_off += n;
	else if (c->pat_off < c->reply.pattern_len)
		c->pat_off += n;
	else
		c->chunk_off += n;
}

/* Send as much of the response as the socket takes, up to the budget of
 * one turn. Returns 0, or -1 when the connection is dead. */
static int conn_flush(struct conn *c)
{
	size_t sent = 0;

	while (output_pending(c) && sent < HTTPD_SEND_BUDGET) {
		const char *p;
		size_t len;
		ssize_t n;

		if (next_bytes(c, &p, &len) < 0)
			return -1;
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n < 0)
			return would_block() ? 0 : -1;
		advance(c, (size_t)n);
		sent += (size_t)n;
		c->deadline = now_ms() + HTTPD_IDLE_MS;
	}
	return 0;
}

/* A new response starts: nothing of it sent yet. */
static void reply_reset(struct conn *c)
{
	if (c->reply.file_fd >= 0)
		close(c->reply.file_fd);
	c->reply.len = 0;
	c->reply.pattern_len = 0;
	c->reply.file_fd = -1;
	c->reply.file_len = 0;
	c->reply.close = 0;
	c->out_off = 0;
	c->pat_off = 0;
	c->chunk_len = 0;
	c->chunk_off = 0;
	/* Only connections sending a file hold a chunk: many idle
	 * keep-alive connections must not pin 64 KiB each. */
	free(c->chunk);
	c->chunk = NULL;
}

static void conn_start_linger(struct conn *c)
{
	/* Our side is done; the client sees EOF once the data is through. */
	(void)shutdown(c->fd, SHUT_WR); /* the peer may be gone: fine */
	c->state = CONN_LINGER;
	c->in_len = 0;
	c->deadline = now_ms() + HTTPD_LINGER_MS;
}

static void consume(struct conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
}

/* An error response that ends the connection. */
static void reply_fatal(struct conn *c, int status, const char *extra)
{
	c->reply.close = 1;
	page_status(&c->reply, 0, status, extra);
}

/* A PUT: start receiving its body into a file (after a 100 Continue if
 * the client waits for one), or refuse it and close: the body the client
 * may already be sending is then drained by the linger. */
static void start_put(struct conn *c, const struct http_request *req)
{
	int status = upload_begin(req, &c->up);

	if (status) {
		reply_fatal(c, status, status == 405 ? files_allow() : "");
		return;
	}
	c->up_keep_alive = req->keep_alive;
	if (req->expect_continue)
		page_continue(&c->reply);
}

static void dispatch(struct httpd_state *st, struct conn *c,
		     const struct http_request *req)
{
	struct httpd_info info = {
		.uptime_ms = (uint64_t)(now_ms() - st->start_ms),
		.requests = st->requests,
		.conns_open = (unsigned)st->nconns,
		.conns_total = st->conns_total,
	};

	if (!st->files) {
		page_reply(req, &info, &c->reply);
	} else if (req->method == HTTP_PUT) {
		start_put(c, req);
		return;
	} else if (req->content_length > HTTP_BODY_SKIP_MAX) {
		reply_fatal(c, 413, "");
	} else {
		c->reply.close = !req->keep_alive;
		files_reply(req, &c->reply);
	}
	if (!c->reply.close)
		c->skip = req->content_length;
}

/* Parse the next request in c->in and set up its response. Returns 1 when
 * a response was set up, 0 when more input is needed. */
static int conn_next_request(struct httpd_state *st, struct conn *c)
{
	struct http_request req;
	long rc = http_parse_request(c->in, c->in_len, &req);

	if (rc == 0)
		return 0;
	reply_reset(c);
	if (rc < 0) {
		page_error((int)-rc, &c->reply);
		c->in_len = 0; /* no more requests on this connection */
	} else {
		consume(c, (size_t)rc);
		dispatch(st, c, &req);
		if (st->verbose && c->reply.len)
			printf("httpd: %s %s %.12s\n", c->peer, req.path,
			       c->reply.buf);
	}
	st->requests++;
	return 1;
}

/* Move the PUT body that has arrived into its file; when it is all there,
 * set up the final response. Returns 1 when a response was set up, 0 when
 * more input is needed. */
static int conn_upload(struct httpd_state *st, struct conn *c)
{
	uint64_t left = upload_left(c->up);
	size_t n = left < c->in_len ? (size_t)left : c->in_len;
	int status = c->up_error ? c->up_error
		     : n	 ? upload_write(c->up, c->in, n)
				 : 0;

	c->up_error = 0;
	consume(c, n);
	if (status) {
		upload_abort(c->up);
		c->up = NULL;
		reply_reset(c);
		reply_fatal(c, status, "");
		return 1;
	}
	if (upload_left(c->up) > 0)
		return 0;
	status = upload_finish(c->up);
	c->up = NULL;
	reply_reset(c);
	c->reply.close = !c->up_keep_alive || status >= 500;
	if (status == 204)
		page_head(&c->reply, 204, NULL, 0, ""); /* no body allowed */
	else
		page_status(&c->reply, 0, status, "");
	if (st->verbose)
		printf("httpd: %s PUT -> %d\n", c->peer, status);
	return 1;
}

/* Move the connection forward as far as it goes without blocking. */
static void conn_work(struct httpd_state *st, struct conn *c)
{
	for (;;) {
		if (conn_flush(c) < 0) {
			conn_close(st, c, "send failed");
			return;
		}
		if (output_pending(c))
			return;
		if (c->reply.close) {
			conn_start_linger(c);
			return;
		}
		reply_reset(c); /* sent in full: its file can go */
		if (c->up) {
			if (!conn_upload(st, c))
				break;
			continue;
		}
		if (c->skip > 0) {
			size_t n = c->skip < c->in_len ? (size_t)c->skip
						       : c->in_len;

			consume(c, n);
			c->skip -= n;
			if (c->skip > 0)
				break;
		}
		if (!conn_next_request(st, c))
			break;
	}
	if (c->eof)
		conn_close(st, c, "client closed");
}

/* A PUT body with nothing else buffered goes from the socket straight to
 * the file in reads of up to HTTPD_CHUNK bytes, not through the header
 * buffer: fewer, larger writes. Returns what recv() returned, or -2 (with
 * errno unchanged) when this path cannot be taken now. */
static ssize_t recv_body(struct conn *c)
{
	uint64_t left = c->up ? upload_left(c->up) : 0;
	size_t want = left < HTTPD_CHUNK ? (size_t)left : HTTPD_CHUNK;
	ssize_t n;

	if (c->state != CONN_ACTIVE || c->in_len > 0 || want == 0)
		return -2;
	if (!c->chunk)
		c->chunk = malloc(HTTPD_CHUNK);
	if (!c->chunk)
		return -2;
	n = recv(c->fd, c->chunk, want, 0);
	if (n > 0)
		c->up_error = upload_write(c->up, c->chunk, (size_t)n);
	return n;
}

static void conn_readable(struct httpd_state *st, struct conn *c)
{
	ssize_t n = recv_body(c);

	if (n == -2) {
		/* conn_work() never waits for input with a full buffer (the
		 * parser answers 431 first), but a zero-length recv() would
		 * look like EOF. */
		if (c->in_len >= HTTP_HEADER_MAX) {
			conn_close(st, c, "input buffer full");
			return;
		}
		n = recv(c->fd, c->in + c->in_len, HTTP_HEADER_MAX - c->in_len,
			 0);
		if (n > 0)
			c->in_len += (size_t)n;
	}
	if (n < 0) {
		if (!would_block())
			conn_close(st, c, strerror(errno));
		return;
	}
	if (c->state == CONN_LINGER) {
		c->in_len = 0;
		if (n == 0)
			conn_close(st, c, "done");
		return;
	}
	if (n == 0)
		c->eof = 1;
	c->deadline = now_ms() + HTTPD_IDLE_MS;
	conn_work(st, c);
}

static void conn_event(struct httpd_state *st, struct conn *c, short rev)
{
	if (c->state == CONN_ACTIVE && output_pending(c))
		conn_work(st, c);
	else if (rev & (POLLIN | POLLERR | POLLHUP))
		conn_readable(st, c);
}

/* --- the server ---------------------------------------------------------- */

static int conn_init(struct httpd_state *st, struct conn *c, int fd,
		     const struct sockaddr_in *a)
{
	int one = 1;

	*c = (struct conn){ .fd = fd, .state = CONN_ACTIVE };
	c->reply.file_fd = -1;
	c->in = malloc(HTTP_HEADER_MAX);
	c->reply.buf = malloc(HTTP_REPLY_MIN);
	c->reply.cap = HTTP_REPLY_MIN;
	if (!c->in || !c->reply.buf || set_nonblock(fd) < 0) {
		free(c->in);
		free(c->reply.buf);
		*c = (struct conn){ .fd = -1, .state = CONN_FREE };
		c->reply.file_fd = -1;
		return -1;
	}
	/* A response's last partial segment must not wait for the ACK of
	 * the one before it (Nagle), which delayed ACKs hold back. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->deadline = now_ms() + HTTPD_IDLE_MS;
	snprintf(c->peer, sizeof(c->peer), "%s:%u", inet_ntoa(a->sin_addr),
		 (unsigned)ntohs(a->sin_port));
	st->nconns++;
	st->conns_total++;
	if (st->verbose)
		printf("httpd: open %s\n", c->peer);
	return 0;
}

static struct conn *free_slot(struct httpd_state *st)
{
	for (int i = 0; i < st->maxconns; i++)
		if (st->conns[i].state == CONN_FREE)
			return &st->conns[i];
	return NULL;
}

static void accept_all(struct httpd_state *st)
{
	while (st->nconns < st->maxconns) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		int fd = accept(st->lsock, (struct sockaddr *)&a, &alen);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				st->accept_paused = HTTPD_ACCEPT_BACKOFF_MS;
			return;
		}
		if (conn_init(st, free_slot(st), fd, &a) < 0) {
			close(fd);
			st->accept_paused = HTTPD_ACCEPT_BACKOFF_MS;
			return;
		}
	}
}

static int build_pollset(struct httpd_state *st)
{
	int n = 0;

	if (st->nconns < st->maxconns && !st->accept_paused) {
		st->pfd_conn[n] = -1;
		st->pfds[n++] =
			(struct pollfd){ .fd = st->lsock, .events = POLLIN };
	}
	for (int i = 0; i < st->maxconns; i++) {
		struct conn *c = &st->conns[i];

		if (c->state == CONN_FREE)
			continue;
		st->pfd_conn[n] = i;
		st->pfds[n++] = (struct pollfd){
			.fd = c->fd,
			.events = c->state == CONN_ACTIVE && output_pending(c)
					  ? POLLOUT
					  : POLLIN,
		};
	}
	return n;
}

static void expire(struct httpd_state *st)
{
	int64_t now = now_ms();

	for (int i = 0; i < st->maxconns; i++) {
		struct conn *c = &st->conns[i];

		if (c->state != CONN_FREE && now >= c->deadline)
			conn_close(st, c, "timeout");
	}
}

static int serve(struct httpd_state *st)
{
	for (;;) {
		int n = build_pollset(st);
		int timeout = st->nconns ? 1000 : -1;
		int rc;

		if (st->accept_paused)
			timeout = st->accept_paused;
		rc = poll(st->pfds, (nfds_t)n, timeout);
		if (rc < 0 && errno != EINTR) {
			perror("httpd: poll");
			return 1;
		}
		st->accept_paused = 0;
		for (int i = 0; i < n && rc > 0; i++) {
			short rev = st->pfds[i].revents;

			if (!rev)
				continue;
			if (st->pfd_conn[i] < 0)
				accept_all(st);
			else
				conn_event(st, &st->conns[st->pfd_conn[i]],
					   rev);
		}
		expire(st);
	}
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* A byte count: digits with an optional K, M or G suffix. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'M' || *end == 'G')
		shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
	if (errno || end == s || end[shift != 0] || s[0] == '-' ||
	    v > (1ull << 40) >> shift)
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

struct options {
	int port;
	int writable;
	uint64_t put_max;
	const char *dir;
};

static int parse_args(int argc, char **argv, struct options *o,
		      struct httpd_state *st)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			st->verbose = 1;
		} else if (!strcmp(argv[i], "-w")) {
			o->writable = 1;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			if (parse_int(argv[++i], 1, 65535, &o->port) < 0)
				return -1;
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			if (parse_int(argv[++i], 1, HTTPD_MAX_CONNS,
				      &st->maxconns) < 0)
				return -1;
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			if (parse_size(argv[++i], &o->put_max) < 0)
				return -1;
		} else if (argv[i][0] != '-' && !o->dir) {
			o->dir = argv[i];
		} else {
			return -1;
		}
	}
	/* -w without a directory has nothing to write to. */
	return o->writable && !o->dir ? -1 : 0;
}

static int state_alloc(struct httpd_state *st)
{
	size_t npfd = (size_t)st->maxconns + 1;

	st->conns = calloc((size_t)st->maxconns, sizeof(*st->conns));
	st->pfds = calloc(npfd, sizeof(*st->pfds));
	st->pfd_conn = calloc(npfd, sizeof(*st->pfd_conn));
	if (!st->conns || !st->pfds || !st->pfd_conn)
		return -1;
	for (int i = 0; i < st->maxconns; i++) {
		st->conns[i] = (struct conn){ .fd = -1, .state = CONN_FREE };
		st->conns[i].reply.file_fd = -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: httpd [-p PORT] [-c MAXCONN] [-v] [-w] [-m MAXPUT] "
		"[DIR]\n"
		"  DIR         serve the files under DIR (default: the "
		"built-in pages)\n"
		"  -w          accept PUT into DIR (durable before 201/204)\n"
		"  -m MAXPUT   largest PUT body, bytes or with K/M/G "
		"(default 64M)\n"
		"  -p PORT     TCP port (default 80)\n"
		"  -c MAXCONN  concurrent connections (default 512, "
		"at most 1000)\n"
		"  -v          one line per connection and request\n");
}

int main(int argc, char **argv)
{
	struct httpd_state st = { .maxconns = HTTPD_DEFAULT_CONNS };
	struct options o = { .port = HTTPD_DEFAULT_PORT,
			     .put_max = HTTPD_DEFAULT_PUT_MAX };

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o, &st) < 0) {
		usage();
		return 2;
	}
	if (o.dir && files_init(o.dir, o.writable) < 0)
		return 1;
	st.files = o.dir != NULL;
	upload_init(o.put_max);
	if (state_alloc(&st) < 0) {
		fprintf(stderr, "httpd: out of memory\n");
		return 1;
	}
	page_init();
	st.lsock = open_listener(o.port);
	if (st.lsock < 0)
		return 1;
	st.start_ms = now_ms();
	if (o.dir)
		printf("httpd: serving %s%s\n", o.dir,
		       o.writable ? " (PUT allowed)" : "");
	printf("httpd: listening on port %d\n", o.port);
	return serve(&st);
}
