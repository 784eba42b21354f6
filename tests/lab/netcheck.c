/*
 * netcheck: the Linux-side client of the host lab's network tests. It runs
 * in dom0 (built statically for Linux by `make lab-tools`) against a Skiff
 * guest and checks what crosses the wire, byte for byte:
 *
 *   netcheck tcp-echo HOST PORT BYTES        one stream, echoed, compared
 *   netcheck tcp-echo-many HOST PORT N BYTES N streams at once
 *   netcheck udp-echo HOST PORT COUNT        datagrams of mixed sizes
 *   netcheck http HOST PORT                  status codes, keep-alive,
 *                                            a malformed request, recovery
 *   netcheck dns-serve IP NAME ADDR SECS     a DNS server that knows one
 *                                            name (A record), for SECS s
 *
 * Each prints one line "ok: ..." and exits 0, or "error: ..." and exits 1.
 * Every wait has a deadline, so a dead guest fails the test, never hangs it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_S 120
#define CHUNK 65536
#define MAX_STREAMS 256

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("error: ", stdout);
	vprintf(fmt, ap);
	fputs("\n", stdout);
	va_end(ap);
	exit(1);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct sockaddr_in address(const char *host, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		die("bad address %s", host);
	a.sin_port = htons((uint16_t)atoi(port));
	return a;
}

static int connect_tcp(const struct sockaddr_in *a)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (s < 0 || connect(s, (const struct sockaddr *)a, sizeof(*a)) != 0)
		die("connect: %s", strerror(errno));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return s;
}

/* The byte at offset i of stream k: a pattern that catches reordering,
 * loss and mixing of streams. */
static uint8_t pattern(unsigned k, uint64_t i)
{
	uint64_t x = (i / 251) * 2654435761u + k * 40503u + i;

	return (uint8_t)(x ^ (x >> 13));
}

struct stream {
	int fd;
	unsigned k;
	uint64_t sent, received, total;
	int done;
};

/* Move what can be moved without blocking; returns 1 when finished. */
static int pump(struct stream *st, short revents)
{
	static uint8_t buf[CHUNK];
	ssize_t n;
	size_t len, i;

	if ((revents & POLLOUT) && st->sent < st->total) {
		len = st->total - st->sent < CHUNK ? st->total - st->sent
						   : CHUNK;
		for (i = 0; i < len; i++)
			buf[i] = pattern(st->k, st->sent + i);
		n = send(st->fd, buf, len, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			die("stream %u: send: %s", st->k, strerror(errno));
		if (n > 0)
			st->sent += (uint64_t)n;
		if (st->sent == st->total)
			shutdown(st->fd, SHUT_WR);
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		n = recv(st->fd, buf, CHUNK, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN)
			die("stream %u: recv: %s", st->k, strerror(errno));
		if (n == 0 && st->received < st->total)
			die("stream %u: closed after %llu of %llu bytes", st->k,
			    (unsigned long long)st->received,
			    (unsigned long long)st->total);
		for (i = 0; n > 0 && i < (size_t)n; i++)
			if (buf[i] != pattern(st->k, st->received + i))
				die("stream %u: byte %llu differs", st->k,
				    (unsigned long long)(st->received + i));
		if (n > 0)
			st->received += (uint64_t)n;
		if (st->received > st->total)
			die("stream %u: more bytes came back than were sent",
			    st->k);
	}
	return st->received == st->total;
}

static void tcp_echo(const char *host, const char *port, unsigned nstreams,
		     uint64_t bytes)
{
	static struct stream st[MAX_STREAMS];
	struct pollfd pfd[MAX_STREAMS];
	struct sockaddr_in a = address(host, port);
	double t0 = now_s();
	unsigned i, left = nstreams;

	if (nstreams == 0 || nstreams > MAX_STREAMS)
		die("1 to %d streams", MAX_STREAMS);
	for (i = 0; i < nstreams; i++)
		st[i] = (struct stream){ connect_tcp(&a), i, 0, 0, bytes, 0 };
	while (left) {
		for (i = 0; i < nstreams; i++) {
			pfd[i].fd = st[i].done ? -1 : st[i].fd;
			pfd[i].events =
				POLLIN |
				(st[i].sent < st[i].total ? POLLOUT : 0);
		}
		if (poll(pfd, nstreams, 1000) < 0)
			die("poll: %s", strerror(errno));
		if (now_s() - t0 > DEADLINE_S)
			die("%u of %u streams unfinished after %d s", left,
			    nstreams, DEADLINE_S);
		for (i = 0; i < nstreams; i++)
			if (!st[i].done && pfd[i].revents &&
			    pump(&st[i], pfd[i].revents)) {
				st[i].done = 1;
				close(st[i].fd);
				left--;
			}
	}
	printf("ok: %u stream(s) x %llu bytes echoed intact in %.2f s\n",
	       nstreams, (unsigned long long)bytes, now_s() - t0);
}

static size_t udp_size(unsigned i)
{
	static const size_t sizes[] = { 4, 8, 64, 512, 1400, 1472, 3000, 8000 };

	return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))] + i % 7;
}

