#!/usr/bin/env bash
# A delta of several messages over real HTTP goes back to back in batches: a fresh
# laptop pulls 20,000 changes (about 6 MB on the wire, past the 4 MiB a message
# holds) from `weft serve` in at most 3 round trips, and pushes its own back the
# same way. Usage: http_batch.sh PATH/TO/weft PATH/TO/weft_fill_store
set -uo pipefail
weft_bin="$1"
fill_bin="$2"
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"
limit=120

on server init --name server >/dev/null
on laptop init --name laptop >/dev/null
on desktop init --name desktop >/dev/null
timeout 300 "$fill_bin" "$tmp/server" 20000 || { fail "filling the server's store"; summary; exit 1; }
serve server --no-tls --quiet
surl="$url"
on laptop peer add server "$surl" >/dev/null
on desktop peer add server "$surl" >/dev/null

report_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['peers'][0]['$2'])" "$1"; }
on laptop sync server --json >"$tmp/pull.json" 2>"$tmp/pull.err"
expect "a fresh laptop receives all 20,000 changes" test "$(report_field "$tmp/pull.json" received)" = 20000
expect "…in several messages" test "$(report_field "$tmp/pull.json" messages)" -gt 4
expect "…and at most 3 round trips" test "$(report_field "$tmp/pull.json" round_trips)" -le 3
expect "…and is in sync" test "$(report_field "$tmp/pull.json" in_sync)" = True

# The desktop authors its own 20,000 and pushes them: batches in the request too.
timeout 300 "$fill_bin" "$tmp/desktop" 20000 desk || { fail "filling the desktop's store"; summary; exit 1; }
on desktop sync server --json --confirm >"$tmp/push.json" 2>"$tmp/push.err"
expect "the desktop's 40,000 meet the server's (it sends 20,000)" test "$(report_field "$tmp/push.json" sent)" = 20000
expect "…in at most 4 round trips" test "$(report_field "$tmp/push.json" round_trips)" -le 4
expect "…confirmed" test "$(report_field "$tmp/push.json" confirmed)" = True
check "the laptop then pulls the desktop's 20,000 in one sync" 0 "received 20,000 changes" -- --store "$tmp/laptop" sync server --confirm
expect "all three hold the same heads" test "$(on laptop status --json | json_field heads)" = "$(on desktop status --json | json_field heads)"
# Over TLS, through a proxy that drops a connection idle for 0.5 s after the server spoke (as a server's
# keep-alive timeout or a NAT would): the client applies a large batch for longer
# than that, and its next request finds the connection gone. That once killed
# the client with SIGPIPE (exit 141): TLS writes raise it.
on tablet init --name tablet >/dev/null
tid="$(on tablet id)"; sid="$(on server id)"
on server peer add tablet --id "$tid" >/dev/null
serve server --tls --quiet
tls_port="${url##*:}"
python3 "$(dirname "$0")/idle_proxy.py" "$tmp/proxy.port" "$tls_port" 0.5 &
servers+=("$!")
for _ in $(seq 1 50); do [ -s "$tmp/proxy.port" ] && break; sleep 0.1; done
on tablet peer add server "https://127.0.0.1:$(cat "$tmp/proxy.port")" --id "$sid" >/dev/null
on tablet sync server --json >"$tmp/tls.json" 2>"$tmp/tls.err"
rc=$?
[ "$rc" -eq 0 ] || cat "$tmp/tls.err" >&2
expect "a pull over TLS whose connection is dropped while idle ends normally (exit $rc)" test "$rc" -eq 0
expect "…with all 40,000 changes" test "$(report_field "$tmp/tls.json" received)" = 40000
summary
