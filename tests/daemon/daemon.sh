#!/usr/bin/env bash
# The daemon, driven as a person would: three daemons in a chain over mutual TLS
# on loopback converge by themselves, a race is recorded once everywhere and its
# resolution travels, kill -9 and restart resume, an unreachable peer is retried
# with backoff, and code runs on a peer once it holds our heads.
# Usage: daemon.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "$0")/daemon_lib.sh"
limit=60

# --- three instances in a chain: laptop <-> desktop <-> server
for n in laptop desktop server; do on "$n" init --name "$n" >/dev/null; done
lid="$(on laptop id)"; did="$(on desktop id)"; sid="$(on server id)"
lport="$(free_port)"; dport="$(free_port)"; sport="$(free_port)"
on laptop peer add desktop "https://127.0.0.1:$dport" --id "$did" >/dev/null
on desktop peer add laptop "https://127.0.0.1:$lport" --id "$lid" >/dev/null
on desktop peer add server "https://127.0.0.1:$sport" --id "$sid" >/dev/null
on server peer add desktop "https://127.0.0.1:$dport" --id "$did" >/dev/null

check "daemon start without a store says so, and leaves nothing behind" 2 "no weft store at $tmp/nowhere" \
  -- --store "$tmp/nowhere" daemon start
expect "... no directory was made" test ! -e "$tmp/nowhere"
check "daemon status before any start" 0 "daemon: not running" -- --store "$tmp/laptop" daemon status
check "daemon stop with none running" 2 "no weft daemon is running" -- --store "$tmp/laptop" daemon stop
start_daemon laptop "$lport" --backoff-ceiling 4 || fail "laptop daemon did not start"
start_daemon desktop "$dport" --backoff-ceiling 4 || fail "desktop daemon did not start"
start_daemon server "$sport" --backoff-ceiling 4 || fail "server daemon did not start"
check "a second daemon on one store is refused, naming the first" 3 \
  "already running on $tmp/laptop (pid $(daemon_pid laptop), serving https://127.0.0.1:$lport)" \
  -- --store "$tmp/laptop" daemon start --listen "127.0.0.1:$(free_port)" --tls
check "daemon run in the foreground is refused the same way" 3 "already running" \
  -- --store "$tmp/laptop" daemon run --listen "127.0.0.1:$(free_port)" --tls
check "daemon status says where it serves" 0 "serving https://127.0.0.1:$lport" \
  -- --store "$tmp/laptop" daemon status

# --- the daemon shows the dashboard on its port; over TLS, a browser needs the token
page="$(curl -sk --max-time 10 "https://127.0.0.1:$lport/")"
if [[ "$page" == *"<title>weft</title>"* ]]; then pass; else fail "the daemon serves the dashboard" "$page"; fi
code="$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$lport/v1/overview")"
if [ "$code" = 401 ]; then pass; else fail "the daemon's dashboard API without a login is 401" "got $code"; fi
token="$(on laptop dashboard token 2>/dev/null)"
overview="$(curl -sk --max-time 10 -H "Cookie: weft_login=$token" "https://127.0.0.1:$lport/v1/overview")"
if [[ "$overview" == *'"instance":"laptop"'* ]]; then pass; else fail "the token's cookie reads the overview" "$overview"; fi

# --- edits on each converge with no `weft sync` typed
on laptop add 'val Chain.L.a = 1' >/dev/null && on laptop commit -m a >/dev/null
on desktop add 'val Chain.D.b = 2' >/dev/null && on desktop commit -m b >/dev/null
on server add 'val Chain.S.c = 3' >/dev/null && on server commit -m c >/dev/null
expect "every edit reaches every instance by itself" eventually 20 all_have Chain.S.c laptop desktop
expect "... the laptop's too" eventually 20 all_have Chain.L.a server desktop
expect "... and the desktop's" eventually 20 all_have Chain.D.b laptop server
expect "all three hold the same heads" eventually 20 same_heads laptop desktop server
check "the laptop runs the server's definition" 0 "3" -- --store "$tmp/laptop" eval Chain.S.c

