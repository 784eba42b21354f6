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
 *   netcheck make-docroot DIR                write the tree http-files
 *                                            expects (files, links, dirs)
 *   netcheck http-files HOST PORT            httpd -w serving that tree:
 *                                            bytes, HEAD, 304, 206, 416,
 *                                            301, 403, 404, 400, a stalled
 *                                            download not blocking others,
 *                                            PUT 201/204/411/404, aborted
 *                                            PUT leaving nothing
 *   netcheck http-put-stream HOST PORT URLPREFIX COUNT BYTES
 *                                            PUT URLPREFIX<i> (i = 0..), each
 *                                            BYTES of pattern i, one after
 *                                            the other; prints "acked <i>"
 *                                            per 201/204 as it comes (for
 *                                            durability tests that destroy
 *                                            the guest meanwhile: a lost
 *                                            connection ends it, status 0)
 *   netcheck check-file FILE I BYTES         FILE holds exactly pattern I
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
#include <sys/stat.h>
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

/* --- httpd as a file server ----------------------------------------------
 *
 * make-docroot writes a tree whose every byte http-files can predict;
 * http-files then checks a server of that tree, started with -w.
 */

#define DOC_BIG_SIZE ((2u << 20) + 123) /* crosses many 64 KiB chunks */
#define DOC_PUT_SIZE ((1u << 20) + 7)
#define DOC_INDEX "<!DOCTYPE html>\n<title>skiff docroot</title>\n"
#define DOC_SUB_INDEX "sub index\n"
#define DOC_A "a\n"

static void write_file(const char *dir, const char *name, const void *data,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("write %s: %s", path, strerror(errno));
}

static uint8_t *pattern_buf(unsigned k, size_t len)
{
	uint8_t *b = malloc(len);

	if (!b)
		die("out of memory");
	for (size_t i = 0; i < len; i++)
		b[i] = pattern(k, i);
	return b;
}

static void make_docroot(const char *dir)
{
	static const char *const dirs[] = { "", "/sub", "/noindex", "/up" };
	uint8_t *big = pattern_buf(7, DOC_BIG_SIZE);
	char path[4096];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, dirs[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("mkdir %s: %s", path, strerror(errno));
	}
	write_file(dir, "index.html", DOC_INDEX, strlen(DOC_INDEX));
	write_file(dir, "big.bin", big, DOC_BIG_SIZE);
	write_file(dir, "sub/index.html", DOC_SUB_INDEX, strlen(DOC_SUB_INDEX));
	write_file(dir, "sub/a.txt", DOC_A, strlen(DOC_A));
	write_file(dir, "noindex/file.txt", DOC_A, strlen(DOC_A));
	write_file(dir, "sp ace.txt", DOC_A, strlen(DOC_A));
	/* One link that stays inside, one that climbs out. */
	snprintf(path, sizeof(path), "%s/inside.txt", dir);
	if (symlink("sub/a.txt", path) < 0 && errno != EEXIST)
		die("symlink %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/escape.txt", dir);
	if (symlink("../../../../../../etc/passwd", path) < 0 &&
	    errno != EEXIST)
		die("symlink %s: %s", path, strerror(errno));
	free(big);
	printf("ok: docroot in %s\n", dir);
}

/* One response, read whole. */
struct hresp {
	int status;
	long long length; /* Content-Length, -1 when absent */
	char head[8192];
	uint8_t *body; /* malloc'd, length bytes (none for HEAD, 1xx, 304) */
};

/* A connection with what has been read past the last response. */
struct hconn {
	int s;
	char buf[65536];
	size_t have;
	const char *host, *port;
};

static void hc_open(struct hconn *c, const char *host, const char *port)
{
	struct sockaddr_in a = address(host, port);

	c->s = connect_tcp(&a);
	c->have = 0;
	c->host = host;
	c->port = port;
}

