/*
 * Netfront: the frontend of a Xen virtual network interface, one queue,
 * rx-copy (xen/include/public/io/netif.h, with io/ring.h for the rings).
 * This file is the control path: connecting and disconnecting (buffers,
 * grants, rings and the xenstore handshake), the control thread that
 * follows the backend, and the public API apart from netfront_send().
 * The data path (receive, transmit, events, the service thread) is in
 * drivers/netfront_data.c; the state both share, and the locks that
 * guard it, in drivers/netfront_priv.h.
 *
 * Xenstore. Reads device/vif/<id>/mac and, from the backend,
 * feature-rx-copy (required), feature-sg (may we send multi-page frames)
 * and feature-split-event-channels. Writes tx-ring-ref, rx-ring-ref,
 * event-channel (or event-channel-tx and -rx), request-rx-copy=1,
 * feature-rx-notify=1, feature-sg=1 (we take multi-slot frames) and
 * feature-no-csum-offload=0, then goes straight to Connected as netback
 * expects. The xenbus helper owns the handshake itself.
 *
 * Memory. Each connection grants 256 receive pages writable and
 * NETFRONT_TX_BUFS send pages read-only to the backend, and fills the
 * receive ring before connecting (how the data path uses them:
 * drivers/netfront_data.c). Disconnecting revokes and frees them.
 *
 * Contexts. The event handler runs in upcall context and only wakes
 * threads. The service thread consumes both rings and calls the rx
 * function. The control thread watches the backend's state and tears
 * down and rebuilds the connection. netfront_send() runs in its
 * caller's thread and reaps tx completions itself when it needs room.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "netfront"
#include "drivers/netfront_priv.h"
#include "kernel/fmt.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/report.h"
#include "kernel/timer.h"

#define OPEN_TIMEOUT_NS (10000 * MS)
#define CONNECT_TIMEOUT_NS (10000 * MS)
#define CLOSE_TIMEOUT_NS (5000 * MS)
#define CONTROL_STACK (32 * 1024)

/* --- connect and disconnect ------------------------------------------------
 */

/* Undo setup_rings(), whatever part of it was done. The backend must have
 * let go (xenbus_close()) or been told nothing yet. */
static void release_rings(struct netfront_dev *dev)
{
	xenring_teardown(&dev->rx_ring);
	xenring_teardown(&dev->tx_ring);
	(void)xenshare_pages_free(dev->rx_bufs, NETFRONT_RX_BUFS);
	(void)xenshare_pages_free(dev->tx_bufs, NETFRONT_TX_BUFS);
	netif_rx_asm_init(&dev->rx_asm);
	memset(dev->tx_inflight, 0, sizeof(dev->tx_inflight));
	dev->tx_nfree = 0;
	dev->ring_set_up = false;
}

static int setup_rings(struct netfront_dev *dev)
{
	uint16_t domid = dev->xb.backend_id;
	unsigned i;
	int rc;

	dev->ring_set_up = true; /* from here on release_rings() undoes */
	rc = xenshare_pages_alloc(dev->rx_bufs, NETFRONT_RX_BUFS, domid, false);
	if (rc == 0)
		rc = xenshare_pages_alloc(dev->tx_bufs, NETFRONT_TX_BUFS, domid,
					  true);
	if (rc == 0)
		rc = xenring_setup(&dev->tx_ring, domid, 0, netfront_event,
				   dev);
	if (rc == 0)
		rc = xenring_setup(&dev->rx_ring, domid, 0, netfront_event,
				   dev);
	if (rc != 0)
		return rc;
	SHARED_RING_INIT((struct netif_tx_sring *)xenring_page(&dev->tx_ring));
	FRONT_RING_INIT(&dev->tx,
			(struct netif_tx_sring *)xenring_page(&dev->tx_ring),
			xenring_bytes(&dev->tx_ring));
	SHARED_RING_INIT((struct netif_rx_sring *)xenring_page(&dev->rx_ring));
	FRONT_RING_INIT(&dev->rx,
			(struct netif_rx_sring *)xenring_page(&dev->rx_ring),
			xenring_bytes(&dev->rx_ring));
	dev->rx_kick = dev->split_evtchn ? &dev->rx_ring : &dev->tx_ring;
	netif_rx_asm_init(&dev->rx_asm);
	for (i = 0; i < NETFRONT_TX_BUFS; i++)
		dev->tx_free[i] = (uint16_t)(NETFRONT_TX_BUFS - 1 - i);
	dev->tx_nfree = NETFRONT_TX_BUFS;
	memset(dev->tx_inflight, 0, sizeof(dev->tx_inflight));
	/* Fill the receive ring before the backend looks at it. */
	for (i = 0; i < NETFRONT_RX_BUFS; i++)
		netfront_rx_post(dev, dev->rx.req_prod_pvt);
	dev->rx.sring->req_prod = dev->rx.req_prod_pvt;
	return 0;
}

