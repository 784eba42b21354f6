/*
 * netbench: a network microbenchmark, server and client in one program.
 *
 *   netbench server [-p PORT] [-v]
 *   netbench client HOST [-p PORT] TEST [-t SECS] [-n COUNT] [-s SIZE]
 *
 * This file only reads the command line; netbench.h lists the others.
 */
#include <stdio.h>
#include <string.h>

#include "netbench.h"

/* With -n and no -t, the run is still bounded by this. */
#define NB_COUNT_SECS 600

static int usage(void)
{
	fprintf(stderr,
		"usage: netbench server [-p PORT] [-v]\n"
		"       netbench client HOST [-p PORT] TEST [-t SECS] "
		"[-n COUNT] [-s SIZE]\n"
		"tests: tcp_stream_tx  the client sends (size: bytes per "
		"send, default 65536)\n"
		"       tcp_stream_rx  the server sends (likewise)\n"
		"       tcp_rr         request/response over TCP (size: "
		"message bytes, default 1)\n"
		"       udp_rr         request/response over UDP (likewise)\n"
		"  -p PORT   TCP and UDP port (default %d)\n"
		"  -t SECS   run for SECS seconds (default 5, at most %d)\n"
		"  -n COUNT  stop after COUNT bytes (streams) or transactions "
		"(rr)\n"
		"  -s SIZE   as above\n"
		"The client prints one 'netbench: key=value ...' line and one "
		"for people;\nit exits 0 on success and 1 on any failure.\n",
		NB_DEFAULT_PORT, NB_SECS_MAX);
	return 2;
}

static int opt_u64(const char *flag, const char *val, uint64_t lo, uint64_t hi,
		   uint64_t *out)
{
	if (nb_parse_u64(val, lo, hi, out) == 0)
		return 0;
	fprintf(stderr, "netbench: %s wants a number from %llu to %llu\n", flag,
		(unsigned long long)lo, (unsigned long long)hi);
	return -1;
}

static int server_main(int argc, char **argv)
{
	uint64_t port = NB_DEFAULT_PORT;
	int verbose = 0;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			if (opt_u64("-p", argv[++i], 1, 65535, &port) < 0)
				return 2;
		} else
			return usage();
	}
	return nb_server((int)port, verbose);
}

/* Options and the two operands (HOST, TEST), in any order. */
static int client_args(int argc, char **argv, struct nb_client_opts *o,
		       uint64_t *secs, uint64_t *size, const char **test)
{
	uint64_t port = NB_DEFAULT_PORT;
	int operands = 0;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;

		if (!strcmp(a, "-p") && more) {
			if (opt_u64(a, argv[++i], 1, 65535, &port) < 0)
				return -1;
		} else if (!strcmp(a, "-t") && more) {
			if (opt_u64(a, argv[++i], 1, NB_SECS_MAX, secs) < 0)
				return -1;
		} else if (!strcmp(a, "-n") && more) {
			if (opt_u64(a, argv[++i], 1, UINT64_MAX / 2,
				    &o->count) < 0)
				return -1;
		} else if (!strcmp(a, "-s") && more) {
			if (opt_u64(a, argv[++i], 1, NB_STREAM_SIZE_MAX, size) <
			    0)
				return -1;
		} else if (a[0] != '-' && operands == 0) {
			o->host = a;
			operands++;
		} else if (a[0] != '-' && operands == 1) {
			*test = a;
			operands++;
		} else {
			return -1;
		}
	}
	o->port = (int)port;
	return operands == 2 ? 0 : -1;
}

static int client_main(int argc, char **argv)
{
	struct nb_client_opts o = { 0 };
	uint64_t secs = 0, size = 0;
	const char *test = NULL;
	enum nb_test t;

	if (client_args(argc, argv, &o, &secs, &size, &test) < 0)
		return usage();
	if (nb_test_parse(test, &t) < 0) {
		fprintf(stderr, "netbench: unknown test '%s'\n", test);
		return usage();
	}
	if (!size)
		size = t == NB_TCP_STREAM_TX || t == NB_TCP_STREAM_RX ? 65536
								      : 1;
	if (size > nb_size_max(t)) {
		fprintf(stderr, "netbench: %s takes -s up to %u\n",
			nb_test_name(t), (unsigned)nb_size_max(t));
		return 2;
	}
	if (!secs)
		secs = o.count ? NB_COUNT_SECS : 5;
	o.req = (struct nb_request){ .test = t,
				     .size = (uint32_t)size,
				     .secs = (uint32_t)secs };
	return nb_client(&o);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "server"))
		return server_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "client"))
		return client_main(argc, argv);
	return usage();
}
