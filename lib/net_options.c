/*
 * The network's command-line options: ip=, netmask=, gw=, dns=,
 * hostname=, vif=, dhcp_timeout= (ms). Kept apart from lib/net.c so that
 * they are known options in every image, while lwIP and the rest of the
 * network stack are linked only into apps that use sockets.
 */
#include <stdint.h>

#include "lib/cmdline.h"
#include "lib/net.h"

#define ADDR_LEN 20 /* "255.255.255.255/32" */
#define NAME_LEN 64

static struct net_options_state {
	char ip[ADDR_LEN], netmask[ADDR_LEN], gw[ADDR_LEN], dns[ADDR_LEN];
	char hostname[NAME_LEN], vif[16];
	uint64_t dhcp_timeout_ms;
	struct net_config cfg;
} no;

#define STRING_OPTION(var, key, field)                  \
	CMDLINE_OPTION(var) = { .name = key,            \
				.type = CMDLINE_STRING, \
				.dest = no.field,       \
				.size = sizeof(no.field) }

STRING_OPTION(opt_ip, "ip", ip);
STRING_OPTION(opt_netmask, "netmask", netmask);
STRING_OPTION(opt_gw, "gw", gw);
STRING_OPTION(opt_dns, "dns", dns);
STRING_OPTION(opt_hostname, "hostname", hostname);
STRING_OPTION(opt_vif, "vif", vif);
CMDLINE_OPTION(opt_dhcp_timeout) = { .name = "dhcp_timeout",
				     .type = CMDLINE_UINT,
				     .dest = &no.dhcp_timeout_ms,
				     .max = 600000 };

const struct net_config *net_boot_config(void)
{
	no.cfg.dev = no.vif;
	no.cfg.ip = no.ip;
	no.cfg.netmask = no.netmask;
	no.cfg.gw = no.gw;
	no.cfg.dns = no.dns;
	no.cfg.hostname = no.hostname;
	no.cfg.dhcp_timeout_ms = (uint32_t)no.dhcp_timeout_ms;
	return &no.cfg;
}
