/*
 * The guest's cryptographically secure random generator: ChaCha20 (RFC
 * 8439) as a keystream generator with fast key erasure (after every
 * request the key is replaced by fresh keystream, so a later compromise
 * of the state cannot recompute earlier outputs), and reseeding that
 * mixes new entropy into the key. Pure and host-tested against the RFC's
 * test vectors (tests/unit/test_chacha.c); seeding from the hypervisor
 * and CPU, the periodic reseed, /dev/urandom and getrandom() are in
 * lib/random.c.
 */
#ifndef SKIFF_LIB_CSPRNG_H
#define SKIFF_LIB_CSPRNG_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES 32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* The ChaCha20 block function (RFC 8439 section 2.3): 64 bytes of
 * keystream for key, block counter and nonce. */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_BYTES],
		    uint8_t out[CHACHA20_BLOCK_BYTES]);

/* XOR len bytes of in with the keystream from block counter on, into out
 * (in == out is fine): ChaCha20 encryption, RFC 8439 section 2.4. */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_BYTES], const void *in,
		  void *out, size_t len);

struct csprng {
	uint8_t key[CHACHA20_KEY_BYTES];
	uint64_t generated; /* bytes handed out since the last seed */
	uint64_t requests;  /* the nonce: never repeats for one key */
};

/* Mix len bytes of entropy into g's key (any length; a fresh, zeroed g
 * is seeded by this too). The result depends on every bit of the old key
 * and of seed. */
void csprng_seed(struct csprng *g, const void *seed, size_t len);

/* len bytes of output into buf, then the key is erased and replaced. */
void csprng_read(struct csprng *g, void *buf, size_t len);

#endif
