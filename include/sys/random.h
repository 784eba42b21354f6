/*
 * <sys/random.h> for Skiff applications: getrandom() from the guest's
 * CSPRNG (lib/random.c), the same generator as /dev/urandom and
 * getentropy(). It is seeded before main() runs, so it never blocks and
 * the flags change nothing.
 */
#ifndef SKIFF_SYS_RANDOM_H
#define SKIFF_SYS_RANDOM_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2
#define GRND_INSECURE 0x4

ssize_t getrandom(void *buf, size_t len, unsigned int flags);
int getentropy(void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
