/*
 * echo: the RFC 862 echo service over TCP and UDP on one port (default 7).
 *
 * One thread, one poll() loop, every socket non-blocking. Each TCP
 * connection owns a fixed buffer: bytes read wait there until the peer
 * takes them back, and while any are waiting the connection is not read
 * (so a client that sends but never reads stalls only itself). UDP
 * datagrams are answered at once; one that cannot be sent is dropped, as
 * UDP allows. When the connection table is full the listener is left out
 * of poll() and new clients wait in the kernel's backlog.
 *
 * Plain POSIX: the same source builds for Skiff and for Linux. It does not
 * interpret what it echoes, so there is no input it can choke on.
 *
 * usage: echo [-p PORT] [-c MAXCONN] [-v]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#define ECHO_DEFAULT_PORT 7
#define ECHO_DEFAULT_CONNS 512
/* poll() on Skiff takes at most 1024 entries; two are the listeners. */
#define ECHO_MAX_CONNS 1000
#define ECHO_BUF_SIZE 16384
/* Datagrams read per poll round, so TCP clients are not starved. */
#define ECHO_UDP_BURST 64
/* Largest UDP payload over IPv4. */
#define ECHO_UDP_MAX 65507
/* After accept() fails for lack of resources, leave the listener alone
 * this long rather than spin on it. */
#define ECHO_ACCEPT_BACKOFF_MS 100

struct echo_conn {
	int fd;		 /* -1: slot free */
	size_t len, off; /* bytes waiting in buf start at off */
	int eof;	 /* the peer has shut down its side */
	char peer[32];	 /* "a.b.c.d:port", for -v */
	char *buf;
};

struct echo_state {
	int tcp, udp;
	int verbose;
	int nconns, maxconns;
	int accept_paused; /* ms left, or 0 */
	struct echo_conn *conns;
	struct pollfd *pfds;
	int *pfd_conn; /* pfds[i] belongs to conns[pfd_conn[i]] */
	char *dgram;
};

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL, 0);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static int open_socket(int type, int port)
{
	struct sockaddr_in a;
	int one = 1;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0) {
		perror("echo: socket");
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	/* A restarted server need not wait for old connections' TIME_WAIT. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("echo: bind");
		goto err_close;
	}
	if (type == SOCK_STREAM && listen(fd, 128) < 0) {
		perror("echo: listen");
		goto err_close;
	}
	if (set_nonblock(fd) < 0) {
		perror("echo: fcntl");
		goto err_close;
	}
	return fd;
err_close:
	close(fd);
	return -1;
}

static void conn_close(struct echo_state *st, struct echo_conn *c,
		       const char *why)
{
	if (st->verbose)
		printf("echo: close %s (%s)\n", c->peer, why);
	close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
	st->nconns--;
}

static struct echo_conn *conn_slot(struct echo_state *st)
{
	for (int i = 0; i < st->maxconns; i++)
		if (st->conns[i].fd < 0)
			return &st->conns[i];
	return NULL;
}

/* Resource shortage: try again later. Anything else (the client gave up
 * before we took it, ...) only concerns that one client. */
static int accept_should_pause(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM;
}

static void accept_all(struct echo_state *st)
{
	while (st->nconns < st->maxconns) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		struct echo_conn *c;
		char *buf;
		int fd = accept(st->tcp, (struct sockaddr *)&a, &alen);

		if (fd < 0) {
			if (accept_should_pause(errno))
				st->accept_paused = ECHO_ACCEPT_BACKOFF_MS;
			return;
		}
		buf = malloc(ECHO_BUF_SIZE);
		if (!buf || set_nonblock(fd) < 0) {
			free(buf);
			close(fd);
			st->accept_paused = ECHO_ACCEPT_BACKOFF_MS;
			return;
		}
		c = conn_slot(st);
		*c = (struct echo_conn){ .fd = fd, .buf = buf };
		snprintf(c->peer, sizeof(c->peer), "%s:%u",
			 inet_ntoa(a.sin_addr), (unsigned)ntohs(a.sin_port));
		st->nconns++;
		if (st->verbose)
			printf("echo: open %s\n", c->peer);
	}
}

/* Send what is waiting. Returns 0, or -1 when the connection is dead. */
static int conn_flush(struct echo_conn *c)
{
	while (c->len > 0) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
					       errno == EINTR
				       ? 0
				       : -1;
		c->off += (size_t)n;
		c->len -= (size_t)n;
	}
	c->off = 0;
	return 0;
}

/* Read once into an empty buffer and echo it. */
static void conn_readable(struct echo_state *st, struct echo_conn *c)
{
	ssize_t n = recv(c->fd, c->buf, ECHO_BUF_SIZE, 0);

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_close(st, c, strerror(errno));
		return;
	}
	if (n == 0) {
		c->eof = 1;
		return;
	}
	c->off = 0;
	c->len = (size_t)n;
	if (conn_flush(c) < 0)
		conn_close(st, c, "send failed");
}

