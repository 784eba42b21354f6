/*
 * Decompression of DEFLATE data (RFC 1951) in its gzip wrapper (RFC 1952),
 * for gzip-compressed ramdisks (newlib has no zlib). Pure and host-tested,
 * corrupt and truncated inputs included (tests/unit/test_inflate.c): any
 * input gives an output or an error, never a read or write out of
 * bounds.
 */
#ifndef SKIFF_LIB_INFLATE_H
#define SKIFF_LIB_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Inflate raw DEFLATE data in[0..in_len) into out (size out_size).
 * Returns 0 with *out_len and *in_used set, or:
 * -EINVAL: malformed data (*why says what, for a log line);
 * -ENOBUFS: the output does not fit in out_size (*out_len bytes done);
 * -ENODATA: the input ends before the last block does.
 */
int inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
		size_t *out_len, size_t *in_used, const char **why);

/*
 * Decompress one gzip member (header checked, CRC-32 and length trailer
 * verified) into a buffer from malloc of at most max_out bytes, owned by
 * the caller: 0 with *out and *out_len, or -EINVAL (bad header, data or
 * check value; *why), -ENODATA (truncated), -EFBIG (more than max_out),
 * -ENOMEM.
 */
int inflate_gzip(const void *in, size_t in_len, size_t max_out, uint8_t **out,
		 size_t *out_len, const char **why);

/* CRC-32 (the gzip/zlib one) of len bytes, continuing from crc (0 to
 * start). */
uint32_t inflate_crc32(uint32_t crc, const void *buf, size_t len);

#endif
