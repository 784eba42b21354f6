/*
 * The lwIP network interface over a netfront device (drivers/netfront.h):
 * Ethernet, MTU 1500, ARP. It owns moving frames between the two; it does
 * not choose addresses (lib/net.c does).
 */
#ifndef SKIFF_LIB_LWIP_NETIF_XEN_H
#define SKIFF_LIB_LWIP_NETIF_XEN_H

#include <stdint.h>

struct netif;
struct netif_xen;

/* Frames and drops since netif_xen_open(), as seen by this layer (the
 * driver keeps its own counters). */
struct netif_xen_stats {
	uint64_t rx_frames;
	uint64_t rx_early;	/* arrived before the interface was added */
	uint64_t rx_too_big;	/* longer than a pbuf chain can say (64 KiB) */
	uint64_t rx_nomem;	/* no pool pbufs left */
	uint64_t rx_queue_full; /* the tcpip thread's mailbox was full */
	uint64_t tx_frames;
	uint64_t tx_errors; /* netfront_send() failed: frame dropped */
};

/*
 * Open vif `id` (NULL: the first) and add it to lwIP with no address, up
 * and with its link up; hostname (may be NULL) is what DHCP announces and
 * must stay valid. The stack must be running (tcpip_init done). Returns 0
 * with the interface in *out and lwIP's netif in *netif_out, or a negative
 * errno from netfront_open() or lwIP (-ENOMEM...); nothing is left behind
 * on failure. Thread context; blocks while the device connects.
 */
int netif_xen_open(const char *id, const char *hostname, struct netif_xen **out,
		   struct netif **netif_out);

/* Remove the interface from lwIP and close the device. Thread context,
 * not holding lwIP's core lock. */
void netif_xen_close(struct netif_xen *nx);

/* A copy of the counters. Any context. */
void netif_xen_get_stats(const struct netif_xen *nx,
			 struct netif_xen_stats *out);

#endif
