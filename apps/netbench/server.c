/*
 * netbench's server: the listening TCP socket, the UDP socket of the same
 * port and up to NB_SESSIONS_MAX sessions, all non-blocking in one poll()
 * loop, so a slow or stuck client holds only its own session.
 *
 * A session first reads its request line (the protocol is in
 * netbench.h), answers OK or ERR, then runs its test. Everything a client
 * sends is bounded: the request line by NB_LINE_MAX, a tcp_rr message by
 * the size it asked for (at most NB_TCP_RR_SIZE_MAX), and a session by
 * time (NB_HELLO_SECS for the request, NB_IDLE_SECS without progress,
 * secs + NB_GRACE_SECS in all).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "netbench.h"

/* poll() on Skiff takes at most 1024 entries; lwIP has fewer sockets. */
#define NB_SESSIONS_MAX 64
#define NB_HELLO_SECS 10
#define NB_IDLE_SECS 30
#define NB_UDP_BURST 64
#define NB_NS 1000000000ull

enum phase { SESSION_FREE, SESSION_HELLO, SESSION_RUN };

struct session {
	int fd;
	enum phase phase;
	struct nb_request req;
	struct in_addr peer;
	char peer_name[32];
	char line[NB_LINE_MAX]; /* request line being read */
	size_t line_len;
	char reply[NB_LINE_MAX]; /* control line being sent */
	size_t reply_len, reply_off;
	int close_after_reply;
	char *msg; /* tcp_rr: the message, req.size bytes */
	size_t have, sent;
	uint64_t bytes;
	uint64_t idle_at, end_at; /* ns */
};

struct server {
	int tcp, udp, verbose, nsessions;
	struct session s[NB_SESSIONS_MAX];
	struct pollfd pfd[NB_SESSIONS_MAX + 2];
	int pfd_session[NB_SESSIONS_MAX + 2];
	char *sink;    /* NB_STREAM_SIZE_MAX bytes, never read */
	char *pattern; /* NB_STREAM_SIZE_MAX bytes to send */
	char *dgram;   /* NB_UDP_RR_SIZE_MAX bytes */
};

