#!/bin/bash
# tests/lab/net.sh - lab job: Skiff's network stack (netfront + lwIP +
# sockets) with apps/echo, from dom0 over the bridge:
#   ping (ARP + ICMP) and ping -s 4000 (IP fragments both ways);
#   TCP echo of 8 MiB, compared byte for byte; 64 connections at once,
#   64 KiB each; 1000 UDP datagrams of 4..8006 bytes, none corrupted;
#   xl network-detach then network-attach: the server answers again;
#   reopen: a guest whose first DHCP attempt times out closes its vif
#   (netback goes to Closed), reopens it on its own on the next try and
#   gets a lease once udhcpd runs, then echoes;
#   DHCP: a second guest without ip= gets its address from udhcpd;
#   DNS: getaddrinfo in a guest resolves a name through a server in dom0.
#
# lab-file: build/echo/echo.xen
# lab-file: build/resolve/resolve.xen
# lab-file: build/reopen/reopen.xen
# lab-file: build/lab-tools/netcheck
. /lab/lib.sh

fail() { echo "FAIL lab/net: $*"; exit 1; }
IP=10.0.0.2

guest_cfg() { # name, extra
	lab_skiff_cfg "$1" /lab/echo.xen 32 "$2" bridge
}

check() { # what, command...
	local what=$1 out
	shift
	out=$("$@" 2>&1) || fail "$what: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	echo "lab/net: $what: $(echo "$out" | grep -v '^$' | tail -n 1)"
}

guest_cfg echo "ip=$IP gw=10.0.0.1"
lab_create /lab/echo.cfg || fail "xl create failed"
lab_expect_console echo 'echo: listening' 60 || fail "echo never listened"

check "ping" ping -c 3 -W 10 $IP
check "ping -s 4000" ping -c 2 -W 10 -s 4000 $IP
check "tcp echo 8 MiB" /lab/netcheck tcp-echo $IP 7 8388608
check "64 connections" /lab/netcheck tcp-echo-many $IP 7 64 65536
check "udp echo" /lab/netcheck udp-echo $IP 7 1000

xl network-detach echo 0 || fail "xl network-detach failed"
lab_expect_console echo 'disconnect' 30 || fail "the guest did not see the detach"
xl network-attach echo bridge=xenbr0 || fail "xl network-attach failed"
start=$EPOCHREALTIME
until ping -c 1 -W 2 $IP >/dev/null 2>&1; do
	lab_past "$start" 60 && fail "no answer 60 s after network-attach"
done
check "tcp echo after re-attach" /lab/netcheck tcp-echo $IP 7 65536

# Reopen: no DHCP server yet, so the first try times out and the guest
# closes its vif itself.
lab_skiff_cfg reopen /lab/reopen.xen 32 "dhcp_timeout=3000" bridge
lab_create /lab/reopen.cfg || fail "xl create (reopen) failed"
lab_expect_console reopen 'try 1: network down' 60 ||
	fail "the reopen guest's first DHCP try did not fail"
be=/local/domain/0/backend/vif/$(xl domid reopen)/0/state
start=$EPOCHREALTIME
until [ "$(xenstore-read "$be" 2>/dev/null)" = 6 ]; do
	lab_past "$start" 30 && fail "netback never went to Closed ($be)"
	sleep 0.5
done
echo "lab/net: reopen: DHCP timed out, guest closed its vif, netback Closed"

# DHCP from dom0's busybox udhcpd.
cat >/lab/udhcpd.conf <<CONF
start 10.0.0.100
end 10.0.0.120
interface xenbr0
lease_file /run/udhcpd.leases
option subnet 255.255.255.0
option router 10.0.0.1
option dns 10.0.0.1
CONF
: >/run/udhcpd.leases
busybox udhcpd -f /lab/udhcpd.conf &
dhcpd=$!
lab_expect_console reopen 'reopen: listening' 90 ||
	fail "the reopen guest never came back: $(tail -n 5 "$(lab_console reopen)")"
grep -q 'backend closed; reopening' "$(lab_console reopen)" ||
	fail "the reopen guest came back without reopening its vif"
relace=$(sed -n 's/.*\[net\] \(10\.0\.0\.[0-9]*\)\/24 via 10.0.0.1 (dhcp.*/\1/p' \
	"$(lab_console reopen)")
[ -n "$relace" ] || fail "no DHCP lease line on the reopen guest's console"
check "echo after reopen at $relace" /lab/netcheck tcp-echo "$relace" 7 65536
lab_expect_console reopen '^TEST PASS reopen' 30 || fail "reopen gave no PASS"
xl destroy reopen 2>/dev/null
guest_cfg echo-dhcp ""
lab_create /lab/echo-dhcp.cfg || fail "xl create (dhcp) failed"
lab_expect_console echo-dhcp 'echo: listening' 60 ||
	fail "the DHCP guest never listened: $(grep '\[net\]' "$(lab_console echo-dhcp)")"
lease=$(sed -n 's/.*\[net\] \(10\.0\.0\.[0-9]*\)\/24 via 10.0.0.1 (dhcp.*/\1/p' \
	"$(lab_console echo-dhcp)")
[ -n "$lease" ] || fail "no DHCP lease line on the guest's console"
check "echo at the DHCP address $lease" /lab/netcheck tcp-echo "$lease" 7 65536
kill $dhcpd 2>/dev/null
xl destroy echo-dhcp 2>/dev/null
xl destroy echo 2>/dev/null

# DNS: a server in dom0 that knows one name.
/lab/netcheck dns-serve 10.0.0.1 skiff.test 10.0.0.77 60 >/run/dns.out &
lab_skiff_cfg resolve /lab/resolve.xen 32 \
	"ip=10.0.0.4 gw=10.0.0.1 dns=10.0.0.1 -- skiff.test 10.0.0.77" bridge
lab_create /lab/resolve.cfg || fail "xl create (resolve) failed"
lab_expect_console resolve '^TEST (PASS|FAIL) resolve' 60 ||
	fail "the DNS guest gave no verdict"
verdict=$(grep -E '^TEST (PASS|FAIL) resolve' "$(lab_console resolve)")
[[ $verdict == "TEST PASS"* ]] || fail "$verdict"
echo "lab/net: dns: ${verdict#TEST PASS resolve: }"
echo "PASS lab/net: ping, fragments, 8 MiB TCP echo, 64 connections, 1000" \
	"UDP datagrams, detach/attach, reopen after its own close, DHCP ($lease)," \
	"DNS"
