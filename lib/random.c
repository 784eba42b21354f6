/*
 * The generator behind /dev/urandom, getentropy() and getrandom()
 * (lib/random.h): lib/csprng.c's ChaCha20 under a mutex, seeded and
 * reseeded from kernel/entropy.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/random.h>

#define LOG_TAG "random"
#include "kernel/entropy.h"
#include "kernel/log.h"
#include "kernel/sync.h"
#include "kernel/timer.h"
#include "lib/csprng.h"
#include "lib/random.h"
#include "lib/sysret.h"

/* Bytes of kernel seed material per (re)seed: twice the key, since no
 * one estimates how much entropy the sources really carry. */
#define RANDOM_SEED_BYTES 64
/* getentropy()'s limit (POSIX, OpenBSD). */
#define RANDOM_GETENTROPY_MAX 256
/* One getrandom() call at most (Linux: 32 MiB - 1), a short count past it. */
#define RANDOM_GETRANDOM_MAX ((1u << 25) - 1)

static struct random_state {
	struct mutex lock;
	struct csprng gen;
	uint64_t seeded_ns;
	bool seeded;
} random_state = { .lock = { .recursive = false } };

/* Mix fresh kernel entropy in. Lock held. */
static void reseed(struct random_state *st)
{
	uint8_t seed[RANDOM_SEED_BYTES];
	bool hardware = entropy_get(seed, sizeof(seed));

	if (!hardware && !st->seeded)
		log_warn("no RDSEED/RDRAND: seeded from timing jitter only");
	csprng_seed(&st->gen, seed, sizeof(seed));
	st->seeded_ns = timer_now_ns();
	st->seeded = true;
	/* volatile: the compiler may not drop stores to a dying array. */
	for (size_t i = 0; i < sizeof(seed); i++)
		((volatile uint8_t *)seed)[i] = 0;
}

void random_init(void)
{
	mutex_lock(&random_state.lock);
	reseed(&random_state);
	mutex_unlock(&random_state.lock);
}

void random_read(void *buf, size_t len)
{
	struct random_state *st = &random_state;

	mutex_lock(&st->lock);
	if (!st->seeded || st->gen.generated >= RANDOM_RESEED_BYTES ||
	    timer_now_ns() - st->seeded_ns >= RANDOM_RESEED_NS)
		reseed(st);
	csprng_read(&st->gen, buf, len);
	mutex_unlock(&st->lock);
}

int getentropy(void *buf, size_t len)
{
	if (len > RANDOM_GETENTROPY_MAX)
		return (int)sys_result(-EIO);
	random_read(buf, len);
	return 0;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	(void)flags; /* seeded before main(): never blocks */
	if (len > RANDOM_GETRANDOM_MAX)
		len = RANDOM_GETRANDOM_MAX;
	random_read(buf, len);
	return (ssize_t)len;
}
