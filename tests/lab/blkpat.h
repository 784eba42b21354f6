/*
 * The storage lab tests' data pattern, shared by the dom0 tool
 * (tests/lab/blkpat.c) and the Skiff app (tests/lab/blkcheck/): every
 * 8-byte word of a disk holds a value made from a seed and the word's own
 * byte offset, so a check finds not only wrong bytes but sectors read
 * from or written to the wrong place. Plain C, no dependencies.
 */
#ifndef TESTS_LAB_BLKPAT_H
#define TESTS_LAB_BLKPAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* splitmix64's finaliser: every input bit reaches every output bit. */
static inline uint64_t blkpat_word(uint64_t seed, uint64_t offset)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ull + (offset >> 3) + 1;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Fill len bytes that sit at disk offset `offset` (both multiples of 8). */
static inline void blkpat_fill(void *buf, uint64_t seed, uint64_t offset,
			       size_t len)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t w = blkpat_word(seed, offset + i);

		memcpy(p + i, &w, 8);
	}
}

/* The disk offset of the first word that differs, or -1 if all match. */
static inline int64_t blkpat_find_bad(const void *buf, uint64_t seed,
				      uint64_t offset, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t w = blkpat_word(seed, offset + i);

		if (memcmp(p + i, &w, 8) != 0)
			return (int64_t)(offset + i);
	}
	return -1;
}

#endif