static int read_features(struct netfront_dev *dev)
{
	uint64_t copy, sg, split;
	int rc;

	rc = xenbus_read_backend_uint(&dev->xb, "feature-rx-copy", 0, &copy);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-sg", 0, &sg);
	if (rc == 0)
		rc = xenbus_read_backend_uint(
			&dev->xb, "feature-split-event-channels", 0, &split);
	if (rc != 0)
		return rc;
	if (copy != 1) {
		log_err("%s: backend lacks feature-rx-copy", dev->xb.node);
		return -ENOTSUP;
	}
	dev->backend_sg = sg == 1;
	dev->split_evtchn = split == 1;
	return 0;
}

static int read_mac(struct netfront_dev *dev)
{
	char path[XENBUS_PATH_MAX], value[32];
	int rc;

	if (fmt_snprintf(path, sizeof(path), "%s/mac", dev->xb.node) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = xenstore_read(XENSTORE_TX_NONE, path, value, sizeof(value));
	if (rc == 0)
		rc = netif_parse_mac(value, dev->mac);
	if (rc != 0)
		log_err("%s: no valid mac (%d)", dev->xb.node, rc);
	return rc;
}

static void set_key(struct xenbus_key *k, const char *name, unsigned value)
{
	k->name = name;
	fmt_snprintf(k->value, sizeof(k->value), "%u", value);
}

static int write_keys_and_connect(struct netfront_dev *dev)
{
	struct xenbus_key keys[8];
	size_t n = 0;
	int rc;

	set_key(&keys[n++], "tx-ring-ref", xenring_ref(&dev->tx_ring, 0));
	set_key(&keys[n++], "rx-ring-ref", xenring_ref(&dev->rx_ring, 0));
	if (dev->split_evtchn) {
		set_key(&keys[n++], "event-channel-tx", dev->tx_ring.port);
		set_key(&keys[n++], "event-channel-rx", dev->rx_ring.port);
	} else {
		/* One channel for both rings; the rx ring's own channel
		 * stays unused. */
		set_key(&keys[n++], "event-channel", dev->tx_ring.port);
	}
	set_key(&keys[n++], "request-rx-copy", 1);
	set_key(&keys[n++], "feature-rx-notify", 1);
	set_key(&keys[n++], "feature-sg", 1);
	set_key(&keys[n++], "feature-no-csum-offload", 0);
	/* Netback reads the keys when we reach Connected. xenbus_connect()
	 * currently returns the backend's state (positive) when asked to
	 * go straight to Connected: only a negative value is an error. */
	rc = xenbus_connect(&dev->xb, keys, n, XenbusStateConnected,
			    timer_now_ns() + CONNECT_TIMEOUT_NS);
	return rc < 0 ? rc : 0;
}

/* Open the device, set everything up and connect. On failure nothing is
 * left: no watch, no grant, no page. Control thread or open. */
static int connect_dev(struct netfront_dev *dev)
{
	int rc = xenbus_open(&dev->xb, "vif", dev->id,
			     timer_now_ns() + OPEN_TIMEOUT_NS);

	if (rc != 0)
		return rc;
	rc = read_features(dev);
	if (rc == 0)
		rc = read_mac(dev);
	/* No lock needed: while `up` is false nobody else touches the
	 * rings, and holding the locks through the handshake would stall
	 * senders for seconds instead of failing them at once. */
	if (rc == 0)
		rc = setup_rings(dev);
	if (rc == 0)
		rc = write_keys_and_connect(dev);
	if (rc == 0) {
		mutex_lock(&dev->rx_lock);
		mutex_lock(&dev->tx_lock);
		dev->broken = false;
		dev->up = true;
		mutex_unlock(&dev->tx_lock);
		mutex_unlock(&dev->rx_lock);
	}
	if (rc == 0) {
		/* Responses that came before `up` are waiting. */
		netfront_kick(dev);
		log_info("%s: connected, mac %02x:%02x:%02x:%02x:%02x:%02x, "
			 "sg %s, %s event channels",
			 dev->xb.node, dev->mac[0], dev->mac[1], dev->mac[2],
			 dev->mac[3], dev->mac[4], dev->mac[5],
			 dev->backend_sg ? "on" : "off",
			 dev->split_evtchn ? "split" : "one");
		return 0;
	}
	/* Close before revoking: the backend may have mapped the rings. */
	(void)xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	if (dev->ring_set_up)
		release_rings(dev);
	return rc;
}

/* Stop using the rings, close the handshake, revoke and free. Control
 * thread or close. */
static int disconnect_dev(struct netfront_dev *dev)
{
	int rc;

	/* After this no thread touches the rings: the service thread and
	 * senders look at `up` under one of the locks, and whoever saw it
	 * true has let go of that lock by the time we hold both. */
	mutex_lock(&dev->rx_lock);
	mutex_lock(&dev->tx_lock);
	dev->up = false;
	cond_broadcast(&dev->tx_room);
	mutex_unlock(&dev->tx_lock);
	mutex_unlock(&dev->rx_lock);
	rc = xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	release_rings(dev);
	dev->stats.disconnects++;
	return rc;
}

/* --- the control thread: follow the backend --------------------------------
 */

/* Reconnect after a detach or our own close. */
static void reconnect(struct netfront_dev *dev)
{
	int rc = connect_dev(dev);

	if (rc == 0) {
		dev->stats.reconnects++;
		return;
	}
	log_warn("device/vif/%s: reconnecting failed (%d)", dev->id, rc);
	xenbus_follow_backoff(&dev->reattach, &dev->stopping);
}

static void control_main(void *arg)
{
	struct netfront_dev *dev = arg;

	while (!dev->stopping) {
		switch (xenbus_follow(&dev->xb, &dev->reattach, "vif", dev->id,
				      dev->up, dev->broken)) {
		case XENBUS_FOLLOW_DISCONNECT:
			(void)disconnect_dev(dev);
			break;
		case XENBUS_FOLLOW_CONNECT:
			reconnect(dev);
			break;
		case XENBUS_FOLLOW_STAY:
			break;
		}
	}
	xenbus_unwatch_device(&dev->reattach);
}

/* --- public API ------------------------------------------------------------
 */

/* Is id one of the vifs listed (id NULL: take the first)? */
static int find_vif(const char *id, char out[NETFRONT_ID_MAX])
{
	char ids[256];
	const char *p;
	size_t count;
	int rc = xenbus_list_devices("vif", ids, sizeof(ids), &count);

	if (rc != 0)
		return rc;
	for (p = ids; count--; p += strlen(p) + 1) {
		if (id && strcmp(p, id) != 0)
			continue;
		if (strlen(p) >= NETFRONT_ID_MAX)
			return -EINVAL;
		memcpy(out, p, strlen(p) + 1);
		return 0;
	}
	return -ENOENT;
}

static void free_dev(struct netfront_dev *dev)
{
	page_free(dev, page_order_for(sizeof(*dev)));
}

/* The counters, for `xl sysrq m` (kernel/report.h). They are 64-bit
 * words written by one thread at a time on our single vCPU: a report may
 * mix moments, never tear a value. */
static void report(void *arg)
{
	const struct netfront_dev *dev = arg;
	const struct netfront_stats *s = &dev->stats;
	unsigned i;

	log_info("device/vif/%s: %s; rx %llu frames %llu bytes; tx %llu "
		 "frames %llu bytes; tx completions: %llu error %llu dropped "
		 "%llu bad-id %llu unsolicited %llu bad-status %llu null; "
		 "%llu ring errors, %llu disconnects, %llu reconnects",
		 dev->id, dev->up ? "connected" : "disconnected",
		 (unsigned long long)s->rx_frames,
		 (unsigned long long)s->rx_bytes,
		 (unsigned long long)s->tx_frames,
		 (unsigned long long)s->tx_bytes,
		 (unsigned long long)s->tx_errors,
		 (unsigned long long)s->tx_dropped,
		 (unsigned long long)s->tx_bad_id,
		 (unsigned long long)s->tx_not_in_flight,
		 (unsigned long long)s->tx_bad_status,
		 (unsigned long long)s->tx_null,
		 (unsigned long long)s->ring_errors,
		 (unsigned long long)s->disconnects,
		 (unsigned long long)s->reconnects);
	for (i = 1; i < NETFRONT_RX_DROP_KINDS; i++)
		if (s->rx_drops[i])
			log_info("device/vif/%s: rx dropped %llu (%s)", dev->id,
				 (unsigned long long)s->rx_drops[i],
				 netif_rx_drop_name(i));
}

int netfront_open(const char *id, struct netfront_dev **out, netfront_rx_fn rx,
		  void *rx_arg)
{
	struct netfront_dev *dev;
	int rc;

	if (!out || !rx || (id && strlen(id) >= NETFRONT_ID_MAX))
		return -EINVAL;
	dev = page_alloc(page_order_for(sizeof(*dev)));
	if (!dev)
		return -ENOMEM;
	memset(dev, 0, sizeof(*dev));
	rc = find_vif(id, dev->id);
	if (rc != 0)
		goto err_free;
	dev->rx_fn = rx;
	dev->rx_arg = rx_arg;
	mutex_init(&dev->rx_lock, false);
	mutex_init(&dev->tx_lock, false);
	cond_init(&dev->tx_room);
	rc = connect_dev(dev);
	if (rc != 0)
		goto err_free;
	/* The rx function runs on this stack: the default size. */
	dev->service = thread_create("netfront", netfront_service_main, dev, 0);
	if (!dev->service) {
		rc = -ENOMEM;
		goto err_disconnect;
	}
	dev->control =
		thread_create("netfront-ctl", control_main, dev, CONTROL_STACK);
	if (!dev->control) {
		rc = -ENOMEM;
		goto err_stop_service;
	}
	dev->report = (struct report_source){ .name = "netfront",
					      .report = report,
					      .arg = dev };
	report_register(&dev->report);
	*out = dev;
	return 0;

err_stop_service:
	dev->stopping = true;
	netfront_kick(dev);
	(void)thread_join(dev->service);
err_disconnect:
	(void)disconnect_dev(dev);
err_free:
	free_dev(dev);
	return rc;
}

void netfront_get_mac(const struct netfront_dev *dev, uint8_t mac[6])
{
	memcpy(mac, dev->mac, sizeof(dev->mac));
}

int netfront_close(struct netfront_dev *dev)
{
	int rc = 0;

	report_unregister(&dev->report);
	dev->stopping = true;
	netfront_kick(dev);
	/* The control thread sees the flag within a second (xenbus_follow()
	 * waits no longer), plus any connect it is in the middle of. */
	(void)thread_join(dev->control);
	(void)thread_join(dev->service);
	if (dev->up)
		rc = disconnect_dev(dev);
	log_info("device/vif/%s: closed", dev->id);
	free_dev(dev);
	return rc;
}
