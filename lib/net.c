/*
 * Network start-up: validates the configuration, starts lwIP's tcpip
 * thread, opens the netfront interface (lib/lwip/netif_xen.c) and gives it
 * a static address or one from DHCP, then the DNS server. It owns the one
 * interface; it does not read the command line (the caller does).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/netifapi.h"
#include "lwip/tcpip.h"

#define LOG_TAG "net"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/sync.h"
#include "kernel/timer.h"
#include "lib/lwip/netif_xen.h"
#include "lib/net.h"

#define NET_DEFAULT_PREFIX 24
#define NET_DEFAULT_HOSTNAME "skiff"
#define NET_DHCP_POLL_NS (20ull * 1000 * 1000)
#define NET_HOSTNAME_MAX 63

static struct net_state {
	bool stack_up;
	bool started;
	bool loopback_only;		     /* net_up() found no device */
	char hostname[NET_HOSTNAME_MAX + 1]; /* lwIP keeps a pointer to it */
	struct netif_xen *nx;
	struct netif *netif;
} net_state;

/* A checked configuration, addresses in host byte order. */
struct net_addrs {
	bool dhcp;
	uint32_t ip, mask, gw, dns; /* 0: none */
};

static bool empty(const char *s)
{
	return !s || !*s;
}

/* --- parsing and validation ---------------------------------------------
 */

/* A strict dotted quad ("10.0.0.2": four decimal numbers up to 255, no
 * signs, no hex, no missing parts). *end is left after it. */
static bool parse_quad(const char *s, uint32_t *out, const char **end)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;

		if (part > 0 && *s++ != '.')
			return false;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || n > 255)
			return false;
		v = v << 8 | n;
	}
	*out = v;
	*end = s;
	return true;
}

static int parse_addr(const char *what, const char *s, uint32_t *out)
{
	const char *end;

	if (!parse_quad(s, out, &end) || *end) {
		log_err("%s '%s' is not an IPv4 address (a.b.c.d)", what, s);
		return -EINVAL;
	}
	return 0;
}

static uint32_t prefix_to_mask(unsigned prefix)
{
	return prefix ? ~0u << (32 - prefix) : 0;
}

/* ip, with an optional "/prefix", into addr and (when given) mask. */
static int parse_ip(const char *s, struct net_addrs *a, bool *has_prefix)
{
	const char *end;
	unsigned prefix = 0, digits = 0;

	*has_prefix = false;
	if (!parse_quad(s, &a->ip, &end) || (*end && *end != '/'))
		goto bad;
	if (*end == '/') {
		for (end++; *end >= '0' && *end <= '9' && digits < 3; end++) {
			prefix = prefix * 10 + (unsigned)(*end - '0');
			digits++;
		}
		if (digits == 0 || *end || prefix < 1 || prefix > 32)
			goto bad;
		a->mask = prefix_to_mask(prefix);
		*has_prefix = true;
	}
	return 0;
bad:
	log_err("ip '%s' is not an IPv4 address with an optional prefix "
		"(a.b.c.d or a.b.c.d/n, n from 1 to 32)",
		s);
	return -EINVAL;
}

static int check_mask(const char *s, uint32_t mask)
{
	/* Contiguous ones from the top: the zeros below form 2^k - 1. */
	if (mask == 0 || (~mask & (~mask + 1)) != 0) {
		log_err("netmask '%s' is not a contiguous mask "
			"(255.255.255.0, ...)",
			s);
		return -EINVAL;
	}
	return 0;
}

static void format_ip(uint32_t host, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", host >> 24, (host >> 16) & 0xff,
		 (host >> 8) & 0xff, host & 0xff);
}

