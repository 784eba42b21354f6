/*
 * <sys/uio.h> for Skiff applications: readv() and writev() (lib/file.c)
 * on any descriptor. struct iovec is lwIP's (through <sys/socket.h>), so
 * sendmsg() and readv() take the same type.
 */
#ifndef SKIFF_SYS_UIO_H
#define SKIFF_SYS_UIO_H

#include <sys/types.h>

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#ifdef __cplusplus
}
#endif

#endif
