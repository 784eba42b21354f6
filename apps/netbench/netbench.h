/*
 * netbench: what the parts of the benchmark share.
 *
 *   main.c    command line, dispatch to the server or the client
 *   proto.c   the control protocol (one request line, one reply line) and
 *             small socket and clock helpers both sides use
 *   server.c  the server: one poll() loop, any number of sessions
 *   client.c  the client: one test, measured and reported
 *   stats.c   latency histogram, percentiles, the result lines
 *
 * The protocol. A client opens a TCP connection to the server's port and
 * sends one line
 *
 *     NETBENCH/1 <test> size=<bytes> secs=<seconds>\n
 *
 * (at most NB_LINE_MAX bytes, nothing else until the reply). The server
 * answers "OK\n" or "ERR <reason>\n" (and closes). After OK the same
 * connection carries the test:
 *
 *   tcp_stream_tx  the client sends, then shuts its side down; the server
 *                  counts, answers "DONE bytes=<n>\n" and closes
 *   tcp_stream_rx  the server sends (size bytes per send) until the client
 *                  closes or secs + NB_GRACE_SECS have passed
 *   tcp_rr         the client sends size bytes, the server sends size
 *                  bytes back, and again; the client closes to end
 *   udp_rr         the client sends datagrams of at most size bytes to the
 *                  server's UDP port of the same number; the server echoes
 *                  them while this connection (from the same IP address)
 *                  is open. Nothing is sent on the TCP connection.
 *
 * The server enforces every limit below and closes a session that
 * breaks the protocol, makes no progress, or outlives secs by more than
 * NB_GRACE_SECS.
 */
#ifndef NETBENCH_H
#define NETBENCH_H

#include <stddef.h>
#include <stdint.h>

#define NB_DEFAULT_PORT 12866
#define NB_LINE_MAX 128
#define NB_SECS_MAX 3600
#define NB_GRACE_SECS 30
/* Largest size= per test: a send/recv chunk for the streams, a message
 * for the request/response tests. */
#define NB_STREAM_SIZE_MAX (256u * 1024)
#define NB_TCP_RR_SIZE_MAX 65536u
#define NB_UDP_RR_SIZE_MAX 65507u

enum nb_test {
	NB_TCP_STREAM_TX,
	NB_TCP_STREAM_RX,
	NB_TCP_RR,
	NB_UDP_RR,
	NB_NTESTS,
};

struct nb_request {
	enum nb_test test;
	uint32_t size;
	uint32_t secs;
};

/* --- proto.c ------------------------------------------------------------- */

/* The test's name as on the command line and the wire. */
const char *nb_test_name(enum nb_test t);

/* Name to test; -1 when there is no such test. */
int nb_test_parse(const char *name, enum nb_test *t);

/* Largest size= the test accepts. */
uint32_t nb_size_max(enum nb_test t);

/* The request line, newline included, into buf; returns its length, or -1
 * when r is out of range or cap is too small. */
int nb_request_format(const struct nb_request *r, char *buf, size_t cap);

/* Parse a request line (without its newline, NUL-terminated). Returns 0,
 * or -1 with *why set to a static reason. Every field is range-checked. */
int nb_request_parse(const char *line, struct nb_request *r, const char **why);

/* Unsigned decimal in [lo, hi], nothing else; 0 or -1. */
int nb_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t nb_now_ns(void);

/* O_NONBLOCK on or off; 0 or -1 with errno. */
int nb_set_nonblock(int fd, int on);

/* 1 when errno says "try again later". */
int nb_would_block(void);

/* Fill buf with the stream pattern (byte i is 'a' + i % 26). */
void nb_fill_pattern(char *buf, size_t len);

/* --- stats.c ------------------------------------------------------------- */

/* Latencies, log-linear buckets: exact below 128 ns, then 64 buckets per
 * power of two (each at most 1/64 wide, so percentiles are within 1.6%). */
#define NB_LAT_BUCKETS (128 + 57 * 64)

struct nb_lat {
	uint64_t count, sum_ns, min_ns, max_ns;
	uint32_t bucket[NB_LAT_BUCKETS];
};

void nb_lat_init(struct nb_lat *l);
void nb_lat_add(struct nb_lat *l, uint64_t ns);
/* The p-th percentile (0 < p <= 100) in ns; 0 when there are no samples. */
uint64_t nb_lat_percentile(const struct nb_lat *l, double p);

struct nb_result {
	enum nb_test test;
	uint32_t size;
	uint64_t bytes; /* payload bytes moved (streams; rr: both ways) */
	uint64_t trans; /* completed transactions (rr) */
	uint64_t lost;	/* udp_rr: requests that got no answer in time */
	double secs;
	const struct nb_lat *lat; /* rr only */
};

/* One machine-readable "netbench: key=value ..." line and one human
 * line, on stdout. */
void nb_report(const struct nb_result *r);

/* --- server.c, client.c --------------------------------------------------- */

/* Runs forever; returns only on a setup failure (non-zero). */
int nb_server(int port, int verbose);

struct nb_client_opts {
	const char *host;
	int port;
	struct nb_request req;
	/* Stop after this many bytes (streams) or transactions (rr); 0:
	 * after req.secs. req.secs always bounds the run. */
	uint64_t count;
};

/* Run one test; 0, or non-zero after printing why on stderr. */
int nb_client(const struct nb_client_opts *o);

#endif
