/*
 * netbench's client: connect, ask the server for one test (netbench.h has
 * the protocol), run it, report it (stats.c).
 *
 * The data path uses blocking sockets with receive and send timeouts, the
 * cheapest way to wait for one socket on both Skiff and Linux; the clock
 * is read once per send or transaction. Latency is measured per
 * transaction, from just before its request is sent to just after the
 * last byte of its response arrives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "netbench.h"

#define NS 1000000000ull
#define CONNECT_TIMEOUT_MS 5000
/* The server has this long to answer anything before the run fails. */
#define TCP_TIMEOUT_SECS 10
/* udp_rr: a request unanswered this long counts as lost... */
#define UDP_TIMEOUT_MS 500
/* ...and this many in a row end the run. */
#define UDP_LOST_MAX 20

struct run {
	const struct nb_client_opts *o;
	int fd;
	char *buf; /* req.size bytes */
	struct nb_result res;
	struct nb_lat lat;
};

static int fail(const char *what)
{
	fprintf(stderr, "netbench: %s: %s\n", what,
		errno ? strerror(errno) : "failed");
	return 1;
}

static int fail_msg(const char *msg)
{
	fprintf(stderr, "netbench: %s\n", msg);
	return 1;
}

static int resolve(const struct nb_client_opts *o, struct sockaddr_in *sa)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	/* A numeric address needs no resolver (a static Linux binary would
	 * otherwise want the C library's NSS modules at run time). */
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)o->port);
	if (inet_pton(AF_INET, o->host, &sa->sin_addr) == 1)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(o->host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		fprintf(stderr, "netbench: cannot resolve %s: %s\n", o->host,
			gai_strerror(rc));
		return -1;
	}
	memcpy(sa, res->ai_addr, sizeof(*sa));
	sa->sin_port = htons((unsigned short)o->port);
	freeaddrinfo(res);
	return 0;
}

