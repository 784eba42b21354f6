/*
 * <netdb.h>: name resolution through lwIP's DNS client (lib/socket.c).
 * struct addrinfo, struct hostent, AI_* and EAI_* are lwIP's; the EAI_*
 * numbers are positive (200...), as lwIP defines them. The DNS server is
 * the one lib/net.c set (static or from DHCP).
 */
#ifndef SKIFF_NETDB_H
#define SKIFF_NETDB_H

#include <sys/socket.h>

#include <lwip/netdb.h>

#undef gethostbyname_r

#ifdef __cplusplus
extern "C" {
#endif

/* Block while the query runs (up to lwIP's DNS retries). Thread context. */
int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *res);
const char *gai_strerror(int err);
/* Not thread-safe (a static result), as POSIX allows. */
struct hostent *gethostbyname(const char *name);
int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop);

#ifdef __cplusplus
}
#endif

#endif
