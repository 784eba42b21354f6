/*
 * Boot test sockets: lwIP, the fd table and the BSD socket layer over the
 * loopback interface (booted as dom0 there is no vif, so the network comes
 * up loopback-only on the first socket call):
 * - TCP: 4 MiB through an echo thread, compared byte for byte;
 * - a non-blocking connect completed with poll(); poll() timing out;
 *   select() seeing a pending connection;
 * - UDP: 100 datagrams of growing size, each compared;
 * - descriptor rules: fstat says socket, a closed fd is EBADF, a socket
 *   call on the console is ENOTSOCK; numeric getaddrinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/sched.h"
#include "kernel/timer.h"

#define NAME "sockets"
#define STREAM_BYTES (4 * 1024 * 1024)
#define PORT 7777

static char fail_reason[160];

static void fail(const char *what)
{
	if (!fail_reason[0])
		snprintf(fail_reason, sizeof(fail_reason), "%s (errno %d)",
			 what, errno);
}

static unsigned char pattern(unsigned i)
{
	return (unsigned char)((i * 131u) ^ (i >> 9));
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void echo_thread(void *arg)
{
	static char buf[16384];
	int ls = (int)(long)arg, s = accept(ls, NULL, NULL);
	ssize_t n;

	if (s < 0) {
		fail("accept");
		return;
	}
	while ((n = read(s, buf, sizeof(buf))) > 0)
		if (write(s, buf, (size_t)n) != n)
			fail("echo write");
	close(s);
}

/* Send STREAM_BYTES while reading the echo back, then compare. */
static void test_tcp_stream(void)
{
	static unsigned char out[16384], in[16384];
	struct sockaddr_in a = loopback(PORT);
	int ls = socket(AF_INET, SOCK_STREAM, 0), s;
	unsigned sent = 0, got = 0, i;
	struct thread *t;

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(ls, 4) != 0) {
		fail("listen");
		return;
	}
	t = thread_create("echo", echo_thread, (void *)(long)ls, 0);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (!t || s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		fail("connect");
		return;
	}
	while (got < STREAM_BYTES) {
		if (sent < STREAM_BYTES && sent - got < 32768) {
			for (i = 0; i < sizeof(out); i++)
				out[i] = pattern(sent + i);
			if (write(s, out, sizeof(out)) !=
			    (ssize_t)sizeof(out)) {
				fail("stream write");
				return;
			}
			sent += sizeof(out);
		}
		ssize_t n = read(s, in, sizeof(in));

		if (n <= 0) {
			fail("stream read");
			return;
		}
		for (i = 0; i < (unsigned)n; i++)
			if (in[i] != pattern(got + i)) {
				fail("stream byte differs");
				return;
			}
		got += (unsigned)n;
	}
	close(s);
	thread_join(t);
	close(ls);
	printf("%s: %u bytes echoed over TCP loopback intact\n", NAME, got);
}

static void test_poll_select(void)
{
	struct sockaddr_in a = loopback(PORT + 1);
	int ls = socket(AF_INET, SOCK_STREAM, 0), s, rc;
	struct pollfd p;
	fd_set rd;
	struct timeval tv = { 2, 0 };
	uint64_t t0;

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(ls, 4) != 0) {
		fail("listen 2");
		return;
	}
	t0 = timer_now_ns();
	p = (struct pollfd){ .fd = ls, .events = POLLIN };
	if (poll(&p, 1, 50) != 0 || timer_now_ns() - t0 < 50000000ULL)
		fail("poll on an idle listener did not time out after 50 ms");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || fcntl(s, F_SETFL, O_NONBLOCK) != 0) {
		fail("non-blocking socket");
		return;
	}
	rc = connect(s, (struct sockaddr *)&a, sizeof(a));
	if (rc != 0 && errno != EINPROGRESS)
		fail("non-blocking connect");
	p = (struct pollfd){ .fd = s, .events = POLLOUT };
	if (poll(&p, 1, 2000) != 1 || !(p.revents & POLLOUT))
		fail("poll did not see the connect complete");
	FD_ZERO(&rd);
	FD_SET(ls, &rd);
	if (select(ls + 1, &rd, NULL, NULL, &tv) != 1 || !FD_ISSET(ls, &rd))
		fail("select did not see the pending connection");
	close(s);
	close(ls);
	printf("%s: poll timed out, non-blocking connect, select on accept\n",
	       NAME);
}

static void test_udp(void)
{
	static char out[2048], in[2048];
	struct sockaddr_in a = loopback(PORT + 2), from;
	socklen_t len;
	int rx = socket(AF_INET, SOCK_DGRAM, 0),
	    tx = socket(AF_INET, SOCK_DGRAM, 0);
	int i, j;

	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&a, sizeof(a))) {
		fail("udp sockets");
		return;
	}
	for (i = 1; i <= 100; i++) {
		int size = i * 14;

		for (j = 0; j < size; j++)
			out[j] = (char)pattern((unsigned)(i * 1000 + j));
		len = sizeof(from);
		if (sendto(tx, out, (size_t)size, 0, (struct sockaddr *)&a,
			   sizeof(a)) != size ||
		    recvfrom(rx, in, sizeof(in), 0, (struct sockaddr *)&from,
			     &len) != size ||
		    memcmp(in, out, (size_t)size)) {
			fail("udp datagram lost or changed");
			return;
		}
	}
	close(rx);
	close(tx);
	printf("%s: 100 UDP datagrams of 14..1400 bytes intact\n", NAME);
}

static void test_descriptors(void)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM },
			*res = NULL;
	struct stat st;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	char c;

	if (s < 0 || fstat(s, &st) != 0 || !S_ISSOCK(st.st_mode))
		fail("fstat of a socket");
	if (close(s) != 0 || close(s) != -1 || errno != EBADF)
		fail("closing twice is not EBADF");
	if (read(s, &c, 1) != -1 || errno != EBADF)
		fail("read on a closed fd is not EBADF");
	if (listen(1, 1) != -1 || errno != ENOTSOCK)
		fail("listen on the console is not ENOTSOCK");
	if (getaddrinfo("127.0.0.1", "80", &hints, &res) != 0 || !res ||
	    ((struct sockaddr_in *)res->ai_addr)->sin_port != htons(80))
		fail("numeric getaddrinfo");
	if (res)
		freeaddrinfo(res);
	printf("%s: fstat, EBADF, ENOTSOCK, getaddrinfo\n", NAME);
}

int main(void)
{
	test_tcp_stream();
	test_poll_select();
	test_udp();
	test_descriptors();
	if (fail_reason[0]) {
		printf("TEST FAIL %s: %s\n", NAME, fail_reason);
		return 1;
	}
	printf("TEST PASS %s: 4 MiB TCP echo, poll/select, 100 UDP datagrams, "
	       "fd rules, over loopback\n",
	       NAME);
	return 0;
}
