/*
 * Bringing the network up: lwIP's tcpip thread, the netfront interface,
 * and its address (static or DHCP) and DNS servers. What applications do
 * with it afterwards goes through BSD sockets (include/sys/socket.h).
 */
#ifndef SKIFF_LIB_NET_H
#define SKIFF_LIB_NET_H

#include <stdint.h>

/* Every string is optional (NULL or ""). */
struct net_config {
	const char *dev; /* netfront vif id; empty: the first vif */
	/* Dotted quad, optionally with a prefix length ("10.0.0.2/24").
	 * Empty: DHCP. */
	const char *ip;
	const char *netmask; /* static only; default /24 (or ip's prefix) */
	const char *gw;	     /* static only; must be inside the subnet */
	/* DNS server. With DHCP it replaces the server the lease names. */
	const char *dns;
	const char *hostname;	  /* announced to DHCP; default "skiff", at most
				   * 63 characters */
	uint32_t dhcp_timeout_ms; /* 0: NET_DHCP_TIMEOUT_MS */
};

#define NET_DHCP_TIMEOUT_MS 10000u

/*
 * Validate cfg, then start lwIP (once), open the interface and configure
 * it; with DHCP, wait for a lease until the timeout. Logs the result as
 * "[net] 10.0.0.2/24 via 10.0.0.1 ...". Returns 0, or -EINVAL (a bad
 * address, netmask, or gateway outside the subnet: logged with the
 * offending value), -EALREADY (already started), -ETIMEDOUT (no lease in
 * time), or the device's or lwIP's negative errno. On failure the
 * interface is closed again, so a later call may retry. Thread context;
 * blocks (device connection, DHCP).
 */
int net_start(const struct net_config *cfg);

/*
 * Start lwIP alone: its tcpip thread and the loopback interface
 * (127.0.0.1), no device. net_start() does this itself; an application
 * that only talks to itself may call just this. Returns 0 (also when the
 * stack runs already) or -ENOMEM. Thread context; neither this nor
 * net_start() may run in two threads at once.
 */
int net_start_loopback(void);

/* The configuration given on the command line (lib/net_options.c). */
const struct net_config *net_boot_config(void);

/*
 * Bring the network up once, with net_boot_config(): called by the socket
 * layer before its first use, so apps without sockets never start lwIP.
 * Without a network device (no vif, or booted as dom0) only the loopback
 * interface comes up, and that is not an error. Returns 0 or the negative
 * errno of a failed start (a bad option, no DHCP lease); the next call
 * tries again. Thread context; concurrent callers wait for the first.
 */
int net_up(void);

#endif
