#!/bin/bash
# tests/lab/shutdown.sh - lab job: the toolstack's requests reach a guest
# that is blocked in a one-hour sleep: `xl shutdown` powers it off (within
# 2 s of the request), `xl reboot` restarts it, `xl sysrq m` logs its
# counters, `xl sysrq c` crashes it.
#
# lab-file: build/sleeper/sleeper.xen
. /lab/lib.sh

NAME=sleeper
fail() { echo "FAIL lab/shutdown: $*"; exit 1; }

# Create the guest and wait until main() is asleep.
start_sleeper() {
	lab_create /lab/sleeper.cfg || fail "xl create failed"
	lab_expect_console "$NAME" 'sleeper: up' 60 || fail "guest never came up"
}

lab_skiff_cfg "$NAME" /lab/sleeper.xen

# 1. xl shutdown while main() sleeps.
start_sleeper
t0=$(lab_now)
xl shutdown "$NAME" || fail "xl shutdown failed"
lab_expect_console "$NAME" 'powering off' 10 ||
	fail "guest did not act on xl shutdown"
t1=$(lab_now)
reason=$(lab_wait_shutdown "$NAME" 30) || fail "no shutdown after xl shutdown"
[ "$reason" = poweroff ] || fail "xl shutdown gave reason $reason"
took=$(lab_elapsed "$t0" "$t1")
awk -v t="$took" 'BEGIN { exit !(t <= 2.0) }' ||
	fail "xl shutdown took $took s to reach the guest (more than 2 s)"
grep -q 'shutdown requested: poweroff' "$(lab_console "$NAME")" ||
	fail "the guest did not log the reason"

# 2. xl reboot: the domain shuts down with reason reboot and comes back.
start_sleeper
xl reboot "$NAME" || fail "xl reboot failed"
lab_expect_console "$NAME" '\[kernel\] rebooting' 10 ||
	fail "the guest did not act on xl reboot"
# xl restarts the domain (on_reboot = "restart"): a third "up" line (the
# first two are from step 1 and from this step's start) shows it back.
start=$EPOCHREALTIME
until [ "$(grep -c 'sleeper: up' "$(lab_console "$NAME")")" -ge 3 ]; do
	lab_past "$start" 60 && fail "the guest did not come back after reboot"
	sleep 0.2
done

# 3. xl sysrq m: the guest logs its counters (kernel/report.h).
xl sysrq "$NAME" m || fail "xl sysrq m failed"
lab_expect_console "$NAME" '\[report\] kernel: [0-9]+ threads, .* pages free' 10 ||
	fail "sysrq m logged no kernel report"

# 4. xl sysrq c: a crash on request.
xl sysrq "$NAME" c || fail "xl sysrq failed"
lab_expect_console "$NAME" "SKIFF PANIC crash requested by sysrq 'c'" 10 ||
	fail "sysrq c did not crash the guest"
xl destroy "$NAME" 2>/dev/null
echo "PASS lab/shutdown: xl shutdown reached the sleeping guest in $took s" \
	"(poweroff), xl reboot restarted it, xl sysrq m reported, xl sysrq c" \
	"crashed it"