/* A host address must be usable on its subnet. */
static int check_host(const char *what, uint32_t addr, uint32_t mask)
{
	char buf[16];
	const char *why = NULL;

	if (addr == 0)
		why = "unspecified";
	else if ((addr >> 24) == 127)
		why = "a loopback address";
	else if ((addr >> 28) >= 0xe)
		why = "multicast or reserved";
	else if (mask < 0xfffffffeu && (addr & ~mask) == 0)
		why = "the subnet's network address";
	else if (mask < 0xfffffffeu && (addr & ~mask) == ~mask)
		why = "the subnet's broadcast address";
	if (!why)
		return 0;
	format_ip(addr, buf, sizeof(buf));
	log_err("%s %s is %s", what, buf, why);
	return -EINVAL;
}

static int check_static(const struct net_config *cfg, struct net_addrs *a)
{
	bool has_prefix;
	uint32_t mask;
	int rc;

	rc = parse_ip(cfg->ip, a, &has_prefix);
	if (rc == 0 && !empty(cfg->netmask)) {
		rc = parse_addr("netmask", cfg->netmask, &mask);
		if (rc == 0)
			rc = check_mask(cfg->netmask, mask);
		if (rc == 0 && has_prefix && mask != a->mask) {
			log_err("netmask '%s' contradicts ip '%s'",
				cfg->netmask, cfg->ip);
			rc = -EINVAL;
		}
		a->mask = mask;
	} else if (rc == 0 && !has_prefix) {
		a->mask = prefix_to_mask(NET_DEFAULT_PREFIX);
	}
	if (rc == 0)
		rc = check_host("ip", a->ip, a->mask);
	if (rc == 0 && !empty(cfg->gw)) {
		rc = parse_addr("gw", cfg->gw, &a->gw);
		if (rc == 0 && ((a->gw ^ a->ip) & a->mask || a->gw == a->ip)) {
			log_err("gw %s is not another host on the subnet of "
				"ip %s",
				cfg->gw, cfg->ip);
			rc = -EINVAL;
		}
	}
	return rc;
}

/* Everything the caller gave, checked before anything starts. */
static int check_config(const struct net_config *cfg, struct net_addrs *a)
{
	int rc = 0;

	*a = (struct net_addrs){ .dhcp = empty(cfg->ip) };
	if (a->dhcp && (!empty(cfg->netmask) || !empty(cfg->gw))) {
		log_err("netmask and gw need a static ip (without ip, the "
			"address comes from DHCP)");
		return -EINVAL;
	}
	if (!a->dhcp)
		rc = check_static(cfg, a);
	if (rc == 0 && !empty(cfg->dns))
		rc = parse_addr("dns", cfg->dns, &a->dns);
	if (rc == 0 && !empty(cfg->hostname) &&
	    strlen(cfg->hostname) > NET_HOSTNAME_MAX) {
		log_err("hostname '%s' is longer than %d characters",
			cfg->hostname, NET_HOSTNAME_MAX);
		rc = -EINVAL;
	}
	return rc;
}

/* --- lwIP ---------------------------------------------------------------- */

static void stack_ready(void *arg)
{
	sys_sem_signal(arg);
}

int net_start_loopback(void)
{
	sys_sem_t ready;

	if (net_state.stack_up)
		return 0;
	if (sys_sem_new(&ready, 0) != ERR_OK)
		return -ENOMEM;
	tcpip_init(stack_ready, &ready);
	sys_sem_wait(&ready);
	sys_sem_free(&ready);
	net_state.stack_up = true;
	return 0;
}

static void ip4_from_host(ip4_addr_t *out, uint32_t host)
{
	ip4_addr_set_u32(out, lwip_htonl(host));
}

static void set_dns(uint32_t host)
{
	ip_addr_t server;

	ip_addr_set_ip4_u32(&server, lwip_htonl(host));
	LOCK_TCPIP_CORE();
	dns_setserver(0, &server);
	UNLOCK_TCPIP_CORE();
}

static int set_static(struct netif *netif, const struct net_addrs *a)
{
	ip4_addr_t ip, mask, gw;

	ip4_from_host(&ip, a->ip);
	ip4_from_host(&mask, a->mask);
	ip4_from_host(&gw, a->gw);
	return -err_to_errno(netifapi_netif_set_addr(netif, &ip, &mask, &gw));
}