# --- a race: the link in the middle is down while both ends bind one name
check "daemon stop" 0 "daemon stopped" -- --store "$tmp/desktop" daemon stop
on laptop add 'val Chain.X.shared = 10' >/dev/null && on laptop commit -m l >/dev/null
on server add 'val Chain.X.shared = 20' >/dev/null && on server commit -m s >/dev/null
sleep 1
start_daemon desktop "$dport" --backoff-ceiling 4 || fail "desktop daemon did not restart"
expect "after the restart all three converge" eventually 20 same_heads laptop desktop server
expect "the race is recorded on all three" eventually 10 test "$(race_ids laptop | wc -c)" -gt 3
expect "... with the same id on laptop and desktop" test "$(race_ids laptop)" = "$(race_ids desktop)"
expect "... and on the server" test "$(race_ids laptop)" = "$(race_ids server)"
race="$(on laptop conflicts --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
check "the server resolves it" 0 "" -- --store "$tmp/server" conflicts resolve "$race" theirs
settled() {
  on "$1" conflicts --all --json |
    python3 -c 'import json,sys; cs=json.load(sys.stdin); sys.exit(0 if cs and all(c["state"] != "open" for c in cs) else 1)'
}
expect "the resolution reaches the laptop by itself" eventually 20 settled laptop
expect "... and the desktop" eventually 20 settled desktop
expect "all agree after the resolution" eventually 20 same_heads laptop desktop server
[ "$failures" -gt 0 ] && diagnose laptop desktop server

# --- kill -9, restart, resume
kill -9 "$(daemon_pid desktop)"
check "after kill -9 the daemon is reported as not running" 0 "daemon: not running" \
  -- --store "$tmp/desktop" daemon status
on laptop add 'val Chain.K.after_kill = 7' >/dev/null && on laptop commit -m k >/dev/null
sleep 3
expect "the laptop retried the unreachable desktop: errors in sync events" \
  eventually 10 bash -c "WEFT_HOME='$tmp/laptop' '$weft_bin' sync events --peer desktop --json |
    python3 -c 'import json,sys; es=json.load(sys.stdin); sys.exit(0 if sum(1 for e in es if \"not reachable\" in (e[\"error\"] or \"\")) >= 2 else 1)'"
gaps_grow() {  # the failed attempts are spaced by a growing backoff
  on laptop sync events --peer desktop -n 50 --json | python3 -c '
import json, sys
es = [e for e in reversed(json.load(sys.stdin)) if "not reachable" in (e["error"] or "")]
gaps = [b["at_ms"] - a["at_ms"] for a, b in zip(es, es[1:])]
sys.exit(0 if len(gaps) >= 2 and max(gaps) >= 1500 and min(gaps) < max(gaps) else 1)'
}
expect "... spaced by a backoff that grows" eventually 15 gaps_grow
check "status shows the last error with the desktop" 0 "last error" -- --store "$tmp/laptop" status
start_daemon desktop "$dport" --backoff-ceiling 4 || fail "desktop daemon did not restart after kill -9"
expect "the restarted desktop resumes and gets the laptop's edit" eventually 20 has_name desktop Chain.K.after_kill
expect "... and it reaches the server" eventually 20 has_name server Chain.K.after_kill
expect "all three converge after the kill" eventually 20 same_heads laptop desktop server

# --- sync events and status
check "sync events renders a table" 0 "trigger" -- --store "$tmp/desktop" sync events -n 5
check "sync events --peer filters" 0 "laptop" -- --store "$tmp/desktop" sync events --peer laptop -n 3
count="$(on desktop sync events --peer server -n 2 --json | python3 -c 'import json,sys; es=json.load(sys.stdin); print(len(es), all(e["peer"]=="server" for e in es))')"
expect "sync events -n 2 --peer server --json gives two of the server's" test "$count" = "2 True"
check "weft status shows the daemon and each peer's last sync" 0 "peer:     server: last sync" \
  -- --store "$tmp/desktop" status
check "daemon status --json" 0 '"running": true' -- --store "$tmp/desktop" daemon status --json
check "daemon logs shows the log" 0 "daemon started" -- --store "$tmp/desktop" daemon logs -n 100

