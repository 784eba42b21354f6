#!/bin/bash
# tests/lab/ext4.sh - lab job: ext4 on Linux's blkback. Disks made by
# dom0's own mkfs.ext4 -d, mounted by mount= (tests/lab/ext4check runs
# the guest's side):
#   basic: xvda (512-byte sectors), xvdb (4096-byte sectors, 4 KiB
#   blocks) and xvdc (read-only, :ro) are mounted; Skiff reads dom0's
#   files, writes files with the blkpat pattern, renames, unlinks, and
#   exits; dom0 then finds every disk clean with e2fsck -fn and reads
#   Skiff's files with debugfs, exactly;
#   crash: Skiff writes files the way httpd's PUT does (temporary file,
#   fsync, rename, directory fsync) until dom0 `xl destroy`s it; e2fsck
#   -p repairs the disk without asking, and every file the guest called
#   durable reads back exactly.
#
# lab-file: build/ext4check/ext4check.xen
# lab-file: build/lab-tools/blkpat
. /lab/lib.sh

fail() { echo "FAIL lab/ext4: $*"; exit 1; }
say() { echo "lab/ext4: $*"; }

disk() { echo "format=raw, vdev=$2, access=$3, script=block-lab, target=$1"; }
# mkimg IMG SIZE [mkfs options]: a seeded ext4 image, mkfs's defaults.
mkimg() {
	local img=$1 size=$2
	shift 2
	rm -rf tree && mkdir -p tree/dir && printf 'seeded by dom0\n' > tree/seed.txt
	mkfs.ext4 -q -F -d tree "$@" "$img" "$size" >/dev/null 2>&1 ||
		fail "mkfs.ext4 -d $img"
}
# same IMG PATH SEED LEN: debugfs reads PATH from IMG as the pattern.
same() {
	rm -f /tmp/got
	debugfs -R "dump $2 /tmp/got" "$1" >/dev/null 2>&1 || return 1
	[ "$(stat -c %s /tmp/got)" = "$4" ] || return 1
	[ "$4" = 0 ] || /lab/blkpat check /tmp/got "$3" 0 "$4" >/dev/null
}
cd /tmp || fail "no /tmp"

mkimg a.img 32M
mkimg b.img 32M -b 4096
mkimg c.img 8M
A=$(lab_loop a.img) && B=$(lab_loop b.img 4096) && C=$(lab_loop c.img) ||
	fail "losetup"
lab_skiff_cfg ext4 /lab/ext4check.xen 64 \
	"mount=xvda:/a mount=xvdb:/b mount=xvdc:/c:ro -- basic" "" \
	"$(disk "$A" xvda rw)" "$(disk "$B" xvdb rw)" "$(disk "$C" xvdc ro)"
lab_create /lab/ext4.cfg || fail "xl create failed"
reason=$(lab_wait_shutdown ext4 300) || fail "the guest did not shut down"
log=$(lab_console ext4)
grep -q 'TEST PASS ext4check' "$log" ||
	fail "$(grep -m1 'TEST FAIL' "$log" || echo "no TEST PASS ($reason)")"
for d in xvda xvdb; do
	grep -q "$d unmounted from .* (clean)" "$log" || fail "$d not unmounted cleanly"
done
sleep 1
losetup -d "$A" "$B" "$C"
for img in a.img b.img c.img; do
	out=$(e2fsck -fn "$img" 2>&1) || fail "e2fsck -fn $img: $(echo "$out" | tail -n 4 | tr '\n' ' ')"
done
say "e2fsck -fn: a.img, b.img, c.img clean after the guest's clean unmount"
same a.img /out/f19 119 $((4096 * 4 + 8 * 19)) || fail "debugfs: /out/f19 differs"
same a.img /out/renamed 100 0 || fail "debugfs: /out/renamed"
debugfs -R "stat /out/f1" a.img 2>&1 | grep -q 'File not found' ||
	fail "debugfs: /out/f1 still there"
same b.img /big 7 $((3 << 20)) || fail "debugfs: /big on the 4096-byte-sector disk differs"
say "debugfs reads Skiff's files exactly (xvda, and xvdb with 4096-byte sectors)"

# Crash: destroy the guest mid-stream.
mkimg d.img 32M
D=$(lab_loop d.img) || fail "losetup d.img"
lab_skiff_cfg ext4crash /lab/ext4check.xen 64 "mount=xvda:/a -- crash" "" \
	"$(disk "$D" xvda rw)"
lab_create /lab/ext4crash.cfg || fail "xl create (crash) failed"
lab_expect_console ext4crash 'durable f25 ' 300 || fail "the crash guest never reached f25"
xl destroy ext4crash || fail "xl destroy"
sleep 1
losetup -d "$D"
n=$(grep -c '^durable ' "$(lab_console ext4crash)")
e2fsck -p d.img > fsck.log 2>&1
rc=$?
[ $rc -lt 4 ] || fail "e2fsck -p after xl destroy: exit $rc: $(tail -n 3 fsck.log | tr '\n' ' ')"
say "xl destroy after $n durable files: e2fsck -p exit $rc ($(tail -n 1 fsck.log))"
while read -r _ name seed len; do
	same d.img "/c/$name" "$seed" "$len" || fail "durable file $name lost or damaged"
done < <(grep '^durable ' "$(lab_console ext4crash)")
say "all $n durable files intact"
echo "PASS lab/ext4: mkfs.ext4 -d disks read and written (512 and 4096-byte sectors, read-only), e2fsck -fn clean, debugfs reads Skiff's files; xl destroy after $n fsynced files: e2fsck -p exit $rc, all intact"
