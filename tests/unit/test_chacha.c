/*
 * Host tests for lib/csprng.c: the ChaCha20 block function and
 * encryption against RFC 8439's test vectors (sections 2.3.2 and 2.4.2,
 * and appendix A.1 #1), and the generator's properties: seeding changes
 * everything, the same seed gives the same stream, successive reads never
 * repeat, a read's output does not reveal the next key.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/csprng.h"
#include "tests/unit/check.h"

static void unhex(const char *hex, uint8_t *out)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void key_0_to_31(uint8_t key[32])
{
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
}

static void test_chacha_block(void)
{
	uint8_t key[32], nonce[12] = { 0 }, out[64], want[64];

	key_0_to_31(key);
	nonce[3] = 0x09;
	nonce[7] = 0x4a;
	chacha20_block(key, 1, nonce, out);
	unhex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	      "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4"
	      "e",
	      want);
	CHECK(!memcmp(out, want, 64));
	memset(key, 0, sizeof(key));
	memset(nonce, 0, sizeof(nonce));
	chacha20_block(key, 0, nonce, out);
	unhex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	      "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee658"
	      "6",
	      want);
	CHECK(!memcmp(out, want, 64));
}

static void test_chacha_encrypt(void)
{
	static const char text[] =
		"Ladies and Gentlemen of the class of '99: If I could offer "
		"you only one tip for the future, sunscreen would be it.";
	uint8_t key[32], nonce[12] = { 0 }, out[114], want[114];

	key_0_to_31(key);
	nonce[7] = 0x4a;
	unhex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	      "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	      "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	      "5af90bbf74a35be6b40b8eedf2785e42874d",
	      want);
	CHECK(sizeof(text) - 1 == 114);
	chacha20_xor(key, 1, nonce, text, out, 114);
	CHECK(!memcmp(out, want, 114));
	chacha20_xor(key, 1, nonce, out, out, 114); /* in place, back */
	CHECK(!memcmp(out, text, 114));
}

static void test_csprng(void)
{
	struct csprng a = { .generated = 0 }, b = { .generated = 0 };
	uint8_t x[100], y[100], z[100], key_before[32];

	csprng_seed(&a, "seed one", 8);
	csprng_seed(&b, "seed one", 8);
	csprng_read(&a, x, sizeof(x));
	csprng_read(&b, y, sizeof(y));
	CHECK(!memcmp(x, y, sizeof(x))); /* deterministic for one seed */
	csprng_read(&a, z, sizeof(z));
	CHECK(memcmp(x, z, sizeof(x))); /* never the same output twice */
	csprng_seed(&b, "x", 1);
	csprng_read(&b, y, sizeof(y));
	CHECK(memcmp(y, z, sizeof(y))); /* a reseed changes the stream */
	/* The key after a read is not in what the read returned. */
	memcpy(key_before, a.key, 32);
	csprng_read(&a, x, sizeof(x));
	CHECK(memcmp(key_before, a.key, 32));
	for (size_t i = 0; i + 8 <= sizeof(x); i++)
		CHECK(memcmp(x + i, a.key, 8));
	/* Long seeds: every chunk counts. */
	{
		uint8_t seed[80] = { 0 };
		struct csprng c = { .generated = 0 }, d = { .generated = 0 };

		csprng_seed(&c, seed, sizeof(seed));
		seed[79] = 1;
		csprng_seed(&d, seed, sizeof(seed));
		CHECK(memcmp(c.key, d.key, 32));
	}
	/* Roughly balanced bits over 64 KiB. */
	{
		static uint8_t big[65536];
		unsigned long ones = 0;

		csprng_read(&a, big, sizeof(big));
		for (size_t i = 0; i < sizeof(big); i++)
			ones += (unsigned long)__builtin_popcount(big[i]);
		CHECK(ones > 262144 - 3000 && ones < 262144 + 3000);
	}
}

int main(void)
{
	RUN(chacha_block, "RFC 8439 2.3.2 and A.1 #1 block vectors");
	RUN(chacha_encrypt, "RFC 8439 2.4.2 sunscreen vector, both ways");
	RUN(csprng, "deterministic per seed, reads never repeat, reseed "
		    "and long seeds change the key, key erased, bit balance");
	return check_exit();
}