/* A datagram: its sequence number (4 bytes), then the pattern. */
static void fill_datagram(uint8_t *d, size_t len, uint32_t seq)
{
	size_t i;

	memcpy(d, &seq, sizeof(seq));
	for (i = sizeof(seq); i < len; i++)
		d[i] = pattern(seq, i);
}

/* Wait for the echo of datagram seq: 1 when it came back intact, 0 on
 * timeout; dies if it (or anything) came back corrupted. */
static int await_echo(int s, const uint8_t *out, size_t len, uint32_t seq)
{
	static uint8_t in[9000];
	uint32_t got;
	ssize_t n;

	for (;;) {
		n = recv(s, in, sizeof(in), 0);
		if (n < 0)
			return 0;
		if (n < (ssize_t)sizeof(got))
			die("a %zd-byte datagram came back", n);
		memcpy(&got, in, sizeof(got));
		if (got < seq)
			continue; /* a late echo of one we resent */
		if (got > seq || (size_t)n != len || memcmp(in, out, len))
			die("datagram %u (%zu bytes) came back corrupted "
			    "(%zd bytes, seq %u)",
			    seq, len, n, got);
		return 1;
	}
}

static void udp_echo(const char *host, const char *port, unsigned count)
{
	static uint8_t out[9000];
	struct sockaddr_in a = address(host, port);
	struct timeval tv = { 0, 500000 };
	unsigned seq, retries = 0;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	double t0 = now_s();

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		die("udp socket: %s", strerror(errno));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (seq = 0; seq < count; seq++) {
		size_t len = udp_size(seq);
		int tries, ok = 0;

		fill_datagram(out, len, seq);
		/* UDP may lose a datagram; it must never corrupt one. */
		for (tries = 0; tries < 5 && !ok; tries++) {
			if (send(s, out, len, 0) != (ssize_t)len)
				die("udp send %u: %s", seq, strerror(errno));
			ok = await_echo(s, out, len, seq);
			retries += !ok;
		}
		if (!ok)
			die("datagram %u (%zu bytes) never came back", seq,
			    len);
	}
	printf("ok: %u datagrams of 4..8006 bytes echoed intact in %.2f s "
	       "(%u resent)\n",
	       count, now_s() - t0, retries);
}

/* Send req on a fresh or given connection and read one response; returns
 * the status code and the body length it announced and delivered. */