static void hc_send(struct hconn *c, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(c->s, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			die("http send: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
}

/* More bytes into c->buf, waiting at most DEADLINE_S. */
static void hc_fill(struct hconn *c, const char *what)
{
	struct pollfd pfd = { .fd = c->s, .events = POLLIN };
	ssize_t n;

	if (c->have == sizeof(c->buf))
		die("%s: response head too long", what);
	if (poll(&pfd, 1, DEADLINE_S * 1000) != 1)
		die("%s: no response within %d s", what, DEADLINE_S);
	n = recv(c->s, c->buf + c->have, sizeof(c->buf) - c->have, 0);
	if (n <= 0)
		die("%s: connection closed mid-response", what);
	c->have += (size_t)n;
}

/* The value of header field name in r->head ("" when absent). */
static const char *hfield(const struct hresp *r, const char *name, char *out,
			  size_t cap)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\r\n%s:", name);
	p = strcasestr(r->head, key);
	out[0] = '\0';
	if (!p)
		return out;
	p += strlen(key);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	snprintf(out, cap, "%.*s", (int)(e - p), p);
	return out;
}

/* Read one response; body_expected is 0 for HEAD. */
static void hc_read(struct hconn *c, struct hresp *r, int body_expected,
		    const char *what)
{
	char *end, v[64];
	size_t hlen, got;

	for (;;) {
		end = memmem(c->buf, c->have, "\r\n\r\n", 4);
		if (end)
			break;
		hc_fill(c, what);
	}
	hlen = (size_t)(end + 4 - c->buf);
	if (hlen >= sizeof(r->head))
		die("%s: head too long", what);
	memcpy(r->head, c->buf, hlen);
	r->head[hlen] = '\0';
	memmove(c->buf, c->buf + hlen, c->have - hlen);
	c->have -= hlen;
	if (sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
		die("%s: bad status line", what);
	hfield(r, "Content-Length", v, sizeof(v));
	r->length = v[0] ? atoll(v) : -1;
	r->body = NULL;
	if (!body_expected || r->status < 200 || r->status == 204 ||
	    r->status == 304 || r->length <= 0)
		return;
	r->body = malloc((size_t)r->length);
	if (!r->body)
		die("out of memory");
	for (got = 0; got < (size_t)r->length;) {
		size_t n = c->have < (size_t)r->length - got
				   ? c->have
				   : (size_t)r->length - got;

		memcpy(r->body + got, c->buf, n);
		memmove(c->buf, c->buf + n, c->have - n);
		c->have -= n;
		got += n;
		if (got < (size_t)r->length)
			hc_fill(c, what);
	}
}

/* Send a request (extra: header lines with CRLF, body optional) and read
 * its response. */
static void hc_do(struct hconn *c, const char *method, const char *path,
		  const char *extra, const void *body, size_t blen,
		  struct hresp *r)
{
	char req[2048], what[256];

	snprintf(what, sizeof(what), "%s %s", method, path);
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n",
		 method, path, c->host, extra);
	hc_send(c, req, strlen(req));
	if (blen)
		hc_send(c, body, blen);
	hc_read(c, r, strcmp(method, "HEAD") != 0, what);
}

/* A request on a fresh connection; returns the status. */
static int fetch(const char *host, const char *port, const char *method,
		 const char *path, const char *extra, struct hresp *r)
{
	struct hconn *c = malloc(sizeof(*c));

	if (!c)
		die("out of memory");
	hc_open(c, host, port);
	hc_do(c, method, path, extra, NULL, 0, r);
	close(c->s);
	free(c);
	return r->status;
}

static void expect_status(const struct hresp *r, int want, const char *what)
{
	if (r->status != want)
		die("%s gave %d, not %d", what, r->status, want);
}

static void expect_body(const struct hresp *r, const void *data, size_t len,
			const char *what)
{
	if (r->length != (long long)len || (len && !r->body) ||
	    (len && memcmp(r->body, data, len)))
		die("%s: body differs (%lld bytes, %zu expected)", what,
		    r->length, len);
}

static void expect_field(const struct hresp *r, const char *name,
			 const char *want, const char *what)
{
	char v[256];

	if (strcmp(hfield(r, name, v, sizeof(v)), want))
		die("%s: %s is '%s', not '%s'", what, name, v, want);
}

/* Whole files, HEAD, conditional and partial requests. */
static void files_get(const char *host, const char *port, const uint8_t *big)
{
	struct hconn c;
	struct hresp r;
	char lm[64], extra[256], cr[64];

	hc_open(&c, host, port);
	hc_do(&c, "GET", "/big.bin", "", NULL, 0, &r);
	expect_status(&r, 200, "GET /big.bin");
	expect_body(&r, big, DOC_BIG_SIZE, "GET /big.bin");
	expect_field(&r, "Content-Type", "application/octet-stream", "big");
	expect_field(&r, "Accept-Ranges", "bytes", "GET /big.bin");
	free(r.body);
	hc_do(&c, "HEAD", "/big.bin", "", NULL, 0, &r);
	if (r.status != 200 || r.length != DOC_BIG_SIZE)
		die("HEAD /big.bin gave %d, %lld bytes", r.status, r.length);
	hc_do(&c, "GET", "/", "", NULL, 0, &r);
	expect_status(&r, 200, "GET /");
	expect_body(&r, DOC_INDEX, strlen(DOC_INDEX), "GET /");
	expect_field(&r, "Content-Type", "text/html; charset=utf-8", "GET /");
	free(r.body);
	hfield(&r, "Last-Modified", lm, sizeof(lm));
	if (!lm[0])
		die("GET / has no Last-Modified");
	snprintf(extra, sizeof(extra), "If-Modified-Since: %s\r\n", lm);
	hc_do(&c, "GET", "/index.html", extra, NULL, 0, &r);
	expect_status(&r, 304, "If-Modified-Since: Last-Modified");
	hc_do(&c, "GET", "/index.html",
	      "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n", NULL, 0,
	      &r);
	expect_status(&r, 200, "If-Modified-Since: 1970");
	free(r.body);
	hc_do(&c, "GET", "/big.bin", "Range: bytes=70000-199999\r\n", NULL, 0,
	      &r);
	expect_status(&r, 206, "Range: bytes=70000-199999");
	expect_body(&r, big + 70000, 130000, "Range: bytes=70000-199999");
	snprintf(cr, sizeof(cr), "bytes 70000-199999/%u", DOC_BIG_SIZE);
	expect_field(&r, "Content-Range", cr, "Range: bytes=70000-199999");
	free(r.body);
	hc_do(&c, "GET", "/big.bin", "Range: bytes=-100\r\n", NULL, 0, &r);
	expect_status(&r, 206, "Range: bytes=-100");
	expect_body(&r, big + DOC_BIG_SIZE - 100, 100, "Range: bytes=-100");
	free(r.body);
	snprintf(extra, sizeof(extra), "Range: bytes=%u-\r\n", DOC_BIG_SIZE);
	hc_do(&c, "GET", "/big.bin", extra, NULL, 0, &r);
	expect_status(&r, 416, "a range past the end");
	free(r.body);
	close(c.s);
}

/* Directories, errors, paths that must not leave the root. */
static void files_paths(const char *host, const char *port)
{
	static const struct {
		const char *path;
		int status;
	} cases[] = {
		{ "/sub", 301 },
		{ "/noindex/", 403 },
		{ "/missing", 404 },
		{ "/sub/a.txt/", 404 },
		{ "/escape.txt", 403 },
		{ "/../etc/passwd", 400 },
		{ "/%2e%2e/etc/passwd", 400 },
		{ "/sub/%2E%2E/%2e%2e/x", 400 },
		{ "/.httpd-put.1", 404 },
	};
	struct hresp r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (fetch(host, port, "GET", cases[i].path, "", &r) !=
		    cases[i].status)
			die("GET %s gave %d, not %d", cases[i].path, r.status,
			    cases[i].status);
		free(r.body);
	}
	fetch(host, port, "GET", "/sub", "", &r);
	expect_field(&r, "Location", "/sub/", "GET /sub");
	free(r.body);
	fetch(host, port, "GET", "/sub/", "", &r);
	expect_body(&r, DOC_SUB_INDEX, strlen(DOC_SUB_INDEX), "GET /sub/");
	free(r.body);
	fetch(host, port, "GET", "/inside.txt", "", &r);
	expect_status(&r, 200, "a link inside the root");
	expect_body(&r, DOC_A, strlen(DOC_A), "GET /inside.txt");
	free(r.body);
	fetch(host, port, "GET", "/sp%20ace.txt", "", &r);
	expect_status(&r, 200, "GET /sp%20ace.txt");
	free(r.body);
}

