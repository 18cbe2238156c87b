#!/usr/bin/env bash
# The hub end to end (docs/design/hub.md): a real PostgreSQL in a temporary
# directory, two hub replicas on loopback, devices that are never online
# together converging through them (a race with the same id everywhere and a
# resolution that travels), tokens and tenants refused as they should be, a
# quota, a replica killed, PostgreSQL restarted, the hub restored from an older
# dump, and the daemon keeping a device in sync through the hub.
set -uo pipefail
weft_bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../cli/lib.sh"
source "$here/pg.sh"
source "$here/hub_lib.sh"
trap 'hub_stop_all; "$weft_bin" --store "$tmp/b" daemon stop >/dev/null 2>&1; pg_stop; chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pg_start "$tmp" || { echo "FAIL no PostgreSQL"; exit 1; }

W() { timeout -k 5 "$limit" "$weft_bin" "$@"; }
check "migrate an empty database" 0 "migrated the hub's schema from 0 to 1" -- hub migrate --db "$PGURL"
check "migrate again: nothing to do" 0 "at 1 already" -- hub migrate --db "$PGURL"
check "no database named" 3 "say which database" -- hub tenant ls
check "an unreachable database" 7 "cannot reach PostgreSQL" -- hub tenant ls --db "postgresql:///nothere?host=$tmp/none"
check "tenant create" 0 "created tenant acme" -- hub tenant create acme --db "$PGURL"
check "tenant create other" 0 "created tenant other" -- hub tenant create other --db "$PGURL"
check "a tenant's name is checked" 3 "a tenant's name is 1 to 64" -- hub tenant create "Bad Name" --db "$PGURL"
check "a tenant twice" 3 "there is a tenant named acme already" -- hub tenant create acme --db "$PGURL"
token laptop acme laptop
token desktop acme desktop
token reader acme phone read
token stranger other stranger
check_streams "a token's secret is shown once, the hub keeps its hash" 0 "weft_hub_" "keeps only its hash" -- hub token create --db "$PGURL" --tenant acme --device spare
check "token ls shows no secret" 0 "laptop  write" -- hub token ls --db "$PGURL" --tenant acme
out="$(W hub token ls --db "$PGURL" --tenant acme)"
expect "token ls never prints a secret" test "${out/weft_hub_/}" == "$out"

hub_start one || exit 1
hub_start two || exit 1
check "serving off loopback without TLS is refused" 3 "without TLS" -- hub serve --db "$PGURL" --listen 0.0.0.0:0
# An idle keep-alive connection is let go after 5 s: each costs a thread that
# polls its socket, and 2,000 idle ones starved the long-polls a push had woken.
port_one="${hub_url_one##*:}"
idle_closed() {
  exec 3<>"/dev/tcp/127.0.0.1/$port_one" || return 1
  printf 'GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3
  timeout 15 cat <&3 >"$tmp/idle.out"
  local rc=$?
  exec 3<&-
  [ "$rc" -eq 0 ] && grep -q '"release"' "$tmp/idle.out"
}
expect "an idle connection is closed by the hub, not held" idle_closed