static int open_socket(int type, int port)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0) {
		perror("netbench: socket");
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0) ||
	    nb_set_nonblock(fd, 1) < 0) {
		perror("netbench: bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* --- a session ----------------------------------------------------------- */

static void session_end(struct server *sv, struct session *s, const char *why)
{
	if (sv->verbose)
		printf("netbench: %s %s ended: %s (%llu bytes)\n", s->peer_name,
		       s->phase == SESSION_RUN ? nb_test_name(s->req.test)
					       : "session",
		       why, (unsigned long long)s->bytes);
	close(s->fd);
	free(s->msg);
	*s = (struct session){ .fd = -1, .phase = SESSION_FREE };
	sv->nsessions--;
}

static void session_say(struct session *s, int then_close, const char *fmt,
			const char *arg)
{
	int n = snprintf(s->reply, sizeof(s->reply), fmt, arg);

	s->reply_len = n > 0 && (size_t)n < sizeof(s->reply) ? (size_t)n : 0;
	s->reply_off = 0;
	s->close_after_reply = then_close;
}

/* Returns 0, or -1 when the session is to end. */
static int flush_reply(struct session *s)
{
	while (s->reply_off < s->reply_len) {
		ssize_t n = send(s->fd, s->reply + s->reply_off,
				 s->reply_len - s->reply_off, MSG_NOSIGNAL);

		if (n < 0)
			return nb_would_block() ? 0 : -1;
		s->reply_off += (size_t)n;
	}
	return s->close_after_reply ? -1 : 0;
}

static int line_printable(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

static void session_start(struct server *sv, struct session *s)
{
	uint64_t now = nb_now_ns();

	s->phase = SESSION_RUN;
	s->end_at = now + (uint64_t)(s->req.secs + NB_GRACE_SECS) * NB_NS;
	s->idle_at = now + NB_IDLE_SECS * NB_NS;
	if (sv->verbose)
		printf("netbench: %s %s size=%u secs=%u\n", s->peer_name,
		       nb_test_name(s->req.test), (unsigned)s->req.size,
		       (unsigned)s->req.secs);
	session_say(s, 0, "OK\n", "");
}

/* The request line: read only up to its newline (the client sends nothing
 * after it before our answer). Returns -1 when the session is to end. */
static int session_hello(struct server *sv, struct session *s)
{
	const char *why;
	char *nl;
	ssize_t n = recv(s->fd, s->line + s->line_len,
			 sizeof(s->line) - 1 - s->line_len, 0);

	if (n <= 0)
		return n < 0 && nb_would_block() ? 0 : -1;
	s->line_len += (size_t)n;
	nl = memchr(s->line, '\n', s->line_len);
	if (!nl) {
		if (s->line_len < sizeof(s->line) - 1)
			return 0;
		session_say(s, 1, "ERR %s\n", "request line too long");
		return 0;
	}
	*nl = '\0';
	if (nl + 1 != s->line + s->line_len ||
	    !line_printable(s->line, (size_t)(nl - s->line))) {
		session_say(s, 1, "ERR %s\n", "malformed request");
		return 0;
	}
	if (nb_request_parse(s->line, &s->req, &why) < 0) {
		session_say(s, 1, "ERR %s\n", why);
		return 0;
	}
	if (s->req.test == NB_TCP_RR) {
		s->msg = malloc(s->req.size);
		if (!s->msg) {
			session_say(s, 1, "ERR %s\n", "out of memory");
			return 0;
		}
	}
	session_start(sv, s);
	return 0;
}

/* tcp_stream_tx: count and drop; at EOF report the count. */
static int run_sink(struct server *sv, struct session *s)
{
	ssize_t n = recv(s->fd, sv->sink, s->req.size, 0);

	if (n < 0)
		return nb_would_block() ? 0 : -1;
	if (n == 0) {
		char count[24];

		snprintf(count, sizeof(count), "%llu",
			 (unsigned long long)s->bytes);
		session_say(s, 1, "DONE bytes=%s\n", count);
		return 0;
	}
	s->bytes += (uint64_t)n;
	return 0;
}

/* tcp_stream_rx: send until the client goes away. */
static int run_source(struct server *sv, struct session *s)
{
	ssize_t n = send(s->fd, sv->pattern, s->req.size, MSG_NOSIGNAL);

	if (n < 0)
		return nb_would_block() ? 0 : -1;
	s->bytes += (uint64_t)n;
	return 0;
}

/* tcp_rr: gather a whole message, then send it back in full. */
static int run_rr(struct session *s)
{
	ssize_t n;

	if (s->have < s->req.size) {
		n = recv(s->fd, s->msg + s->have, s->req.size - s->have, 0);
		if (n == 0)
			return -1;
		if (n > 0)
			s->have += (size_t)n;
	} else {
		n = send(s->fd, s->msg + s->sent, s->req.size - s->sent,
			 MSG_NOSIGNAL);
		if (n > 0)
			s->sent += (size_t)n;
		if (s->sent == s->req.size)
			s->have = s->sent = 0;
	}
	if (n < 0)
		return nb_would_block() ? 0 : -1;
	s->bytes += (uint64_t)n;
	return 0;
}

/* udp_rr: the TCP connection only says when the session ends. */
static int run_udp_session(struct session *s)
{
	char c;
	ssize_t n = recv(s->fd, &c, 1, 0);

	if (n < 0)
		return nb_would_block() ? 0 : -1;
	return -1; /* EOF, or data the protocol does not allow */
}

static void session_event(struct server *sv, struct session *s)
{
	uint64_t before = s->bytes;
	int rc;

	if (s->reply_off < s->reply_len)
		rc = flush_reply(s);
	else if (s->phase == SESSION_HELLO)
		rc = session_hello(sv, s);
	else if (s->req.test == NB_TCP_STREAM_TX)
		rc = run_sink(sv, s);
	else if (s->req.test == NB_TCP_STREAM_RX)
		rc = run_source(sv, s);
	else if (s->req.test == NB_TCP_RR)
		rc = run_rr(s);
	else
		rc = run_udp_session(s);
	if (rc == 0 && s->reply_off < s->reply_len)
		rc = flush_reply(s); /* an answer just made: send at once */
	if (rc < 0)
		session_end(sv, s, "closed");
	else if (s->bytes != before)
		s->idle_at = nb_now_ns() + NB_IDLE_SECS * NB_NS;
}

static short session_events(const struct session *s)
{
	if (s->reply_off < s->reply_len)
		return POLLOUT;
	if (s->phase == SESSION_RUN && s->req.test == NB_TCP_STREAM_RX)
		return POLLOUT;
	if (s->phase == SESSION_RUN && s->req.test == NB_TCP_RR &&
	    s->have == s->req.size)
		return POLLOUT;
	return POLLIN;
}

/* --- the server ---------------------------------------------------------- */

static void accept_all(struct server *sv)
{
	while (sv->nsessions < NB_SESSIONS_MAX) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		struct session *s = sv->s;
		int one = 1, fd = accept(sv->tcp, (struct sockaddr *)&a, &alen);

		if (fd < 0)
			return;
		if (nb_set_nonblock(fd, 1) < 0) {
			close(fd);
			continue;
		}
		/* Small messages go out at once (tcp_rr measures latency). */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
		while (s->phase != SESSION_FREE)
			s++;
		*s = (struct session){ .fd = fd, .phase = SESSION_HELLO };
		s->peer = a.sin_addr;
		snprintf(s->peer_name, sizeof(s->peer_name), "%s:%u",
			 inet_ntoa(a.sin_addr), (unsigned)ntohs(a.sin_port));
		s->idle_at = s->end_at = nb_now_ns() + NB_HELLO_SECS * NB_NS;
		sv->nsessions++;
	}
}

/* A udp_rr session from this address that takes n-byte datagrams. */
static int udp_allowed(const struct server *sv, struct in_addr from, size_t n)
{
	for (int i = 0; i < NB_SESSIONS_MAX; i++) {
		const struct session *s = &sv->s[i];

		if (s->phase == SESSION_RUN && s->req.test == NB_UDP_RR &&
		    s->peer.s_addr == from.s_addr && n <= s->req.size)
			return 1;
	}
	return 0;
}

static void udp_readable(struct server *sv)
{
	for (int i = 0; i < NB_UDP_BURST; i++) {
		struct sockaddr_in a;
		socklen_t alen = sizeof(a);
		ssize_t n = recvfrom(sv->udp, sv->dgram, NB_UDP_RR_SIZE_MAX, 0,
				     (struct sockaddr *)&a, &alen);

		if (n < 0)
			return;
		if (!udp_allowed(sv, a.sin_addr, (size_t)n))
			continue;
		/* A full queue loses the answer: the client counts a loss. */
		(void)sendto(sv->udp, sv->dgram, (size_t)n, 0,
			     (struct sockaddr *)&a, alen);
	}
}

static int build_pollset(struct server *sv)
{
	int n = 0;

	sv->pfd[n] = (struct pollfd){ .fd = sv->udp, .events = POLLIN };
	sv->pfd_session[n++] = -1;
	if (sv->nsessions < NB_SESSIONS_MAX) {
		sv->pfd[n] = (struct pollfd){ .fd = sv->tcp, .events = POLLIN };
		sv->pfd_session[n++] = -1;
	}
	for (int i = 0; i < NB_SESSIONS_MAX; i++) {
		if (sv->s[i].phase == SESSION_FREE)
			continue;
		sv->pfd[n] =
			(struct pollfd){ .fd = sv->s[i].fd,
					 .events = session_events(&sv->s[i]) };
		sv->pfd_session[n++] = i;
	}
	return n;
}

static void expire(struct server *sv)
{
	uint64_t now = nb_now_ns();

	for (int i = 0; i < NB_SESSIONS_MAX; i++) {
		struct session *s = &sv->s[i];
		int idle_counts = s->phase == SESSION_HELLO ||
				  (s->req.test != NB_UDP_RR &&
				   s->req.test != NB_TCP_STREAM_RX);

		if (s->phase == SESSION_FREE)
			continue;
		if (now >= s->end_at)
			session_end(sv, s, "time limit");
		else if (idle_counts && now >= s->idle_at)
			session_end(sv, s, "idle");
	}
}

static int server_alloc(struct server *sv)
{
	sv->sink = malloc(NB_STREAM_SIZE_MAX);
	sv->pattern = malloc(NB_STREAM_SIZE_MAX);
	sv->dgram = malloc(NB_UDP_RR_SIZE_MAX);
	if (!sv->sink || !sv->pattern || !sv->dgram)
		return -1;
	nb_fill_pattern(sv->pattern, NB_STREAM_SIZE_MAX);
	for (int i = 0; i < NB_SESSIONS_MAX; i++)
		sv->s[i] = (struct session){ .fd = -1, .phase = SESSION_FREE };
	return 0;
}

int nb_server(int port, int verbose)
{
	static struct server sv;

	sv.verbose = verbose;
	if (server_alloc(&sv) < 0) {
		fprintf(stderr, "netbench: out of memory\n");
		return 1;
	}
	sv.tcp = open_socket(SOCK_STREAM, port);
	sv.udp = open_socket(SOCK_DGRAM, port);
	if (sv.tcp < 0 || sv.udp < 0)
		return 1;
	printf("netbench: server listening on tcp/udp port %d\n", port);
	fflush(stdout);
	for (;;) {
		int n = build_pollset(&sv);
		int rc = poll(sv.pfd, (nfds_t)n, sv.nsessions ? 1000 : -1);

		if (rc < 0 && errno != EINTR) {
			perror("netbench: poll");
			return 1;
		}
		for (int i = 0; i < n && rc > 0; i++) {
			if (!sv.pfd[i].revents)
				continue;
			if (sv.pfd[i].fd == sv.udp && sv.pfd_session[i] < 0)
				udp_readable(&sv);
			else if (sv.pfd_session[i] < 0)
				accept_all(&sv);
			else
				session_event(&sv, &sv.s[sv.pfd_session[i]]);
		}
		expire(&sv);
	}
}
