/*
 * The blkfront protocol rules as pure functions (<xen/io/blkif.h>): every
 * response the backend writes on the ring is checked here before the
 * driver uses any field of it, the ring's response producer is checked
 * before any slot is read, and the xenstore values that name and size a
 * disk are decoded here.
 *
 * Nothing here blocks, allocates, logs, or touches a ring page: the
 * driver (drivers/blkfront_data.c) copies each response out of shared
 * memory once and hands the copy in. This file is compiled both into the
 * kernel and into the host unit tests (tests/unit/test_blkif_check.c).
 *
 * Units. Linux's blkback, the backend we serve, counts sector_number,
 * first_sect/last_sect and the "sectors" node in 512-byte units whatever
 * the disk's "sector-size" (which then only says how requests must be
 * aligned), and it never reads "feature-large-sector-size". We follow
 * blkback: BLKIF_SECTOR is the protocol's unit, the logical sector size
 * an alignment rule on top.
 */
#ifndef DRIVERS_BLKIF_CHECK_H
#define DRIVERS_BLKIF_CHECK_H

/* <stdint.h> first: Xen's headers use the fixed-width types without
 * including it. ring.h also wants memset declared (SHARED_RING_INIT). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/grant_table.h>
#include <xen/io/blkif.h>

/* Ring and data pages are Xen pages, whatever the guest's own page size. */
#define BLKIF_PAGE_SIZE 4096u
#define BLKIF_SECTOR 512u
#define BLKIF_SECTORS_PER_PAGE (BLKIF_PAGE_SIZE / BLKIF_SECTOR)
/* Requests on a ring of 2^order pages. */
#define BLKIF_RING_SIZE(order) \
	__CONST_RING_SIZE(blkif, BLKIF_PAGE_SIZE << (order))
/* Segment descriptors in one indirect page. */
#define BLKIF_SEGS_PER_INDIRECT_PAGE \
	(BLKIF_PAGE_SIZE / sizeof(struct blkif_request_segment))

/* What the driver remembers about one request id while it is out. */
struct blkif_sent {
	bool in_flight;
	/* The operation the response must echo: for an indirect request,
	 * the operation inside it (blkback answers with that one). */
	uint8_t op;
};

enum blkif_verdict {
	BLKIF_V_OKAY,	       /* done: release the id, success */
	BLKIF_V_ERROR,	       /* BLKIF_RSP_ERROR: release, -EIO */
	BLKIF_V_NOTSUPP,       /* BLKIF_RSP_EOPNOTSUPP: release, -EOPNOTSUPP */
	BLKIF_V_BAD_STATUS,    /* an unknown status on a request that is out:
				* the backend is done with it, so release, but
				* fail it (-EIO) and count the response as bad */
	BLKIF_V_BAD_ID,	       /* id >= nids: drop, count */
	BLKIF_V_NOT_IN_FLIGHT, /* duplicate or never sent: drop, count */
	BLKIF_V_BAD_OP,	       /* the id is out, but with another operation:
				* not an answer to it; drop, count */
	BLKIF_V_COUNT
};

/* A short name for logs and statistics ("bad-id"); "?" out of range. */
const char *blkif_verdict_name(unsigned v);

/* Does the verdict complete the request (hand its id back)? */
static inline bool blkif_verdict_releases(enum blkif_verdict v)
{
	return v == BLKIF_V_OKAY || v == BLKIF_V_ERROR ||
	       v == BLKIF_V_NOTSUPP || v == BLKIF_V_BAD_STATUS;
}

/* The request's result for a releasing verdict: 0 or negative errno. */
int blkif_verdict_errno(enum blkif_verdict v);

/*
 * Classify a response against the caller's ids 0..nids-1 and what it
 * sent under each. Reads only; the caller releases the id
 * (sent[id].in_flight = false) when blkif_verdict_releases() says so.
 */
enum blkif_verdict blkif_rsp_check(const struct blkif_response *rsp,
				   const struct blkif_sent *sent,
				   unsigned nids);

/*
 * May the backend publish rsp_prod, given what we consumed (rsp_cons)
 * and the requests we published (req_prod)? A backend can only answer
 * requests it was given; anything else means the ring is corrupt and
 * none of its slots can be trusted.
 */
bool blkif_ring_rsp_prod_ok(RING_IDX rsp_prod, RING_IDX rsp_cons,
			    RING_IDX req_prod);

/* --- requests ------------------------------------------------------------ */

/* Data pages (segments) for len bytes laid out from offset 0 of a page. */
static inline unsigned blkif_segs_for(size_t len)
{
	return (unsigned)((len + BLKIF_PAGE_SIZE - 1) / BLKIF_PAGE_SIZE);
}

/* Indirect pages a request of nsegs segments needs. */
static inline unsigned blkif_indirect_pages_for(unsigned nsegs)
{
	return (unsigned)((nsegs + BLKIF_SEGS_PER_INDIRECT_PAGE - 1) /
			  BLKIF_SEGS_PER_INDIRECT_PAGE);
}

/* Segment number `seg` of a request of len bytes (len a multiple of
 * BLKIF_SECTOR, laid out page after page from offset 0): its first and
 * last 512-byte sector in the page. */
void blkif_seg_sects(size_t len, unsigned seg, uint8_t *first, uint8_t *last);

/*
 * The most segments a request may carry, given the backend's
 * feature-max-indirect-segments (0: none) and our own limit: at least
 * BLKIF_MAX_SEGMENTS_PER_REQUEST (the direct format), at most what
 * BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST indirect pages can describe.
 */
unsigned blkif_max_segs(uint64_t backend_max_indirect, unsigned ours);

/* A request from above, as far as merging cares: its operation, where it
 * starts on the disk (512-byte units) and its length in bytes, laid out
 * from the start of its first page. */
struct blkif_extent {
	uint8_t op;
	uint64_t sector;
	uint64_t len;
};

/*
 * May b travel in the same ring request as a chain of nsegs segments
 * that ends with a, given max_segs segments per request? Only reads and
 * writes merge, with their own kind; b must start on the disk where a
 * ends, a must end on a page boundary (segments are whole pages from
 * offset 0 here) and b's segments must fit.
 */
bool blkif_continues(const struct blkif_extent *a, const struct blkif_extent *b,
		     unsigned nsegs, unsigned max_segs);

/* --- xenstore values ------------------------------------------------------ */

/*
 * Decode a "virtual-device" number (docs/misc/vbd-interface.txt in Xen):
 * the xvd, sd and hd encodings, and the extended xvd one. *disk is the
 * disk's index (0 for xvda, sda and hda), *part its partition (0: the
 * whole disk). Returns 0 or -EINVAL (a reserved or deprecated value).
 */
int blkif_vdev_decode(uint64_t vdev, unsigned *disk, unsigned *part);

/*
 * The name Linux gives that disk in a PV guest: "xvd" then the index as
 * letters (a..z, aa..zz, aaa...), then the partition number if any:
 * xvda, xvdb1, xvdaa. Returns 0, or -ENAMETOOLONG if it does not fit in
 * size bytes (with the NUL).
 */
int blkif_disk_name(unsigned disk, unsigned part, char *out, size_t size);

/* Is a "sector-size" value one we can use (a power of two from 512 to
 * BLKIF_PAGE_SIZE)? */
bool blkif_sector_size_ok(uint64_t size);

#endif