# Two devices, each on its own replica, never online at once.
check "init laptop" 0 "initialized" -- --store "$tmp/a" init --name laptop
check "init desktop" 0 "initialized" -- --store "$tmp/b" init --name desktop
check "a token file others may read is refused" 3 "chmod 600" -- --store "$tmp/a" peer add team "$hub_url_one" --tenant acme --token-file "$(chmod 644 "$tmp/laptop.token"; echo "$tmp/laptop.token")"
chmod 600 "$tmp/laptop.token"
mkfifo "$tmp/fifo.token"
check "a FIFO for a token file is refused" 3 "not a regular file" -- --store "$tmp/a" peer add team "$hub_url_one" --tenant acme --token-file "$tmp/fifo.token"
check "peer add a hub" 0 "a hub, tenant acme" -- --store "$tmp/a" peer add team "$hub_url_one" --tenant acme --token-file "$tmp/laptop.token"
check "peer add the hub on the desktop" 0 "a hub, tenant acme" -- --store "$tmp/b" peer add team "$hub_url_two" --tenant acme --token-file "$tmp/desktop.token"
printf 'fn Demo.add x y = x + y\nfn Demo.twice x = Demo.add x x\n' >"$tmp/f.weft"
check "add" 0 "added" -- --store "$tmp/a" add "$tmp/f.weft"
check "commit" 0 "committed" -- --store "$tmp/a" commit -m first
check "the laptop pushes and the hub confirms" 0 "in sync with team" -- --store "$tmp/a" sync team --confirm
check "the desktop pulls through the other replica" 0 "received 1 change from team: Demo.add, Demo.twice" -- --store "$tmp/b" sync team
check "and runs it" 0 "14" -- --store "$tmp/b" run Demo.twice 7
check "sync check counts nothing to move" 0 "0 to pull / 0 to push" -- --store "$tmp/b" sync check team
json="$(W --store "$tmp/b" sync team --json)"
expect "reconnecting with nothing new is one round trip of under 1 kB" python3 -c '
import json, sys
s = json.loads(sys.argv[1])["peers"][0]
print(s.get("round_trips"), s.get("bytes"), file=sys.stderr)
sys.exit(0 if s["round_trips"] == 1 and s["bytes"] < 1024 else 1)' "$json"

# A race: each edits Demo.add offline; neither edit came after the other.
printf 'fn Demo.add x y = y + x\n' >"$tmp/a.weft"
printf 'fn Demo.add x y = x + y + 0\n' >"$tmp/b.weft"
W --store "$tmp/a" add "$tmp/a.weft" >/dev/null && W --store "$tmp/a" commit -m mine >/dev/null
W --store "$tmp/b" add "$tmp/b.weft" >/dev/null && W --store "$tmp/b" commit -m theirs >/dev/null
check "the laptop pushes its edit" 0 "in sync" -- --store "$tmp/a" sync team
check "the desktop meets the race" 0 "1 conflict auto-resolved" -- --store "$tmp/b" sync team
check "the laptop meets it too" 0 "1 conflict auto-resolved" -- --store "$tmp/a" sync team
id_a="$(W --store "$tmp/a" conflicts --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
id_b="$(W --store "$tmp/b" conflicts --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
expect "the race has the same id on both devices ($id_a)" test -n "$id_a" -a "$id_a" == "$id_b"
check "the desktop keeps the laptop's side" 0 "" -- --store "$tmp/b" conflicts resolve "$id_b" theirs
check "the resolution goes to the hub" 0 "in sync" -- --store "$tmp/b" sync team
check "and reaches the laptop" 0 "in sync" -- --store "$tmp/a" sync team
src_a="$(W --store "$tmp/a" show Demo.add)"
src_b="$(W --store "$tmp/b" show Demo.add)"
expect "both show the same source after the resolution" test "$src_a" == "$src_b"
open_a="$(W --store "$tmp/a" conflicts --json | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["state"]=="open"))')"
expect "the race is settled on the laptop too" test "$open_a" == "0"

