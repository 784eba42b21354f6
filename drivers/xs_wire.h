/*
 * The xenstore wire protocol as pure functions: encoding requests, copying
 * bytes through the shared ring page, reassembling and validating replies,
 * and decoding their payloads (<xen/io/xs_wire.h>, docs/misc/xenstore.txt
 * and xenstore-ring.txt in the Xen tree).
 *
 * Nothing here blocks, allocates, logs or knows about threads or event
 * channels: drivers/xenstore.c owns all of that. This file is compiled
 * both into the kernel and into the host unit tests.
 *
 * Everything that comes from the other side (ring indexes, headers,
 * payloads) is treated as hostile: each function checks bounds before it
 * reads, and payloads are passed as (pointer, length) and never assumed
 * NUL-terminated. Error codes used throughout:
 *   -EBADMSG  the other side broke the protocol (bad header, malformed
 *             payload, wrong reply type or request id)
 *   -EIO      the ring indexes are impossible (the stream is lost)
 *   -EINVAL   our caller passed a malformed request
 *   -E2BIG    a request payload would exceed XENSTORE_PAYLOAD_MAX
 *   -ERANGE   a caller's buffer is too small
 */
#ifndef DRIVERS_XS_WIRE_H
#define DRIVERS_XS_WIRE_H

/* <errno.h> first: Xen's header only defines its xsd_errors table when
 * EINVAL is known, and it uses uint32_t without including <stdint.h>. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#define XS_WIRE_HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))
#define XS_WIRE_MSG_MAX (XS_WIRE_HDR_SIZE + XENSTORE_PAYLOAD_MAX)

/* Most strings one request may carry (SET_PERMS: the path plus perms). */
#define XS_WIRE_STRS_MAX 64

/* --- requests ------------------------------------------------------------ */

/*
 * One request: each of strs[0..nstrs) is sent followed by its NUL, then,
 * for XS_WRITE only, data_len raw bytes without a NUL (the value).
 * Shapes accepted (anything else is -EINVAL):
 *   READ, DIRECTORY, GET_PERMS, MKDIR, RM   path
 *   WRITE                                   path, data
 *   WATCH, UNWATCH                          path, token (non-empty)
 *   TRANSACTION_START, RESET_WATCHES        ""
 *   TRANSACTION_END                         "T" (commit) or "F" (abort)
 *   GET_DOMAIN_PATH                         domid (decimal)
 *   SET_PERMS                               path, one or more "n0"-style
 *                                           perms (xs_wire_perm_parse)
 * Paths are non-empty and at most XENSTORE_ABS_PATH_MAX bytes.
 */
struct xs_wire_req {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	const char *const *strs;
	size_t nstrs;
	const void *data;
	size_t data_len;
};

/* Encode req (header and payload) into buf. Returns 0 and the message's
 * length in *len, -EINVAL for a malformed request, -E2BIG when the payload
 * exceeds XENSTORE_PAYLOAD_MAX, -ERANGE when buf is too small. buf is
 * untouched on failure. */
int xs_wire_encode(const struct xs_wire_req *req, void *buf, size_t size,
		   size_t *len);

/* --- permissions ------------------------------------------------------- */

/* Access letters of a permission entry (docs/misc/xenstore.txt). */
#define XS_WIRE_PERM_NONE 'n'
#define XS_WIRE_PERM_READ 'r'
#define XS_WIRE_PERM_WRITE 'w'
#define XS_WIRE_PERM_BOTH 'b'

/* "b65535" plus its NUL. */
#define XS_WIRE_PERM_STR_MAX 7

struct xs_wire_perm {
	char access; /* XS_WIRE_PERM_* */
	uint16_t domid;
};

/* Parse one entry such as "r1" from s[0..len) (no NUL inside): a known
 * access letter then 1 to 5 decimal digits, at most 65535. 0 or
 * -EBADMSG. */
int xs_wire_perm_parse(const char *s, size_t len, struct xs_wire_perm *p);

/* Write p as "r1" plus NUL. 0, -EINVAL for an unknown access letter,
 * -ERANGE when size is too small. */
int xs_wire_perm_format(const struct xs_wire_perm *p, char *buf, size_t size);

/* --- the shared ring ------------------------------------------------------ */

/* Free bytes in req[] (0..XENSTORE_RING_SIZE), or -EIO when the indexes
 * are more than a ring apart. */
int xs_wire_req_space(const struct xenstore_domain_interface *intf);

/* Unread bytes in rsp[], or -EIO as above. */
int xs_wire_rsp_avail(const struct xenstore_domain_interface *intf);

