/*
 * Host tests for drivers/xs_wire.c: request encoding for every type a
 * guest sends, the ring copy (wrap-around, full ring, 2^32 index wrap,
 * impossible indexes), reassembling replies split across the wrap and
 * across notifications, every malformed header and payload, xenstored's
 * error strings, directory/permission/watch-event decoding, and seeded
 * random input to every decoder with exact-size buffers so ASan and
 * UBSan see any overrun.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/xs_wire.h"
#include "tests/unit/check.h"

static struct xenstore_domain_interface ring;
static uint8_t buf[XS_WIRE_MSG_MAX + 64];

static void ring_reset(uint32_t req_idx, uint32_t rsp_idx)
{
	memset(&ring, 0, sizeof(ring));
	ring.req_cons = ring.req_prod = req_idx;
	ring.rsp_cons = ring.rsp_prod = rsp_idx;
}

/* Play xenstored: put up to len bytes into rsp[]; returns bytes put. */
static size_t rsp_put(const void *src, size_t len)
{
	size_t space = XENSTORE_RING_SIZE - (ring.rsp_prod - ring.rsp_cons);
	size_t i;

	if (len > space)
		len = space;
	for (i = 0; i < len; i++)
		ring.rsp[MASK_XENSTORE_IDX(ring.rsp_prod + i)] =
			((const char *)src)[i];
	ring.rsp_prod += (uint32_t)len;
	return len;
}

/* Play xenstored: take len bytes out of req[]. */
static void req_take(void *dst, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		((char *)dst)[i] =
			ring.req[MASK_XENSTORE_IDX(ring.req_cons + i)];
	ring.req_cons += (uint32_t)len;
}

/* A reply message as xenstored would frame it. */
static size_t make_msg(void *out, uint32_t type, uint32_t req_id,
		       const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req_id, .len = len };

	memcpy(out, &h, sizeof(h));
	memcpy((char *)out + sizeof(h), payload, len);
	return sizeof(h) + len;
}

static int encode(uint32_t type, uint32_t tx, const char *const *strs, size_t n,
		  const void *data, size_t dlen, size_t *len)
{
	struct xs_wire_req req = { .type = type,
				   .req_id = 77,
				   .tx_id = tx,
				   .strs = strs,
				   .nstrs = n,
				   .data = data,
				   .data_len = dlen };

	return xs_wire_encode(&req, buf, sizeof(buf), len);
}

/* The message in buf has this header and payload. */
static bool encoded_as(size_t len, uint32_t type, uint32_t tx,
		       const void *payload, size_t plen)
{
	struct xsd_sockmsg h;

	memcpy(&h, buf, sizeof(h));
	return len == sizeof(h) + plen && h.type == type && h.req_id == 77 &&
	       h.tx_id == tx && h.len == plen &&
	       memcmp(buf + sizeof(h), payload, plen) == 0;
}

static void test_xs_encode_types(void)
{
	static const uint32_t path_ops[] = { XS_READ, XS_DIRECTORY,
					     XS_GET_PERMS, XS_MKDIR, XS_RM };
	const char *s1[] = { "device/vif/0" };
	const char *w[] = { "backend", "tok1" };
	const char *empty[] = { "" };
	const char *t[] = { "T" }, *f[] = { "F" }, *dom[] = { "5" };
	const char *perms[] = { "/local/domain/5/x", "n5", "r0", "b65535" };
	size_t i, len;

	for (i = 0; i < sizeof(path_ops) / sizeof(path_ops[0]); i++) {
		CHECK(encode(path_ops[i], 3, s1, 1, NULL, 0, &len) == 0);
		CHECK(encoded_as(len, path_ops[i], 3, "device/vif/0", 13));
	}
	CHECK(encode(XS_WRITE, 0, s1, 1, "4", 1, &len) == 0);
	CHECK(encoded_as(len, XS_WRITE, 0,
			 "device/vif/0\0"
			 "4",
			 14));
	CHECK(encode(XS_WRITE, 0, s1, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_WRITE, 0, "device/vif/0", 13));
	CHECK(encode(XS_WRITE, 0, s1, 1, "a\0b", 3, &len) == 0);
	CHECK(encoded_as(len, XS_WRITE, 0, "device/vif/0\0a\0b", 16));
	CHECK(encode(XS_WATCH, 0, w, 2, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_WATCH, 0, "backend\0tok1", 13));
	CHECK(encode(XS_UNWATCH, 0, w, 2, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_UNWATCH, 0, "backend\0tok1", 13));
	CHECK(encode(XS_TRANSACTION_START, 0, empty, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_TRANSACTION_START, 0, "", 1));
	CHECK(encode(XS_TRANSACTION_END, 9, t, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_TRANSACTION_END, 9, "T", 2));
	CHECK(encode(XS_TRANSACTION_END, 9, f, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_TRANSACTION_END, 9, "F", 2));
	CHECK(encode(XS_GET_DOMAIN_PATH, 0, dom, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_GET_DOMAIN_PATH, 0, "5", 2));
	CHECK(encode(XS_RESET_WATCHES, 0, empty, 1, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_RESET_WATCHES, 0, "", 1));
	CHECK(encode(XS_SET_PERMS, 4, perms, 4, NULL, 0, &len) == 0);
	CHECK(encoded_as(len, XS_SET_PERMS, 4,
			 "/local/domain/5/x\0n5\0r0\0b65535", 31));
}