# Tokens and tenants.
echo "weft_hub_1_0000" >"$tmp/bad.token" && chmod 600 "$tmp/bad.token"
W --store "$tmp/a" peer add bad "$hub_url_one" --tenant acme --token-file "$tmp/bad.token" >/dev/null
check "a wrong token is refused" 8 "unknown or revoked" -- --store "$tmp/a" sync bad
W --store "$tmp/a" peer add wrongtenant "$hub_url_one" --tenant acme --token-file "$tmp/stranger.token" >/dev/null
check "another tenant's token is refused" 8 "belongs to another tenant" -- --store "$tmp/a" sync wrongtenant
W --store "$tmp/a" peer add reader "$hub_url_one" --tenant acme --token-file "$tmp/reader.token" >/dev/null
check "a read token pulls" 0 "" -- --store "$tmp/a" sync reader --pull
printf 'fn Demo.more = 1\n' >"$tmp/m.weft"
W --store "$tmp/a" add "$tmp/m.weft" >/dev/null && W --store "$tmp/a" commit -m more >/dev/null
check "a read token may not push" 8 "needs the write scope" -- --store "$tmp/a" sync reader
reader_id="$(W hub token ls --db "$PGURL" --tenant acme --json | python3 -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)["tokens"] if t["device"]=="phone"][0])')"
check "revoke a token" 0 "revoked token" -- hub token revoke "$reader_id" --db "$PGURL"
check "a revoked token is refused on its next request" 8 "unknown or revoked" -- --store "$tmp/a" sync reader --pull
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/stranger.token")" "$hub_url_one/v1/t/acme/changes?after=0")"
expect "another tenant's log is 403 even read directly ($code)" test "$code" == 403
code="$(head -c 17000000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/laptop.token")" --data-binary @- "$hub_url_one/v1/t/acme/changes")"
expect "an oversized request is 413 ($code)" test "$code" == 413
code="$(printf 'junk' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/laptop.token")" --data-binary @- "$hub_url_one/v1/t/acme/changes")"
expect "bytes that are no message are refused: 409, their first byte reads as another Release ($code)" test "$code" == 409
code="$(printf 'junk' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/bad.token")" --data-binary @- "$hub_url_one/v1/t/acme/changes")"
expect "a stranger's push is 401 before its body is read ($code)" test "$code" == 401
code="$(printf '\x02junk' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$tmp/laptop.token")" --data-binary @- "$hub_url_one/v1/t/acme/changes")"
expect "a malformed message of our Release is 400 ($code)" test "$code" == 400

# TLS: a replica with a certificate from an authority the device is told of
# (SSL_CERT_FILE); a device that does not know the authority refuses the hub.
ssl() { openssl "$@" >/dev/null 2>&1; }
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=weft-test-ca \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem"
ssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout "$tmp/hub.key" -out "$tmp/hub.csr"
printf 'subjectAltName=IP:127.0.0.1\n' >"$tmp/san.ext"
ssl x509 -req -in "$tmp/hub.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
  -extfile "$tmp/san.ext" -out "$tmp/hub.pem"
hub_start tls 0 --cert "$tmp/hub.pem" --key "$tmp/hub.key" || exit 1
expect "a replica with a certificate serves https ($hub_url_tls)" test "${hub_url_tls#https://}" != "$hub_url_tls"
check "init a third device" 0 "initialized" -- --store "$tmp/c" init --name tablet
check "peer add the hub over TLS" 0 "a hub, tenant acme" -- --store "$tmp/c" peer add team "$hub_url_tls" --tenant acme --token-file "$tmp/laptop.token"
check "a hub whose authority the device does not know is refused" 8 "does not trust" -- --store "$tmp/c" sync team --pull
export SSL_CERT_FILE="$tmp/ca.pem"
check "over TLS with the authority known, the device pulls" 0 "received" -- --store "$tmp/c" sync team --pull
check "and runs what it pulled" 0 "14" -- --store "$tmp/c" run Demo.twice 7
unset SSL_CERT_FILE

# A quota: a tenant with room for almost nothing.
check "a small tenant" 0 "created" -- hub tenant create tiny --quota 100 --db "$PGURL"
token tiny tiny laptop
W --store "$tmp/a" peer add tiny "$hub_url_one" --tenant tiny --token-file "$tmp/tiny.token" >/dev/null
check "a push past the quota is refused" 3 "past its quota" -- --store "$tmp/a" sync tiny
tiny_changes="$(W hub tenant ls --db "$PGURL" --json | python3 -c 'import json,sys; print([t["changes"] for t in json.load(sys.stdin)["tenants"] if t["name"]=="tiny"][0])')"
expect "nothing of it was stored" test "$tiny_changes" == 0

