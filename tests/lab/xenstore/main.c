/*
 * Lab test guest "xenstore": the xenstore client against the real
 * xenstored of a Linux dom0. The job script (tests/lab/xenstore.sh) plays
 * the other side through the data/ nodes:
 *   guest writes data/ready       -> dom0 writes data/watched = "from-dom0"
 *   guest writes data/tx-waiting  -> dom0 writes data/tx-key = "dom0"
 * argv[1] is the name xl gave the domain.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "drivers/xenstore.h"
#include "kernel/timer.h"

#define NAME "xenstore"
#define SECOND 1000000000ULL

static int failures;

static void check(int ok, const char *what)
{
	printf("%s %s: %s\n", NAME, ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static void test_identity(const char *expected_name)
{
	char name[64];
	uint64_t domid = 0;

	check(xenstore_read_uint(XENSTORE_TX_NONE, "domid", &domid) == 0 &&
		      domid > 0,
	      "read own domid");
	check(xenstore_read(XENSTORE_TX_NONE, "name", name, sizeof(name)) ==
			      0 &&
		      !strcmp(name, expected_name),
	      "read own name");
	printf("%s: domid %llu, name %s\n", NAME, (unsigned long long)domid,
	       name);
}

static void test_write_read_rm(void)
{
	char buf[32], small[4];
	size_t n = 0;

	check(xenstore_write(XENSTORE_TX_NONE, "data/test/a", "one") == 0,
	      "write data/test/a");
	check(xenstore_write(XENSTORE_TX_NONE, "data/test/b", "two") == 0,
	      "write data/test/b");
	check(xenstore_read(XENSTORE_TX_NONE, "data/test/a", buf,
			    sizeof(buf)) == 0 &&
		      !strcmp(buf, "one"),
	      "read back data/test/a");
	check(xenstore_read(XENSTORE_TX_NONE, "data/test/a", small,
			    sizeof(small)) == 0 &&
		      !strcmp(small, "one"),
	      "read into a buffer of exactly the size");
	check(xenstore_read(XENSTORE_TX_NONE, "data/test/b", small, 3) ==
		      -ERANGE,
	      "a too small buffer gives -ERANGE");
	check(xenstore_directory(XENSTORE_TX_NONE, "data/test", buf,
				 sizeof(buf), &n) == 0 &&
		      n == 2,
	      "directory lists 2 entries");
	check(xenstore_rm(XENSTORE_TX_NONE, "data/test") == 0, "rm data/test");
	check(xenstore_read(XENSTORE_TX_NONE, "data/test/a", buf,
			    sizeof(buf)) == -ENOENT,
	      "removed node reads as -ENOENT");
}

static void test_watch(void)
{
	struct xenstore_watch w;
	char path[XENSTORE_WATCH_PATH_MAX], value[32] = "";
	uint64_t deadline = timer_now_ns() + 30 * SECOND;
	int rc;

	check(xenstore_watch("data/watched", "t-watch", &w) == 0,
	      "watch data/watched");
	check(xenstore_write(XENSTORE_TX_NONE, "data/ready", "1") == 0,
	      "signal dom0 (data/ready)");
	for (;;) {
		rc = xenstore_watch_wait(&w, deadline, path, sizeof(path));
		if (rc != 0 && rc != -EOVERFLOW)
			break;
		if (xenstore_read(XENSTORE_TX_NONE, "data/watched", value,
				  sizeof(value)) == 0 &&
		    !strcmp(value, "from-dom0"))
			break;
	}
	check(rc == 0 || rc == -EOVERFLOW, "watch fired on dom0's write");
	check(!strcmp(value, "from-dom0"), "watched value is dom0's");
	check(xenstore_unwatch(&w) == 0, "unwatch");
}

struct tx_state {
	int attempts;
	struct xenstore_watch w;
};

/* First attempt: read tx-key in the transaction, then let dom0 change it
 * before we commit, so the commit must fail with EAGAIN and be retried. */
static int tx_body(uint32_t tx, void *arg)
{
	struct tx_state *s = arg;
	char value[32], path[XENSTORE_WATCH_PATH_MAX];
	uint64_t deadline = timer_now_ns() + 30 * SECOND;
	int rc;

	s->attempts++;
	rc = xenstore_read(tx, "data/tx-key", value, sizeof(value));
	if (rc != 0)
		return rc;
	if (s->attempts == 1) {
		rc = xenstore_write(XENSTORE_TX_NONE, "data/tx-waiting", "1");
		while (rc == 0) {
			char now[32];

			rc = xenstore_watch_wait(&s->w, deadline, path,
						 sizeof(path));
			if (rc == -EOVERFLOW)
				rc = 0;
			if (rc == 0 &&
			    xenstore_read(XENSTORE_TX_NONE, "data/tx-key", now,
					  sizeof(now)) == 0 &&
			    !strcmp(now, "dom0"))
				break;
		}
		if (rc != 0)
			return rc;
	}
	/* The value written depends on what the transaction read: the
	 * retried attempt must see dom0's write. */
	strncat(value, "+guest", sizeof(value) - strlen(value) - 1);
	return xenstore_write(tx, "data/tx-key", value);
}

static void test_transaction(void)
{
	static struct tx_state s;
	char value[32] = "";

	check(xenstore_write(XENSTORE_TX_NONE, "data/tx-key", "start") == 0,
	      "write data/tx-key");
	check(xenstore_watch("data/tx-key", "t-tx", &s.w) == 0,
	      "watch data/tx-key");
	check(xenstore_transact(tx_body, &s) == 0, "transaction committed");
	check(s.attempts == 2, "conflicting dom0 write caused one retry");
	check(xenstore_read(XENSTORE_TX_NONE, "data/tx-key", value,
			    sizeof(value)) == 0 &&
		      !strcmp(value, "dom0+guest"),
	      "final value is consistent (dom0+guest)");
	printf("%s: %d attempts, data/tx-key = %s\n", NAME, s.attempts, value);
	(void)xenstore_unwatch(&s.w);
}

int main(int argc, char **argv)
{
	struct xenstore_stats st;

	test_identity(argc > 1 ? argv[1] : "xenstore");
	test_write_read_rm();
	test_watch();
	test_transaction();
	xenstore_get_stats(&st);
	check(st.stray_replies == 0 && st.bad_replies == 0 && st.resyncs == 0,
	      "no protocol errors counted");
	if (failures) {
		printf("TEST FAIL %s: %d checks failed\n", NAME, failures);
		return 1;
	}
	printf("TEST PASS %s: identity, write/read/directory/rm, watch, "
	       "conflicting transaction retried\n",
	       NAME);
	return 0;
}
