#!/usr/bin/env bash
# Sync over real HTTP: `weft serve` processes on free loopback ports, driven by
# the built binary as a person would. Usage: http_sync.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=serve_lib.sh
. "$(dirname "$0")/serve_lib.sh"
limit=60

heads_of() { on "$1" status --json | json_field heads; }
digest_of() { on "$1" rebuild --json | json_field digest; }

# --- three instances in a chain over mutual TLS: laptop <-> desktop <-> server
for n in laptop desktop server; do on "$n" init --name "$n" >/dev/null; done
lid="$(on laptop id)"; did="$(on desktop id)"; sid="$(on server id)"
serve desktop --tls; durl="$url"
serve server --tls; surl="$url"
on laptop peer add desktop "$durl" --id "$did" >/dev/null
on desktop peer add laptop --id "$lid" >/dev/null
on desktop peer add server "$surl" --id "$sid" >/dev/null
on server peer add desktop --id "$did" >/dev/null
check "peer ls shows a peer that only calls in" 0 "(calls in)  $lid" -- --store "$tmp/desktop" peer ls

on laptop add 'val Chain.L.a = 1' >/dev/null && on laptop commit -m a >/dev/null
on desktop add 'val Chain.D.b = 2' >/dev/null && on desktop commit -m b >/dev/null
on server add 'val Chain.S.c = 3' >/dev/null && on server commit -m c >/dev/null
# A race: laptop and server bind one name, neither having seen the other.
on laptop add 'val Chain.X.shared = 10' >/dev/null && on laptop commit -m l >/dev/null
on server add 'val Chain.X.shared = 20' >/dev/null && on server commit -m s >/dev/null

check "sync check over https" 0 "1 to pull / 2 to push" -- --store "$tmp/laptop" sync check desktop
check "laptop syncs with desktop" 0 "in sync with desktop" -- --store "$tmp/laptop" sync desktop --confirm
check "desktop syncs with server" 0 "in sync with server" -- --store "$tmp/desktop" sync server --confirm
check "laptop syncs again" 0 "received" -- --store "$tmp/laptop" sync desktop --confirm
expect "laptop and desktop hold the same heads" test "$(heads_of laptop)" = "$(heads_of desktop)"
expect "desktop and server hold the same heads" test "$(heads_of desktop)" = "$(heads_of server)"
check "the laptop has the server's definition" 0 "3" -- --store "$tmp/laptop" eval Chain.S.c
race_ids() { on "$1" conflicts --json | python3 -c 'import json,sys; print(sorted(c["id"] for c in json.load(sys.stdin)))'; }
expect "the race is recorded on the laptop" test "$(race_ids laptop)" != "[]"
expect "…with the same id on all three" test "$(race_ids laptop)" = "$(race_ids server)" -a "$(race_ids laptop)" = "$(race_ids desktop)"
id="$(on server conflicts --json | sed -n 's/.*"id": "\([0-9a-f]\{8\}\).*/\1/p' | head -1)"
check "the server resolves the race its way" 0 "resolved Chain.X.shared" -- --store "$tmp/server" conflicts resolve "$id" mine
check "desktop pulls the resolution" 0 "received 1 change" -- --store "$tmp/desktop" sync server --confirm
check "laptop pulls it through desktop" 0 "received 1 change" -- --store "$tmp/laptop" sync desktop --confirm
check "the resolution travelled" 0 "20" -- --store "$tmp/laptop" eval Chain.X.shared
expect "…and no race is open there" test -z "$(on laptop conflicts --json | grep '"state": "open"')"
expect "all three hold the same heads" test "$(heads_of laptop)" = "$(heads_of server)"
expect "all three fold identical projections" test "$(digest_of laptop)" = "$(digest_of server)" -a "$(digest_of laptop)" = "$(digest_of desktop)"

# --- a pull writes nothing there; a server that is not there is retried, then given up
on desktop add 'val Chain.D.pulled = 7' >/dev/null && on desktop commit -m p >/dev/null
on laptop add 'val Chain.L.kept = 8' >/dev/null && on laptop commit -m k >/dev/null
dheads="$(heads_of desktop)"
check "a pull over https" 0 "received 1 change from desktop" -- --store "$tmp/laptop" sync desktop --pull
expect "…wrote nothing to the desktop" test "$(heads_of desktop)" = "$dheads"
check "the pulled definition runs here" 0 "7" -- --store "$tmp/laptop" eval Chain.D.pulled
on laptop sync desktop >/dev/null
free_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
started=$SECONDS
check_streams "nobody listening: retried until the timeout, then not reachable" 7 "" "is not reachable at http://127.0.0.1:$free_port" -- --store "$tmp/laptop" sync "http://127.0.0.1:$free_port" --timeout 2
expect "…after about the timeout" test $((SECONDS - started)) -le 10

