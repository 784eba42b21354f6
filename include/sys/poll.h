/* <sys/poll.h>: the same as <poll.h>. */
#ifndef SKIFF_SYS_POLL_H
#define SKIFF_SYS_POLL_H

#include <poll.h>

#endif
