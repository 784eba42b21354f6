#!/bin/bash
# tests/lab/bench/net.sh - lab job for `make bench-net` (driven by
# tests/bench-net, which delivers the files below and reads the results).
#
# The same network benchmarks, run from dom0 over the bridge xenbr0,
# against two PV guests one after the other (never both at once):
#   skiff  Skiff images, one app per image: netbench.xen (10.0.0.2), then
#          httpd.xen (10.0.0.2);
#   linux  a Linux PV domU: dom0's own kernel with a busybox initramfs made
#          here, holding the static Linux builds of the same netbench and
#          httpd sources (tools/build-linux-apps) and xen-netfront.ko,
#          which Debian's kernel has as a module (10.0.0.3).
# Both get the same memory and one vCPU. Benchmarks (clients in dom0):
#   netbench tcp_stream_tx (dom0 sends), tcp_stream_rx (the guest sends),
#   tcp_rr 1 B and 1024 B, udp_rr 1 B; wrk against httpd's /bytes/1024.
#
# Results are printed as lines for tests/bench-net to read:
#   bench-net: sys=<skiff|linux> netbench: test=... (netbench's own line)
#   bench-net: sys=<...> wrk: rps=... p50_us=... p99_us=... errors=...
#   bench-net: sys=<...> image=<what> bytes=<n> | mem_mib=<n>
#   bench-net: sys=<...> error what=<benchmark> <why>
# A benchmark that fails is reported and the run goes on (a guest that
# died is started again, after its last console lines are shown); the job
# exits 0 unless a guest could not be started at all. Numbers are never
# judged here. Under TCG everything is ~100x slower than on hardware.
#
# Settings come from /lab/bench-net.conf (written by tests/bench-net):
# SECS (netbench run length), WRK_SECS, WRK_CONNS, MEM (MiB, both guests).
# The Linux domU needs MEM >= 96: at 64 and 72 xl refuses its kernel
# ("segment kernel too large"), at 80 it panics out of memory while
# booting. A guest's "Kernel panic" line also ends the whole lab run
# (tools/lab reads it as dom0's), so keep a margin: the default is 128.
#
# lab-file: build/netbench/netbench.xen
# lab-file: build/httpd/httpd.xen
# lab-file: build/lab/vmlinuz
# (and, from tests/bench-net: build/linux/netbench as /lab/linux/netbench,
# build/linux/httpd as /lab/linux/httpd, build/bench/xen-netfront.ko,
# build/bench/bench-net.conf)
. /lab/lib.sh

SECS=8
WRK_SECS=10
WRK_CONNS=16
MEM=128
[ -f /lab/bench-net.conf ] && . /lab/bench-net.conf

SKIFF_IP=10.0.0.2
LINUX_IP=10.0.0.3
NETBENCH=/lab/linux/netbench
# name, then netbench client arguments after HOST.
TESTS=(
	"tcp_stream_tx|tcp_stream_tx"
	"tcp_stream_rx|tcp_stream_rx"
	"tcp_rr_1|tcp_rr -s 1"
	"tcp_rr_1024|tcp_rr -s 1024"
	"udp_rr_1|udp_rr -s 1"
)

fail() { echo "FAIL lab/bench/net: $*"; exit 1; }
say() { echo "bench-net: $*"; }

# ---- guests ---------------------------------------------------------------

skiff_cfg() { # name, kernel, app argv
	local extra="ip=$SKIFF_IP gw=10.0.0.1${3:+ -- $3}"
	cat >"/lab/$1.cfg" <<CFG
name = "$1"
type = "pv"
kernel = "$2"
memory = $MEM
vcpus = 1
vif = [ 'bridge=xenbr0' ]
extra = "$extra"
on_poweroff = "destroy"
on_crash = "preserve"
CFG
}

