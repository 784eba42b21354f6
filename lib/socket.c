/*
 * BSD sockets on our file descriptors: each socket is a struct file
 * (lib/fd.h) whose private value is lwIP's socket number, a handle that
 * applications never see (lwipopts.h: LWIP_SOCKET_OFFSET 0). Calls go
 * straight to lwIP's lwip_*() functions, which set errno themselves
 * (newlib's numbers: lwipopts.h LWIP_ERRNO_STDINCLUDE).
 *
 * Also here: poll() and select() for any descriptor, ioctl(), name
 * resolution (lwIP's netdb) and the inet_*() conversions. The prototypes
 * come from include/ (sys/socket.h, poll.h, netdb.h, ...).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "kernel/sched.h"
#include "lib/fd.h"
#include "lib/net.h"

/* poll() and select() look at no more entries than this. */
#define SOCKET_POLL_MAX 1024
/* poll() keeps its work arrays for up to this many entries on the
 * caller's stack (1.5 KiB of a 64 KiB thread stack), so an event loop's
 * poll() does not touch the heap; beyond it they come from malloc(). */
#define SOCKET_POLL_STACK 64

static const struct file_ops socket_ops;

static int sock_of(const struct file *f)
{
	return (int)(intptr_t)f->priv;
}

/* lwIP reports failure as -1 with errno set; file operations return the
 * negative errno. */
static long neg_errno(long r)
{
	return r < 0 ? -errno : r;
}

/* Fail a POSIX call: errno from a negative errno, and -1. */
static int fail(int neg)
{
	errno = -neg;
	return -1;
}

/* --- the socket file ----------------------------------------------------- */

static long socket_read(struct file *f, void *buf, size_t len)
{
	return neg_errno(lwip_read(sock_of(f), buf, len));
}

static long socket_write(struct file *f, const void *buf, size_t len)
{
	return neg_errno(lwip_write(sock_of(f), buf, len));
}

static int socket_close(struct file *f)
{
	return (int)neg_errno(lwip_close(sock_of(f)));
}

static int socket_fstat(struct file *f, struct stat *st)
{
	(void)f;
	*st = (struct stat){ .st_mode = S_IFSOCK | 0666 };
	return 0;
}

static int socket_ioctl(struct file *f, unsigned long req, void *arg)
{
	int rc = (int)neg_errno(lwip_ioctl(sock_of(f), (long)req, arg));

	/* lwIP says ENOSYS for a request it does not know; POSIX, ENOTTY. */
	return rc == -ENOSYS ? -ENOTTY : rc;
}

/* O_NONBLOCK lives in lwIP's netconn; so the flags are asked of lwIP. */
static int socket_getfl(struct file *f)
{
	return (int)neg_errno(lwip_fcntl(sock_of(f), F_GETFL, 0));
}

static int socket_setfl(struct file *f, int flags)
{
	return (int)neg_errno(
		lwip_fcntl(sock_of(f), F_SETFL, flags & O_NONBLOCK));
}

static short poll_events_to_lwip(short events)
{
	short ev = 0;

	if (events & (POLLIN | POLLRDNORM))
		ev |= POLLIN;
	if (events & (POLLOUT | POLLWRNORM))
		ev |= POLLOUT;
	return ev;
}

/*
 * lwIP's answer in the terms the caller asked in.
 *
 * POLLHUP never comes: lwIP 2.1's lwip_poll() (api/sockets.c,
 * lwip_pollscan()) sets only POLLIN, POLLOUT, POLLERR and POLLNVAL. A
 * peer's FIN reaches the socket as one more receive event (api_msg.c,
 * recv_tcp() posts netconn_closed with NETCONN_EVT_RCVPLUS), exactly like
 * data, so it shows as POLLIN and read() then returns 0; a reset or abort
 * shows as POLLERR (err_tcp() raises NETCONN_EVT_ERROR). Telling a closed
 * peer apart would need lwIP's private socket or pcb state, or a peek
 * per readable socket, so callers see what lwIP says. POLLHUP stays in
 * the mask below so that an lwIP that does report it is passed through.
 */