static void test_xs_encode_rejects(void)
{
	static char big[XENSTORE_PAYLOAD_MAX + 8];
	const char *s1[] = { "a" }, *none[] = { NULL }, *empty[] = { "" };
	const char *w_notok[] = { "a", "" }, *bad_tf[] = { "X" };
	const char *bad_perm[] = { "a", "x1" }, *bad_dom[] = { "65536" };
	const char *bigs[] = { big }, *bigw[2];
	struct xs_wire_req req = { .type = XS_READ, .strs = s1, .nstrs = 1 };
	size_t len = 12345;

	CHECK(encode(XS_TYPE_COUNT, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_ERROR, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_WATCH_EVENT, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_INTRODUCE, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_INVALID, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, s1, 0, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, s1, 2, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, NULL, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, none, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, empty, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_READ, 0, s1, 1, "x", 1, &len) == -EINVAL);
	CHECK(encode(XS_WRITE, 0, s1, 1, NULL, 1, &len) == -EINVAL);
	CHECK(encode(XS_WATCH, 0, w_notok, 2, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_TRANSACTION_END, 1, bad_tf, 1, NULL, 0, &len) ==
	      -EINVAL);
	CHECK(encode(XS_TRANSACTION_START, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_SET_PERMS, 0, bad_perm, 2, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_SET_PERMS, 0, s1, 1, NULL, 0, &len) == -EINVAL);
	CHECK(encode(XS_GET_DOMAIN_PATH, 0, bad_dom, 1, NULL, 0, &len) ==
	      -EINVAL);
	CHECK(len == 12345);

	/* Payload limits: a value filling the payload exactly fits. */
	CHECK(encode(XS_WRITE, 0, s1, 1, big, XENSTORE_PAYLOAD_MAX - 2, &len) ==
	      0);
	CHECK(len == XS_WIRE_MSG_MAX);
	CHECK(encode(XS_WRITE, 0, s1, 1, big, XENSTORE_PAYLOAD_MAX - 1, &len) ==
	      -E2BIG);
	memset(big, 'p', XENSTORE_ABS_PATH_MAX);
	big[XENSTORE_ABS_PATH_MAX] = '\0';
	CHECK(encode(XS_READ, 0, bigs, 1, NULL, 0, &len) == 0);
	big[XENSTORE_ABS_PATH_MAX] = 'p';
	big[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	CHECK(encode(XS_READ, 0, bigs, 1, NULL, 0, &len) == -EINVAL);
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(encode(XS_READ, 0, bigs, 1, NULL, 0, &len) == -EINVAL);
	/* Strings alone can overflow the payload: a long watch token. */
	bigw[0] = big + sizeof(big) - 1 - XENSTORE_ABS_PATH_MAX;
	bigw[1] = big + sizeof(big) - 1 - 1100;
	CHECK(encode(XS_WATCH, 0, bigw, 2, NULL, 0, &len) == -E2BIG);
	bigw[1] = big + sizeof(big) - 1 -
		  (XENSTORE_PAYLOAD_MAX - XENSTORE_ABS_PATH_MAX - 2);
	CHECK(encode(XS_WATCH, 0, bigw, 2, NULL, 0, &len) == 0);
	CHECK(len == XS_WIRE_MSG_MAX);

	/* A short buffer is -ERANGE and stays untouched. */
	memset(buf, 0xAB, sizeof(buf));
	CHECK(xs_wire_encode(&req, buf, XS_WIRE_HDR_SIZE + 1, &len) == -ERANGE);
	CHECK(buf[0] == 0xAB && buf[XS_WIRE_HDR_SIZE] == 0xAB);
	CHECK(xs_wire_encode(&req, buf, XS_WIRE_HDR_SIZE + 2, &len) == 0);
	CHECK(xs_wire_encode(&req, NULL, 100, &len) == -ERANGE);
}

static void test_xs_ring_write_wrap(void)
{
	char src[300], out[300];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)i;
	ring_reset(1000, 0);
	CHECK(xs_wire_req_space(&ring) == XENSTORE_RING_SIZE);
	CHECK(xs_wire_ring_write(&ring, src, 100) == 100);
	CHECK(ring.req_prod == 1100);
	CHECK(memcmp(ring.req + 1000, src, 24) == 0);
	CHECK(memcmp(ring.req, src + 24, 76) == 0);
	CHECK(xs_wire_req_space(&ring) == XENSTORE_RING_SIZE - 100);
	req_take(out, 100);
	CHECK(memcmp(out, src, 100) == 0);

	/* Free-running indexes wrap at 2^32 too. */
	ring_reset(0xFFFFFFF0u, 0);
	CHECK(xs_wire_ring_write(&ring, src, 300) == 300);
	CHECK(ring.req_prod == 300 - 16);
	req_take(out, 300);
	CHECK(memcmp(out, src, 300) == 0);
	CHECK(xs_wire_ring_write(&ring, src, 0) == 0);
}

