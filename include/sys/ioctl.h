/*
 * <sys/ioctl.h>: ioctl() on any file descriptor (lib/socket.c). Sockets
 * take FIONBIO and FIONREAD (lwIP's numbers, from <sys/socket.h>); other
 * requests fail with ENOTTY.
 */
#ifndef SKIFF_SYS_IOCTL_H
#define SKIFF_SYS_IOCTL_H

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
