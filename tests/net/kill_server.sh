#!/usr/bin/env bash
# kill -9 of `weft serve` in the middle of a large sync (20,000 changes pushed to
# it), then a restart and another sync: converged, nothing lost, no duplicate, and
# both stores re-fold to the same projections.
# Usage: kill_server.sh PATH/TO/weft PATH/TO/weft_fill_store [CHANGES]
set -uo pipefail
weft_bin="$1"
fill_bin="$2"
n="${3:-20000}"
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"
limit=300

field() { on "$1" status --json | json_field "$2"; }
served_changes() {  # the server's change count, -1 when it does not answer
  local n
  n="$(curl -s --max-time 5 "$1/v1/health" | sed -n 's/.*"changes":\([0-9]*\).*/\1/p')"
  echo "${n:--1}"
}

on laptop init --name laptop >/dev/null
on server init --name server >/dev/null
timeout 600 "$fill_bin" "$tmp/laptop" "$n" || { fail "filling the laptop's store"; summary; exit 1; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
serve server --listen "127.0.0.1:$port" --no-tls --quiet
first="$pid"
surl="$url"
on laptop peer add server "$surl" >/dev/null

on laptop sync server --timeout 20 >"$tmp/first.out" 2>&1 &
client=$!
# Kill the server once it holds some of the changes but not all (at most 120 s).
got=0
for _ in $(seq 1 1200); do
  got="$(served_changes "$surl")"
  [ "$got" -gt 0 ] 2>/dev/null && break
  sleep 0.1
done
kill -9 "$first"
wait "$first" 2>/dev/null
echo "killed the server holding $got of $n changes"
expect "the server was killed mid-sync (it held $got of $n)" test "$got" -gt 0 -a "$got" -lt "$n"
wait "$client"
rc=$?
expect "the interrupted sync failed plainly (exit $rc: $(tail -1 "$tmp/first.out"))" test "$rc" -eq 7
expect "the killed server's store is intact" test "$(sqlite3 "$tmp/server/weft.db" 'PRAGMA integrity_check')" = ok

serve server --listen "127.0.0.1:$port" --no-tls --quiet
check "after a restart, the sync completes" 0 "in sync with server" -- --store "$tmp/laptop" sync server --confirm --timeout 250
expect "the server holds every change, once" test "$(field server changes)" = "$n"
expect "…all folded" test "$(field server folded)" = "$n"
expect "both hold the same heads" test "$(field server heads)" = "$(field laptop heads)"

# Again, with the server back while the sync is still retrying: the sync starts a
# new session (the server forgot the old one) and finishes by itself.
timeout 600 "$fill_bin" "$tmp/laptop" "$n" second || fail "filling the laptop's store again"
on laptop sync server --confirm --timeout 250 >"$tmp/second.out" 2>&1 &
client=$!
before="$(served_changes "$surl")"
for _ in $(seq 1 1200); do
  got="$(served_changes "$surl")"
  [ "$got" -gt "$before" ] 2>/dev/null && break
  sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
echo "killed the server holding $got of $((2 * n)) changes; restarting it at once"
serve server --listen "127.0.0.1:$port" --no-tls --quiet
wait "$client"
rc=$?
expect "the sync resumed on the restarted server (exit $rc: $(tail -1 "$tmp/second.out"))" test "$rc" -eq 0
expect "…and says it is in sync" grep -q "in sync with server" "$tmp/second.out"
expect "the server holds all of both fills, once" test "$(field server changes)" = "$((2 * n))"
expect "both hold the same heads again" test "$(field server heads)" = "$(field laptop heads)"
stop "$pid"
expect "both re-fold to the same projections" test "$(on laptop rebuild --json | json_field digest)" = "$(on server rebuild --json | json_field digest)"
expect "a second rebuild gives the same digest" test "$(on server rebuild --json | json_field digest)" = "$(on laptop rebuild --json | json_field digest)"
summary
