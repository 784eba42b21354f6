#!/bin/bash
# tests/lab/blk.sh - lab job: blkfront on Linux's blkback, in one guest
# with four disks at once (tests/lab/blkcheck runs the guest's side):
#   xvda (512-byte sectors) and xvdb (4096-byte sectors, losetup
#   --sector-size 4096), both filled by dom0 with a pattern, are read back
#   exactly; Skiff writes patterns (one thread, and 8 threads at once),
#   flushes and discards, and dom0 finds exactly that in the image files
#   afterwards; xvdc is read-only: EROFS; xvdd is a device-mapper device
#   with an `error` target in the middle: EIO there, the rest still reads
#   and the guest lives; xvdb is detached (xl block-detach) and attached
#   again (xl block-attach), and reads back exactly after. Then a second
#   guest with blk_queue=2 (two ring requests out at most): 8 threads
#   writing interleaved 4 KiB blocks have their queued requests merged.
#
# lab-file: build/blkcheck/blkcheck.xen
# lab-file: build/lab-tools/blkpat
. /lab/lib.sh

fail() { echo "FAIL lab/blk: $*"; exit 1; }
say() { echo "lab/blk: $*"; }

run() { # what, command...: fail with the command's last lines
	local what=$1 out
	shift
	out=$("$@" 2>&1) || fail "$what: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	[ -n "$out" ] && say "$what: $(echo "$out" | tail -n 1)"
	return 0
}

M=$((1 << 20))
# An xl disk spec: TARGET VDEV ACCESS. script=block-lab: the lab's quick
# hotplug script (tools/lab-dom0/rootfs/etc/xen/scripts/block-lab), so
# four disks cannot outlast libxl's hotplug timeout on a busy machine.
disk() { echo "format=raw, vdev=$2, access=$3, script=block-lab, target=$1"; }
cd /tmp || fail "no /tmp"
run "dom0 writes xvda's pattern" /lab/blkpat write a.img 1 0 16M
run "dom0 writes xvdb's pattern" /lab/blkpat write b.img 2 0 16M
run "dom0 writes xvdc's pattern" /lab/blkpat write c.img 5 0 4M
run "dom0 writes xvdd's pattern" /lab/blkpat write d.img 4 0 16M
A=$(lab_loop a.img) || fail "losetup a.img"
B=$(lab_loop b.img 4096) || fail "losetup --sector-size 4096 b.img"
C=$(lab_loop c.img) || fail "losetup c.img"
D=$(lab_loop d.img) || fail "losetup d.img"
say "loop devices $A $B (4096-byte sectors: $(cat /sys/block/${B#/dev/}/queue/logical_block_size)) $C $D"

# xvdd: 16 MiB whose sectors 4..8 MiB fail (dm's error target).
printf '0 8192 linear %s 0\n8192 8192 error\n16384 16384 linear %s 16384\n' \
	"$D" "$D" | dmsetup create blkerr --noudevsync ||
	fail "dmsetup create blkerr"
if [ ! -b /dev/mapper/blkerr ]; then
	# Without udev, make the node from the device's numbers.
	mkdir -p /dev/mapper
	read -r maj min < <(dmsetup info -c --noheadings -o major,minor \
		--separator ' ' blkerr)
	mknod /dev/mapper/blkerr b "$maj" "$min" || fail "no /dev/mapper/blkerr"
fi
say "dm device blkerr: $(dmsetup table blkerr | tr '\n' ';')"

steps="list size:xvda:16M:512 size:xvdb:16M:4096 size:xvdc:4M:512"
steps+=" check:xvda:1:0:16M check:xvdb:2:0:16M align:xvda align:xvdb"
steps+=" write:xvda:3:4M:4M write:xvdb:3:8M:4M threads:xvda:6:8M:2M:8"
steps+=" erofs:xvdc check:xvdc:5:0:4M"
steps+=" eio:xvdd:4M:4K eio:xvdd:3M:2M check:xvdd:4:0:4M check:xvdd:4:8M:8M"
steps+=" discard:xvda:12M:1M stats:xvda stats:xvdd detach:xvdb:2:0:4M"
steps+=" stats:xvdb"
lab_skiff_cfg blk /lab/blkcheck.xen 64 "-- $steps" "" \
	"$(disk "$A" xvda rw)" "$(disk "$B" xvdb rw)" "$(disk "$C" xvdc ro)" \
	"$(disk /dev/mapper/blkerr xvdd rw)"
