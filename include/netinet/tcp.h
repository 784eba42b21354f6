/*
 * <netinet/tcp.h>: TCP_NODELAY, TCP_KEEPALIVE, TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT (lwIP's values, see <sys/socket.h>).
 */
#ifndef SKIFF_NETINET_TCP_H
#define SKIFF_NETINET_TCP_H

#include <netinet/in.h>

#endif
