/*
 * The lwIP netif over netfront (drivers/netfront.h).
 *
 * Receive: netfront calls rx() in its service thread with the frame in
 * pieces that are valid only during the call. The frame is copied into a
 * chain of PBUF_POOL buffers and handed to tcpip_inpkt(), which with
 * LWIP_TCPIP_CORE_LOCKING_INPUT (lwipopts.h) takes the core lock and runs
 * the input function right there, in the service thread: no hop through
 * the tcpip thread's mailbox. So the service thread may wait for the core
 * lock while holding netfront's rx_lock. That is safe because nothing that
 * holds the core lock takes rx_lock: linkoutput() only sends, and a send
 * waiting for tx room reaps completions itself (drivers/netfront_data.c).
 * A frame that finds no pbuf, or that the input function refuses, is
 * dropped and counted.
 *
 * Checksums: a frame the backend validated (or one from a local guest
 * whose TCP/UDP checksum was never filled in) is handed to lwIP through an
 * input function that turns the TCP and UDP checks off for the interface
 * before ethernet_input(); any other frame through one that turns them on.
 * Both run one frame at a time under the core lock, so the interface's
 * flags always belong to the frame being processed.
 *
 * Transmit: linkoutput() runs under the core lock; it passes the pbuf
 * chain as pieces to netfront_send(), which copies them (a chain longer
 * than NETIF_XEN_TX_FRAGS is first flattened into a buffer of the
 * interface).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/err.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/netifapi.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"

#define LOG_TAG "net"
#include "drivers/netfront.h"
#include "kernel/log.h"
#include "lib/lwip/netif_xen.h"

#define NETIF_XEN_MTU 1500
#define NETIF_XEN_ETH_HLEN 14
#define NETIF_XEN_FRAME_MAX (NETIF_XEN_MTU + NETIF_XEN_ETH_HLEN)
/* Pieces passed to netfront_send() directly; TCP frames are usually 2
 * (headers, then data). */
#define NETIF_XEN_TX_FRAGS 16

/* The interface's checksum flags for a frame whose TCP/UDP checksum the
 * backend vouches for, and for any other frame. IP and ICMP are still
 * checked: "data validated" speaks of the transport checksum. */
#define NETIF_XEN_CSUM_TRUSTED       \
	(NETIF_CHECKSUM_ENABLE_ALL & \
	 ~(NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP))
#define NETIF_XEN_CSUM_CHECKED NETIF_CHECKSUM_ENABLE_ALL

struct netif_xen {
	struct netif netif;
	/* NULL once closing: changed under the core lock, read under it by
	 * linkoutput() and the input functions. */
	struct netfront_dev *dev;
	const char *hostname;
	/* Set once netif_add() is done; frames before that are dropped. */
	volatile bool added;
	struct netif_xen_stats stats;
	/* linkoutput() scratch: it runs under the core lock, one at a time. */
	struct netfront_frag tx_frags[NETIF_XEN_TX_FRAGS];
	uint8_t tx_flat[NETIF_XEN_FRAME_MAX];
};

/* --- receive (netfront's service thread, under the core lock) ------------- */

/* Hand a frame to lwIP with the interface's checksum checks set for it;
 * a frame whose rx() call raced with closing (it waited for the core lock
 * that netif_xen_close() held) is dropped. */
static err_t input_with(struct pbuf *p, struct netif *netif, u16_t csum)
{
	struct netif_xen *nx = netif->state;

	if (!nx->dev) {
		pbuf_free(p);
		return ERR_OK;
	}
	NETIF_SET_CHECKSUM_CTRL(netif, csum);
	return ethernet_input(p, netif);
}

static err_t input_trusted(struct pbuf *p, struct netif *netif)
{
	return input_with(p, netif, NETIF_XEN_CSUM_TRUSTED);
}

static err_t input_checked(struct pbuf *p, struct netif *netif)
{
	return input_with(p, netif, NETIF_XEN_CSUM_CHECKED);
}

/* Copy the pieces into a new pool chain; NULL when the pool is empty. */
static struct pbuf *copy_frame(const struct netfront_frag *frags,
			       unsigned nfrags, size_t total)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)total, PBUF_POOL);
	u16_t off = 0;

	if (!p)
		return NULL;
	for (unsigned i = 0; i < nfrags; i++) {
		/* Cannot fail: the chain holds exactly total bytes. */
		(void)pbuf_take_at(p, frags[i].data, (u16_t)frags[i].len, off);
		off = (u16_t)(off + frags[i].len);
	}
	return p;
}

static void rx(void *arg, const struct netfront_frag *frags, unsigned nfrags,
	       unsigned flags)
{
	struct netif_xen *nx = arg;
	size_t total = 0;
	struct pbuf *p;
	netif_input_fn input = input_checked;

	if (!nx->added) {
		nx->stats.rx_early++;
		return;
	}
	for (unsigned i = 0; i < nfrags; i++)
		total += frags[i].len;
	if (total == 0 || total > 0xffff) {
		nx->stats.rx_too_big++;
		return;
	}
	p = copy_frame(frags, nfrags, total);
	if (!p) {
		nx->stats.rx_nomem++;
		return;
	}
	if (flags & (NETFRONT_RX_DATA_VALIDATED | NETFRONT_RX_CSUM_BLANK))
		input = input_trusted;
	/* Runs input under the core lock (see the top). rx_queue_full now
	 * counts frames the input function refused: no mailbox any more. */
	if (tcpip_inpkt(p, &nx->netif, input) != ERR_OK) {
		pbuf_free(p);
		nx->stats.rx_queue_full++;
		return;
	}
	nx->stats.rx_frames++;
}

