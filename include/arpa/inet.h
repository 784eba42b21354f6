/*
 * <arpa/inet.h>: address conversion as real functions (lib/socket.c).
 * lwIP's headers define inet_addr() and friends as macros over its own
 * helpers; they are replaced here by declarations, so the names behave as
 * POSIX says (their addresses can be taken, arguments are evaluated
 * once).
 */
#ifndef SKIFF_ARPA_INET_H
#define SKIFF_ARPA_INET_H

#include <netinet/in.h>

#undef inet_addr
#undef inet_aton
#undef inet_ntoa
#undef inet_ntoa_r
#undef inet_ntop
#undef inet_pton

#ifdef __cplusplus
extern "C" {
#endif

in_addr_t inet_addr(const char *cp);
int inet_aton(const char *cp, struct in_addr *addr);
/* Not thread-safe: the result is a static buffer, as POSIX allows. */
char *inet_ntoa(struct in_addr addr);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
int inet_pton(int af, const char *src, void *dst);

#ifdef __cplusplus
}
#endif

#endif
