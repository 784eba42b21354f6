#!/bin/bash
# tests/lab/bench/blk.sh - lab job for `make bench-blk` (driven by
# tests/bench-blk, which delivers the files below and reads the results).
#
# The same block benchmarks on the same blkback-backed disk (a file in
# dom0's tmpfs on a loop device, given to each guest as xvda), one guest
# after the other, each with the same memory and one vCPU:
#   skiff  blkcheck.xen's bench step (tests/lab/blkcheck): sequential
#          1 MiB writes (then a flush) and reads over the disk; 4 KiB
#          random reads and writes at queue depth 1 (one thread) and 32
#          (32 threads), SECS seconds each; then (VARIANTS=1) the same
#          three more times, each with one feature off: skiff-noindirect
#          (blk_max_segs=11), skiff-1page (blk_ring_order=0: a one-page
#          ring), skiff-nopersistent (blk_persistent=0);
#   linux  a Linux PV domU (dom0's kernel, an initramfs made by
#          tests/bench-blk with Debian's fio, xen-blkfront.ko and busybox)
#          running fio with the same shapes on /dev/xvda, O_DIRECT (psync
#          at depth 1, libaio at depth 32).
# Results are printed as lines for tests/bench-blk to read:
#   bench-blk: sys=skiff[-variant] name=<test> mb_s=... | iops=...
#   bench-blk: sys=linux fio name=<test> <fio's terse (v3) line>
#   bench-blk: sys=<...> mem_mib=<n> | error what=<...> <why>
# Numbers are never judged here. Under TCG everything is ~100x slower than
# on hardware.
#
# Settings from /lab/bench-blk.conf: SIZE (MiB, the disk), SECS, MEM (MiB),
# VARIANTS (1: also the Skiff runs with one feature off).
#
# lab-file: build/blkcheck/blkcheck.xen
# lab-file: build/lab/vmlinuz
# (and, from tests/bench-blk: build/bench/blk-ldomu.cpio.gz,
# build/bench/bench-blk.conf)
. /lab/lib.sh

SIZE=64
SECS=10
MEM=512
[ -f /lab/bench-blk.conf ] && . /lab/bench-blk.conf

say() { echo "bench-blk: $*"; }
fail() { echo "FAIL lab/bench/blk: $*"; exit 1; }

disk_cfg() { echo "format=raw, vdev=xvda, access=rw, script=block-lab, target=$1"; }

# A fresh disk for each guest: the same file size, zeros.
fresh_disk() {
	[ -n "${LOOP:-}" ] && losetup -d "$LOOP"
	rm -f /tmp/bench.img
	dd if=/dev/zero of=/tmp/bench.img bs=1M count="$SIZE" 2>/dev/null ||
		fail "cannot make a ${SIZE} MiB disk file"
	LOOP=$(lab_loop /tmp/bench.img) || fail "losetup failed"
}

say "settings: ${SIZE} MiB disk (a file in dom0's tmpfs on $(uname -r)'s" \
	"loop device, blkback), ${SECS} s per random test, ${MEM} MiB and 1 vCPU" \
	"per guest"

# ---- Skiff ------------------------------------------------------------------
# skiff_run TAG [OPTIONS]: the bench step on a fresh disk, its lines
# labelled sys=TAG. The variants each turn one protocol feature off.
skiff_run() {
	local tag=$1 opts=${2:-}
	fresh_disk
	say "sys=$tag mem_mib=$MEM vcpus=1"
	say "sys=$tag image=blkcheck.xen bytes=$(stat -c %s /lab/blkcheck.xen)"
	lab_skiff_cfg "$tag" /lab/blkcheck.xen "$MEM" \
		"$opts -- bench:xvda:${SIZE}M:$SECS" "" "$(disk_cfg "$LOOP")"
	if ! lab_create "/lab/$tag.cfg"; then
		say "sys=$tag error what=start xl create failed"
		return
	fi
	lab_expect_console "$tag" '^TEST (PASS|FAIL) blkcheck' $((SECS * 8 + 300)) ||
		say "sys=$tag error what=run no verdict from the guest"
	grep -h '^bench-blk: sys=skiff' "$(lab_console "$tag")" | tr -d '\r' |
		sed "s/sys=skiff /sys=$tag /"
	grep -h '^TEST FAIL' "$(lab_console "$tag")" |
		sed "s/^/bench-blk: sys=$tag error what=run /"
	xl destroy "$tag" >/dev/null 2>&1
}

skiff_run skiff
if [ "${VARIANTS:-1}" = 1 ]; then
	skiff_run skiff-noindirect blk_max_segs=11
	skiff_run skiff-1page blk_ring_order=0
	skiff_run skiff-nopersistent blk_persistent=0
fi

# ---- Linux ------------------------------------------------------------------
fresh_disk
say "sys=linux mem_mib=$MEM vcpus=1"
say "sys=linux image=vmlinuz bytes=$(stat -c %s /lab/vmlinuz)"
say "sys=linux image=initramfs bytes=$(stat -c %s /lab/blk-ldomu.cpio.gz)"
cat >/lab/linux.cfg <<CFG
name = "linux"
type = "pv"
kernel = "/lab/vmlinuz"
ramdisk = "/lab/blk-ldomu.cpio.gz"
extra = "console=hvc0 quiet bench_size=$SIZE bench_secs=$SECS"
memory = $MEM
vcpus = 1
disk = [ '$(disk_cfg "$LOOP")' ]
on_poweroff = "destroy"
on_crash = "preserve"
CFG
if lab_create /lab/linux.cfg; then
	lab_expect_console linux 'LINUX DOMU (DONE|ERROR)' $((SECS * 8 + 400)) ||
		say "sys=linux error what=run no end marker from the guest"
	grep -h -E '^(bench-blk: sys=linux|LINUX DOMU ERROR)' \
		"$(lab_console linux)" | tr -d '\r' |
		sed 's/^LINUX DOMU ERROR/bench-blk: sys=linux error what=run/'
	xl destroy linux >/dev/null 2>&1
else
	say "sys=linux error what=start xl create failed"
fi
losetup -d "$LOOP"
echo "PASS lab/bench/blk (numbers above; never judged)"
