/*
 * <netinet/in.h>: struct sockaddr_in, struct in_addr, IPPROTO_*,
 * INADDR_*, INET_ADDRSTRLEN and htons()/htonl() & co, all from lwIP's
 * headers (see <sys/socket.h>).
 */
#ifndef SKIFF_NETINET_IN_H
#define SKIFF_NETINET_IN_H

#include <sys/socket.h>

#endif
