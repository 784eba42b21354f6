#!/bin/bash
# tests/lab/httpd-durable.sh - lab job: a PUT that httpd acknowledged
# survives the guest being destroyed. The guest runs `httpd -w /srv` on an
# ext4 disk that dom0 made (mkfs.ext4 -d, attached as xvda, mounted with
# mount=xvda:/srv); dom0 streams PUTs of 16 KiB files, one after the
# other (netcheck http-put-stream), and destroys the guest with `xl
# destroy` while the stream runs. Then `e2fsck -p` must repair the disk
# (or find it clean), every file acknowledged with 201 must hold exactly
# its bytes (debugfs dump + netcheck check-file), and `e2fsck -fn` must
# then find nothing to fix.
# Needs Skiff's blkfront and ext4 (issue 7) and e2fsprogs in dom0.
#
# lab-file: build/httpd/httpd.xen
# lab-file: build/lab-tools/netcheck
. /lab/lib.sh

fail() { echo "FAIL lab/httpd-durable: $*"; exit 1; }
IP=10.0.0.5
NAME=httpd-durable
IMG=/lab/durable.img
SIZE=16384
MIN_ACKED=5

rm -rf /tmp/dr && mkdir -p /tmp/dr/up || fail "no /tmp/dr"
echo "durable" >/tmp/dr/index.html
mkfs.ext4 -q -F -d /tmp/dr "$IMG" 32M || fail "mkfs.ext4 -d failed"

lab_skiff_cfg $NAME /lab/httpd.xen 64 \
	"ip=$IP gw=10.0.0.1 mount=xvda:/srv -- -w /srv" bridge
echo "disk = [ 'format=raw, vdev=xvda, access=rw, target=$IMG' ]" >>/lab/$NAME.cfg
lab_create /lab/$NAME.cfg || fail "xl create failed"
lab_expect_console $NAME 'httpd: listening|SKIFF (EXIT|PANIC)' 120 ||
	fail "httpd never listened"
grep -q 'httpd: listening' "$(lab_console $NAME)" ||
	fail "httpd stopped before listening"

/lab/netcheck http-put-stream $IP 80 /up/f 100000 $SIZE >/tmp/acks 2>&1 &
stream=$!
start=$EPOCHREALTIME
until [ "$(grep -c '^acked' /tmp/acks)" -ge $MIN_ACKED ]; do
	lab_past "$start" 300 && fail "fewer than $MIN_ACKED PUTs acknowledged in 300 s"
	kill -0 $stream 2>/dev/null || fail "the PUT stream ended: $(tail -n 1 /tmp/acks)"
	sleep 0.2
done
xl destroy $NAME || fail "xl destroy failed"
# Whatever was acknowledged is in /tmp/acks already (line-buffered).
kill $stream 2>/dev/null
wait $stream 2>/dev/null
acked=$(grep -c '^acked' /tmp/acks)
echo "lab/httpd-durable: destroyed the guest after $acked acknowledged PUTs"

# The backend has let go of the image once the domain is gone.
sleep 2
e2fsck -p "$IMG" >/tmp/fsck.out 2>&1
rc=$?
[ $rc -le 1 ] || { cat /tmp/fsck.out; fail "e2fsck -p exited $rc"; }
for i in $(sed -n 's/^acked //p' /tmp/acks); do
	rm -f /tmp/got
	debugfs -R "dump /up/f$i /tmp/got" "$IMG" >/dev/null 2>&1
	out=$(/lab/netcheck check-file /tmp/got "$i" $SIZE 2>&1) ||
		fail "acknowledged /up/f$i: $out"
done
e2fsck -fn "$IMG" >/tmp/fsck2.out 2>&1 || { cat /tmp/fsck2.out; fail "e2fsck -fn found problems after repair"; }
echo "PASS lab/httpd-durable: xl destroy after $acked acknowledged PUTs of" \
	"$SIZE B; e2fsck -p exit $rc, every acknowledged file intact, then" \
	"e2fsck -fn clean"
