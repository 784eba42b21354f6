# /lab/lib.sh - helpers for lab job scripts (bash, run in dom0 by tools/lab).
#
# A job script is plain bash; it may `. /lab/lib.sh` for these:
#   lab_create CFG                   xl create; returns once the domain runs
#   lab_wait_shutdown NAME TIMEOUT   waits for the domain's shutdown; prints the
#                                    reason (poweroff, reboot, suspend, crash,
#                                    watchdog, soft_reset); 1 on timeout
#   lab_console NAME                 prints the path of NAME's console log
#   lab_expect_console NAME REGEX TIMEOUT
#                                    waits until a console line matches (grep -E)
#   lab_wait_console NAME TIMEOUT    waits for NAME's first console output;
#                                    prints the seconds since lab_create
#   lab_now                          seconds since the epoch, microseconds
#   lab_skiff_cfg NAME IMAGE [MIB] [EXTRA] [VIF] [DISK...]
#                                    writes /lab/NAME.cfg for a Skiff PV guest
#                                    (VIF: "bridge" puts it on xenbr0; each
#                                    DISK an xl disk spec, e.g.
#                                    "phy:/dev/loop0,xvda,w")
#   lab_loop FILE [SECTOR]           attaches FILE to a free loop device
#                                    (SECTOR: its logical sector size, 512
#                                    or 4096) and prints the device
# Times are in seconds (fractions allowed). Under TCG everything is ~100x
# slower than on hardware: be generous with timeouts.
#
# The shutdown reason comes from xl's own log (/var/log/xen/xl-NAME.log,
# written by the `xl create` process that watches the domain), so it is
# known even when on_poweroff/on_crash destroy the domain.

LAB_CONSOLE_DIR=/var/log/xen/console
declare -gA LAB_CREATED_AT=() LAB_XL_LOG_LINES=()
declare -ga LAB_WATCHERS=()

lab_now() { printf '%s\n' "$EPOCHREALTIME"; }

# Seconds between two lab_now values, with 3 decimals.
lab_elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# Is NOW (lab_now) past START + TIMEOUT?
lab_past() { awk -v s="$1" -v t="$2" -v n="$EPOCHREALTIME" 'BEGIN { exit !(n > s + t) }'; }

lab_cfg_name() {
	sed -n 's/^[[:space:]]*name[[:space:]]*=[[:space:]]*["'\'']\([^"'\'']*\)["'\''].*/\1/p' "$1" | head -n 1
}

lab_console() { printf '%s/guest-%s.log\n' "$LAB_CONSOLE_DIR" "$1"; }

# In the background, note when NAME's console log first grows (xl create
# itself takes seconds under TCG, and the guest may print before it returns).
lab_watch_first_output() {
	local name=$1 file size=0 mark
	file=$(lab_console "$1")
	mark=/run/lab/first-output-$name
	mkdir -p /run/lab
	rm -f "$mark"
	[ -f "$file" ] && size=$(wc -c <"$file")
	(
		while :; do
			if [ -f "$file" ] && [ "$(wc -c <"$file")" -gt "$size" ]; then
				echo "$EPOCHREALTIME" >"$mark"
				exit 0
			fi
			sleep 0.1
		done
	) &
	LAB_WATCHERS+=($!)
}

lab_skiff_cfg() {
	local name=$1 image=$2 mem=${3:-8} extra=${4:-} vif=${5:-} d sep=
	shift $(($# < 5 ? $# : 5))
	{
		echo "name = \"$name\""
		echo 'type = "pv"'
		echo "kernel = \"$image\""
		echo "memory = $mem"
		echo 'vcpus = 1'
		[ -n "$extra" ] && echo "extra = \"$extra\""
		[ "$vif" = bridge ] && echo "vif = [ 'bridge=xenbr0' ]"
		if [ $# -gt 0 ]; then
			printf 'disk = [ '
			for d in "$@"; do printf "%s'%s'" "$sep" "$d"; sep=', '; done
			printf ' ]\n'
		fi
		echo 'on_poweroff = "destroy"'
		echo 'on_reboot = "restart"'
		echo 'on_crash = "preserve"'
	} >"/lab/$name.cfg"
}

lab_loop() {
	local file=$1 sector=${2:-512}
	losetup --find --show --sector-size "$sector" "$file"
}

lab_create() {
	local cfg=$1 name log
	name=$(lab_cfg_name "$cfg")
	[ -n "$name" ] || { echo "lab_create: no name = \"...\" in $cfg" >&2; return 1; }
	log=/var/log/xen/xl-$name.log
	LAB_XL_LOG_LINES[$name]=$( [ -f "$log" ] && wc -l <"$log" || echo 0)
	lab_watch_first_output "$name"
	LAB_CREATED_AT[$name]=$EPOCHREALTIME
	# xl create returns once the domain is built and running (a quick guest
	# may already be gone again).
	xl create "$cfg" || { echo "lab_create: xl create $cfg failed" >&2; return 1; }
}

lab_reason_name() {
	case $1 in
	0) echo poweroff ;; 1) echo reboot ;; 2) echo suspend ;; 3) echo crash ;;
	4) echo watchdog ;; 5) echo soft_reset ;; *) echo "unknown($1)" ;;
	esac
}

lab_wait_shutdown() {
	local name=$1 timeout=${2:-60} start=$EPOCHREALTIME log code skip
	log=/var/log/xen/xl-$name.log
	skip=${LAB_XL_LOG_LINES[$name]:-0}
	while :; do
		if [ -f "$log" ]; then
			code=$(tail -n +$((skip + 1)) "$log" |
			       sed -n 's/.*has shut down, reason code \([0-9]*\).*/\1/p' | head -n 1)
			if [ -n "$code" ]; then
				lab_reason_name "$code"
				return 0
			fi
		fi
		lab_past "$start" "$timeout" && return 1
		sleep 0.2
	done
}

lab_expect_console() {
	local name=$1 regex=$2 timeout=${3:-60} start=$EPOCHREALTIME file
	file=$(lab_console "$name")
	while :; do
		[ -f "$file" ] && grep -Eq -- "$regex" "$file" && return 0
		lab_past "$start" "$timeout" && return 1
		sleep 0.2
	done
}

lab_wait_console() {
	local name=$1 timeout=${2:-60} start=$EPOCHREALTIME mark
	mark=/run/lab/first-output-$name
	while :; do
		if [ -s "$mark" ]; then
			lab_elapsed "${LAB_CREATED_AT[$name]:-$start}" "$(cat "$mark")"
			return 0
		fi
		lab_past "$start" "$timeout" && return 1
		sleep 0.1
	done
}