static void test_xs_ring_full(void)
{
	static char src[1500], out[1500];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7);
	ring_reset(5, 0);
	CHECK(xs_wire_ring_write(&ring, src, sizeof(src)) ==
	      XENSTORE_RING_SIZE);
	CHECK(xs_wire_req_space(&ring) == 0);
	CHECK(xs_wire_ring_write(&ring, src + 1024, 476) == 0);
	req_take(out, 100);
	CHECK(xs_wire_req_space(&ring) == 100);
	CHECK(xs_wire_ring_write(&ring, src + 1024, 476) == 100);
	req_take(out + 100, 1024);
	CHECK(xs_wire_ring_write(&ring, src + 1124, 376) == 376);
	req_take(out + 1124, 376);
	CHECK(memcmp(out, src, sizeof(src)) == 0);
}

static void test_xs_ring_bad_indexes(void)
{
	char b[8] = "abcdefg", before[XENSTORE_RING_SIZE];

	ring_reset(0, 0);
	ring.req_prod = XENSTORE_RING_SIZE + 1; /* one past a full ring */
	memcpy(before, ring.req, sizeof(before));
	CHECK(xs_wire_req_space(&ring) == -EIO);
	CHECK(xs_wire_ring_write(&ring, b, 8) == -EIO);
	CHECK(memcmp(before, ring.req, sizeof(before)) == 0);
	CHECK(ring.req_prod == XENSTORE_RING_SIZE + 1);
	ring_reset(100, 0);
	ring.req_cons = 101; /* consumer ahead of producer */
	CHECK(xs_wire_ring_write(&ring, b, 8) == -EIO);

	ring_reset(0, 50);
	ring.rsp_prod = 50 + XENSTORE_RING_SIZE + 1;
	CHECK(xs_wire_rsp_avail(&ring) == -EIO);
	CHECK(xs_wire_ring_read(&ring, b, 8) == -EIO);
	CHECK(xs_wire_ring_discard(&ring) == -EIO);
	CHECK(ring.rsp_cons == 50);
	ring.rsp_prod = 49;
	CHECK(xs_wire_ring_read(&ring, b, 8) == -EIO);
	/* Exactly full is legal. */
	ring.rsp_prod = 50 + XENSTORE_RING_SIZE;
	CHECK(xs_wire_rsp_avail(&ring) == XENSTORE_RING_SIZE);
	CHECK(xs_wire_ring_discard(&ring) == XENSTORE_RING_SIZE);
	CHECK(xs_wire_rsp_avail(&ring) == 0);
}