# A replica killed mid-life and started again; PostgreSQL restarted.
check "sync before the faults" 0 "in sync" -- --store "$tmp/a" sync team
port_two="${hub_url_two##*:}"
hub_stop two
check "with one replica down, the other serves" 0 "a hub" -- --store "$tmp/b" peer add team1 "$hub_url_one" --tenant acme --token-file "$tmp/desktop.token"
check "the desktop syncs through the live replica" 0 "in sync" -- --store "$tmp/b" sync team1
hub_start two "$port_two" || exit 1
pg_restart || exit 1
printf 'fn Demo.after_restart = 2\n' >"$tmp/r.weft"
W --store "$tmp/a" add "$tmp/r.weft" >/dev/null && W --store "$tmp/a" commit -m restart >/dev/null
check "after PostgreSQL restarts, a push goes through" 0 "in sync" -- --store "$tmp/a" sync team
check "and the other replica serves it" 0 "Demo.after_restart" -- --store "$tmp/b" sync team
sleep 1.5  # the listener reconnects within a second
connects="$(curl -s "$hub_url_one/metrics" | sed -n 's/^weft_hub_listen_connects_total //p')"
expect "the LISTEN connection came back after the restart ($connects)" test "${connects:-0}" -ge 2
health="$(curl -s "$hub_url_two/v1/health")"
expect "health answers with the database ok" test "${health/\"database\":\"ok\"/}" != "$health"
metrics="$(curl -s "$hub_url_one/metrics")"
expect "metrics count refusals by cause" test "${metrics/refusals_total\{cause=\"unauthorized\"\}/}" != "$metrics"

# The hub restored from an older dump: devices notice and push back what it lost.
pg_dump_to "$tmp/old.dump" || exit 1
printf 'fn Demo.lost = 3\n' >"$tmp/l.weft"
W --store "$tmp/a" add "$tmp/l.weft" >/dev/null && W --store "$tmp/a" commit -m lost >/dev/null
check "a change the hub will lose" 0 "in sync" -- --store "$tmp/a" sync team
hub_stop one
hub_stop two
pg_restore_from "$tmp/old.dump" || { echo "FAIL restore"; exit 1; }
hub_start one || exit 1
hub_start two || exit 1
W --store "$tmp/a" peer rm team >/dev/null && W --store "$tmp/a" peer add team "$hub_url_one" --tenant acme --token-file "$tmp/laptop.token" >/dev/null
W --store "$tmp/b" peer rm team >/dev/null && W --store "$tmp/b" peer add team "$hub_url_two" --tenant acme --token-file "$tmp/desktop.token" >/dev/null
check "the desktop syncs with the restored hub" 0 "in sync" -- --store "$tmp/b" sync team
check "the laptop pushes back what the hub lost" 0 "in sync" -- --store "$tmp/a" sync team --confirm
check "and the desktop gets it" 0 "Demo.lost" -- --store "$tmp/b" sync team

# The daemon keeps the desktop in sync through the hub, with nobody typing sync.
daemon_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
W --store "$tmp/b" daemon start --listen "127.0.0.1:$daemon_port" >/dev/null 2>&1 || fail "daemon start"
printf 'fn Demo.live = 4\n' >"$tmp/d.weft"
W --store "$tmp/a" add "$tmp/d.weft" >/dev/null && W --store "$tmp/a" commit -m live >/dev/null
W --store "$tmp/a" sync team >/dev/null
got=""
for _ in $(seq 1 100); do
  got="$(W --store "$tmp/b" show Demo.live 2>/dev/null)" && break
  sleep 0.1
done
expect "the desktop's daemon pulled the new function by itself" test -n "$got"
W --store "$tmp/b" daemon stop >/dev/null 2>&1

summary
