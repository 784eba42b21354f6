#!/usr/bin/env bash
# tests/lab/httpd-linux.sh - httpd as a file server, on this host: the
# Linux build (tools/build-linux-apps) serves a tree made by
# `netcheck make-docroot` on the loopback, and `netcheck http-files`
# checks it (the same client and tree as the lab job httpd.sh, where
# the server is Skiff). Needs no emulation: seconds. Also checks that
# without -w a PUT is refused (405) and the tree is unchanged.
#
# usage: tests/lab/httpd-linux.sh [PORT]     (default 18201)
# Prints "PASS lab/httpd-linux: ..." or "FAIL lab/httpd-linux: ...".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

port=${1:-18201}
fail() { echo "FAIL lab/httpd-linux: $*"; exit 1; }

tools/build-linux-apps httpd >/dev/null || fail "build-linux-apps failed"
make --no-print-directory build/lab-tools/netcheck >/dev/null ||
	fail "netcheck did not build"
dir=$(mktemp -d /tmp/skiff-httpd-linux.XXXXXX)
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

build/lab-tools/netcheck make-docroot "$dir/root" >/dev/null ||
	fail "make-docroot failed"

# Start httpd with ARGS and wait for it to listen.
start() {
	build/linux/httpd -p "$port" "$@" >"$dir/log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		grep -q 'listening' "$dir/log" && return 0
		sleep 0.1
	done
	cat "$dir/log"
	fail "httpd did not start"
}
stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

start -w "$dir/root"
out=$(build/lab-tools/netcheck http-files 127.0.0.1 "$port" 2>&1) ||
	fail "$out"
stop
# Temporary names of finished or aborted uploads must be gone.
left=$(find "$dir/root" -name '.httpd-put.*' | wc -l)
[ "$left" -eq 0 ] || fail "$left temporary upload file(s) left behind"

start "$dir/root"
status=$(printf 'PUT /up/ro HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi' |
	timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat >&3; head -n1 <&3")
stop
[[ $status == "HTTP/1.1 405 "* ]] || fail "PUT without -w answered '$status'"
[ ! -e "$dir/root/up/ro" ] || fail "PUT without -w wrote a file"

echo "PASS lab/httpd-linux: ${out#ok: }; without -w PUT is 405"