static struct xs_wire_reader rd;

static void test_xs_reader_wrap(void)
{
	char msg[64];
	size_t n = make_msg(msg, XS_READ, 42, "hello", 5);

	ring_reset(0, XENSTORE_RING_SIZE - 10); /* header crosses the wrap */
	CHECK(rsp_put(msg, n) == n);
	xs_wire_reader_reset(&rd);
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1);
	CHECK(rd.hdr.type == XS_READ && rd.hdr.req_id == 42 && rd.hdr.len == 5);
	CHECK(memcmp(rd.body, "hello", 6) == 0);
	CHECK(xs_wire_rsp_avail(&ring) == 0);

	/* Payload crossing the wrap, delivered a byte at a time. */
	ring_reset(0, XENSTORE_RING_SIZE - 18);
	xs_wire_reader_reset(&rd);
	for (size_t i = 0; i < n; i++) {
		CHECK(xs_wire_reader_pull(&rd, &ring) == 0);
		CHECK(rsp_put(msg + i, 1) == 1);
	}
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1);
	CHECK(memcmp(rd.body, "hello", 6) == 0);
}

static void test_xs_reader_two_messages(void)
{
	char msgs[128];
	size_t n1 = make_msg(msgs, XS_WATCH_EVENT, 0, "a/b\0tok", 8);
	size_t n2 = make_msg(msgs + n1, XS_WRITE, 7, "OK", 3);

	/* Never reads past one message. */
	ring_reset(0, 3);
	CHECK(rsp_put(msgs, n1 + n2) == n1 + n2);
	xs_wire_reader_reset(&rd);
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1);
	CHECK(rd.hdr.type == XS_WATCH_EVENT && rd.hdr.len == 8);
	CHECK(xs_wire_rsp_avail(&ring) == (int)n2);
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1); /* not reset: same */
	CHECK(rd.hdr.type == XS_WATCH_EVENT);
	xs_wire_reader_reset(&rd);
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1);
	CHECK(rd.hdr.type == XS_WRITE && rd.hdr.req_id == 7);
	CHECK(memcmp(rd.body, "OK", 3) == 0);

	/* An empty payload completes with the header. */
	ring_reset(0, 0);
	n1 = make_msg(msgs, XS_DIRECTORY, 1, "", 0);
	CHECK(rsp_put(msgs, n1) == n1);
	xs_wire_reader_reset(&rd);
	CHECK(xs_wire_reader_pull(&rd, &ring) == 1 && rd.body[0] == '\0');
}

/* A header the reader must refuse, without reading the payload. */
static bool reader_refuses(uint32_t type, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 1, .len = len };

	ring_reset(0, 0);
	rsp_put(&h, sizeof(h));
	rsp_put("xxxxxxxx", 8);
	xs_wire_reader_reset(&rd);
	if (xs_wire_reader_pull(&rd, &ring) != -EBADMSG)
		return false;
	/* Ignoring the error must not let it read (or overflow) further. */
	return xs_wire_reader_pull(&rd, &ring) == -EBADMSG &&
	       xs_wire_rsp_avail(&ring) == 8;
}

static void test_xs_reader_bad_header(void)
{
	CHECK(reader_refuses(XS_READ, XENSTORE_PAYLOAD_MAX + 1));
	CHECK(reader_refuses(XS_READ, 0xFFFFFFFFu));
	CHECK(reader_refuses(XS_TYPE_COUNT, 1));
	CHECK(reader_refuses(XS_SET_TARGET + 1, 1)); /* removed XS_RESTRICT */
	CHECK(reader_refuses(XS_INVALID, 1));
	CHECK(!reader_refuses(XS_READ, XENSTORE_PAYLOAD_MAX));

	/* Corrupt indexes while reading are -EIO. */
	ring_reset(0, 0);
	ring.rsp_prod = 2000;
	xs_wire_reader_reset(&rd);
	CHECK(xs_wire_reader_pull(&rd, &ring) == -EIO);
}

