/*
 * Blkfront's protocol rules (see blkif_check.h). Everything the backend
 * wrote arrives here as a private copy, so each field is read once and
 * checked before it is used; nothing here can make the driver complete a
 * request the backend was not answering.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "drivers/blkif_check.h"

_Static_assert(BLKIF_SEGS_PER_INDIRECT_PAGE == 512,
	       "8-byte segment descriptors in a 4 KiB page");
_Static_assert(BLKIF_SECTORS_PER_PAGE - 1 <= UINT8_MAX, "last_sect is a byte");

static const char *const verdict_names[BLKIF_V_COUNT] = {
	[BLKIF_V_OKAY] = "okay",
	[BLKIF_V_ERROR] = "error",
	[BLKIF_V_NOTSUPP] = "not-supported",
	[BLKIF_V_BAD_STATUS] = "bad-status",
	[BLKIF_V_BAD_ID] = "bad-id",
	[BLKIF_V_NOT_IN_FLIGHT] = "not-in-flight",
	[BLKIF_V_BAD_OP] = "bad-op",
};

const char *blkif_verdict_name(unsigned v)
{
	return v < BLKIF_V_COUNT ? verdict_names[v] : "?";
}

int blkif_verdict_errno(enum blkif_verdict v)
{
	switch (v) {
	case BLKIF_V_OKAY:
		return 0;
	case BLKIF_V_NOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

enum blkif_verdict blkif_rsp_check(const struct blkif_response *rsp,
				   const struct blkif_sent *sent, unsigned nids)
{
	if (rsp->id >= nids)
		return BLKIF_V_BAD_ID;
	if (!sent[rsp->id].in_flight)
		return BLKIF_V_NOT_IN_FLIGHT;
	if (rsp->operation != sent[rsp->id].op)
		return BLKIF_V_BAD_OP;
	switch (rsp->status) {
	case BLKIF_RSP_OKAY:
		return BLKIF_V_OKAY;
	case BLKIF_RSP_ERROR:
		return BLKIF_V_ERROR;
	case BLKIF_RSP_EOPNOTSUPP:
		return BLKIF_V_NOTSUPP;
	default:
		return BLKIF_V_BAD_STATUS;
	}
}

bool blkif_ring_rsp_prod_ok(RING_IDX rsp_prod, RING_IDX rsp_cons,
			    RING_IDX req_prod)
{
	/* Unsigned differences: correct across the 2^32 wrap. */
	return (RING_IDX)(rsp_prod - rsp_cons) <=
	       (RING_IDX)(req_prod - rsp_cons);
}

void blkif_seg_sects(size_t len, unsigned seg, uint8_t *first, uint8_t *last)
{
	size_t start = (size_t)seg * BLKIF_PAGE_SIZE;
	size_t here = len - start;

	if (here > BLKIF_PAGE_SIZE)
		here = BLKIF_PAGE_SIZE;
	*first = 0;
	*last = (uint8_t)(here / BLKIF_SECTOR - 1);
}

unsigned blkif_max_segs(uint64_t backend_max_indirect, unsigned ours)
{
	uint64_t n = backend_max_indirect;
	uint64_t cap = (uint64_t)BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST *
		       BLKIF_SEGS_PER_INDIRECT_PAGE;

	if (n > ours)
		n = ours;
	if (n > cap)
		n = cap;
	if (n < BLKIF_MAX_SEGMENTS_PER_REQUEST)
		n = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	return (unsigned)n;
}

bool blkif_continues(const struct blkif_extent *a, const struct blkif_extent *b,
		     unsigned nsegs, unsigned max_segs)
{
	if (a->op != BLKIF_OP_READ && a->op != BLKIF_OP_WRITE)
		return false;
	if (b->op != a->op || a->len % BLKIF_PAGE_SIZE != 0)
		return false;
	/* a's end cannot wrap: a->len is bounded by what fits in memory. */
	if (b->sector != a->sector + a->len / BLKIF_SECTOR)
		return false;
	return nsegs <= max_segs && blkif_segs_for(b->len) <= max_segs - nsegs;
}

/* --- xenstore values ------------------------------------------------------ */

/* The Linux major numbers of vbd-interface.txt's encodings. */
enum {
	MAJOR_IDE0 = 3,
	MAJOR_SCSI0 = 8,
	MAJOR_IDE1 = 22,
	MAJOR_XVD = 202,
};

#define VDEV_EXTENDED (1u << 28)

int blkif_vdev_decode(uint64_t vdev, unsigned *disk, unsigned *part)
{
	unsigned major, minor;

	if (vdev >= (2u << 28))
		return -EINVAL; /* reserved for future use */
	if (vdev & VDEV_EXTENDED) {
		*disk = (unsigned)((vdev >> 8) & 0xfffff);
		*part = (unsigned)(vdev & 0xff);
		return 0;
	}
	if (vdev > 0xffff)
		return -EINVAL;
	major = (unsigned)(vdev >> 8);
	minor = (unsigned)(vdev & 0xff);
	switch (major) {
	case MAJOR_XVD:
	case MAJOR_SCSI0:
		*disk = minor >> 4;
		*part = minor & 15;
		return 0;
	case MAJOR_IDE0:
	case MAJOR_IDE1:
		*disk = (minor >> 6) + (major == MAJOR_IDE1 ? 2 : 0);
		*part = minor & 63;
		return 0;
	default:
		return -EINVAL; /* deprecated or reserved */
	}
}

int blkif_disk_name(unsigned disk, unsigned part, char *out, size_t size)
{
	/* A 32-bit disk number is at most 7 letters (26^7 > 2^32), a
	 * partition at most 10 digits: "xvd" + 7 + 10 fits tmp. */
	char letters[8], tmp[24];
	size_t n = 0, len;
	unsigned i = disk;

	/* Bijective base 26, as Linux's block layer names disks: a..z,
	 * then aa..zz, then aaa.... */
	do {
		letters[n++] = (char)('a' + i % 26);
		i = i / 26;
	} while (i-- > 0 && n < sizeof(letters));
	memcpy(tmp, "xvd", 3);
	for (len = 3; n > 0;)
		tmp[len++] = letters[--n];
	if (part != 0) {
		char digits[12];
		size_t d = 0;

		do {
			digits[d++] = (char)('0' + part % 10);
			part /= 10;
		} while (part != 0);
		while (d > 0)
			tmp[len++] = digits[--d];
	}
	if (len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(out, tmp, len);
	out[len] = '\0';
	return 0;
}

bool blkif_sector_size_ok(uint64_t size)
{
	return size >= BLKIF_SECTOR && size <= BLKIF_PAGE_SIZE &&
	       (size & (size - 1)) == 0;
}