/* A client that stops reading a large file must not stall the server. */
static void files_stall(const char *host, const char *port, const uint8_t *big)
{
	struct hconn *slow = malloc(sizeof(*slow));
	struct hresp r;
	double t0;

	if (!slow)
		die("out of memory");
	hc_open(slow, host, port);
	hc_send(slow, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n",
		strlen("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
	hc_fill(slow, "stalled GET /big.bin");
	t0 = now_s();
	fetch(host, port, "GET", "/sub/a.txt", "", &r);
	expect_body(&r, DOC_A, strlen(DOC_A), "GET while another stalls");
	free(r.body);
	if (now_s() - t0 > 20)
		die("a request took %.1f s while a download stalled",
		    now_s() - t0);
	hc_read(slow, &r, 1, "stalled GET /big.bin");
	expect_body(&r, big, DOC_BIG_SIZE, "stalled GET /big.bin");
	free(r.body);
	close(slow->s);
	free(slow);
}

static void files_put(const char *host, const char *port)
{
	uint8_t *data = pattern_buf(9, DOC_PUT_SIZE);
	char extra[128];
	struct hconn c;
	struct hresp r;

	snprintf(extra, sizeof(extra), "Content-Length: %u\r\n", DOC_PUT_SIZE);
	hc_open(&c, host, port);
	hc_do(&c, "PUT", "/up/new.bin", extra, data, DOC_PUT_SIZE, &r);
	expect_status(&r, 201, "PUT /up/new.bin");
	free(r.body);
	hc_do(&c, "GET", "/up/new.bin", "", NULL, 0, &r);
	expect_body(&r, data, DOC_PUT_SIZE, "GET of what was PUT");
	free(r.body);
	data[0] ^= 1;
	hc_do(&c, "PUT", "/up/new.bin", extra, data, DOC_PUT_SIZE, &r);
	expect_status(&r, 204, "PUT over an existing file");
	hc_do(&c, "GET", "/up/new.bin", "", NULL, 0, &r);
	expect_body(&r, data, DOC_PUT_SIZE, "GET of what was PUT again");
	free(r.body);
	close(c.s);
	if (fetch(host, port, "PUT", "/up/x", "", &r) != 411)
		die("PUT without Content-Length gave %d, not 411", r.status);
	free(r.body);
	if (fetch(host, port, "PUT", "/nodir/x", "Content-Length: 0\r\n", &r) !=
	    404)
		die("PUT into a missing directory gave %d, not 404", r.status);
	free(r.body);
	/* A body cut short leaves no file. */
	hc_open(&c, host, port);
	hc_send(&c,
		"PUT /up/cut.bin HTTP/1.1\r\nHost: x\r\n"
		"Content-Length: 100000\r\n\r\n",
		strlen("PUT /up/cut.bin HTTP/1.1\r\nHost: x\r\n"
		       "Content-Length: 100000\r\n\r\n"));
	hc_send(&c, data, 50000);
	close(c.s);
	usleep(500000);
	if (fetch(host, port, "GET", "/up/cut.bin", "", &r) != 404)
		die("an aborted PUT left a file (GET gave %d)", r.status);
	free(r.body);
	free(data);
}

static void http_files(const char *host, const char *port)
{
	uint8_t *big = pattern_buf(7, DOC_BIG_SIZE);
	double t0 = now_s();

	files_get(host, port, big);
	files_paths(host, port);
	files_stall(host, port, big);
	files_put(host, port);
	free(big);
	printf("ok: files byte-exact (%u B), HEAD, 304, 206, 416, 301, 403, "
	       "404, 400 for '..', links, a stalled download not blocking, "
	       "PUT 201/204/411/404, aborted PUT left nothing (%.2f s)\n",
	       DOC_BIG_SIZE, now_s() - t0);
}

/* The server may die mid-stream (that is the test): a failed exchange
 * ends the stream quietly. Returns 1 when the PUT was acknowledged. */
static int put_one(const char *host, const char *port, const char *url,
		   const uint8_t *data, size_t len)
{
	struct sockaddr_in a = address(host, port);
	int s = socket(AF_INET, SOCK_STREAM, 0), status = 0;
	struct timeval tv = { 30, 0 };
	char head[1536], resp[256];
	ssize_t n;

	if (s < 0)
		return 0;
	/* Linux applies SO_SNDTIMEO to connect() too: a guest that is gone
	 * ends the stream in seconds, not after the SYN retries. */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(s);
		return 0;
	}
	snprintf(head, sizeof(head),
		 "PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n",
		 url, host, len);
	if (send(s, head, strlen(head), MSG_NOSIGNAL) ==
		    (ssize_t)strlen(head) &&
	    send(s, data, len, MSG_NOSIGNAL) == (ssize_t)len) {
		n = recv(s, resp, sizeof(resp) - 1, 0);
		if (n > 0) {
			resp[n] = '\0';
			if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
				status = 0;
		}
	}
	close(s);
	return status == 201 || status == 204;
}

static void http_put_stream(const char *host, const char *port,
			    const char *prefix, unsigned count, size_t len)
{
	unsigned i, acked = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < count; i++) {
		uint8_t *data = pattern_buf(i, len ? len : 1);
		char url[1024];
		int ok;

		snprintf(url, sizeof(url), "%s%u", prefix, i);
		ok = put_one(host, port, url, data, len);
		free(data);
		if (!ok)
			break;
		printf("acked %u\n", i);
		acked++;
	}
	printf("ok: %u of %u PUTs acknowledged\n", acked, count);
}