/* Copy up to len bytes of src into req[] (wrapping) and publish them by
 * advancing req_prod. Returns the bytes copied (0 when the ring is full),
 * or -EIO for impossible indexes (nothing is written then). The caller
 * notifies the other end. */
int xs_wire_ring_write(struct xenstore_domain_interface *intf, const void *src,
		       size_t len);

/* Copy up to len bytes out of rsp[] and consume them by advancing
 * rsp_cons. Returns the bytes copied (0 when empty), or -EIO. */
int xs_wire_ring_read(struct xenstore_domain_interface *intf, void *dst,
		      size_t len);

/* Consume every unread byte of rsp[] (after a corrupt header, to try to
 * find the next message boundary). Returns the bytes dropped, or -EIO. */
int xs_wire_ring_discard(struct xenstore_domain_interface *intf);

/* --- reassembling messages ------------------------------------------------ */

/* One message being read from rsp[]; body holds hdr.len bytes plus a NUL
 * added by us (for logging only: decoders never rely on it). */
struct xs_wire_reader {
	uint32_t have; /* bytes of the current message received so far */
	uint8_t hdr_bytes[sizeof(struct xsd_sockmsg)];
	struct xsd_sockmsg hdr; /* valid once have >= XS_WIRE_HDR_SIZE */
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

void xs_wire_reader_reset(struct xs_wire_reader *r);

/* Read what is available of the current message. Returns 1 when r holds a
 * complete, header-checked message (call xs_wire_reader_reset() before
 * the next one), 0 when rsp[] ran dry first, -EBADMSG when the header is
 * invalid (the stream's framing is lost: reset, and resynchronise), -EIO
 * for impossible indexes. Never reads past one message. */
int xs_wire_reader_pull(struct xs_wire_reader *r,
			struct xenstore_domain_interface *intf);

/* --- decoding replies ----------------------------------------------------- */

/* 0 when h->len <= XENSTORE_PAYLOAD_MAX and h->type is a known type,
 * else -EBADMSG. */
int xs_wire_check_header(const struct xsd_sockmsg *h);

/* Check that (h, body) answers request (type, req_id): -EBADMSG for a bad
 * header, another request id or another type; the translated errno for an
 * XS_ERROR reply; 0 when it is the expected reply. */
int xs_wire_reply_check(const struct xsd_sockmsg *h, const char *body,
			uint32_t type, uint32_t req_id);

/* The negative errno for an XS_ERROR payload ("ENOENT" with or without
 * its NUL), through Xen's xsd_errors table; -EIO for an unknown or
 * malformed string. */
int xs_wire_error_errno(const char *body, size_t len);

/* Copy a READ reply's value into buf and NUL-terminate it. 0, or -ERANGE
 * when len + 1 > size (buf untouched). A value may contain NUL bytes. */
int xs_wire_read_value(const char *body, size_t len, char *buf, size_t size);

/* Strict unsigned decimal in s[0..len): 1 to 20 digits, no sign, no
 * spaces, no overflow; one trailing NUL is allowed. 0 or -EINVAL. */
int xs_wire_parse_uint(const char *s, size_t len, uint64_t *out);

/* The transaction id of a TRANSACTION_START reply (decimal, NUL-ended,
 * 1..UINT32_MAX). 0 or -EBADMSG. */
int xs_wire_parse_tx_id(const char *body, size_t len, uint32_t *tx_id);

/* Called once per directory entry; a non-zero return stops the walk and
 * is returned by xs_wire_dir_parse(). */
typedef int (*xs_wire_dir_fn)(void *arg, const char *name, size_t len);

/*
 * Walk a DIRECTORY reply: names each ended by a NUL, none empty, nothing
 * after the last NUL (an empty payload is an empty directory). The whole
 * reply is validated before fn is called at all (fn may be NULL to only
 * count). Returns the number of entries, -EBADMSG, -ERANGE when there are
 * more than max, or fn's non-zero result.
 */
int xs_wire_dir_parse(const char *body, size_t len, size_t max,
		      xs_wire_dir_fn fn, void *arg);

/* Split a WATCH_EVENT payload "path\0token\0" (both non-empty, nothing
 * after). 0 with pointers into body, or -EBADMSG. */
int xs_wire_watch_event_parse(const char *body, size_t len, const char **path,
			      const char **token);

/* A short name for a message type ("READ"), "?" when unknown: logs. */
const char *xs_wire_type_name(uint32_t type);

#endif
