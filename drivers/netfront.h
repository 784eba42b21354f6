/*
 * Netfront: a Xen virtual network interface (device/vif/<id>), rx-copy,
 * one queue. Frames are plain Ethernet frames as (pointer, length)
 * pieces; nothing here needs Xen's headers, so lib/ (the lwIP netif) can
 * use it directly.
 *
 * Threads: each open device has a service thread that handles the
 * rings (received frames are delivered from it) and a control thread
 * that follows the backend: when it goes away (xl network-detach) the
 * rings are torn down and sends fail with -ENETDOWN; when the toolstack
 * creates the device again (xl network-attach) it is reconnected, with
 * the same struct netfront_dev.
 */
#ifndef DRIVERS_NETFRONT_H
#define DRIVERS_NETFRONT_H

#include <stddef.h>
#include <stdint.h>

struct netfront_dev;

/* A piece of a frame. */
struct netfront_frag {
	const void *data;
	size_t len;
};

/* Flags of a received frame (see netfront_rx_fn). */
#define NETFRONT_RX_DATA_VALIDATED 0x1u /* checksums verified already */
#define NETFRONT_RX_CSUM_BLANK                   \
	0x2u /* the TCP/UDP checksum is not      \
	      * filled in (the frame came from a \
	      * local guest); implies validated */

/* Flags of netfront_send(). */
#define NETFRONT_TX_CSUM_BLANK                                        \
	0x1u			/* the TCP/UDP checksum is not filled \
				 * in: the backend completes it */
#define NETFRONT_TX_NOWAIT 0x2u /* no free slot: -EAGAIN at once */

/*
 * A received frame: nfrags (1 to 18) pieces in order, valid only until
 * the function returns (the buffers go back to the backend then). Runs
 * in the device's service thread: it may block briefly and may call
 * netfront_send(), but not netfront_close(), and while it runs no other
 * frame is received.
 */
typedef void (*netfront_rx_fn)(void *arg, const struct netfront_frag *frags,
			       unsigned nfrags, unsigned flags);

/*
 * Open device/vif/<id> (id NULL: the first vif listed), connect to its
 * backend and start its threads; received frames go to rx(rx_arg, ...).
 * Returns 0 and the device in *out, or -EINVAL (bad arguments), -ENOENT
 * (no such device), -ENOTSUP (the backend lacks feature-rx-copy),
 * -EINVAL (malformed backend path, id or mac), -ETIMEDOUT, -ENOMEM, or
 * another negative errno from xenstore or the handshake; nothing is left
 * behind then. Blocks (up to about 20 s); thread context.
 */
int netfront_open(const char *id, struct netfront_dev **out, netfront_rx_fn rx,
		  void *rx_arg);

/*
 * Send one frame made of frags[0..n) (copied: the caller keeps its
 * buffers). Waits up to NETFRONT_TX_WAIT_NS for free transmit buffers.
 * Returns 0 once the frame is queued to the backend, or -EMSGSIZE (0 or
 * more than 65535 bytes in all, or more than a page when the backend
 * lacks feature-sg), -EINVAL (bad flags or a NULL piece), -ENETDOWN (not
 * connected), -EAGAIN (no room and NETFRONT_TX_NOWAIT), -ENOBUFS (still
 * no room at the deadline). Thread context, including the rx function.
 */
int netfront_send(struct netfront_dev *dev, const struct netfront_frag *frags,
		  unsigned n, unsigned flags);

#define NETFRONT_TX_WAIT_NS (1000ull * 1000 * 1000)

/* The MAC address the toolstack gave the interface. A reattached device
 * may come back with another one (xl picks a new one unless the config
 * fixes it). Any context. */
void netfront_get_mac(const struct netfront_dev *dev, uint8_t mac[6]);

/*
 * Stop the threads, close the handshake (waiting a few seconds for the
 * backend), revoke every grant and free everything, dev included, in all
 * cases. Returns 0, or the handshake's error (the device is gone
 * anyway). Thread context, not from the rx function.
 */
int netfront_close(struct netfront_dev *dev);

#endif
