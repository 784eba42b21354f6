/*
 * <sys/socket.h> for Skiff applications. The types and constants are
 * lwIP's own (struct sockaddr with BSD's sa_len, AF_*, SOCK_*, SOL_*,
 * SO_*, MSG_*, struct msghdr, struct iovec), so what an application builds
 * is exactly what lwIP reads. The functions are ours (lib/socket.c): they
 * take file descriptors from the common table (lib/fd.h), so read(),
 * write(), close(), fcntl(), select() and poll() work on sockets too.
 * errno values are newlib's.
 */
#ifndef SKIFF_SYS_SOCKET_H
#define SKIFF_SYS_SOCKET_H

#include <sys/types.h>

#include <lwip/sockets.h>

#ifdef __cplusplus
extern "C" {
#endif

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int shutdown(int fd, int how);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);

#ifdef __cplusplus
}
#endif

#endif
