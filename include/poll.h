/*
 * <poll.h>: struct pollfd, nfds_t and POLL* are lwIP's (see
 * <sys/socket.h>); poll() is ours (lib/socket.c) and takes any file
 * descriptor. Sockets report POLLIN, POLLOUT (and POLLRDNORM/POLLWRNORM
 * when asked), POLLERR and POLLNVAL; other files are polled once and do
 * not wake a waiting poll() (the console's input never reports ready).
 */
#ifndef SKIFF_POLL_H
#define SKIFF_POLL_H

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#ifdef __cplusplus
}
#endif

#endif