static void conn_event(struct echo_state *st, struct echo_conn *c, short rev)
{
	if (c->len > 0 && (rev & (POLLOUT | POLLERR | POLLHUP))) {
		if (conn_flush(c) < 0) {
			conn_close(st, c, "send failed");
			return;
		}
	} else if (c->len == 0 && (rev & (POLLIN | POLLERR | POLLHUP))) {
		conn_readable(st, c);
		if (c->fd < 0)
			return;
	}
	if (c->eof && c->len == 0)
		conn_close(st, c, "peer closed");
}

static void udp_readable(struct echo_state *st)
{
	for (int i = 0; i < ECHO_UDP_BURST; i++) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		ssize_t n = recvfrom(st->udp, st->dgram, ECHO_UDP_MAX, 0,
				     (struct sockaddr *)&a, &alen);

		if (n < 0)
			return;
		/* A full send queue drops the answer, like the network may. */
		(void)sendto(st->udp, st->dgram, (size_t)n, 0,
			     (struct sockaddr *)&a, alen);
	}
}

/* Fill pfds; returns how many entries are in use. */
static int build_pollset(struct echo_state *st)
{
	int n = 0;

	st->pfds[n++] = (struct pollfd){ .fd = st->udp, .events = POLLIN };
	if (st->nconns < st->maxconns && !st->accept_paused)
		st->pfds[n++] =
			(struct pollfd){ .fd = st->tcp, .events = POLLIN };
	for (int i = 0; i < st->maxconns; i++) {
		struct echo_conn *c = &st->conns[i];

		if (c->fd < 0)
			continue;
		st->pfd_conn[n] = i;
		st->pfds[n++] = (struct pollfd){
			.fd = c->fd,
			.events = c->len > 0 ? POLLOUT : POLLIN,
		};
	}
	return n;
}

static int serve(struct echo_state *st)
{
	for (;;) {
		int n = build_pollset(st);
		int timeout = st->accept_paused ? st->accept_paused : -1;
		int rc = poll(st->pfds, (nfds_t)n, timeout);

		if (rc < 0) {
			if (errno == EINTR)
				continue;
			perror("echo: poll");
			return 1;
		}
		/* A coarse backoff: one round, however long it took. */
		st->accept_paused = 0;
		for (int i = 0; i < n; i++) {
			short rev = st->pfds[i].revents;

			if (!rev)
				continue;
			if (st->pfds[i].fd == st->udp)
				udp_readable(st);
			else if (st->pfds[i].fd == st->tcp)
				accept_all(st);
			else
				conn_event(st, &st->conns[st->pfd_conn[i]],
					   rev);
		}
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

static int usage(void)
{
	fprintf(stderr,
		"usage: echo [-p PORT] [-c MAXCONN] [-v]\n"
		"  -p PORT     TCP and UDP port (default 7)\n"
		"  -c MAXCONN  concurrent TCP connections "
		"(default 512, at most 1000)\n"
		"  -v          one line per connection opened/closed\n");
	return 2;
}

static int parse_args(int argc, char **argv, int *port, struct echo_state *st)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-v"))
			st->verbose = 1;
		else if (!strcmp(a, "-p") && i + 1 < argc) {
			if (parse_int(argv[++i], 1, 65535, port) < 0)
				return -1;
		} else if (!strcmp(a, "-c") && i + 1 < argc) {
			if (parse_int(argv[++i], 1, ECHO_MAX_CONNS,
				      &st->maxconns) < 0)
				return -1;
		} else
			return -1;
	}
	return 0;
}

static int state_alloc(struct echo_state *st)
{
	size_t npfd = (size_t)st->maxconns + 2;

	st->conns = calloc((size_t)st->maxconns, sizeof(*st->conns));
	st->pfds = calloc(npfd, sizeof(*st->pfds));
	st->pfd_conn = calloc(npfd, sizeof(*st->pfd_conn));
	st->dgram = malloc(ECHO_UDP_MAX);
	if (!st->conns || !st->pfds || !st->pfd_conn || !st->dgram)
		return -1;
	for (int i = 0; i < st->maxconns; i++)
		st->conns[i].fd = -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct echo_state st = { .maxconns = ECHO_DEFAULT_CONNS };
	int port = ECHO_DEFAULT_PORT;

	/* The console may be a pipe or a file: keep log lines whole and
	 * visible at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &port, &st) < 0)
		return usage();
	if (state_alloc(&st) < 0) {
		fprintf(stderr, "echo: out of memory\n");
		return 1;
	}
	st.tcp = open_socket(SOCK_STREAM, port);
	if (st.tcp < 0)
		return 1;
	st.udp = open_socket(SOCK_DGRAM, port);
	if (st.udp < 0)
		return 1;
	printf("echo: listening on tcp/udp port %d\n", port);
	return serve(&st);
}