static void check_file(const char *path, unsigned k, size_t len)
{
	uint8_t *want = pattern_buf(k, len ? len : 1), *got = malloc(len + 1);
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f || !got)
		die("%s: %s", path, f ? "out of memory" : strerror(errno));
	n = fread(got, 1, len + 1, f);
	fclose(f);
	if (n != len || memcmp(got, want, len))
		die("%s: %zu bytes, not the %zu of pattern %u", path, n, len,
		    k);
	free(got);
	free(want);
	printf("ok: %s intact\n", path);
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
	else if (argc == 3 && !strcmp(argv[1], "make-docroot"))
		make_docroot(argv[2]);
	else if (argc == 4 && !strcmp(argv[1], "http-files"))
		http_files(argv[2], argv[3]);
	else if (argc == 7 && !strcmp(argv[1], "http-put-stream"))
		http_put_stream(argv[2], argv[3], argv[4],
				(unsigned)atoi(argv[5]),
				strtoull(argv[6], NULL, 0));
	else if (argc == 5 && !strcmp(argv[1], "check-file"))
		check_file(argv[2], (unsigned)atoi(argv[3]),
			   strtoull(argv[4], NULL, 0));
	else
		die("usage: see the comment at the top of "
		    "tests/lab/netcheck.c");
	return 0;
}
