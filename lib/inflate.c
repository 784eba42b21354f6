/*
 * DEFLATE (RFC 1951) and gzip (RFC 1952) decoding (lib/inflate.h).
 * Huffman codes of up to FAST_BITS bits (nearly all of them in practice)
 * are decoded by one lookup of the next input bits; longer ones, and any
 * code near the end of the input, a bit at a time against the canonical
 * code (count of codes per length, symbols in code order), which is
 * simple enough to make every bound easy to check.
 *
 * Every read of the input goes through bits(), which stops at the end
 * with ENODATA; every write and back-reference is checked against the
 * output's size and what has been written so far.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/inflate.h"

#define MAX_BITS 15    /* longest Huffman code */
#define MAX_LITLEN 286 /* literal/length symbols in use */
#define MAX_DIST 30    /* distance symbols in use */
#define MAX_CODES (MAX_LITLEN + MAX_DIST)
#define END_OF_BLOCK 256

/* Codes up to FAST_BITS long are decoded with one table lookup. */
#define FAST_BITS 9
#define FAST_LEN_SHIFT 12 /* fast[] entry: length << 12 | symbol; 0: none */

struct huffman {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t symbol[MAX_LITLEN + 2];
	uint16_t fast[1u << FAST_BITS]; /* by the next FAST_BITS input bits */
};

struct inflater {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint32_t bitbuf; /* bits not used yet, lowest first */
	unsigned bitcnt;
	uint8_t *out;
	size_t out_size, out_pos;
	const char *why;
};

/* --- input --------------------------------------------------------------- */