static short poll_revents_from_lwip(short events, short got)
{
	short rev = got & (POLLERR | POLLNVAL | POLLHUP);

	if (got & POLLIN)
		rev |= events & (POLLIN | POLLRDNORM);
	if (got & POLLOUT)
		rev |= events & (POLLOUT | POLLWRNORM);
	return rev;
}

static unsigned socket_poll(struct file *f, unsigned events)
{
	struct pollfd p = { .fd = sock_of(f) };
	unsigned ready = 0;

	if (events & FD_POLL_IN)
		p.events |= POLLIN;
	if (events & FD_POLL_OUT)
		p.events |= POLLOUT;
	if (lwip_poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & POLLIN)
		ready |= FD_POLL_IN;
	if (p.revents & POLLOUT)
		ready |= FD_POLL_OUT;
	if (p.revents & (POLLERR | POLLNVAL))
		ready |= FD_POLL_ERR;
	return ready;
}

static const struct file_ops socket_ops = {
	.read = socket_read,
	.write = socket_write,
	.close = socket_close,
	.fstat = socket_fstat,
	.ioctl = socket_ioctl,
	.getfl = socket_getfl,
	.setfl = socket_setfl,
	.poll = socket_poll,
};

/* Give lwIP's socket s a descriptor; on failure s is closed. */
static int install(int s)
{
	int fd = fd_install(&socket_ops, (void *)(intptr_t)s, O_RDWR);

	if (fd < 0) {
		(void)lwip_close(s); /* never used: nothing to report */
		return fail(fd);
	}
	return fd;
}

/* The socket behind fd, with a reference on its file; NULL with errno
 * set (EBADF, ENOTSOCK) otherwise. */
static struct file *sock_get(int fd, int *s)
{
	struct file *f = fd_get(fd);

	if (!f) {
		errno = EBADF;
		return NULL;
	}
	if (f->ops != &socket_ops) {
		fd_put(f);
		errno = ENOTSOCK;
		return NULL;
	}
	*s = sock_of(f);
	return f;
}

/* Drop the reference without losing the errno lwIP just set (the last
 * reference may close the socket, after a concurrent close()). */
static void sock_put(struct file *f)
{
	int saved = errno;

	fd_put(f);
	errno = saved;
}

/* --- the socket calls ---------------------------------------------------- */

/* Run expr on the socket s behind fd; -1 with errno when fd is not one. */
#define ON_SOCKET(type, fd, expr)                  \
	do {                                       \
		int s;                             \
		struct file *f = sock_get(fd, &s); \
		type r;                            \
		if (!f)                            \
			return -1;                 \
		r = (expr);                        \
		sock_put(f);                       \
		return r;                          \
	} while (0)

int socket(int domain, int type, int protocol)
{
	int rc = net_up(), s;

	if (rc < 0)
		return fail(rc);
	s = lwip_socket(domain, type, protocol);
	return s < 0 ? -1 : install(s);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int s, ns;
	struct file *f = sock_get(fd, &s);

	if (!f)
		return -1;
	ns = lwip_accept(s, addr, len);
	sock_put(f);
	return ns < 0 ? -1 : install(ns);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	ON_SOCKET(int, fd, lwip_bind(s, addr, len));
}

int listen(int fd, int backlog)
{
	ON_SOCKET(int, fd, lwip_listen(s, backlog));
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	ON_SOCKET(int, fd, lwip_connect(s, addr, len));
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	ON_SOCKET(ssize_t, fd, lwip_send(s, buf, len, flags));
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	ON_SOCKET(ssize_t, fd, lwip_recv(s, buf, len, flags));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	ON_SOCKET(ssize_t, fd, lwip_sendto(s, buf, len, flags, to, tolen));
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	ON_SOCKET(ssize_t, fd,
		  lwip_recvfrom(s, buf, len, flags, from, fromlen));
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ON_SOCKET(ssize_t, fd, lwip_sendmsg(s, msg, flags));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ON_SOCKET(ssize_t, fd, lwip_recvmsg(s, msg, flags));
}

