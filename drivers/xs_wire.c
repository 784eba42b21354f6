/*
 * The xenstore wire protocol: pure encoding, ring copying and decoding
 * (contracts in drivers/xs_wire.h). No blocking, no logging, no kernel
 * headers: the host unit tests compile this file as it is.
 *
 * Who writes what in struct xenstore_domain_interface: we write req[],
 * req_prod and rsp_cons; xenstored writes rsp[], rsp_prod and req_cons.
 * The page is shared, so even "our" indexes are untrusted. Every index
 * is read once into a local (the other side may change it under us) and
 * checked: producer minus consumer above XENSTORE_RING_SIZE cannot happen
 * with an honest peer and is -EIO.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#include "drivers/xs_wire.h"

/* The type number XS_RESTRICT had before Xen removed it. */
#define XS_RESTRICT_REMOVED (XS_SET_TARGET + 1)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- requests ------------------------------------------------------------ */

enum {
	SHAPE_PATH = 1 << 0,  /* strs[0] is a path */
	SHAPE_DATA = 1 << 1,  /* raw data follows the strings */
	SHAPE_TOKEN = 1 << 2, /* strs[1] is a non-empty watch token */
	SHAPE_EMPTY = 1 << 3, /* strs[0] must be "" */
	SHAPE_TF = 1 << 4,    /* strs[0] must be "T" or "F" */
	SHAPE_DOMID = 1 << 5, /* strs[0] is a decimal domid */
	SHAPE_PERMS = 1 << 6, /* strs[1..] are permission entries */
};

/* What a guest may send; a zero max_strs means "not a guest request". */
static const struct {
	uint8_t min_strs, max_strs, flags;
} req_shapes[XS_TYPE_COUNT] = {
	[XS_DIRECTORY] = { 1, 1, SHAPE_PATH },
	[XS_READ] = { 1, 1, SHAPE_PATH },
	[XS_GET_PERMS] = { 1, 1, SHAPE_PATH },
	[XS_WATCH] = { 2, 2, SHAPE_PATH | SHAPE_TOKEN },
	[XS_UNWATCH] = { 2, 2, SHAPE_PATH | SHAPE_TOKEN },
	[XS_TRANSACTION_START] = { 1, 1, SHAPE_EMPTY },
	[XS_TRANSACTION_END] = { 1, 1, SHAPE_TF },
	[XS_GET_DOMAIN_PATH] = { 1, 1, SHAPE_DOMID },
	[XS_WRITE] = { 1, 1, SHAPE_PATH | SHAPE_DATA },
	[XS_MKDIR] = { 1, 1, SHAPE_PATH },
	[XS_RM] = { 1, 1, SHAPE_PATH },
	[XS_SET_PERMS] = { 2, XS_WIRE_STRS_MAX, SHAPE_PATH | SHAPE_PERMS },
	[XS_RESET_WATCHES] = { 1, 1, SHAPE_EMPTY },
};

/* Check strs[i] against the request's shape; 0 or -EINVAL. */
static int check_str(unsigned flags, size_t i, const char *s, size_t len)
{
	struct xs_wire_perm perm;
	uint64_t domid;

	if (i == 0 && (flags & SHAPE_PATH))
		return len > 0 && len <= XENSTORE_ABS_PATH_MAX ? 0 : -EINVAL;
	if (i == 0 && (flags & SHAPE_EMPTY))
		return len == 0 ? 0 : -EINVAL;
	if (i == 0 && (flags & SHAPE_TF))
		return len == 1 && (s[0] == 'T' || s[0] == 'F') ? 0 : -EINVAL;
	if (i == 0 && (flags & SHAPE_DOMID)) {
		if (xs_wire_parse_uint(s, len, &domid) < 0)
			return -EINVAL;
		return domid <= UINT16_MAX ? 0 : -EINVAL;
	}
	if (i == 1 && (flags & SHAPE_TOKEN))
		return len > 0 ? 0 : -EINVAL;
	if (i >= 1 && (flags & SHAPE_PERMS))
		return xs_wire_perm_parse(s, len, &perm) == 0 ? 0 : -EINVAL;
	return 0;
}