static void set_timeouts(int fd, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	/* Without them a dead peer hangs the run instead of failing it;
	 * both systems have them, so a failure here is not expected. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Non-blocking connect, so an unreachable host fails in bounded time. */
static int connect_timeout(int fd, const struct sockaddr_in *sa)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (nb_set_nonblock(fd, 1) < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		if (poll(&p, 1, CONNECT_TIMEOUT_MS) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			return -1;
		if (err) {
			errno = err;
			return -1;
		}
	}
	return nb_set_nonblock(fd, 0);
}

/* Send all of buf; 0 or -1. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Receive exactly len bytes; 0, or -1 (errno 0: the peer closed). */
static int recv_all(int fd, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One control line from the server, byte by byte so nothing after it is
 * taken; without the newline. 0 or -1. */
static int recv_line(int fd, char *line, size_t cap)
{
	for (size_t i = 0; i + 1 < cap; i++) {
		if (recv_all(fd, &line[i], 1) < 0)
			return -1;
		if (line[i] == '\n') {
			line[i] = '\0';
			return 0;
		}
	}
	errno = EPROTO;
	return -1;
}

static int open_session(struct run *r, const struct sockaddr_in *sa)
{
	char line[NB_LINE_MAX];
	int n, one = 1;

	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (r->fd < 0)
		return fail("socket");
	if (connect_timeout(r->fd, sa) < 0)
		return fail("connect");
	(void)setsockopt(r->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeouts(r->fd, TCP_TIMEOUT_SECS * 1000);
	n = nb_request_format(&r->o->req, line, sizeof(line));
	if (n < 0)
		return fail_msg("bad request parameters");
	if (send_all(r->fd, line, (size_t)n) < 0)
		return fail("sending the request");
	if (recv_line(r->fd, line, sizeof(line)) < 0)
		return fail("reading the server's answer");
	if (strcmp(line, "OK")) {
		fprintf(stderr, "netbench: server refused: %s\n", line);
		return 1;
	}
	return 0;
}

/* Still running after `done` units of o->count, at time now? */
static int more(const struct run *r, uint64_t done, uint64_t now, uint64_t end)
{
	return now < end && (r->o->count == 0 || done < r->o->count);
}

static int stream_tx(struct run *r)
{
	uint64_t start = nb_now_ns(), now = start;
	uint64_t end = start + r->o->req.secs * NS, got;
	char line[NB_LINE_MAX];

	while (more(r, r->res.bytes, now, end)) {
		size_t len = r->o->req.size;

		if (r->o->count && r->o->count - r->res.bytes < len)
			len = (size_t)(r->o->count - r->res.bytes);
		if (send_all(r->fd, r->buf, len) < 0)
			return fail("send");
		r->res.bytes += len;
		now = nb_now_ns();
	}
	/* The run ends when the server has counted every byte. */
	if (shutdown(r->fd, SHUT_WR) < 0)
		return fail("shutdown");
	if (recv_line(r->fd, line, sizeof(line)) < 0)
		return fail("reading the server's count");
	r->res.secs = (double)(nb_now_ns() - start) / 1e9;
	if (strncmp(line, "DONE bytes=", 11) ||
	    nb_parse_u64(line + 11, 0, UINT64_MAX, &got) < 0)
		return fail_msg("malformed DONE line from the server");
	if (got != r->res.bytes) {
		fprintf(stderr, "netbench: sent %llu bytes, server got %llu\n",
			(unsigned long long)r->res.bytes,
			(unsigned long long)got);
		return 1;
	}
	return 0;
}

static int stream_rx(struct run *r)
{
	uint64_t start = nb_now_ns(), now = start;
	uint64_t end = start + r->o->req.secs * NS;

	while (more(r, r->res.bytes, now, end)) {
		size_t len = r->o->req.size;
		ssize_t n;

		if (r->o->count && r->o->count - r->res.bytes < len)
			len = (size_t)(r->o->count - r->res.bytes);
		n = recv(r->fd, r->buf, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				return fail_msg("server closed the stream");
			return fail("recv");
		}
		r->res.bytes += (uint64_t)n;
		now = nb_now_ns();
	}
	r->res.secs = (double)(now - start) / 1e9;
	return 0;
}

static int tcp_rr(struct run *r)
{
	size_t size = r->o->req.size;
	uint64_t start = nb_now_ns(), now = start;
	uint64_t end = start + r->o->req.secs * NS;

	while (more(r, r->res.trans, now, end)) {
		uint64_t t0 = now;

		if (send_all(r->fd, r->buf, size) < 0)
			return fail("send");
		if (recv_all(r->fd, r->buf, size) < 0)
			return fail(errno ? "recv" : "server closed");
		now = nb_now_ns();
		nb_lat_add(&r->lat, now - t0);
		r->res.trans++;
	}
	r->res.bytes = r->res.trans * size * 2;
	r->res.secs = (double)(now - start) / 1e9;
	return 0;
}

/* udp_rr: the first bytes of each request carry its number, so a late
 * answer to an earlier request is not taken for this one's. */
static void udp_stamp(char *buf, size_t size, uint64_t seq)
{
	for (size_t i = 0; i < size && i < 8; i++)
		buf[i] = (char)(seq >> (8 * i));
}

static int udp_matches(const char *buf, ssize_t n, size_t size, uint64_t seq)
{
	if (n != (ssize_t)size)
		return 0;
	for (size_t i = 0; i < size && i < 8; i++)
		if (buf[i] != (char)(seq >> (8 * i)))
			return 0;
	return 1;
}

/* One request and its answer. Returns 1 (answered), 0 (lost), -1. */
static int udp_transaction(int u, char *buf, size_t size, uint64_t seq,
			   uint64_t deadline)
{
	udp_stamp(buf, size, seq);
	if (send(u, buf, size, 0) < 0)
		return errno == ENOBUFS || errno == EAGAIN ? 0 : -1;
	for (;;) {
		ssize_t n = recv(u, buf, size, 0);

		if (n < 0)
			return nb_would_block() ? 0 : -1;
		if (udp_matches(buf, n, size, seq))
			return 1;
		if (nb_now_ns() >= deadline)
			return 0;
	}
}

static int udp_rr(struct run *r, const struct sockaddr_in *sa)
{
	size_t size = r->o->req.size;
	uint64_t start, now, end, seq = 0, lost_row = 0;
	int u = socket(AF_INET, SOCK_DGRAM, 0);

	if (u < 0)
		return fail("socket");
	if (connect(u, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		close(u);
		return fail("connect (udp)");
	}
	set_timeouts(u, UDP_TIMEOUT_MS);
	start = now = nb_now_ns();
	end = start + r->o->req.secs * NS;
	while (more(r, r->res.trans, now, end)) {
		uint64_t t0 = now;
		int rc = udp_transaction(u, r->buf, size, seq++,
					 t0 + UDP_TIMEOUT_MS * 1000000ull);

		now = nb_now_ns();
		if (rc < 0) {
			close(u);
			return fail("udp");
		}
		if (rc == 0 && ++lost_row >= UDP_LOST_MAX) {
			close(u);
			return fail_msg("udp: no answers from the server");
		}
		r->res.lost += rc == 0;
		if (rc == 1) {
			lost_row = 0;
			nb_lat_add(&r->lat, now - t0);
			r->res.trans++;
		}
	}
	close(u);
	r->res.bytes = r->res.trans * size * 2;
	r->res.secs = (double)(now - start) / 1e9;
	return 0;
}

static int run_test(struct run *r, const struct sockaddr_in *sa)
{
	switch (r->o->req.test) {
	case NB_TCP_STREAM_TX:
		return stream_tx(r);
	case NB_TCP_STREAM_RX:
		return stream_rx(r);
	case NB_TCP_RR:
		return tcp_rr(r);
	default:
		return udp_rr(r, sa);
	}
}

int nb_client(const struct nb_client_opts *o)
{
	static struct run r; /* the histogram is too big for a stack */
	struct sockaddr_in sa;
	int rc;

	r = (struct run){ .o = o, .fd = -1 };
	nb_lat_init(&r.lat);
	r.res.test = o->req.test;
	r.res.size = o->req.size;
	r.buf = malloc(o->req.size);
	if (!r.buf)
		return fail_msg("out of memory");
	nb_fill_pattern(r.buf, o->req.size);
	rc = resolve(o, &sa) < 0 ? 1 : open_session(&r, &sa);
	if (rc == 0)
		rc = run_test(&r, &sa);
	if (r.fd >= 0)
		close(r.fd);
	free(r.buf);
	if (rc == 0) {
		if (o->req.test == NB_TCP_RR || o->req.test == NB_UDP_RR)
			r.res.lat = &r.lat;
		nb_report(&r.res);
	}
	return rc;
}