int shutdown(int fd, int how)
{
	ON_SOCKET(int, fd, lwip_shutdown(s, how));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	ON_SOCKET(int, fd, lwip_setsockopt(s, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	ON_SOCKET(int, fd, lwip_getsockopt(s, level, name, val, len));
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	ON_SOCKET(int, fd, lwip_getsockname(s, addr, len));
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	ON_SOCKET(int, fd, lwip_getpeername(s, addr, len));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int rc;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	rc = fd_ioctl(fd, request, arg);
	return rc < 0 ? fail(rc) : rc;
}

/* --- poll and select ----------------------------------------------------- */

/* What poll() keeps per entry while it works. */
struct poll_slot {
	struct file *f; /* NULL: negative fd, or not open */
	int lw;		/* index in the lwIP array, or -1 */
};

static short revents_from_file(short events, unsigned ready)
{
	short rev = 0;

	if (ready & FD_POLL_IN)
		rev |= events & (POLLIN | POLLRDNORM);
	if (ready & FD_POLL_OUT)
		rev |= events & (POLLOUT | POLLWRNORM);
	if (ready & FD_POLL_ERR)
		rev |= POLLERR;
	return rev;
}

/* A file that is not a socket, asked once. */
static short poll_file(struct file *f, short events)
{
	unsigned want = 0;

	if (events & (POLLIN | POLLRDNORM))
		want |= FD_POLL_IN;
	if (events & (POLLOUT | POLLWRNORM))
		want |= FD_POLL_OUT;
	return revents_from_file(events,
				 f->ops->poll ? f->ops->poll(f, want) : want);
}

/* Fill slots and the lwIP array; returns how many entries are ready
 * already (non-sockets, bad descriptors). */
static int poll_prepare(struct pollfd *fds, nfds_t nfds,
			struct poll_slot *slots, struct pollfd *lw, nfds_t *nlw)
{
	int ready = 0;

	*nlw = 0;
	for (nfds_t i = 0; i < nfds; i++) {
		struct file *f = NULL;

		slots[i] = (struct poll_slot){ NULL, -1 };
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_get(fds[i].fd);
		slots[i].f = f;
		if (!f)
			fds[i].revents = POLLNVAL;
		else if (f->ops == &socket_ops) {
			slots[i].lw = (int)*nlw;
			lw[(*nlw)++] = (struct pollfd){
				.fd = sock_of(f),
				.events = poll_events_to_lwip(fds[i].events),
			};
		} else {
			fds[i].revents = poll_file(f, fds[i].events);
		}
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

static void sleep_ms(int timeout)
{
	if (timeout < 0)
		thread_sleep_until(UINT64_MAX); /* nothing can wake us */
	else
		thread_sleep_ns((uint64_t)timeout * 1000000);
}

/* poll() with the arrays allocated. */
static int poll_with(struct pollfd *fds, nfds_t nfds, int timeout,
		     struct poll_slot *slots, struct pollfd *lw)
{
	nfds_t nlw;
	int ready = poll_prepare(fds, nfds, slots, lw, &nlw);
	int rc = 0;

	if (nlw > 0)
		rc = lwip_poll(lw, nlw, ready ? 0 : timeout);
	else if (!ready && timeout != 0)
		sleep_ms(timeout);
	for (nfds_t i = 0; i < nfds; i++) {
		if (rc >= 0 && slots[i].lw >= 0) {
			fds[i].revents = poll_revents_from_lwip(
				fds[i].events, lw[slots[i].lw].revents);
			ready += fds[i].revents != 0;
		}
		if (slots[i].f)
			sock_put(slots[i].f);
	}
	return rc < 0 ? -1 : ready;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct poll_slot slots_here[SOCKET_POLL_STACK], *slots = slots_here;
	struct pollfd lw_here[SOCKET_POLL_STACK], *lw = lw_here;
	int rc;

	if (nfds > SOCKET_POLL_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (nfds > SOCKET_POLL_STACK) {
		slots = malloc(nfds * sizeof(*slots));
		lw = malloc(nfds * sizeof(*lw));
		if (!slots || !lw) {
			free(slots);
			free(lw);
			errno = ENOMEM;
			return -1;
		}
	}
	rc = poll_with(fds, nfds, timeout, slots, lw);
	if (slots != slots_here) {
		free(slots);
		free(lw);
	}
	return rc;
}

static int timeval_to_ms(const struct timeval *tv)
{
	long long ms;

	if (!tv)
		return -1;
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -2;
	ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* The descriptors select() asked about, as pollfd entries. */
static nfds_t select_to_poll(int nfds, fd_set *rd, fd_set *wr, fd_set *ex,
			     struct pollfd *fds)
{
	nfds_t n = 0;

	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (rd && FD_ISSET(fd, rd))
			ev |= POLLIN;
		if (wr && FD_ISSET(fd, wr))
			ev |= POLLOUT;
		if ((ev || (ex && FD_ISSET(fd, ex))))
			fds[n++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	return n;
}

/* Write poll's answers back into the sets; returns the bits set. */
static int poll_to_select(const struct pollfd *fds, nfds_t n, fd_set *rd,
			  fd_set *wr, fd_set *ex)
{
	int count = 0;

	for (nfds_t i = 0; i < n; i++) {
		int fd = fds[i].fd;
		short rev = fds[i].revents;

		if (rd && FD_ISSET(fd, rd) && !(rev & (POLLIN | POLLERR)))
			FD_CLR(fd, rd);
		if (wr && FD_ISSET(fd, wr) && !(rev & (POLLOUT | POLLERR)))
			FD_CLR(fd, wr);
		/* lwIP's select reports a pending socket error there too. */
		if (ex && FD_ISSET(fd, ex) && !(rev & POLLERR))
			FD_CLR(fd, ex);
		count += (rd && FD_ISSET(fd, rd)) + (wr && FD_ISSET(fd, wr)) +
			 (ex && FD_ISSET(fd, ex));
	}
	return count;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct pollfd *fds;
	nfds_t n;
	int timeout = timeval_to_ms(tv), rc;

	if (nfds < 0 || nfds > FD_TABLE_SIZE || timeout == -2) {
		errno = EINVAL;
		return -1;
	}
	fds = malloc((size_t)nfds * sizeof(*fds) + 1);
	if (!fds) {
		errno = ENOMEM;
		return -1;
	}
	n = select_to_poll(nfds, rd, wr, ex, fds);
	rc = poll(fds, n, timeout);
	for (nfds_t i = 0; rc >= 0 && i < n; i++)
		if (fds[i].revents & POLLNVAL) {
			errno = EBADF;
			rc = -1;
		}
	if (rc >= 0)
		rc = poll_to_select(fds, n, rd, wr, ex);
	free(fds);
	return rc;
}

/* --- names and addresses ------------------------------------------------- */

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	if (net_up() < 0)
		return EAI_FAIL;
	return lwip_getaddrinfo(node, service, hints, res);
}

void freeaddrinfo(struct addrinfo *res)
{
	lwip_freeaddrinfo(res);
}

const char *gai_strerror(int err)
{
	switch (err) {
	case 0:
		return "Success";
	case EAI_NONAME:
		return "Name or service not known";
	case EAI_SERVICE:
		return "Service not supported";
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution";
	case EAI_MEMORY:
		return "Memory allocation failure";
	case EAI_FAMILY:
		return "Address family not supported";
	default:
		return "Unknown error";
	}
}

struct hostent *gethostbyname(const char *name)
{
	if (net_up() < 0)
		return NULL;
	return lwip_gethostbyname(name);
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop)
{
	if (net_up() < 0)
		return -1;
	return lwip_gethostbyname_r(name, ret, buf, buflen, result, h_errnop);
}

in_addr_t inet_addr(const char *cp)
{
	return ipaddr_addr(cp);
}

int inet_aton(const char *cp, struct in_addr *addr)
{
	ip4_addr_t a;

	if (!ip4addr_aton(cp, &a))
		return 0;
	if (addr)
		addr->s_addr = ip4_addr_get_u32(&a);
	return 1;
}

char *inet_ntoa(struct in_addr addr)
{
	ip4_addr_t a;

	ip4_addr_set_u32(&a, addr.s_addr);
	return ip4addr_ntoa(&a);
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	return lwip_inet_ntop(af, src, dst, size);
}

int inet_pton(int af, const char *src, void *dst)
{
	return lwip_inet_pton(af, src, dst);
}