/* Validate req and compute its payload length; 0, -EINVAL or -E2BIG. */
static int check_req(const struct xs_wire_req *req, size_t *payload)
{
	size_t i, len, total = 0;
	unsigned flags;
	int rc;

	if (req->type >= XS_TYPE_COUNT || req_shapes[req->type].max_strs == 0)
		return -EINVAL;
	flags = req_shapes[req->type].flags;
	if (req->nstrs < req_shapes[req->type].min_strs ||
	    req->nstrs > req_shapes[req->type].max_strs || !req->strs)
		return -EINVAL;
	if (!(flags & SHAPE_DATA) && (req->data || req->data_len))
		return -EINVAL;
	if (!req->data && req->data_len)
		return -EINVAL;
	for (i = 0; i < req->nstrs; i++) {
		if (!req->strs[i])
			return -EINVAL;
		/* Bounded so a huge string costs no more than the limit. */
		len = strnlen(req->strs[i], XENSTORE_PAYLOAD_MAX + 1);
		rc = check_str(flags, i, req->strs[i], len);
		if (rc < 0)
			return rc;
		total += len + 1;
		if (total > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
	}
	if (req->data_len > XENSTORE_PAYLOAD_MAX - total)
		return -E2BIG;
	*payload = total + req->data_len;
	return 0;
}

int xs_wire_encode(const struct xs_wire_req *req, void *buf, size_t size,
		   size_t *len)
{
	struct xsd_sockmsg hdr;
	size_t payload, i, n;
	char *p = buf;
	int rc;

	rc = check_req(req, &payload);
	if (rc < 0)
		return rc;
	if (!buf || size < XS_WIRE_HDR_SIZE + payload)
		return -ERANGE;
	hdr = (struct xsd_sockmsg){ .type = req->type,
				    .req_id = req->req_id,
				    .tx_id = req->tx_id,
				    .len = (uint32_t)payload };
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (i = 0; i < req->nstrs; i++) {
		n = strlen(req->strs[i]) + 1;
		memcpy(p, req->strs[i], n);
		p += n;
	}
	if (req->data_len)
		memcpy(p, req->data, req->data_len);
	*len = XS_WIRE_HDR_SIZE + payload;
	return 0;
}

/* --- permissions ------------------------------------------------------- */

static bool perm_letter(char c)
{
	return c == XS_WIRE_PERM_NONE || c == XS_WIRE_PERM_READ ||
	       c == XS_WIRE_PERM_WRITE || c == XS_WIRE_PERM_BOTH;
}

int xs_wire_perm_parse(const char *s, size_t len, struct xs_wire_perm *p)
{
	uint32_t domid = 0;
	size_t i;

	if (len < 2 || len > 6 || !perm_letter(s[0]))
		return -EBADMSG;
	for (i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EBADMSG;
		domid = domid * 10 + (uint32_t)(s[i] - '0');
	}
	if (domid > UINT16_MAX)
		return -EBADMSG;
	p->access = s[0];
	p->domid = (uint16_t)domid;
	return 0;
}

int xs_wire_perm_format(const struct xs_wire_perm *p, char *buf, size_t size)
{
	char tmp[XS_WIRE_PERM_STR_MAX];
	char digits[5];
	unsigned v = p->domid;
	size_t n = 0, len;

	if (!perm_letter(p->access))
		return -EINVAL;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tmp[0] = p->access;
	for (len = 1; n > 0; len++)
		tmp[len] = digits[--n];
	tmp[len++] = '\0';
	if (size < len)
		return -ERANGE;
	memcpy(buf, tmp, len);
	return 0;
}

/* Entries of a NUL-separated list: each ends with a NUL, none is empty,
 * nothing follows the last NUL. Returns the count or -EBADMSG. */
static long count_entries(const char *body, size_t len)
{
	const char *end;
	size_t off = 0;
	long n = 0;

	while (off < len) {
		end = memchr(body + off, '\0', len - off);
		if (!end || end == body + off)
			return -EBADMSG;
		off = (size_t)(end - body) + 1;
		n++;
	}
	return n;
}

/* --- the shared ring ------------------------------------------------------ */

/* One read of an index the other side may be changing. */
static uint32_t load_idx(const XENSTORE_RING_IDX *idx)
{
	return __atomic_load_n(idx, __ATOMIC_RELAXED);
}

/* Bytes between cons and prod, or -EIO when the peer made them a
 * distance no ring can hold. */
static int ring_used(uint32_t prod, uint32_t cons)
{
	uint32_t used = prod - cons; /* free-running, wraps at 2^32 */

	return used > XENSTORE_RING_SIZE ? -EIO : (int)used;
}

int xs_wire_req_space(const struct xenstore_domain_interface *intf)
{
	int used =
		ring_used(load_idx(&intf->req_prod), load_idx(&intf->req_cons));

	return used < 0 ? used : XENSTORE_RING_SIZE - used;
}

int xs_wire_rsp_avail(const struct xenstore_domain_interface *intf)
{
	return ring_used(load_idx(&intf->rsp_prod), load_idx(&intf->rsp_cons));
}

int xs_wire_ring_write(struct xenstore_domain_interface *intf, const void *src,
		       size_t len)
{
	uint32_t prod = load_idx(&intf->req_prod);
	int used = ring_used(prod, load_idx(&intf->req_cons));
	size_t n, off, first;

	if (used < 0)
		return used;
	n = (size_t)(XENSTORE_RING_SIZE - used);
	if (n > len)
		n = len;
	if (n == 0)
		return 0;
	/* Our stores into req[] must not be hoisted above the req_cons load
	 * that says xenstored has finished reading those slots. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	off = MASK_XENSTORE_IDX(prod);
	first = n < XENSTORE_RING_SIZE - off ? n : XENSTORE_RING_SIZE - off;
	memcpy(intf->req + off, src, first);
	memcpy(intf->req, (const char *)src + first, n - first);
	/* The bytes must be visible before the index that publishes them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&intf->req_prod, prod + (uint32_t)n, __ATOMIC_RELAXED);
	return (int)n;
}

int xs_wire_ring_read(struct xenstore_domain_interface *intf, void *dst,
		      size_t len)
{
	uint32_t cons = load_idx(&intf->rsp_cons);
	int used = ring_used(load_idx(&intf->rsp_prod), cons);
	size_t n, off, first;

	if (used < 0)
		return used;
	n = (size_t)used < len ? (size_t)used : len;
	if (n == 0)
		return 0;
	/* Read rsp[] only after the rsp_prod load that says it is there. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	off = MASK_XENSTORE_IDX(cons);
	first = n < XENSTORE_RING_SIZE - off ? n : XENSTORE_RING_SIZE - off;
	memcpy(dst, intf->rsp + off, first);
	memcpy((char *)dst + first, intf->rsp, n - first);
	/* Our reads of rsp[] must be done before rsp_cons hands the slots
	 * back to xenstored (a release fence orders loads before stores). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&intf->rsp_cons, cons + (uint32_t)n, __ATOMIC_RELAXED);
	return (int)n;
}

int xs_wire_ring_discard(struct xenstore_domain_interface *intf)
{
	uint32_t cons = load_idx(&intf->rsp_cons);
	int used = ring_used(load_idx(&intf->rsp_prod), cons);

	if (used < 0)
		return used;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&intf->rsp_cons, cons + (uint32_t)used,
			 __ATOMIC_RELAXED);
	return used;
}

/* --- reassembling messages ------------------------------------------------ */

void xs_wire_reader_reset(struct xs_wire_reader *r)
{
	r->have = 0;
	memset(&r->hdr, 0, sizeof(r->hdr));
}

int xs_wire_reader_pull(struct xs_wire_reader *r,
			struct xenstore_domain_interface *intf)
{
	uint32_t need;
	int n;

	if (r->have < XS_WIRE_HDR_SIZE) {
		n = xs_wire_ring_read(intf, r->hdr_bytes + r->have,
				      XS_WIRE_HDR_SIZE - r->have);
		if (n < 0)
			return n;
		r->have += (uint32_t)n;
		if (r->have < XS_WIRE_HDR_SIZE)
			return 0;
		memcpy(&r->hdr, r->hdr_bytes, sizeof(r->hdr));
	}
	/* Checked on every call, not only when the header completes: a
	 * caller that ignores -EBADMSG must still not overflow body. */
	if (xs_wire_check_header(&r->hdr) < 0)
		return -EBADMSG;
	need = XS_WIRE_HDR_SIZE + r->hdr.len - r->have;
	if (need > 0) {
		n = xs_wire_ring_read(
			intf, r->body + (r->have - XS_WIRE_HDR_SIZE), need);
		if (n < 0)
			return n;
		r->have += (uint32_t)n;
		if ((uint32_t)n < need)
			return 0;
	}
	r->body[r->hdr.len] = '\0';
	return 1;
}

/* --- decoding replies ----------------------------------------------------- */

int xs_wire_check_header(const struct xsd_sockmsg *h)
{
	if (h->len > XENSTORE_PAYLOAD_MAX)
		return -EBADMSG;
	if (h->type >= XS_TYPE_COUNT || h->type == XS_RESTRICT_REMOVED)
		return -EBADMSG;
	return 0;
}

int xs_wire_reply_check(const struct xsd_sockmsg *h, const char *body,
			uint32_t type, uint32_t req_id)
{
	if (xs_wire_check_header(h) < 0 || h->req_id != req_id)
		return -EBADMSG;
	if (h->type == XS_ERROR)
		return xs_wire_error_errno(body, h->len);
	return h->type == type ? 0 : -EBADMSG;
}

int xs_wire_error_errno(const char *body, size_t len)
{
	size_t i;

	/* The string, with at most one NUL at the very end. */
	if (len > 0 && body[len - 1] == '\0')
		len--;
	if (len == 0 || memchr(body, '\0', len))
		return -EIO;
	for (i = 0; i < ARRAY_LEN(xsd_errors); i++) {
		if (strlen(xsd_errors[i].errstring) == len &&
		    memcmp(xsd_errors[i].errstring, body, len) == 0)
			return -xsd_errors[i].errnum;
	}
	return -EIO;
}

int xs_wire_read_value(const char *body, size_t len, char *buf, size_t size)
{
	if (len >= size)
		return -ERANGE;
	memcpy(buf, body, len);
	buf[len] = '\0';
	return 0;
}

int xs_wire_parse_uint(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;
	size_t i;

	if (len > 0 && s[len - 1] == '\0')
		len--;
	if (len == 0 || len > 20)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int xs_wire_parse_tx_id(const char *body, size_t len, uint32_t *tx_id)
{
	uint64_t v;

	if (len == 0 || body[len - 1] != '\0')
		return -EBADMSG;
	if (xs_wire_parse_uint(body, len, &v) < 0 || v == 0 || v > UINT32_MAX)
		return -EBADMSG;
	*tx_id = (uint32_t)v;
	return 0;
}

int xs_wire_dir_parse(const char *body, size_t len, size_t max,
		      xs_wire_dir_fn fn, void *arg)
{
	long n = count_entries(body, len);
	size_t off, elen;
	int rc;

	if (n < 0)
		return (int)n;
	if ((size_t)n > max)
		return -ERANGE;
	for (off = 0; fn && off < len; off += elen + 1) {
		elen = strlen(body + off); /* a NUL is there: counted above */
		rc = fn(arg, body + off, elen);
		if (rc != 0)
			return rc;
	}
	return (int)n;
}

int xs_wire_watch_event_parse(const char *body, size_t len, const char **path,
			      const char **token)
{
	if (count_entries(body, len) != 2)
		return -EBADMSG;
	*path = body;
	*token = body + strlen(body) + 1;
	return 0;
}

const char *xs_wire_type_name(uint32_t type)
{
	static const char *const names[XS_TYPE_COUNT] = {
		[XS_CONTROL] = "CONTROL",
		[XS_DIRECTORY] = "DIRECTORY",
		[XS_READ] = "READ",
		[XS_GET_PERMS] = "GET_PERMS",
		[XS_WATCH] = "WATCH",
		[XS_UNWATCH] = "UNWATCH",
		[XS_TRANSACTION_START] = "TRANSACTION_START",
		[XS_TRANSACTION_END] = "TRANSACTION_END",
		[XS_INTRODUCE] = "INTRODUCE",
		[XS_RELEASE] = "RELEASE",
		[XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
		[XS_WRITE] = "WRITE",
		[XS_MKDIR] = "MKDIR",
		[XS_RM] = "RM",
		[XS_SET_PERMS] = "SET_PERMS",
		[XS_WATCH_EVENT] = "WATCH_EVENT",
		[XS_ERROR] = "ERROR",
		[XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
		[XS_RESUME] = "RESUME",
		[XS_SET_TARGET] = "SET_TARGET",
		[XS_RESET_WATCHES] = "RESET_WATCHES",
		[XS_DIRECTORY_PART] = "DIRECTORY_PART",
	};

	return type < XS_TYPE_COUNT && names[type] ? names[type] : "?";
}