# --- refusals: each with its status and sentence, nothing applied on either side
on laptop add 'val Chain.L.unsent = 5' >/dev/null && on laptop commit -m unsent >/dev/null
lheads="$(heads_of laptop)"; sheads="$(heads_of server)"
on laptop peer add server "$surl" --id "$sid" >/dev/null
check_streams "an unregistered device gets 403 and the command to trust it" 8 "" "server does not know device $lid; to trust it, run there: weft peer add NAME --id $lid" -- --store "$tmp/laptop" sync server
on laptop peer add impostor "$surl" --id "$lid" >/dev/null
check_streams "a server with another id is refused by the client" 8 "" "presented device id $sid, not the registered $lid" -- --store "$tmp/laptop" sync impostor
check_streams "plain http to a TLS port" 7 "" "closed the connection without an HTTP answer" -- --store "$tmp/laptop" sync "${surl/https/http}" --timeout 5
expect "nothing reached the server" test "$(heads_of server)" = "$sheads"
expect "nothing changed on the laptop" test "$(heads_of laptop)" = "$lheads"

# Hostile bodies against a plain loopback server (curl speaks for the attacker).
serve server --no-tls; pserver="$pid"; purl="$url"
status_of() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
head -c $((17 * 1024 * 1024)) /dev/zero >"$tmp/big"
expect "an oversized body gets 413" test "$(status_of -H 'Weft-Session: a' -H 'Weft-Seq: 1' --data-binary @"$tmp/big" "$purl/v1/sync")" = 413
printf '\002garbage' >"$tmp/garbage"  # our Release, then nonsense
expect "a garbage body gets 400" test "$(status_of -H 'Weft-Session: b' -H 'Weft-Seq: 1' --data-binary @"$tmp/garbage" "$purl/v1/sync")" = 400
printf '\003' >"$tmp/release3"
expect "another Release gets 409" test "$(status_of -H 'Weft-Session: c' -H 'Weft-Seq: 1' --data-binary @"$tmp/release3" "$purl/v1/sync")" = 409
expect "…with the sentence naming both Releases" grep -q "Release 3, and this weft is on Release 2" "$tmp/body"
expect "a request without session headers gets 400" test "$(status_of --data-binary @"$tmp/garbage" "$purl/v1/sync")" = 400
expect "an unknown session past its first message gets 410" test "$(status_of -H 'Weft-Session: d' -H 'Weft-Seq: 5' --data-binary @"$tmp/garbage" "$purl/v1/sync")" = 410
curl -s "$purl/v1/health" >"$tmp/health"
counter() { json_field counters <"$tmp/health" | python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], 0))' "$1"; }
expect "health counts the 413" test "$(counter too_large)" -ge 1
expect "health counts the 400s" test "$(counter bad_request)" -ge 2
expect "health counts the 409" test "$(counter version_mismatch)" -ge 1
expect "health counts the 410" test "$(counter gone)" -ge 1
expect "nothing reached the server's store" test "$(heads_of server)" = "$sheads"
expect "the server is still serving" test "$(status_of "$purl/v1/health")" = 200
# A full server: one session allowed, a second caller gets 503 with Retry-After.
stop "$pserver"
serve server --no-tls --max-sessions 1; purl="$url"
expect "a first session opens (an empty first request gets the hello)" test "$(status_of -H 'Weft-Device: first' -H 'Weft-Session: e' -H 'Weft-Seq: 1' --data-binary '' "$purl/v1/sync")" = 200
expect "a second gets 503" test "$(curl -s -D "$tmp/headers" -o /dev/null -w '%{http_code}' -H 'Weft-Device: second' -H 'Weft-Session: f' -H 'Weft-Seq: 1' --data-binary '' "$purl/v1/sync")" = 503
expect "…with Retry-After" grep -qi "^Retry-After: 1" "$tmp/headers"
stop "$pid"
# A session ends when its sync does (DELETE /v1/sync), so one client's syncs in a
# row never fill a server that allows two sessions (they used to linger 120 s).
serve server --no-tls --max-sessions 2; purl="$url"
ok=1
for i in 1 2 3 4 5 6; do on laptop sync "$purl" >/dev/null 2>&1 || ok=0; done
expect "six syncs in a row against a two-session server all succeed" test "$ok" = 1
expect "…and leave no session open" test "$(curl -s "$purl/v1/health" | json_field sessions)" = 0
# A client that vanishes mid-session (curl: one request, never ended) does not
# fill the server: its fourth session ends its oldest.
for s in g1 g2 g3 g4 g5; do
  curl -s -o /dev/null -H 'Weft-Device: crashing-client' -H "Weft-Session: $s" -H 'Weft-Seq: 1' --data-binary '' "$purl/v1/sync"
done
expect "sessions one caller left behind are evicted, not piled up" test "$(curl -s "$purl/v1/health" | json_field sessions)" -le 2
expect "…and another client still gets a session" test "$(status_of -H 'Weft-Device: someone-else' -H 'Weft-Session: h' -H 'Weft-Seq: 1' --data-binary '' "$purl/v1/sync")" = 200
stop "$pid"

