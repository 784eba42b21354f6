#!/bin/bash
# tests/lab/httpd-files.sh - lab job: apps/httpd as a file server on Skiff.
# dom0 writes the tree of `netcheck make-docroot` under srv/, packs it as a
# cpio "newc" archive (busybox cpio) and gives it to the guest as its xl
# ramdisk, which Skiff unpacks into the ramfs at /; the guest runs
# `httpd -w /srv`; then `netcheck http-files` checks it from dom0 over the
# bridge: files byte for byte (a 2 MiB one across many chunks), HEAD, 304,
# 206, 416, 301, 403 (no index, a link leaving the root), 404, 400 for
# '..' plain and encoded, a stalled download not blocking others, PUT
# 201/204 read back, 411, 404, and an aborted PUT leaving no file.
# Needs the VFS with ramfs from a cpio ramdisk (issue 7 section 3).
#
# lab-file: build/httpd/httpd.xen
# lab-file: build/lab-tools/netcheck
. /lab/lib.sh

fail() { echo "FAIL lab/httpd-files: $*"; exit 1; }
IP=10.0.0.4
NAME=httpd-files

rm -rf /tmp/rd && mkdir -p /tmp/rd || fail "no /tmp/rd"
/lab/netcheck make-docroot /tmp/rd/srv >/dev/null || fail "make-docroot"
(cd /tmp/rd && find . | cpio -o -H newc >/lab/docroot.cpio 2>/dev/null) ||
	fail "cpio -o failed"
echo "lab/httpd-files: ramdisk $(stat -c %s /lab/docroot.cpio) bytes"

lab_skiff_cfg $NAME /lab/httpd.xen 64 "ip=$IP gw=10.0.0.1 -- -w /srv" bridge
echo 'ramdisk = "/lab/docroot.cpio"' >>/lab/$NAME.cfg
lab_create /lab/$NAME.cfg || fail "xl create failed"
lab_expect_console $NAME 'httpd: listening|SKIFF (EXIT|PANIC)' 120 ||
	fail "httpd never listened"
grep -q 'httpd: listening' "$(lab_console $NAME)" ||
	fail "httpd stopped before listening"
out=$(/lab/netcheck http-files $IP 80 2>&1) || fail "$out"
echo "lab/httpd-files: $out"
# The server must have survived all of it.
grep -Eq 'SKIFF (EXIT|PANIC)' "$(lab_console $NAME)" && fail "the guest stopped"
xl list $NAME >/dev/null 2>&1 || fail "the guest is gone"
xl destroy $NAME 2>/dev/null
echo "PASS lab/httpd-files: ${out#ok: }; the guest still runs"