/* A payload of XENSTORE_PAYLOAD_MAX bytes through a 1 KiB ring. */
static void test_xs_reader_max_payload(void)
{
	static char msg[XS_WIRE_MSG_MAX], payload[XENSTORE_PAYLOAD_MAX];
	size_t n, off = 0;
	int rc = 0, rounds = 0;

	for (n = 0; n < sizeof(payload); n++)
		payload[n] = (char)('a' + n % 26);
	n = make_msg(msg, XS_READ, 9, payload, sizeof(payload));
	ring_reset(0, 0x7FFFFF00u);
	xs_wire_reader_reset(&rd);
	while (rc == 0 && rounds++ < 100) {
		off += rsp_put(msg + off, n - off);
		rc = xs_wire_reader_pull(&rd, &ring);
	}
	CHECK(rc == 1 && off == n && rd.hdr.len == XENSTORE_PAYLOAD_MAX);
	CHECK(memcmp(rd.body, payload, sizeof(payload)) == 0);
	CHECK(rd.body[XENSTORE_PAYLOAD_MAX] == '\0');
}

static void test_xs_reply_check(void)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 5, .len = 2 };

	CHECK(xs_wire_reply_check(&h, "v", XS_READ, 5) == 0);
	CHECK(xs_wire_reply_check(&h, "v", XS_READ, 6) == -EBADMSG);
	CHECK(xs_wire_reply_check(&h, "v", XS_WRITE, 5) == -EBADMSG);
	h.type = XS_ERROR;
	h.len = 7;
	CHECK(xs_wire_reply_check(&h, "ENOENT", XS_READ, 5) == -ENOENT);
	CHECK(xs_wire_reply_check(&h, "ENOENT", XS_READ, 4) == -EBADMSG);
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	CHECK(xs_wire_reply_check(&h, "ENOENT", XS_READ, 5) == -EBADMSG);
	h.type = XS_TYPE_COUNT;
	h.len = 0;
	CHECK(xs_wire_reply_check(&h, "", XS_TYPE_COUNT, 5) == -EBADMSG);
}

/* Exact-size heap copy, so ASan catches a read past len. */
static char *exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, s, len);
	return p;
}

static int errno_of(const char *s, size_t len)
{
	char *p = exact(s, len);
	int rc = xs_wire_error_errno(p, len);

	free(p);
	return rc;
}

static void test_xs_error_strings(void)
{
	size_t i, n = sizeof(xsd_errors) / sizeof(xsd_errors[0]);
	const char *s;

	CHECK(n == 16);
	for (i = 0; i < n; i++) {
		s = xsd_errors[i].errstring;
		CHECK(errno_of(s, strlen(s) + 1) == -xsd_errors[i].errnum);
		CHECK(errno_of(s, strlen(s)) == -xsd_errors[i].errnum);
	}
	CHECK(errno_of("ENOENT", 7) == -ENOENT);
	CHECK(errno_of("EAGAIN", 7) == -EAGAIN);
	CHECK(errno_of("EACCES", 7) == -EACCES);
	CHECK(errno_of("E2BIG", 6) == -E2BIG);
	CHECK(errno_of("EQUOTA", 7) == -EIO); /* unknown to the table */
	CHECK(errno_of("", 0) == -EIO);
	CHECK(errno_of("", 1) == -EIO);
	CHECK(errno_of("ENOENTX", 8) == -EIO);
	CHECK(errno_of("ENOEN", 6) == -EIO);
	CHECK(errno_of("ENO\0ENT", 8) == -EIO);
	CHECK(errno_of("ENOENT\0\0", 8) == -EIO);
	CHECK(errno_of("enoent", 7) == -EIO);
}

struct names {
	int n;
	char got[8][16];
	int stop_at;
};

static int collect(void *arg, const char *name, size_t len)
{
	struct names *c = arg;

	if (c->n == c->stop_at)
		return -99;
	if (len != strlen(name) || len >= sizeof(c->got[0]) || c->n >= 8)
		return -98;
	memcpy(c->got[c->n++], name, len + 1);
	return 0;
}

static int dir(const char *s, size_t len, size_t max, struct names *c)
{
	char *p = exact(s, len);
	int rc;

	memset(c, 0, sizeof(*c));
	c->stop_at = -1;
	rc = xs_wire_dir_parse(p, len, max, collect, c);
	free(p);
	return rc;
}