/* --- transmit (under the core lock) --------------------------------------- */

/* The chain as pieces, flattened when it has too many. Returns the count,
 * or 0 when the frame is larger than the interface can send. */
static unsigned tx_pieces(struct netif_xen *nx, struct pbuf *p)
{
	unsigned n = 0;

	if (p->tot_len > NETIF_XEN_FRAME_MAX)
		return 0;
	if (pbuf_clen(p) > NETIF_XEN_TX_FRAGS) {
		pbuf_copy_partial(p, nx->tx_flat, p->tot_len, 0);
		nx->tx_frags[0] =
			(struct netfront_frag){ nx->tx_flat, p->tot_len };
		return 1;
	}
	for (struct pbuf *q = p; q; q = q->next)
		if (q->len)
			nx->tx_frags[n++] =
				(struct netfront_frag){ q->payload, q->len };
	return n;
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct netif_xen *nx = netif->state;
	unsigned n = tx_pieces(nx, p);
	int rc;

	if (!nx->dev)
		return ERR_IF;
	if (n == 0) {
		nx->stats.tx_errors++;
		return ERR_BUF;
	}
	/* Waits (briefly, at most NETFRONT_TX_WAIT_NS) for ring space: that
	 * holds the core lock, which is the back-pressure a bulk sender
	 * needs. */
	rc = netfront_send(nx->dev, nx->tx_frags, n, 0);
	if (rc < 0) {
		nx->stats.tx_errors++;
		log_debug("send of %u bytes failed (%d)", p->tot_len, rc);
		return ERR_IF;
	}
	nx->stats.tx_frames++;
	return ERR_OK;
}

/* --- set-up ------------------------------------------------------------ */

/* netif_add()'s init function: runs in the tcpip thread. */
static err_t netif_xen_init(struct netif *netif)
{
	struct netif_xen *nx = netif->state;

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = linkoutput;
	netif->mtu = NETIF_XEN_MTU;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	netfront_get_mac(nx->dev, netif->hwaddr);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	NETIF_SET_CHECKSUM_CTRL(netif, NETIF_XEN_CSUM_CHECKED);
	netif_set_hostname(netif, nx->hostname);
	return ERR_OK;
}

int netif_xen_open(const char *id, const char *hostname, struct netif_xen **out,
		   struct netif **netif_out)
{
	struct netif_xen *nx = calloc(1, sizeof(*nx));
	err_t err;
	int rc;

	if (!nx)
		return -ENOMEM;
	nx->hostname = hostname;
	rc = netfront_open(id, &nx->dev, rx, nx);
	if (rc < 0)
		goto err_free;
	err = netifapi_netif_add(&nx->netif, NULL, NULL, NULL, nx,
				 netif_xen_init, tcpip_input);
	if (err != ERR_OK) {
		rc = -err_to_errno(err);
		goto err_close;
	}
	nx->added = true;
	err = netifapi_netif_set_up(&nx->netif);
	if (err != ERR_OK) {
		netif_xen_close(nx); /* undoes all of the above */
		return -err_to_errno(err);
	}
	*out = nx;
	*netif_out = &nx->netif;
	return 0;

err_close:
	(void)netfront_close(nx->dev); /* the device is gone either way */
err_free:
	free(nx);
	return rc;
}

static void flushed(void *arg)
{
	sys_sem_signal(arg);
}

/* Wait until the tcpip thread has handled every message queued so far
 * (its mailbox is FIFO). */
static void flush_tcpip_queue(void)
{
	sys_sem_t sem;

	/* Without memory for a semaphore or a message there is no safe way
	 * to free the interface: keep waiting for memory. */
	while (sys_sem_new(&sem, 0) != ERR_OK)
		sys_msleep(10);
	while (tcpip_callback(flushed, &sem) != ERR_OK)
		sys_msleep(10);
	sys_sem_wait(&sem);
	sys_sem_free(&sem);
}

void netif_xen_close(struct netif_xen *nx)
{
	struct netfront_dev *dev;

	/* From here on the stack no longer sends through the device nor
	 * accepts frames from it. */
	LOCK_TCPIP_CORE();
	nx->added = false;
	dev = nx->dev;
	nx->dev = NULL;
	netif_set_down(&nx->netif);
	netif_remove(&nx->netif);
	UNLOCK_TCPIP_CORE();
	/* No rx() call is running or will start once this returns. */
	(void)netfront_close(dev); /* the device is gone either way */
	/* Input is direct (no frame waits in the mailbox), but a message
	 * queued before this may still point at nx: cheap to be sure. */
	flush_tcpip_queue();
	free(nx);
}

void netif_xen_get_stats(const struct netif_xen *nx,
			 struct netif_xen_stats *out)
{
	*out = nx->stats;
}
