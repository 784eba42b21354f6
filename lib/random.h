/*
 * The guest's random numbers for applications: one ChaCha20 generator
 * (lib/csprng.h) seeded from the kernel's entropy (kernel/entropy.h:
 * hypervisor time, TSC jitter, RDRAND/RDSEED when the CPU has them) before
 * main() runs, and reseeded from it every RANDOM_RESEED_BYTES of output
 * or RANDOM_RESEED_NS, whichever comes first. /dev/urandom and
 * /dev/random (lib/devfs.c), getentropy() and getrandom() read it.
 */
#ifndef SKIFF_LIB_RANDOM_H
#define SKIFF_LIB_RANDOM_H

#include <stddef.h>

#define RANDOM_RESEED_BYTES (1u << 20)
#define RANDOM_RESEED_NS (300ull * 1000000000ull)

/* Seed the generator. Called once by the main thread before main()
 * (lib/start.c); reading before it seeds first. */
void random_init(void);

/* len bytes of output into buf; never blocks for long, never fails.
 * Thread context. */
void random_read(void *buf, size_t len);

#endif