static void test_xs_directory(void)
{
	struct names c;

	CHECK(dir("", 0, 10, &c) == 0 && c.n == 0);
	CHECK(dir("a\0bb\0ccc", 9, 10, &c) == 3 && c.n == 3);
	CHECK(strcmp(c.got[0], "a") == 0 && strcmp(c.got[2], "ccc") == 0);
	CHECK(dir("a\0bb\0ccc", 8, 10, &c) == -EBADMSG && c.n == 0);
	CHECK(dir("a", 1, 10, &c) == -EBADMSG);
	CHECK(dir("\0", 1, 10, &c) == -EBADMSG);
	CHECK(dir("a\0\0b", 5, 10, &c) == -EBADMSG && c.n == 0);
	CHECK(dir("a\0b\0", 4, 2, &c) == 2);
	CHECK(dir("a\0b\0c", 6, 2, &c) == -ERANGE && c.n == 0);
	memset(&c, 0, sizeof(c));
	c.stop_at = 1;
	CHECK(xs_wire_dir_parse("a\0b\0", 4, 10, collect, &c) == -99);
	CHECK(xs_wire_dir_parse("a\0b\0", 4, 10, NULL, NULL) == 2);
}

static int watch_ev(const char *s, size_t len, const char **path,
		    const char **token)
{
	static char *keep;
	char *p = exact(s, len);
	int rc = xs_wire_watch_event_parse(p, len, path, token);

	free(keep); /* the pointers stay valid until the next call */
	keep = p;
	return rc;
}

static void test_xs_watch_event(void)
{
	const char *path = NULL, *token = NULL;

	CHECK(watch_ev("backend/vif\0tok", 16, &path, &token) == 0);
	CHECK(strcmp(path, "backend/vif") == 0 && strcmp(token, "tok") == 0);
	CHECK(watch_ev("backend/vif\0tok", 15, &path, &token) == -EBADMSG);
	CHECK(watch_ev("backend/vif", 12, &path, &token) == -EBADMSG);
	CHECK(watch_ev("\0tok", 5, &path, &token) == -EBADMSG);
	CHECK(watch_ev("p\0\0", 3, &path, &token) == -EBADMSG);
	CHECK(watch_ev("p\0t\0x", 6, &path, &token) == -EBADMSG);
	CHECK(watch_ev("", 0, &path, &token) == -EBADMSG);
	CHECK(watch_ev("p", 1, &path, &token) == -EBADMSG);
}

