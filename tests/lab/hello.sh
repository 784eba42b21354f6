#!/bin/bash
# tests/lab/hello.sh - lab job: the hello app as an xl-created PV guest.
#
# Runs in dom0 (tools/lab run). Creates the guest "hello" from
# /lab/hello.xen (build/hello/hello.xen), waits for it to shut down, checks
# that the reason is poweroff and that its console (xenconsoled's log, i.e.
# Skiff's domU console ring) has the app's line, and prints the time from
# `xl create` to the guest's first console output.
# Prints "PASS lab/hello: ..." or "FAIL lab/hello: ..."; exit status 0/1.
#
# lab-file: build/hello/hello.xen
. /lab/lib.sh

MEM=${HELLO_MEM:-8}
IMAGE=/lab/hello.xen
fail() { echo "FAIL lab/hello: $*"; exit 1; }

[ -f "$IMAGE" ] || fail "no $IMAGE in dom0"
lab_skiff_cfg hello "$IMAGE" "$MEM"

t0=$(lab_now)
lab_create /lab/hello.cfg || fail "xl create failed (memory = $MEM MiB)"
t1=$(lab_now)
reason=$(lab_wait_shutdown hello 60) || fail "no shutdown within 60 s"
first=$(lab_wait_console hello 2) || first=
console=$(lab_console hello)

if [ "$reason" = crash ]; then
	xl list hello 2>/dev/null
	fail "the guest crashed (console: $(tail -n 5 "$console" 2>/dev/null | tr '\n' '|'))"
fi
[ "$reason" = poweroff ] || fail "shutdown reason $reason, expected poweroff"
if [ ! -s "$console" ]; then
	fail "shut down with reason poweroff, but its console log $console is empty (domU console ring: nothing reached xenconsoled)"
fi
grep -q 'hello from Skiff' "$console" ||
	fail "poweroff, but 'hello from Skiff' is not in its console log"
echo "lab/hello: memory $MEM MiB; xl create took $(lab_elapsed "$t0" "$t1") s;" \
	"from xl create to the first console output: ${first:-?} s"
echo "PASS lab/hello: poweroff, console has 'hello from Skiff'"
