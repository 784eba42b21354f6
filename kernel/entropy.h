/*
 * Seed material for random number generators (lib/ turns it into a
 * CSPRNG). Mixed from every source the CPU and the hypervisor give a PV
 * guest: RDSEED/RDRAND when the CPU has them, the TSC's jitter against
 * Xen's clock, and the wall clock. Not itself a CSPRNG: call it to seed
 * one, not per random number.
 */
#ifndef KERNEL_ENTROPY_H
#define KERNEL_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>

/* Fill buf with len bytes of seed material. Returns true when a hardware
 * source (RDSEED/RDRAND) contributed, false when only timing did (weaker:
 * callers may want to say so). Any context; does not block. */
bool entropy_get(void *buf, size_t len);

#endif