# The Linux domU's initramfs, made here with dom0's busybox.
linux_initramfs() {
	local d=/tmp/ldomu
	rm -rf $d
	mkdir -p $d/bin $d/dev $d/proc $d/sys $d/tmp || return 1
	cp /bin/busybox $d/bin/busybox || return 1
	ln -s busybox $d/bin/sh
	cp /lab/linux/netbench /lab/linux/httpd /lab/xen-netfront.ko $d/ || return 1
	cat >$d/init <<INIT
#!/bin/sh
export PATH=/bin
b=/bin/busybox
\$b mount -t proc proc /proc
\$b mount -t sysfs sysfs /sys
\$b mount -t devtmpfs devtmpfs /dev
\$b insmod /xen-netfront.ko || echo "LINUX DOMU ERROR insmod xen-netfront"
i=0
while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 100 ]; do \$b sleep 0.1; i=\$((i + 1)); done
\$b ip link set lo up
\$b ip addr add $LINUX_IP/24 dev eth0
\$b ip link set eth0 up
\$b ip route add default via 10.0.0.1
echo "LINUX DOMU MEM \$(\$b grep -E '^(MemTotal|MemFree)' /proc/meminfo | \$b tr -s ' \n' ' ')"
/netbench server </dev/null >/dev/console 2>&1 &
/httpd </dev/null >/dev/console 2>&1 &
echo "LINUX DOMU READY \$(\$b ip -4 -o addr show eth0)"
while :; do \$b sleep 3600; done
INIT
	chmod 755 $d/init
	(cd $d && find . | cpio -o -H newc 2>/dev/null | gzip -1 >/lab/ldomu.cpio.gz)
}

linux_cfg() {
	cat >/lab/linux.cfg <<CFG
name = "linux"
type = "pv"
kernel = "/lab/vmlinuz"
ramdisk = "/lab/ldomu.cpio.gz"
extra = "console=hvc0 quiet"
memory = $MEM
vcpus = 1
vif = [ 'bridge=xenbr0' ]
on_poweroff = "destroy"
on_crash = "preserve"
CFG
}

console_tail() { # name, lines
	local f
	f=$(lab_console "$1")
	[ -f "$f" ] || return 0
	tail -n "${2:-20}" "$f" | sed "s/^/bench-net:   [$1 console] /"
}

# start NAME CFG MARKER TIMEOUT: 0 when the console shows MARKER in time.
start() {
	local name=$1 cfg=$2 marker=$3 timeout=$4 t0
	xl destroy "$name" >/dev/null 2>&1
	t0=$(lab_now)
	if ! lab_create "$cfg"; then
		say "sys=$SYS error what=start xl create $name failed:" \
			"$(tail -n 3 /var/log/xen/xl-"$name".log 2>/dev/null | tr '\n' ' ')"
		return 1
	fi
	if ! lab_expect_console "$name" "$marker" "$timeout"; then
		say "sys=$SYS error what=start $name never printed '$marker' in $timeout s"
		console_tail "$name" 20
		xl destroy "$name" >/dev/null 2>&1
		return 1
	fi
	say "$name up $(lab_elapsed "$t0" "$(lab_now)") s after xl create"
}

# Is the guest (NAME at IP) still there? If not, show why and start it again.
revive() { # name ip cfg marker timeout
	local name=$1 ip=$2 state
	ping -c 1 -W 3 "$ip" >/dev/null 2>&1 && return 0
	state=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
	say "sys=$SYS note $name at $ip does not answer ping (xl state: ${state:-gone}); last console lines:"
	console_tail "$name" 25
	say "sys=$SYS note starting $name again"
	start "$name" "$3" "$4" "$5"
}

# ---- benchmarks -----------------------------------------------------------