static int http_exchange(int s, const char *req, long *body_len)
{
	static char buf[1 << 20];
	size_t have = 0;
	char *end, *cl;
	long want = -1;
	int status;
	double t0 = now_s();

	if (send(s, req, strlen(req), 0) != (ssize_t)strlen(req))
		die("http send: %s", strerror(errno));
	for (;;) {
		ssize_t n;

		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end) {
			cl = strcasestr(buf, "\r\nContent-Length:");
			want = cl ? atol(cl + 17) : 0;
			if (have >= (size_t)(end + 4 - buf) + (size_t)want)
				break;
		}
		if (now_s() - t0 > 30)
			die("http: no complete response to %.20s", req);
		n = recv(s, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			die("http: connection closed mid-response to %.20s",
			    req);
		have += (size_t)n;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		die("http: bad status line");
	*body_len = want;
	return status;
}

static void http(const char *host, const char *port)
{
	struct sockaddr_in a = address(host, port);
	int s = connect_tcp(&a);
	long len;
	int st;

	st = http_exchange(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", &len);
	if (st != 200 || len <= 0)
		die("GET / gave %d", st);
	/* Same connection: keep-alive. */
	st = http_exchange(s, "GET /bytes/100000 HTTP/1.1\r\nHost: x\r\n\r\n",
			   &len);
	if (st != 200 || len != 100000)
		die("GET /bytes/100000 on a kept-alive connection gave %d, %ld "
		    "bytes",
		    st, len);
	st = http_exchange(s, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n",
			   &len);
	if (st != 404)
		die("an unknown path gave %d, not 404", st);
	close(s);
	s = connect_tcp(&a);
	st = http_exchange(s, "BLAH\r\n\r\n", &len);
	if (st != 400)
		die("a malformed request gave %d, not 400", st);
	close(s);
	s = connect_tcp(&a);
	st = http_exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", &len);
	if (st != 200)
		die("after a malformed request, /health gave %d", st);
	close(s);
	printf("ok: 200 with keep-alive, 404, 400 for a malformed request, "
	       "and still serving after it\n");
}

/* The QNAME at q (wire format) as a dotted name; returns the bytes it
 * took, or 0 if it is malformed or does not fit. */
static size_t read_qname(const uint8_t *q, size_t len, char *name, size_t size)
{
	size_t at = 0, out = 0;

	while (at < len && q[at]) {
		size_t l = q[at++];

		if (l > 63 || at + l > len || out + l + 1 >= size)
			return 0;
		if (out)
			name[out++] = '.';
		memcpy(name + out, q + at, l);
		out += l;
		at += l;
	}
	if (at >= len)
		return 0;
	name[out] = '\0';
	return at + 1;
}

/* Answer A queries for one name; everything else gets NXDOMAIN. */
static void dns_serve(const char *ip, const char *name, const char *addr,
		      int secs)
{
	struct sockaddr_in a = address(ip, "53"), peer;
	struct in_addr answer;
	struct timeval tv = { 1, 0 };
	uint8_t buf[512];
	char qname[256];
	int s = socket(AF_INET, SOCK_DGRAM, 0), served = 0;
	double t0 = now_s();

	if (inet_pton(AF_INET, addr, &answer) != 1)
		die("bad address %s", addr);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		die("dns bind: %s", strerror(errno));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (now_s() - t0 < secs) {
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &plen);
		size_t ql, end;
		int known;

		if (n < 12 || buf[4] != 0 || buf[5] != 1)
			continue; /* timeout, or not exactly one question */
		ql = read_qname(buf + 12, (size_t)n - 12, qname, sizeof(qname));
		end = 12 + ql + 4;
		if (!ql || end > (size_t)n)
			continue;
		known = !strcasecmp(qname, name) && buf[end - 4] == 0 &&
			buf[end - 3] == 1;    /* type A */
		buf[2] = 0x84 | (buf[2] & 1); /* response, authoritative, RD */
		buf[3] = known ? 0 : 3;	      /* NOERROR or NXDOMAIN */
		buf[6] = 0;
		buf[7] = known;
		memset(buf + 8, 0, 4);
		if (known && end + 16 <= sizeof(buf)) {
			static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1,	 0, 1,
						      0,    0,	  0, 60, 0, 4 };
			memcpy(buf + end, rr, sizeof(rr));
			memcpy(buf + end + sizeof(rr), &answer, 4);
			end += sizeof(rr) + 4;
		}
		sendto(s, buf, end, 0, (struct sockaddr *)&peer, plen);
		served++;
	}
	printf("ok: answered %d queries\n", served);
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "tcp-echo"))
		tcp_echo(argv[2], argv[3], 1, strtoull(argv[4], NULL, 0));
	else if (argc == 6 && !strcmp(argv[1], "tcp-echo-many"))
		tcp_echo(argv[2], argv[3], (unsigned)atoi(argv[4]),
			 strtoull(argv[5], NULL, 0));
	else if (argc == 5 && !strcmp(argv[1], "udp-echo"))
		udp_echo(argv[2], argv[3], (unsigned)atoi(argv[4]));
	else if (argc == 4 && !strcmp(argv[1], "http"))
		http(argv[2], argv[3]);
	else if (argc == 6 && !strcmp(argv[1], "dns-serve"))
		dns_serve(argv[2], argv[3], argv[4], atoi(argv[5]));
	else
		die("usage: see the comment at the top of "
		    "tests/lab/netcheck.c");
	return 0;
}