/* The next n (<= 16) bits, or -1 at the end of the input. */
static int bits(struct inflater *s, unsigned n)
{
	uint32_t v;

	while (s->bitcnt < n) {
		if (s->in_pos == s->in_len)
			return -1;
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	v = s->bitbuf & ((1u << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return (int)v;
}

static int fail(struct inflater *s, const char *why)
{
	s->why = why;
	return -EINVAL;
}

/* --- Huffman codes ------------------------------------------------------- */

/* Build h from n code lengths. Over-subscribed sets are refused;
 * incomplete ones are allowed (RFC 1951 permits a single distance code),
 * and a code that is not assigned fails when decoded. */
/* The fast table: each short code's canonical value (RFC 1951 3.2.2),
 * bit-reversed because the stream sends Huffman codes most significant
 * bit first inside LSB-first bytes, fills every slot whose low bits it
 * matches. */
static void build_fast(struct huffman *h, const uint8_t *lengths, unsigned n)
{
	uint16_t next[MAX_BITS + 1];
	unsigned code = 0;

	memset(h->fast, 0, sizeof(h->fast));
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		code = (code + (len > 1 ? h->count[len - 1] : 0)) << 1;
		next[len] = (uint16_t)code;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned len = lengths[i], c, rev = 0;

		if (!len)
			continue;
		c = next[len]++;
		if (len > FAST_BITS)
			continue;
		for (unsigned b = 0; b < len; b++)
			rev |= ((c >> b) & 1u) << (len - 1 - b);
		for (unsigned j = rev; j < (1u << FAST_BITS); j += 1u << len)
			h->fast[j] = (uint16_t)(len << FAST_LEN_SHIFT | i);
	}
}

static int build(struct huffman *h, const uint8_t *lengths, unsigned n)
{
	uint16_t offs[MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[lengths[i]]++;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (unsigned len = 1; len < MAX_BITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = (uint16_t)i;
	build_fast(h, lengths, n);
	return 0;
}

/* One symbol: the canonical code is read a bit at a time, most
 * significant first; codes of one length are consecutive numbers starting
 * at first. -ENODATA at the end of input, -EINVAL for no such code. */
static int decode(struct inflater *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;

	/* Whole bytes may wait in bitbuf: stored() and the end of the data
	 * give them back to the input. */
	while (s->bitcnt <= 24 && s->in_pos < s->in_len) {
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	if (s->bitcnt >= FAST_BITS) {
		uint16_t e = h->fast[s->bitbuf & ((1u << FAST_BITS) - 1)];

		if (e) {
			s->bitbuf >>= e >> FAST_LEN_SHIFT;
			s->bitcnt -= e >> FAST_LEN_SHIFT;
			return e & ((1u << FAST_LEN_SHIFT) - 1);
		}
	}
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		int b = bits(s, 1);

		if (b < 0)
			return -ENODATA;
		code |= b;
		if (code - first < h->count[len])
			return h->symbol[index + code - first];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	return fail(s, "invalid Huffman code");
}

/* --- blocks ---------------------------------------------------------------
 */

static const uint16_t len_base[29] = { 3,   4,	 5,   6,   7,  8,  9,  10,
				       11,  13,	 15,  17,  19, 23, 27, 31,
				       35,  43,	 51,  59,  67, 83, 99, 115,
				       131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
				       1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
				       4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1,    2,    3,	  4,	 5,	7,
					9,    13,   17,	  25,	 33,	49,
					65,   97,   129,  193,	 257,	385,
					513,  769,  1025, 1537,	 2049,	3073,
					4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
					4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
					9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int put_byte(struct inflater *s, uint8_t b)
{
	if (s->out_pos == s->out_size)
		return -ENOBUFS;
	s->out[s->out_pos++] = b;
	return 0;
}

/* A length/distance pair from symbol sym (257..285). */
static int copy_match(struct inflater *s, int sym, const struct huffman *dist)
{
	int extra, dsym;
	size_t len, back;

	sym -= 257;
	if (sym >= 29)
		return fail(s, "invalid length symbol");
	extra = bits(s, len_extra[sym]);
	if (extra < 0)
		return -ENODATA;
	len = len_base[sym] + (size_t)extra;
	dsym = decode(s, dist);
	if (dsym < 0)
		return dsym;
	if (dsym >= MAX_DIST)
		return fail(s, "invalid distance symbol");
	extra = bits(s, dist_extra[dsym]);
	if (extra < 0)
		return -ENODATA;
	back = dist_base[dsym] + (size_t)extra;
	if (back > s->out_pos)
		return fail(s, "distance before the start of the output");
	if (len > s->out_size - s->out_pos)
		return -ENOBUFS;
	/* Byte by byte: source and destination may overlap (a run). */
	for (size_t i = 0; i < len; i++, s->out_pos++)
		s->out[s->out_pos] = s->out[s->out_pos - back];
	return 0;
}

static int codes(struct inflater *s, const struct huffman *lit,
		 const struct huffman *dist)
{
	for (;;) {
		int sym = decode(s, lit), rc;

		if (sym < 0)
			return sym;
		if (sym == END_OF_BLOCK)
			return 0;
		rc = sym < 256 ? put_byte(s, (uint8_t)sym)
			       : copy_match(s, sym, dist);
		if (rc)
			return rc;
	}
}

static int stored(struct inflater *s)
{
	size_t len, nlen;

	/* To the byte boundary; whole bytes read ahead go back. */
	s->in_pos -= s->bitcnt / 8;
	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4)
		return -ENODATA;
	len = s->in[s->in_pos] | (size_t)s->in[s->in_pos + 1] << 8;
	nlen = s->in[s->in_pos + 2] | (size_t)s->in[s->in_pos + 3] << 8;
	if ((len ^ 0xffff) != nlen)
		return fail(s, "stored block length check failed");
	s->in_pos += 4;
	if (s->in_len - s->in_pos < len)
		return -ENODATA;
	if (s->out_size - s->out_pos < len)
		return -ENOBUFS;
	memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
	s->in_pos += len;
	s->out_pos += len;
	return 0;
}

static int fixed(struct inflater *s)
{
	static struct huffman lit, dist;
	static bool built;
	uint8_t lengths[MAX_LITLEN + 2];

	if (!built) {
		/* RFC 1951 3.2.6; 286 and 287 take part in the code but
		 * never appear in valid data. */
		memset(lengths, 8, 144);
		memset(lengths + 144, 9, 112);
		memset(lengths + 256, 7, 24);
		memset(lengths + 280, 8, 8);
		(void)build(&lit, lengths, MAX_LITLEN + 2); /* complete */
		memset(lengths, 5, MAX_DIST + 2);
		(void)build(&dist, lengths, MAX_DIST + 2); /* complete */
		built = true;
	}
	return codes(s, &lit, &dist);
}

/* The code lengths of a dynamic block, through the code-length code. */
static int read_lengths(struct inflater *s, uint8_t *lengths, unsigned n)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };
	uint8_t cl[19] = { 0 };
	struct huffman h;
	int ncl = bits(s, 4);

	if (ncl < 0)
		return -ENODATA;
	for (int i = 0; i < ncl + 4; i++) {
		int v = bits(s, 3);

		if (v < 0)
			return -ENODATA;
		cl[order[i]] = (uint8_t)v;
	}
	if (build(&h, cl, 19))
		return fail(s, "bad code-length code");
	for (unsigned i = 0; i < n;) {
		int sym = decode(s, &h), rep, v = 0;

		if (sym < 0)
			return sym;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16 && i == 0)
			return fail(s, "length repeat with nothing before");
		if (sym == 16)
			v = lengths[i - 1];
		rep = sym == 16	  ? bits(s, 2)
		      : sym == 17 ? bits(s, 3)
				  : bits(s, 7);
		if (rep < 0)
			return -ENODATA;
		rep += sym == 18 ? 11 : 3;
		if ((unsigned)rep > n - i)
			return fail(s, "code lengths overrun");
		memset(lengths + i, v, (size_t)rep);
		i += (unsigned)rep;
	}
	return 0;
}

static int dynamic(struct inflater *s)
{
	uint8_t lengths[MAX_CODES];
	struct huffman lit, dist;
	int nlit = bits(s, 5), ndist = bits(s, 5), rc;

	if (nlit < 0 || ndist < 0)
		return -ENODATA;
	nlit += 257;
	ndist += 1;
	if (nlit > MAX_LITLEN || ndist > MAX_DIST)
		return fail(s, "too many length or distance codes");
	rc = read_lengths(s, lengths, (unsigned)(nlit + ndist));
	if (rc)
		return rc;
	if (lengths[END_OF_BLOCK] == 0)
		return fail(s, "no end-of-block code");
	if (build(&lit, lengths, (unsigned)nlit) ||
	    build(&dist, lengths + nlit, (unsigned)ndist))
		return fail(s, "over-subscribed Huffman code");
	return codes(s, &lit, &dist);
}

int inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
		size_t *out_len, size_t *in_used, const char **why)
{
	struct inflater s = {
		.in = in, .in_len = in_len, .out = out, .out_size = out_size
	};
	int last = 0, rc = 0;

	while (!last && rc == 0) {
		int type;

		last = bits(&s, 1);
		type = bits(&s, 2);
		if (last < 0 || type < 0)
			rc = -ENODATA;
		else if (type == 0)
			rc = stored(&s);
		else if (type == 1)
			rc = fixed(&s);
		else if (type == 2)
			rc = dynamic(&s);
		else
			rc = fail(&s, "reserved block type");
	}
	*out_len = s.out_pos;
	*in_used = s.in_pos - s.bitcnt / 8;
	*why = rc == -ENODATA	? "truncated"
	       : rc == -ENOBUFS ? "output too large"
				: s.why;
	return rc;
}

/* --- gzip ---------------------------------------------------------------- */

uint32_t inflate_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xe0

/* Skip a zero-terminated string from *pos: false if it runs off the end. */
static bool skip_string(const uint8_t *in, size_t len, size_t *pos)
{
	const uint8_t *end = memchr(in + *pos, 0, len - *pos);

	if (!end)
		return false;
	*pos = (size_t)(end - in) + 1;
	return true;
}

/* The header's length, or a negative errno. */
static long gzip_header(const uint8_t *in, size_t len, const char **why)
{
	size_t pos = 10;
	uint8_t flg;

	*why = "truncated header";
	if (len < 10)
		return -ENODATA;
	*why = "not gzip (bad magic or method)";
	if (in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return -EINVAL;
	flg = in[3];
	*why = "reserved header flags set";
	if (flg & GZ_RESERVED)
		return -EINVAL;
	*why = "truncated header";
	if (flg & GZ_FEXTRA) {
		if (len - pos < 2 ||
		    len - pos - 2 < (size_t)(in[pos] | in[pos + 1] << 8))
			return -ENODATA;
		pos += 2 + (size_t)(in[pos] | in[pos + 1] << 8);
	}
	if ((flg & GZ_FNAME) && !skip_string(in, len, &pos))
		return -ENODATA;
	if ((flg & GZ_FCOMMENT) && !skip_string(in, len, &pos))
		return -ENODATA;
	if (flg & GZ_FHCRC) {
		if (len - pos < 2)
			return -ENODATA;
		pos += 2;
	}
	return (long)pos;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* DEFLATE expands at most about 1032 to 1: a size hint above that is a
 * lie, and is not allowed to make us allocate. */
#define MAX_RATIO 1032

/* Inflate into a buffer of hint bytes, doubled until the data fits or
 * max_out. */
static int inflate_grow(const uint8_t *in, size_t in_len, size_t hint,
			size_t max_out, uint8_t **out, size_t *out_len,
			size_t *used, const char **why)
{
	size_t size = hint;
	uint8_t *buf = NULL;
	int rc;

	if (size == 0 || size / MAX_RATIO > in_len)
		size = in_len * 4 + 4096;
	for (;;) {
		uint8_t *bigger;

		if (size > max_out)
			size = max_out;
		bigger = realloc(buf, size ? size : 1);
		if (!bigger) {
			free(buf);
			return -ENOMEM;
		}
		buf = bigger;
		rc = inflate_raw(in, in_len, buf, size, out_len, used, why);
		if (rc != -ENOBUFS)
			break;
		if (size == max_out) {
			*why = "larger than the limit";
			rc = -EFBIG;
			break;
		}
		size = size > max_out / 2 ? max_out : size * 2;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

int inflate_gzip(const void *in, size_t in_len, size_t max_out, uint8_t **out,
		 size_t *out_len, const char **why)
{
	const uint8_t *p = in;
	long hdr = gzip_header(p, in_len, why);
	size_t used;
	int rc;

	if (hdr < 0)
		return (int)hdr;
	/* The trailer's length (mod 2^32) is the size to expect. */
	rc = inflate_grow(p + hdr, in_len - (size_t)hdr,
			  in_len >= 18 ? le32(p + in_len - 4) : 0, max_out, out,
			  out_len, &used, why);
	if (rc)
		return rc;
	p += (size_t)hdr + used;
	rc = -ENODATA;
	*why = "truncated trailer";
	if (in_len - (size_t)hdr - used >= 8) {
		rc = -EINVAL;
		*why = "CRC-32 mismatch";
		if (le32(p) == inflate_crc32(0, *out, *out_len)) {
			*why = "length mismatch";
			if (le32(p + 4) == (uint32_t)*out_len)
				rc = 0;
		}
	}
	/* A second member (cat a.gz b.gz) would be dropped silently if we
	 * stopped here: refuse it. Zero padding after the trailer is fine. */
	if (rc == 0 && !all_zero(p + 8, in_len - (size_t)hdr - used - 8)) {
		rc = -EINVAL;
		*why = "data after the gzip member (several members are not "
		       "supported)";
	}
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