static void test_xs_perms(void)
{
	struct xs_wire_perm p;
	char out[XS_WIRE_PERM_STR_MAX];

	CHECK(xs_wire_perm_parse("n0", 2, &p) == 0 && p.access == 'n' &&
	      p.domid == 0);
	CHECK(xs_wire_perm_parse("r1", 2, &p) == 0 && p.access == 'r');
	CHECK(xs_wire_perm_parse("w17", 3, &p) == 0 && p.domid == 17);
	CHECK(xs_wire_perm_parse("b65535", 6, &p) == 0 && p.domid == 65535);
	CHECK(xs_wire_perm_parse("b65536", 6, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("b000001", 7, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("x1", 2, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("r", 1, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("r1a", 3, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("r-1", 3, &p) == -EBADMSG);
	CHECK(xs_wire_perm_parse("R1", 2, &p) == -EBADMSG);

	p = (struct xs_wire_perm){ .access = 'b', .domid = 65535 };
	CHECK(xs_wire_perm_format(&p, out, sizeof(out)) == 0);
	CHECK(strcmp(out, "b65535") == 0);
	CHECK(xs_wire_perm_format(&p, out, 6) == -ERANGE);
	p = (struct xs_wire_perm){ .access = 'r', .domid = 0 };
	CHECK(xs_wire_perm_format(&p, out, 3) == 0 && strcmp(out, "r0") == 0);
	p.access = 'q';
	CHECK(xs_wire_perm_format(&p, out, sizeof(out)) == -EINVAL);
}

static void test_xs_numbers(void)
{
	char small[4];
	uint64_t v = 0;
	uint32_t tx = 0;

	CHECK(xs_wire_parse_uint("0", 1, &v) == 0 && v == 0);
	CHECK(xs_wire_parse_uint("42\0", 3, &v) == 0 && v == 42);
	CHECK(xs_wire_parse_uint("18446744073709551615", 20, &v) == 0 &&
	      v == UINT64_MAX);
	CHECK(xs_wire_parse_uint("18446744073709551616", 20, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("000000000000000000001", 21, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("", 0, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("\0", 1, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("+1", 2, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint(" 1", 2, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("1 ", 2, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("0x1", 3, &v) == -EINVAL);
	CHECK(xs_wire_parse_uint("1\0\0", 3, &v) == -EINVAL);

	CHECK(xs_wire_parse_tx_id("17", 3, &tx) == 0 && tx == 17);
	CHECK(xs_wire_parse_tx_id("4294967295", 11, &tx) == 0 &&
	      tx == UINT32_MAX);
	CHECK(xs_wire_parse_tx_id("4294967296", 11, &tx) == -EBADMSG);
	CHECK(xs_wire_parse_tx_id("0", 2, &tx) == -EBADMSG);
	CHECK(xs_wire_parse_tx_id("17", 2, &tx) == -EBADMSG);
	CHECK(xs_wire_parse_tx_id("", 0, &tx) == -EBADMSG);

	memset(small, 'Z', sizeof(small));
	CHECK(xs_wire_read_value("abcd", 4, small, 4) == -ERANGE);
	CHECK(small[0] == 'Z');
	CHECK(xs_wire_read_value("abc", 3, small, 4) == 0);
	CHECK(strcmp(small, "abc") == 0);
	CHECK(xs_wire_read_value("", 0, small, 1) == 0 && small[0] == '\0');
	CHECK(xs_wire_read_value("", 0, small, 0) == -ERANGE);
	CHECK(strcmp(xs_wire_type_name(XS_READ), "READ") == 0);
	CHECK(strcmp(xs_wire_type_name(XS_SET_TARGET + 1), "?") == 0);
	CHECK(strcmp(xs_wire_type_name(0xFFFFFFFFu), "?") == 0);
}

/* A request, through req[], reaches "xenstored" byte for byte. */
static void test_xs_request_round_trip(void)
{
	static char out[XS_WIRE_MSG_MAX];
	static char value[3000];
	const char *s1[] = { "data/key" };
	size_t len, sent = 0, got = 0;
	int n;

	memset(value, 'v', sizeof(value));
	CHECK(encode(XS_WRITE, 12, s1, 1, value, sizeof(value), &len) == 0);
	ring_reset(0xFFFFFE00u, 0);
	while (sent < len) {
		n = xs_wire_ring_write(&ring, buf + sent, len - sent);
		CHECK(n > 0);
		sent += (size_t)n;
		/* xenstored takes a random part of what is there. */
		n = (int)(ring.req_prod - ring.req_cons);
		n = n > 0 ? 1 + (int)check_rand_below((unsigned)n) : 0;
		req_take(out + got, (size_t)n);
		got += (size_t)n;
	}
	n = (int)(ring.req_prod - ring.req_cons);
	req_take(out + got, (size_t)n);
	got += (size_t)n;
	CHECK(got == len && memcmp(out, buf, len) == 0);
}

/* Many messages through rsp[] in random chunks, each received intact. */
static void test_xs_reader_stream(void)
{
	static char stream[200000];
	size_t total = 0, off = 0, lens[2000];
	uint32_t i, n = 0, seen = 0;
	int rc, guard = 0;

	check_seed(0x5eed);
	while (n < 2000) {
		char payload[600];
		uint32_t plen = (uint32_t)check_rand_below(sizeof(payload));

		for (i = 0; i < plen; i++)
			payload[i] = (char)check_rand();
		if (total + XS_WIRE_HDR_SIZE + plen > sizeof(stream))
			break;
		lens[n] = plen;
		total += make_msg(stream + total, XS_READ, n, payload, plen);
		n++;
	}
	ring_reset(0, 0xFFFFF000u);
	xs_wire_reader_reset(&rd);
	off = 0;
	while (seen < n && guard++ < 1000000) {
		size_t want = check_rand_below(700);

		if (want > total - off)
			want = total - off;
		off += rsp_put(stream + off, want);
		while ((rc = xs_wire_reader_pull(&rd, &ring)) == 1) {
			CHECK(rd.hdr.req_id == seen &&
			      rd.hdr.len == lens[seen]);
			seen++;
			xs_wire_reader_reset(&rd);
		}
		CHECK(rc == 0);
	}
	CHECK(seen == n && off == total);
}

/* Random headers, payloads and indexes: errors, never crashes. */
static void test_xs_fuzz(void)
{
	static char junk[XENSTORE_PAYLOAD_MAX + 100];
	struct xsd_sockmsg h;
	const char *p, *t;
	size_t len, i;
	uint64_t v;
	uint32_t tx;
	int iter, rc;
	char *e;

	check_seed(20240601);
	for (iter = 0; iter < 20000; iter++) {
		/* Mostly short strings over a tiny alphabet, so that the
		 * NUL-separated structures are often nearly valid. */
		len = check_rand_below(iter % 10 == 0 ? sizeof(junk) : 24);
		for (i = 0; i < len; i++) {
			static const char alpha[] = { 0,   0,	'r', 'n',
						      '1', '9', 'E', 'a' };
			junk[i] = check_rand_below(4)
					  ? alpha[check_rand_below(8)]
					  : (char)check_rand();
		}
		e = exact(junk, len);
		CHECK(e != NULL);
		(void)xs_wire_dir_parse(e, len, check_rand_below(8), NULL,
					NULL);
		rc = xs_wire_watch_event_parse(e, len, &p, &t);
		CHECK(rc != 0 || (strlen(p) + strlen(t) + 2 == len));
		rc = xs_wire_error_errno(e, len);
		CHECK(rc < 0);
		(void)xs_wire_parse_uint(e, len, &v);
		(void)xs_wire_parse_tx_id(e, len, &tx);
		h = (struct xsd_sockmsg){
			.type = (uint32_t)check_rand_below(XS_TYPE_COUNT + 3),
			.req_id = (uint32_t)check_rand_below(3),
			.len = (uint32_t)len
		};
		(void)xs_wire_reply_check(&h, e, XS_READ, 1);
		free(e);

		/* Random bytes as a response stream, random indexes. */
		ring_reset(0, (uint32_t)check_rand());
		for (i = 0; i < XENSTORE_RING_SIZE; i++)
			ring.rsp[i] =
				check_rand_below(3) ? 0 : (char)check_rand();
		ring.rsp_prod +=
			(uint32_t)(check_rand_below(50) ? check_rand_below(1025)
							: check_rand());
		xs_wire_reader_reset(&rd);
		do {
			rc = xs_wire_reader_pull(&rd, &ring);
			if (rc == 1)
				xs_wire_reader_reset(&rd);
		} while (rc == 1);
		CHECK(rc == 0 || rc == -EBADMSG || rc == -EIO);
		CHECK(rd.have <= XS_WIRE_MSG_MAX);
	}
}

int main(void)
{
	RUN(xs_encode_types, "every request type a guest sends is framed "
			     "right (WRITE's value without NUL)");
	RUN(xs_encode_rejects, "bad shapes, unknown types, oversize payloads "
			       "and short buffers are refused untouched");
	RUN(xs_ring_write_wrap, "req[] copy wraps at the ring end and at 2^32");
	RUN(xs_ring_full, "a full ring takes partial writes, resumes as "
			  "xenstored consumes");
	RUN(xs_ring_bad_indexes, "indexes more than a ring apart are -EIO "
				 "and nothing moves");
	RUN(xs_reader_wrap, "replies split across the wrap and across "
			    "notifications are reassembled");
	RUN(xs_reader_two_messages, "the reader stops at a message boundary");
	RUN(xs_reader_bad_header, "oversized len and unknown types are "
				  "-EBADMSG without reading further");
	RUN(xs_reader_max_payload, "a 4096-byte payload crosses the 1 KiB "
				   "ring");
	RUN(xs_reply_check, "request id and type mismatches, XS_ERROR");
	RUN(xs_error_strings, "every xsd_errors string maps to its errno, "
			      "anything else to -EIO");
	RUN(xs_directory, "directory lists: empty, trailing garbage, empty "
			  "names, count bound, early stop");
	RUN(xs_watch_event, "watch events need path and token, nothing "
			    "else");
	RUN(xs_perms, "permission entries parse, format and round-trip");
	RUN(xs_numbers, "strict decimals, transaction ids, read values");
	RUN(xs_request_round_trip, "a 3 KiB WRITE crosses the ring intact "
				   "against a slow reader");
	RUN(xs_reader_stream, "2000 replies in random chunks arrive intact "
			      "and in order");
	RUN(xs_fuzz, "20000 random payloads and streams: only errors, no "
		     "crash");
	return check_exit();
}