# A second server on a port in use is refused (httplib's SO_REUSEPORT let it share).
serve server --no-tls; busy_port="${url##*:}"
check "a port in use is refused" 4 "cannot listen on 127.0.0.1:$busy_port" -- --store "$tmp/desktop" serve --listen "127.0.0.1:$busy_port"
stop "$pid"

# A non-loopback address without TLS, and tailnet trust on the wrong kind of listener.
check "serving off loopback needs TLS" 3 "without TLS" -- --store "$tmp/server" serve --listen 0.0.0.0:0 --no-tls
check "tailnet trust needs a plain loopback listener" 3 "--trust tailnet needs" -- --store "$tmp/server" serve --listen 127.0.0.1:0 --tls --trust tailnet

# --- tailnet trust: the Tailscale-User-Login header is the identity, and only there
serve server --trust tailnet; turl="$url"
expect "no login header: 403" test "$(status_of "$turl/v1/health")" = 403
expect "an unregistered login: 403" test "$(status_of -H 'Tailscale-User-Login: mallory@example.com' "$turl/v1/health")" = 403
on server peer add phone --id tailnet:alice@example.com >/dev/null
expect "a registered login: 200" test "$(status_of -H 'Tailscale-User-Login: alice@example.com' "$turl/v1/health")" = 200
stop "$pid"

# --- events: a long poll wakes when the heads change
serve desktop --no-tls; eurl="$url"
latest="$(curl -s "$eurl/v1/events?after=0&wait=0" | json_field latest)"
( sleep 1; on desktop add 'val Chain.E.e = 1' >/dev/null; on desktop commit -m e >/dev/null ) &
curl -s --max-time 20 "$eurl/v1/events?after=$latest&wait=15" >"$tmp/events"
wait $!
expect "the long poll returned the next event" test "$(json_field events <"$tmp/events" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e[0]["id"] if e else 0)')" = "$((latest + 1))"
expect "…naming the new heads" test "$(json_field events <"$tmp/events" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[-1]["heads"], sort_keys=True))')" = "$(heads_of desktop)"
stop "$pid"

# --- a hostile server: nothing it says is buffered past the cap or applied
hostile() {  # hostile MODE: starts tests/net/hostile_server.py; sets $hurl
  local port_file="$tmp/hostile.$1.port"
  python3 "$(dirname "$0")/hostile_server.py" "$1" >"$port_file" &
  servers+=("$!")
  for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  hurl="http://127.0.0.1:$(cat "$port_file")"
}
lheads="$(heads_of laptop)"
hostile big
check_streams "an answer over 16 MiB is refused, not buffered" 7 "" "larger than 16 MiB" -- --store "$tmp/laptop" sync "$hurl" --timeout 10
hostile garbage
check_streams "an answer that is not a sync message: the session resets and the sync fails" 7 "" "malformed message dropped" -- --store "$tmp/laptop" sync "$hurl" --timeout 10
hostile health
check "a health document of another Release: refused with both Releases" 5 "Release 99, you are on 2: upgrade weft here" -- --store "$tmp/laptop" sync check "$hurl"
hostile old
check "a Release 1 peer: sync check says to upgrade it" 5 "Release 1, you are on 2: upgrade weft there" -- --store "$tmp/laptop" sync check "$hurl"
expect "nothing from the hostile servers reached the laptop" test "$(heads_of laptop)" = "$lheads"

# --- eight clients at once against one server
serve server --no-tls --max-sessions 16; curl_url="$url"
for i in 1 2 3 4 5 6 7 8; do
  on "c$i" init --name "c$i" >/dev/null
  on "c$i" add "val Many.C$i.v = $i" >/dev/null && on "c$i" commit -m "c$i" >/dev/null
done
for i in 1 2 3 4 5 6 7 8; do
  on "c$i" sync "$curl_url" --confirm >"$tmp/c$i.out" 2>&1 &
done
ok=1
for job in $(jobs -p); do
  case " ${servers[*]} " in *" $job "*) continue ;; esac
  wait "$job" || ok=0
done
expect "eight concurrent syncs all succeed" test "$ok" = 1
expect "…with no busy or locked store" test -z "$(cat "$tmp"/c*.out | grep -i -E 'locked|busy')"
for i in 1 2 3 4 5 6 7 8; do on "c$i" sync "$curl_url" >/dev/null 2>&1; done
expect "the server holds all eight" test "$(on server ls Many. | wc -l)" = 8
expect "every client holds all eight" test "$(for i in 1 2 3 4 5 6 7 8; do on "c$i" ls Many. | wc -l; done | sort -u)" = 8
stop "$pid"
for s in laptop desktop server c1 c8; do
  expect "the store of $s is intact" test "$(sqlite3 "$tmp/$s/weft.db" 'PRAGMA integrity_check')" = ok
done

summary
