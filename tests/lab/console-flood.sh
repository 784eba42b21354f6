#!/bin/bash
# tests/lab/console-flood.sh - lab job: 1 MiB written by the guest through
# its console ring arrives in dom0's console log complete and in order.
#
# lab-file: build/console-flood/console-flood.xen
. /lab/lib.sh

NAME=flood
fail() { echo "FAIL lab/console-flood: $*"; exit 1; }

lab_skiff_cfg "$NAME" /lab/console-flood.xen

lab_create /lab/$NAME.cfg || fail "xl create failed"
reason=$(lab_wait_shutdown "$NAME" 120) || fail "no shutdown within 120 s"
[ "$reason" = poweroff ] || fail "reason $reason"
lab_expect_console "$NAME" '^flood done' 10 || fail "no final line"
console=$(lab_console "$NAME")
# Every line "flood NNNNNN <pattern>" once, in order, with its pattern.
verdict=$(awk '
	/^flood [0-9]{6} / {
		# Strip the zeros: busybox awk reads "000010" as octal.
		x = $2
		sub(/^0+/, "", x)
		n = x + 0
		if (n != next_n) { print "line " next_n " missing or out of order (got " n ")"; exit }
		s = ""
		for (j = 13; j < 63; j++) s = s sprintf("%c", 97 + (n + j) % 26)
		if (substr($0, 14) != s) { print "line " n " corrupted"; exit }
		next_n++
	}
	END { if (next_n != 16384) print "only " next_n " of 16384 lines" }
' "$console")
[ -z "$verdict" ] || fail "$verdict"
full=$(sed -n 's/.*ring was full \([0-9]*\) times.*/\1/p' "$console")
echo "PASS lab/console-flood: 16384 lines (1 MiB) complete and in order;" \
	"the ring was full ${full:-?} times and nothing was dropped"
