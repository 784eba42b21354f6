#!/bin/bash
# tests/lab/httpd.sh - lab job: apps/httpd as a guest, checked from dom0
# over the bridge and from the host's side of QEMU's port forward:
# 200 with keep-alive, 404, 400 for a malformed request, and still serving
# afterwards (tests/lab/netcheck.c, "http").
#
# The forward (127.0.0.1:18080 on the host -> 10.0.0.3:80) is reached from
# dom0 through QEMU's user network, where 10.0.2.2 is the host: so this
# request leaves the emulated machine, comes back in through the forward,
# and is DNATed by dom0 to the guest, as a browser's on the host would.
#
# lab-file: build/httpd/httpd.xen
# lab-file: build/lab-tools/netcheck
# lab-forward: 18080:10.0.0.3:80
. /lab/lib.sh

fail() { echo "FAIL lab/httpd: $*"; exit 1; }
IP=10.0.0.3

lab_skiff_cfg httpd /lab/httpd.xen 32 "ip=$IP gw=10.0.0.1" bridge
lab_create /lab/httpd.cfg || fail "xl create failed"
lab_expect_console httpd 'httpd: listening' 60 || fail "httpd never listened"
out=$(/lab/netcheck http $IP 80 2>&1) || fail "from dom0: $out"
echo "lab/httpd: from dom0: $out"
out=$(/lab/netcheck http 10.0.2.2 18080 2>&1) || fail "through the host's port forward: $out"
echo "lab/httpd: through the host's port forward: $out"
xl destroy httpd 2>/dev/null
echo "PASS lab/httpd: 200 + keep-alive, 404, 400 for a malformed request," \
	"still serving; from dom0 and through the host's port forward"