# --- peers added and removed while the daemons run are picked up without a restart
on tablet init --name tablet >/dev/null
tid="$(on tablet id)"; tport="$(free_port)"
on tablet peer add desktop "https://127.0.0.1:$dport" --id "$did" >/dev/null
start_daemon tablet "$tport" --backoff-ceiling 4 || fail "tablet daemon did not start"
on desktop peer add tablet "https://127.0.0.1:$tport" --id "$tid" >/dev/null
expect "a peer added to a running daemon is synced with, no restart" eventually 20 has_name tablet Chain.S.c
on tablet add 'val Chain.T.t = 4' >/dev/null && on tablet commit -m t >/dev/null
expect "... and its edits reach the far end of the chain" eventually 20 has_name laptop Chain.T.t
on desktop peer rm tablet >/dev/null
expect "a peer removed from a running daemon is no longer synced with" \
  eventually 10 grep -q "tablet: no longer a peer" "$tmp/desktop/daemon.log"
check "tablet daemon stop" 0 "daemon stopped" -- --store "$tmp/tablet" daemon stop

# --- run on a peer, gated by heads
on laptop add 'fn Chain.R.twice x = x * 2' >/dev/null && on laptop commit -m twice >/dev/null
check "eval --on desktop sees a function committed a moment before" 0 "42" \
  -- --store "$tmp/laptop" eval --on desktop 'Chain.R.twice 21'
check "run --on desktop with arguments" 0 "10" -- --store "$tmp/laptop" run --on desktop Chain.R.twice 5
check "run --on desktop --json names the heads it needed" 0 '"required_heads"' \
  -- --store "$tmp/laptop" run --on desktop Chain.R.twice 5 --json
check "a runtime error there comes back typed" 6 "division by zero" \
  -- --store "$tmp/laptop" eval --on desktop '1 / 0'
check "a name unknown there is not found" 2 "not bound" -- --store "$tmp/laptop" run --on desktop Chain.R.nothing 1
check "a typo is reported here, before anything moves" 3 "<eval>" \
  -- --store "$tmp/laptop" eval --on desktop '1 +'
check "the peer's step limit applies" 6 "step budget" \
  -- --store "$tmp/laptop" eval --on desktop --max-steps 100 'Builtin.List.fold (fun a k -> a + k) 0 (Builtin.List.range 0 1000)'
# The heads never arrive: the laptop's daemon is stopped and we do not sync.
check "laptop daemon stop" 0 "daemon stopped" -- --store "$tmp/laptop" daemon stop
on laptop add 'fn Chain.R.thrice x = x * 3' >/dev/null && on laptop commit -m thrice >/dev/null
head="$(heads_of laptop | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][:8])')"
check "without the heads the peer refuses after the timeout, with exit 9" 9 \
  "desktop does not hold $head" -- --store "$tmp/laptop" run --on desktop --no-sync --timeout 2 Chain.R.thrice 2
check "with a sync first it runs" 0 "6" -- --store "$tmp/laptop" run --on desktop --timeout 5 Chain.R.thrice 2
check "desktop daemon stop" 0 "daemon stopped" -- --store "$tmp/desktop" daemon stop
if on desktop daemon status | grep -q 'daemon: running'; then
  echo "the desktop's daemon did not stop; its log ends:"; tail -n 30 "$tmp/desktop/daemon.log"
  gdb -p "$(daemon_pid desktop)" -batch -ex 'thread apply all bt 8' 2>/dev/null | grep -E '^#|^Thread' | head -80
fi
start=$(date +%s%N)
check "with the desktop's daemon stopped it fails after the timeout, exit 7" 7 "nothing ran" \
  -- --store "$tmp/laptop" eval --on desktop --timeout 2 'Chain.R.thrice 1'
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "... after about the timeout ($took_ms ms), not at once and not much later" test "$took_ms" -ge 1500 -a "$took_ms" -le 10000
check "a peer that is a directory cannot run code" 3 "needs its URL" \
  -- --store "$tmp/laptop" eval --on "$tmp/server" '1'

check "server daemon stop" 0 "daemon stopped" -- --store "$tmp/server" daemon stop
for n in laptop desktop server tablet; do
  expect "no daemon left on $n" bash -c "! WEFT_HOME='$tmp/$n' '$weft_bin' daemon status | grep -q 'daemon: running'"
  expect "the $n store passes integrity_check" test "$(sqlite3 "$tmp/$n/weft.db" 'PRAGMA integrity_check')" = ok
done
summary
