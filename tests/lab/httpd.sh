#!/bin/bash
# tests/lab/httpd.sh - lab job: apps/httpd as two guests at once, checked
# from dom0 over the bridge (tests/lab/netcheck.c):
#
#  - "httpd" (10.0.0.3), the built-in pages: 200 with keep-alive, 404,
#    400 for a malformed request, still serving afterwards ("http"), also
#    from the host's side of QEMU's port forward;
#  - "httpd-files" (10.0.0.4), `httpd -w /srv` serving the tree of
#    `netcheck make-docroot`, which dom0 packs as a cpio "newc" archive
#    (busybox cpio) and gives the guest as its xl ramdisk (Skiff unpacks
#    it into the ramfs at /): files byte for byte (a 2 MiB one across many
#    chunks), HEAD, 304, 206, 416, 301, 403 (no index, a link leaving the
#    root), 404, 400 for '..' plain and encoded, a stalled download not
#    blocking others, PUT 201/204 read back, 411, 404, an aborted PUT
#    leaving no file ("http-files"); then the guest must still run.
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
FILES_IP=10.0.0.4

rm -rf /tmp/rd && mkdir -p /tmp/rd || fail "no /tmp/rd"
/lab/netcheck make-docroot /tmp/rd/srv >/dev/null || fail "make-docroot failed"
(cd /tmp/rd && find . | cpio -o -H newc >/lab/docroot.cpio 2>/dev/null) ||
	fail "cpio -o failed"

lab_skiff_cfg httpd /lab/httpd.xen 32 "ip=$IP gw=10.0.0.1" bridge
lab_skiff_cfg httpd-files /lab/httpd.xen 64 \
	"ip=$FILES_IP gw=10.0.0.1 -- -w /srv" bridge
echo 'ramdisk = "/lab/docroot.cpio"' >>/lab/httpd-files.cfg
lab_create /lab/httpd.cfg || fail "xl create failed"
lab_create /lab/httpd-files.cfg || fail "xl create (files) failed"

lab_expect_console httpd 'httpd: listening' 60 || fail "httpd never listened"
out=$(/lab/netcheck http $IP 80 2>&1) || fail "from dom0: $out"
echo "lab/httpd: from dom0: $out"
out=$(/lab/netcheck http 10.0.2.2 18080 2>&1) || fail "through the host's port forward: $out"
echo "lab/httpd: through the host's port forward: $out"
xl destroy httpd 2>/dev/null

lab_expect_console httpd-files 'httpd: listening|SKIFF (EXIT|PANIC)' 60 ||
	fail "httpd -w /srv never listened"
console=$(lab_console httpd-files)
grep -q 'httpd: listening' "$console" || fail "httpd -w /srv stopped before listening"
files=$(/lab/netcheck http-files $FILES_IP 80 2>&1) || fail "files: $files"
echo "lab/httpd: files: $files"
grep -Eq 'SKIFF (EXIT|PANIC)' "$console" && fail "httpd -w /srv stopped"
xl list httpd-files >/dev/null 2>&1 || fail "httpd -w /srv is gone"
xl destroy httpd-files 2>/dev/null

echo "PASS lab/httpd: built-in pages: 200 + keep-alive, 404, 400 for a" \
	"malformed request, still serving; from dom0 and through the host's" \
	"port forward; as a file server from a cpio ramdisk: ${files#ok: }"
