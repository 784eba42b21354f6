#!/bin/bash
# tests/lab/bench/linux-vs-skiff.sh - lab job: how long from `xl create` to
# a PV guest's first console output, Skiff's hello against a Linux PV domU
# (the dom0 kernel with a tiny busybox initramfs that prints one line and
# powers off). Prints both times and their ratio. Under TCG, compare ratios,
# not absolute times.
#
# Run: tests/lab/run bench/linux-vs-skiff
#
# lab-file: build/hello/hello.xen
# lab-file: build/lab/vmlinuz
. /lab/lib.sh

fail() { echo "FAIL lab/bench/linux-vs-skiff: $*"; exit 1; }

# measure NAME CFG MARKER: sets CREATE FIRST APP, seconds from xl create to
# its return, to the first console output, to the console line MARKER.
measure() {
	local name=$1 cfg=$2 marker=$3 t0 t1 reason mark
	t0=$(lab_now)
	lab_create "$cfg" || fail "xl create $name failed: $(tail -n 5 /var/log/xen/xl-$name.log 2>/dev/null)"
	t1=$(lab_now)
	lab_expect_console "$name" "$marker" 120 || fail "$name never printed '$marker'"
	mark=$(lab_now)
	reason=$(lab_wait_shutdown "$name" 60) || fail "$name did not shut down"
	[ "$reason" = poweroff ] || fail "$name: shutdown reason $reason"
	FIRST=$(lab_wait_console "$name" 5) || fail "$name: no console output"
	CREATE=$(lab_elapsed "$t0" "$t1")
	APP=$(lab_elapsed "$t0" "$mark")
}

# A Linux domU initramfs, made here in dom0 with its own busybox.
mkdir -p /tmp/domu/bin /tmp/domu/dev /tmp/domu/proc
cp /bin/busybox /tmp/domu/bin/busybox
ln -s busybox /tmp/domu/bin/sh
cat >/tmp/domu/init <<'INIT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
echo "LINUX DOMU UP after $(/bin/busybox cut -d' ' -f1 /proc/uptime) s of uptime"
/bin/busybox poweroff -f
INIT
chmod 755 /tmp/domu/init
(cd /tmp/domu && find . | cpio -o -H newc 2>/dev/null | gzip -1 >/lab/domu.cpio.gz) ||
	fail "cannot build the domU initramfs"

cat >/lab/hello.cfg <<CFG
name = "hello"
kernel = "/lab/hello.xen"
memory = 8
on_poweroff = "destroy"
on_crash = "preserve"
CFG
cat >/lab/linux.cfg <<CFG
name = "linux"
kernel = "/lab/vmlinuz"
ramdisk = "/lab/domu.cpio.gz"
extra = "console=hvc0 quiet"
memory = 128
on_poweroff = "destroy"
on_crash = "preserve"
CFG

measure hello /lab/hello.cfg 'hello from Skiff'
s_create=$CREATE s_first=$FIRST s_app=$APP
measure linux /lab/linux.cfg 'LINUX DOMU UP'
l_create=$CREATE l_first=$FIRST l_app=$APP
echo "bench: xl create returned after: Skiff ${s_create} s, Linux ${l_create} s"
echo "bench: first console output:     Skiff ${s_first} s, Linux ${l_first} s"
echo "bench: application line:         Skiff ${s_app} s, Linux ${l_app} s"
awk -v s="$s_first" -v l="$l_first" -v sa="$s_app" -v la="$l_app" 'BEGIN {
	printf "bench: ratio Linux/Skiff: first output %.1fx, application line %.1fx\n", l / s, la / sa }'
echo "PASS lab/bench/linux-vs-skiff"
