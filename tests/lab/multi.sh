#!/bin/bash
# tests/lab/multi.sh - lab job: three guests at once, each with its own
# console and xenstore area (the xenstore test guest, three times, each
# checking its own name and writing its own data/), and exit(3) reported
# to the toolstack as a crash.
#
# lab-file: build/xenstore/xenstore.xen
# lab-file: build/exit-status/exit-status.xen
. /lab/lib.sh

fail() { echo "FAIL lab/multi: $*"; exit 1; }

for i in 1 2 3; do
	lab_skiff_cfg multi$i /lab/xenstore.xen 8 "-- multi$i"
	lab_create /lab/multi$i.cfg || fail "xl create multi$i failed"
done

# Play dom0's part for all three (see tests/lab/xenstore.sh).
wait_key() {
	local start=$EPOCHREALTIME v
	while ! lab_past "$start" 60; do
		v=$(xenstore-read "$1" 2>/dev/null) && [ -n "$v" ] && return 0
		sleep 0.2
	done
	return 1
}
for i in 1 2 3; do
	base=/local/domain/$(xl domid multi$i) || fail "no domid for multi$i"
	wait_key "$base/data/ready" || fail "multi$i never wrote data/ready"
	xenstore-write "$base/data/watched" from-dom0
done
for i in 1 2 3; do
	base=/local/domain/$(xl domid multi$i)
	wait_key "$base/data/tx-waiting" || fail "multi$i never reached its transaction"
	xenstore-write "$base/data/tx-key" dom0
done
for i in 1 2 3; do
	reason=$(lab_wait_shutdown multi$i 90) || fail "multi$i did not shut down"
	[ "$reason" = poweroff ] || fail "multi$i: reason $reason"
	console=$(lab_console multi$i)
	grep -q "^TEST PASS xenstore" "$console" || fail "multi$i: no TEST PASS"
	grep -q "name multi$i" "$console" || fail "multi$i: console has another guest's name"
	grep -q "name multi[^$i]" "$console" && fail "multi$i: console mixed with another guest"
done

lab_skiff_cfg exit3 /lab/exit-status.xen
lab_create /lab/exit3.cfg || fail "xl create exit3 failed"
reason=$(lab_wait_shutdown exit3 60) || fail "exit3 did not shut down"
[ "$reason" = crash ] || fail "exit(3) gave reason $reason, expected crash"
grep -q 'SKIFF EXIT status=3' "$(lab_console exit3)" || fail "exit3: no exit line"
xl destroy exit3 2>/dev/null
echo "PASS lab/multi: three guests at once, each its own console and xenstore" \
	"area; exit(3) shows as a crash to xl"
