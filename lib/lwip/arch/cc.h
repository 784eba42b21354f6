/*
 * lwIP's compiler and platform header for Skiff (lwIP 2.1, src/include/lwip/
 * arch.h describes the contract). Types, limits and errno come from newlib;
 * assertions and diagnostics go to the kernel log through two functions in
 * lib/lwip/sys_arch.c, so this header stays includable by applications
 * (include/sys/socket.h reaches it through lwIP's headers) and names no
 * kernel header.
 */
#ifndef SKIFF_LWIP_ARCH_CC_H
#define SKIFF_LWIP_ARCH_CC_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>

/*
 * Include order matters here. lwIP's sockets.h defines O_NONBLOCK, O_RDWR,
 * fd_set and struct timeval only when nobody did before it, with values that
 * differ from newlib's; <fcntl.h>, <sys/select.h> and <sys/time.h> above
 * make newlib's definitions win everywhere lwIP is used.
 */

/* newlib's <machine/endian.h> (through sys/types.h) usually defined it. */
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

/* Byte swaps as single instructions instead of lwIP's portable C. */
#define lwip_htons(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define lwip_htonl(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))

/* newlib 3.3 has ssize_t but no SSIZE_MAX; without it lwIP's arch.h would
 * typedef its own, conflicting ssize_t. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* newlib's struct timeval (sys/time.h), not lwIP's private one. */
#define LWIP_TIMEVAL_PRIVATE 0

/* Report and stop (lwIP asserts mean corrupted stack state), or log. */
__attribute__((noreturn)) void lwip_port_assert(const char *msg,
						const char *file, int line);
void lwip_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 32 random bits (rdrand when the CPU has it, else a tsc-seeded mix). */
uint32_t lwip_port_rand(void);

#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __FILE__, __LINE__)
#define LWIP_PLATFORM_DIAG(x)     \
	do {                      \
		lwip_port_diag x; \
	} while (0)
#define LWIP_RAND() lwip_port_rand()

/* newlib's printf knows the C99 length modifiers (z, ll, ...): use the
 * <inttypes.h> macros lwIP picks by default. */

#endif
