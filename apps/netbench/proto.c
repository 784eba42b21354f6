/*
 * netbench's control protocol (the request line, see netbench.h) and the
 * small helpers both the client and the server use: strict number
 * parsing, the monotonic clock, O_NONBLOCK, the stream pattern.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netbench.h"

#define NB_MAGIC "NETBENCH/1 "

static const char *const test_names[NB_NTESTS] = {
	[NB_TCP_STREAM_TX] = "tcp_stream_tx",
	[NB_TCP_STREAM_RX] = "tcp_stream_rx",
	[NB_TCP_RR] = "tcp_rr",
	[NB_UDP_RR] = "udp_rr",
};

const char *nb_test_name(enum nb_test t)
{
	return (unsigned)t < NB_NTESTS ? test_names[t] : "?";
}

int nb_test_parse(const char *name, enum nb_test *t)
{
	for (int i = 0; i < NB_NTESTS; i++)
		if (!strcmp(name, test_names[i])) {
			*t = (enum nb_test)i;
			return 0;
		}
	return -1;
}

uint32_t nb_size_max(enum nb_test t)
{
	switch (t) {
	case NB_TCP_RR:
		return NB_TCP_RR_SIZE_MAX;
	case NB_UDP_RR:
		return NB_UDP_RR_SIZE_MAX;
	default:
		return NB_STREAM_SIZE_MAX;
	}
}

static int request_valid(const struct nb_request *r)
{
	return (unsigned)r->test < NB_NTESTS && r->size >= 1 &&
	       r->size <= nb_size_max(r->test) && r->secs >= 1 &&
	       r->secs <= NB_SECS_MAX;
}

int nb_request_format(const struct nb_request *r, char *buf, size_t cap)
{
	int n;

	if (!request_valid(r))
		return -1;
	n = snprintf(buf, cap, NB_MAGIC "%s size=%u secs=%u\n",
		     nb_test_name(r->test), (unsigned)r->size,
		     (unsigned)r->secs);
	return n > 0 && (size_t)n < cap ? n : -1;
}

int nb_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* "key=<decimal>" as the whole of word. */
static int parse_kv(const char *word, const char *key, uint64_t hi,
		    uint64_t *out)
{
	size_t klen = strlen(key);

	if (strncmp(word, key, klen) || word[klen] != '=')
		return -1;
	return nb_parse_u64(word + klen + 1, 1, hi, out);
}

int nb_request_parse(const char *line, struct nb_request *r, const char **why)
{
	char copy[NB_LINE_MAX];
	char *words[3], *save = NULL;
	uint64_t size, secs;
	size_t len = strlen(line);

	if (len >= sizeof(copy) || strncmp(line, NB_MAGIC, strlen(NB_MAGIC))) {
		*why = "not a netbench request";
		return -1;
	}
	memcpy(copy, line + strlen(NB_MAGIC), len - strlen(NB_MAGIC) + 1);
	words[0] = strtok_r(copy, " ", &save);
	words[1] = words[0] ? strtok_r(NULL, " ", &save) : NULL;
	words[2] = words[1] ? strtok_r(NULL, " ", &save) : NULL;
	if (!words[2] || strtok_r(NULL, " ", &save)) {
		*why = "expected: test size=N secs=N";
		return -1;
	}
	if (nb_test_parse(words[0], &r->test) < 0) {
		*why = "unknown test";
		return -1;
	}
	if (parse_kv(words[1], "size", nb_size_max(r->test), &size) < 0 ||
	    parse_kv(words[2], "secs", NB_SECS_MAX, &secs) < 0) {
		*why = "size or secs missing or out of range";
		return -1;
	}
	r->size = (uint32_t)size;
	r->secs = (uint32_t)secs;
	return 0;
}

uint64_t nb_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int nb_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL, 0);

	if (fl < 0)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) < 0 ? -1 : 0;
}

int nb_would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

void nb_fill_pattern(char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 26);
}
