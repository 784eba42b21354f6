/*
 * ChaCha20 and the generator on it (lib/csprng.h). Written from RFC 8439;
 * words are little-endian on the wire, which the byte loads and stores
 * below make explicit (they compile to plain moves on x86).
 */
#include <string.h>

#include "lib/csprng.h"

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

static void quarter(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 7);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_BYTES],
		    uint8_t out[CHACHA20_BLOCK_BYTES])
{
	/* "expand 32-byte k" */
	uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	uint32_t x[16];
	int i;

	for (i = 0; i < 8; i++)
		s[4 + i] = load32(key + 4 * i);
	s[12] = counter;
	for (i = 0; i < 3; i++)
		s[13 + i] = load32(nonce + 4 * i);
	memcpy(x, s, sizeof(x));
	for (i = 0; i < 10; i++) {
		quarter(x, 0, 4, 8, 12); /* columns */
		quarter(x, 1, 5, 9, 13);
		quarter(x, 2, 6, 10, 14);
		quarter(x, 3, 7, 11, 15);
		quarter(x, 0, 5, 10, 15); /* diagonals */
		quarter(x, 1, 6, 11, 12);
		quarter(x, 2, 7, 8, 13);
		quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		store32(out + 4 * i, x[i] + s[i]);
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_BYTES], const void *in,
		  void *out, size_t len)
{
	const uint8_t *src = in;
	uint8_t *dst = out, block[CHACHA20_BLOCK_BYTES];

	while (len) {
		size_t n = len < sizeof(block) ? len : sizeof(block);

		chacha20_block(key, counter++, nonce, block);
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i] ^ block[i];
		src += n;
		dst += n;
		len -= n;
	}
	memset(block, 0, sizeof(block));
}

/* The nonce of request number n: each request under one key uses its
 * own, so no keystream is ever produced twice. */
static void request_nonce(uint64_t n, uint8_t nonce[CHACHA20_NONCE_BYTES])
{
	memset(nonce, 0, CHACHA20_NONCE_BYTES);
	store32(nonce, (uint32_t)n);
	store32(nonce + 4, (uint32_t)(n >> 32));
}

/* Replace the key with the first half of block 0 of this request's
 * stream; output starts at block 1, so the new key is never output. */
static void rekey(struct csprng *g, const uint8_t nonce[])
{
	uint8_t block[CHACHA20_BLOCK_BYTES];

	chacha20_block(g->key, 0, nonce, block);
	memcpy(g->key, block, sizeof(g->key));
	memset(block, 0, sizeof(block));
}

void csprng_seed(struct csprng *g, const void *seed, size_t len)
{
	const uint8_t *p = seed;
	uint8_t nonce[CHACHA20_NONCE_BYTES];

	/* Each chunk is XORed into the key, then a one-way step (the key
	 * becomes keystream under itself) spreads it through all of it. */
	do {
		size_t n = len < sizeof(g->key) ? len : sizeof(g->key);

		for (size_t i = 0; i < n; i++)
			g->key[i] ^= p[i];
		request_nonce(++g->requests, nonce);
		rekey(g, nonce);
		p += n;
		len -= n;
	} while (len);
	g->generated = 0;
}

void csprng_read(struct csprng *g, void *buf, size_t len)
{
	uint8_t nonce[CHACHA20_NONCE_BYTES];
	uint8_t *out = buf;
	uint32_t counter = 1;

	request_nonce(++g->requests, nonce);
	memset(out, 0, len);
	/* 2^32 - 1 blocks per nonce: 256 GiB, far above any request; a
	 * longer one continues under the next nonce. */
	while (len) {
		size_t n = len < (1ull << 36) ? len : (1ull << 36);

		chacha20_xor(g->key, counter, nonce, out, out, n);
		out += n;
		len -= n;
		g->generated += n;
		if (len)
			request_nonce(++g->requests, nonce);
	}
	rekey(g, nonce);
}