static bool has_lease(struct netif *netif)
{
	bool bound;

	LOCK_TCPIP_CORE();
	bound = dhcp_supplied_address(netif);
	UNLOCK_TCPIP_CORE();
	return bound;
}

static int run_dhcp(struct netif *netif, uint32_t timeout_ms)
{
	uint64_t deadline = timer_now_ns() + timeout_ms * 1000000ull;
	err_t err = netifapi_dhcp_start(netif);

	if (err != ERR_OK)
		return -err_to_errno(err);
	while (!has_lease(netif)) {
		if (timer_now_ns() >= deadline) {
			log_err("no DHCP lease after %u ms", timeout_ms);
			/* Nothing was leased: nothing to release. */
			(void)netifapi_dhcp_release_and_stop(netif);
			return -ETIMEDOUT;
		}
		thread_sleep_ns(NET_DHCP_POLL_NS);
	}
	return 0;
}

/* "[net] 10.0.0.2/24 via 10.0.0.1 (static, dns 10.0.0.1)" */
static void log_result(struct netif *netif, bool dhcp)
{
	char ip[16], gw[16], dns[16] = "none";
	const ip_addr_t *server;
	uint32_t mask;

	LOCK_TCPIP_CORE();
	ip4addr_ntoa_r(netif_ip4_addr(netif), ip, sizeof(ip));
	ip4addr_ntoa_r(netif_ip4_gw(netif), gw, sizeof(gw));
	mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(netif)));
	server = dns_getserver(0);
	if (!ip_addr_isany(server))
		ip4addr_ntoa_r(ip_2_ip4(server), dns, sizeof(dns));
	UNLOCK_TCPIP_CORE();
	if (ip4_addr_isany_val(*netif_ip4_gw(netif)))
		log_info("%s/%d, no gateway (%s, dns %s)", ip,
			 __builtin_popcount(mask), dhcp ? "dhcp" : "static",
			 dns);
	else
		log_info("%s/%d via %s (%s, dns %s)", ip,
			 __builtin_popcount(mask), gw, dhcp ? "dhcp" : "static",
			 dns);
}

int net_start(const struct net_config *cfg)
{
	struct net_state *st = &net_state;
	struct net_addrs a;
	struct netif_xen *nx;
	struct netif *netif;
	int rc;

	if (st->started)
		return -EALREADY;
	rc = check_config(cfg, &a);
	if (rc < 0)
		return rc;
	rc = net_start_loopback();
	if (rc < 0)
		return rc;
	snprintf(st->hostname, sizeof(st->hostname), "%s",
		 empty(cfg->hostname) ? NET_DEFAULT_HOSTNAME : cfg->hostname);
	rc = netif_xen_open(empty(cfg->dev) ? NULL : cfg->dev, st->hostname,
			    &nx, &netif);
	if (rc < 0) {
		log_err("cannot open network device %s (%d)",
			empty(cfg->dev) ? "(first vif)" : cfg->dev, rc);
		return rc;
	}
	(void)netifapi_netif_set_default(netif); /* cannot fail */
	if (a.dhcp)
		rc = run_dhcp(netif, cfg->dhcp_timeout_ms
					     ? cfg->dhcp_timeout_ms
					     : NET_DHCP_TIMEOUT_MS);
	else
		rc = set_static(netif, &a);
	if (rc < 0)
		goto err_close;
	if (a.dns)
		set_dns(a.dns);
	log_result(netif, a.dhcp);
	st->nx = nx;
	st->netif = netif;
	st->started = true;
	return 0;

err_close:
	netif_xen_close(nx);
	return rc;
}

int net_up(void)
{
	static struct mutex lock;
	int rc = 0;

	mutex_lock(&lock);
	if (!net_state.started && !net_state.loopback_only) {
		rc = net_start(net_boot_config());
		if (rc == -ENOENT || rc == -ENODEV) {
			log_info("no network device: loopback only");
			net_state.loopback_only = true;
			rc = 0;
		}
	}
	mutex_unlock(&lock);
	return rc;
}