# netbench_all NAME IP CFG MARKER TIMEOUT
netbench_all() {
	local name=$1 ip=$2 t spec args out line
	for t in "${TESTS[@]}"; do
		spec=${t%%|*}
		args=${t#*|}
		revive "$@" || return 1
		# shellcheck disable=SC2086 # args is a word list
		out=$(timeout $((SECS + 60)) $NETBENCH client "$ip" $args -t "$SECS" 2>&1)
		line=$(printf '%s\n' "$out" | grep -m 1 '^netbench: test=')
		if [ -n "$line" ]; then
			say "sys=$SYS name=$spec $line"
		else
			say "sys=$SYS error what=$spec $(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')"
		fi
	done
}

# wrk's latency ("250.00us", "1.20ms", "2.00s") in microseconds.
wrk_us() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000
		else if (u == "m") n *= 60000000
		printf "%.1f", n }'
}

wrk_run() { # ip
	local ip=$1 out rps p50 p99 req errs non2xx
	out=$(timeout $((WRK_SECS + 60)) wrk -t1 -c"$WRK_CONNS" -d"${WRK_SECS}s" \
		--timeout 10s --latency "http://$ip:80/bytes/1024" 2>&1)
	rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
	if [ -z "$rps" ]; then
		say "sys=$SYS error what=http $(printf '%s\n' "$out" | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
	p50=$(printf '%s\n' "$out" | awk '$1 == "50%" { print $2 }')
	p99=$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')
	req=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
	errs=$(printf '%s\n' "$out" | sed -n 's/.*Socket errors: //p' | tr -d ' ')
	non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
	say "sys=$SYS name=http_1024 wrk: rps=$rps p50_us=$(wrk_us "$p50")" \
		"p99_us=$(wrk_us "$p99") requests=${req:-0} conns=$WRK_CONNS" \
		"secs=$WRK_SECS non2xx=${non2xx:-0} errors=${errs:-none}"
}

# ---- main -----------------------------------------------------------------

say "settings: netbench ${SECS} s per test, wrk ${WRK_SECS} s with $WRK_CONNS" \
	"connections, ${MEM} MiB and 1 vCPU per guest; clients run in dom0"

SYS=skiff
say "sys=skiff mem_mib=$MEM vcpus=1"
say "sys=skiff image=netbench.xen bytes=$(stat -c %s /lab/netbench.xen)"
say "sys=skiff image=httpd.xen bytes=$(stat -c %s /lab/httpd.xen)"
skiff_cfg netbench /lab/netbench.xen server
skiff_cfg httpd /lab/httpd.xen ""
skiff_ok=0
if start netbench /lab/netbench.cfg 'server listening' 90; then
	skiff_ok=1
	netbench_all netbench $SKIFF_IP /lab/netbench.cfg 'server listening' 90
	console_tail netbench 3
	xl destroy netbench >/dev/null 2>&1
fi
if start httpd /lab/httpd.cfg 'httpd: listening' 90; then
	skiff_ok=1
	wrk_run $SKIFF_IP || { revive httpd $SKIFF_IP /lab/httpd.cfg 'httpd: listening' 90; }
	console_tail httpd 3
	xl destroy httpd >/dev/null 2>&1
fi

SYS=linux
linux_ok=0
if linux_initramfs; then
	linux_cfg
	say "sys=linux mem_mib=$MEM vcpus=1"
	say "sys=linux image=vmlinuz bytes=$(stat -c %s /lab/vmlinuz)"
	say "sys=linux image=initramfs bytes=$(stat -c %s /lab/ldomu.cpio.gz)"
	if start linux /lab/linux.cfg 'LINUX DOMU READY' 180; then
		linux_ok=1
		grep -m 1 'LINUX DOMU MEM' "$(lab_console linux)" | sed 's/^/bench-net: sys=linux note /'
		netbench_all linux $LINUX_IP /lab/linux.cfg 'LINUX DOMU READY' 180
		revive linux $LINUX_IP /lab/linux.cfg 'LINUX DOMU READY' 180 && wrk_run $LINUX_IP
		xl destroy linux >/dev/null 2>&1
	fi
else
	say "sys=linux error what=start cannot build the domU initramfs"
fi

[ $skiff_ok -eq 1 ] || [ $linux_ok -eq 1 ] || fail "no guest could be started"
echo "PASS lab/bench/net (numbers above; never judged)"
