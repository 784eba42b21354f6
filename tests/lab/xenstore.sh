#!/bin/bash
# tests/lab/xenstore.sh - lab job: Skiff's xenstore client against dom0's
# xenstored. The guest (tests/lab/xenstore) checks its own domid and name,
# write/read/directory/rm under data/, a watch fired by a dom0 write, and a
# transaction that a dom0 write forces to retry; this script is the dom0
# side of that conversation (see the guest's header comment).
#
# lab-file: build/xenstore/xenstore.xen
. /lab/lib.sh

NAME=xs-test
fail() { echo "FAIL lab/xenstore: $*"; exit 1; }

lab_skiff_cfg "$NAME" /lab/xenstore.xen 8 "-- $NAME"

# Wait (by time: xenstore-read is slow under emulation) until the guest
# has written a non-empty value at data/$1.
wait_key() {
	local start=$EPOCHREALTIME v
	while ! lab_past "$start" 30; do
		v=$(xenstore-read "$BASE/data/$1" 2>/dev/null) && [ -n "$v" ] &&
			return 0
		sleep 0.2
	done
	return 1
}

lab_create /lab/$NAME.cfg || fail "xl create failed"
domid=$(xl domid "$NAME") || fail "no domid for $NAME"
BASE=/local/domain/$domid
wait_key ready || fail "guest never wrote data/ready"
xenstore-write "$BASE/data/watched" from-dom0 || fail "dom0 write failed"
wait_key tx-waiting || fail "guest never reached its transaction"
xenstore-write "$BASE/data/tx-key" dom0 || fail "dom0 write failed"
reason=$(lab_wait_shutdown "$NAME" 60) || fail "no shutdown within 60 s"
console=$(lab_console "$NAME")
line=$(grep -E '^TEST (PASS|FAIL) xenstore' "$console")
[ "$reason" = poweroff ] && [[ $line == "TEST PASS"* ]] ||
	fail "reason $reason; ${line:-no verdict}; $(grep FAILED "$console" | tr '\n' '|')"
echo "PASS lab/xenstore: ${line#TEST PASS xenstore: }"