lab_create /lab/blk.cfg || fail "xl create failed"

lab_expect_console blk 'waiting for xvdb to be detached|TEST FAIL' 300 ||
	fail "the guest never reached the detach step"
grep -q 'TEST FAIL' "$(lab_console blk)" &&
	fail "$(grep -m1 'TEST FAIL' "$(lab_console blk)")"
# The driver's counters on request (xl sysrq m, kernel/report.h).
xl sysrq blk m || fail "xl sysrq m failed"
lab_expect_console blk 'xvdd \(device/vbd/51760\): connected.* 2 failed' 30 ||
	fail "no blkfront report on xl sysrq m"
say "xl sysrq m: $(grep -m1 -o 'xvdd (device/vbd/51760).*' "$(lab_console blk)")"
xl block-detach blk xvdb || fail "xl block-detach failed"
lab_expect_console blk 'xvdb detached under load|TEST FAIL' 60 ||
	fail "the guest did not see the detach"
xl block-attach blk "$(disk "$B" xvdb rw)" || fail "xl block-attach failed"
lab_expect_console blk '^TEST (PASS|FAIL) blkcheck' 300 ||
	fail "the guest gave no verdict"
verdict=$(grep -m1 -E '^TEST (PASS|FAIL) blkcheck' "$(lab_console blk)")
[[ $verdict == "TEST PASS"* ]] || fail "${verdict#TEST FAIL blkcheck: }"
reason=$(lab_wait_shutdown blk 60) || fail "the guest did not shut down"
[ "$reason" = poweroff ] || fail "the guest ended with $reason"

# What Skiff wrote, as dom0 sees it in the image files.
run "xvda 0-4M untouched" /lab/blkpat check a.img 1 0 4M
run "xvda 4-8M as Skiff wrote it" /lab/blkpat check a.img 3 4M 4M
run "xvda 8-10M as 8 threads wrote it" /lab/blkpat check a.img 6 8M 2M
run "xvda 10-12M untouched" /lab/blkpat check a.img 1 10M 2M
run "xvda 13-16M untouched" /lab/blkpat check a.img 1 13M 3M
nonzero=$(dd if=a.img bs=$M skip=12 count=1 2>/dev/null | tr -d '\0' | wc -c)
if grep -q 'offers no discard' "$(lab_console blk)"; then
	say "xvda 12-13M: no discard offered, not checked"
else
	[ "$nonzero" -eq 0 ] || fail "xvda 12-13M: $nonzero bytes survived the discard"
	say "xvda 12-13M: zeros after Skiff's discard"
fi
run "xvdb 0-8M untouched" /lab/blkpat check b.img 2 0 8M
run "xvdb 8-12M as Skiff wrote it (4096-byte sectors)" \
	/lab/blkpat check b.img 3 8M 4M
run "xvdb 12-16M untouched" /lab/blkpat check b.img 2 12M 4M
run "xvdc untouched" /lab/blkpat check c.img 5 0 4M

dmsetup remove blkerr 2>/dev/null

# Merging: few requests out, many queued.
lab_skiff_cfg blkmerge /lab/blkcheck.xen 32 \
	"blk_queue=2 -- merge:xvda:7:10M:2M:8 stats:xvda" "" \
	"$(disk "$A" xvda rw)"
lab_create /lab/blkmerge.cfg || fail "xl create (blkmerge) failed"
lab_expect_console blkmerge '^TEST (PASS|FAIL) blkcheck' 300 ||
	fail "the merge guest gave no verdict"
verdict=$(grep -m1 -E '^TEST (PASS|FAIL) blkcheck' "$(lab_console blkmerge)")
[[ $verdict == "TEST PASS"* ]] || fail "merge: ${verdict#TEST FAIL blkcheck: }"
merged=$(sed -n 's/.*merge:[^ ]*: \(.*ring requests ([0-9]* merged)\).*/\1/p' \
	"$(lab_console blkmerge)")
lab_wait_shutdown blkmerge 60 >/dev/null || fail "blkmerge did not shut down"
run "xvda 10-12M as 8 interleaved threads wrote it" \
	/lab/blkpat check a.img 7 10M 2M

echo "PASS lab/blk: dom0's patterns read back at 512 and 4096-byte" \
	"sectors, Skiff's writes (1 and 8 threads) and discard seen by dom0," \
	"4 disks at once, EROFS, EIO from dm error (guest lives)," \
	"detach/attach, merging ($merged)"
