#!/usr/bin/env bash
# Regression tests, at the command line, for what tried weft as a new user would and
# probed it with hostile files, faults and concurrency: nothing lost, nothing
# crashes, and no write where weft has no business writing.
# Usage: robustness.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
chmod 755 "$tmp"
w() { "$weft_bin" --store "$tmp/s" "$@"; }

# Runs weft as a user without write permission on the store: as root, as nobody;
# otherwise as ourselves, with the permission removed by the caller.
as_reader() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid 65534 --regid 65534 --clear-groups "$weft_bin" "$@"
  else
    "$weft_bin" "$@"
  fi
}

# Runs a shell snippet in a private mount namespace (to mount a small tmpfs or a
# read-only bind), as root there. Needs unprivileged user namespaces or root.
in_mount_ns() {
  unshare -rm sh -c "$1"
}
if ! unshare -rm true 2>/dev/null; then
  fail "this test needs unshare -rm (user and mount namespaces) to build a full disk"
fi

"$weft_bin" --store "$tmp/s" init --name laptop >/dev/null

# ---- files that are not weft stores are never written (item 15)
if command -v sqlite3 >/dev/null; then
  sqlite3 "$tmp/other.db" "CREATE TABLE x(a); INSERT INTO x VALUES(1);"
  cp "$tmp/other.db" "$tmp/other.orig"
  mkdir -p "$tmp/linked" "$tmp/foreign"
  ln -s "$tmp/other.db" "$tmp/linked/weft.db"
  cp "$tmp/other.db" "$tmp/foreign/weft.db"
  check "a symlinked weft.db is refused" 4 "is a symlink" -- --store "$tmp/linked" status
  check "a peer whose weft.db is a symlink is refused" 4 "is a symlink" -- --store "$tmp/s" sync "$tmp/linked"
  check "…and a pull from it too" 4 "is a symlink" -- --store "$tmp/s" sync "$tmp/linked" --pull
  expect "the symlink's target is byte-for-byte unchanged" cmp -s "$tmp/other.db" "$tmp/other.orig"
  check "another program's SQLite file is not a weft store" 4 "another program's SQLite" -- --store "$tmp/foreign" status
  check "…nor a peer" 4 "another program's SQLite" -- --store "$tmp/s" sync "$tmp/foreign"
  expect "the foreign file is byte-for-byte unchanged" cmp -s "$tmp/foreign/weft.db" "$tmp/other.orig"
  expect "and no -wal or -shm appeared beside it" test ! -e "$tmp/foreign/weft.db-wal" -a ! -e "$tmp/foreign/weft.db-shm"
  mkdir -p "$tmp/walink" && cp "$tmp/s/weft.db" "$tmp/walink/weft.db"
  ln -s "$tmp/other.db" "$tmp/walink/weft.db-wal"
  check "a store whose -wal is a symlink is refused" 4 "weft.db-wal is a symlink" -- --store "$tmp/walink" status
  expect "…and the link's target is unchanged" cmp -s "$tmp/other.db" "$tmp/other.orig"
fi
mkdir -p "$tmp/empty" && : >"$tmp/empty/weft.db"
check "a zero-byte weft.db is not a store" 4 "is empty, not a weft store" -- --store "$tmp/empty" status
check "init replaces a zero-byte weft.db" 0 "initialized" -- --store "$tmp/empty" init --name e
check "a store again" 0 "instance: e" -- --store "$tmp/empty" status

# ---- a FIFO never hangs (item 16)
mkdir -p "$tmp/fifo" && mkfifo "$tmp/fifo/weft.db"
start=$(date +%s)
check "a FIFO named weft.db is refused" 4 "not a regular file" -- --store "$tmp/s" sync "$tmp/fifo" --pull --timeout 5
check "a FIFO as the store is refused" 4 "not a regular file" -- --store "$tmp/fifo" status
expect "…at once" test $(($(date +%s) - start)) -lt 5

# ---- reading needs no write access and leaves nothing behind (item 17)
w add 'val Ro.M.v = 41' >/dev/null && w commit -m ro >/dev/null
cp -r "$tmp/s" "$tmp/ro"
rm -f "$tmp/ro"/weft.db-*
chmod -R a+rX "$tmp/ro" && chmod 555 "$tmp/ro" && chmod 444 "$tmp/ro/weft.db"
for cmd in status ls log "show Ro.M.v" "eval Ro.M.v" "branch list" conflicts; do
  # shellcheck disable=SC2086
  out="$(as_reader --store "$tmp/ro" $cmd 2>&1)"
  rc=$?
  if [ "$rc" -eq 0 ]; then pass; else fail "read-only store: $cmd exits $rc" "$out"; fi
done
expect "the read-only store has no -wal or -shm beside it" test "$(ls "$tmp/ro" | grep -v "^device.pem$")" = "weft.db"
chmod 755 "$tmp/ro" && chmod 644 "$tmp/ro/weft.db"
"$weft_bin" --store "$tmp/peer" init --name peer >/dev/null
"$weft_bin" --store "$tmp/peer" add 'val Peer.M.p = 1' >/dev/null
"$weft_bin" --store "$tmp/peer" commit -m p >/dev/null
check "sync check of a peer" 0 "1 to pull" -- --store "$tmp/s" sync check "$tmp/peer"
check "…names the peer's instance, from its hello" 0 "(instance peer): Release 2" -- --store "$tmp/s" sync check "$tmp/peer"
check "a pull" 0 "received 1 change" -- --store "$tmp/s" sync "$tmp/peer" --pull
expect "the pulled peer's directory holds only weft.db (and its identity)" test "$(ls "$tmp/peer" | grep -v "^device.pem$")" = "weft.db"
"$weft_bin" --store "$tmp/peer" add 'val Peer.M.q = 2' >/dev/null
"$weft_bin" --store "$tmp/peer" commit -m q >/dev/null
mkdir -p "$tmp/mnt"
out="$(in_mount_ns "mount --bind -o ro '$tmp/peer' '$tmp/mnt' && '$weft_bin' --store '$tmp/s' sync '$tmp/mnt' --pull" 2>&1)"
rc=$?
if [ "$rc" -eq 0 ] && [[ "$out" == *"received 1 change"* ]]; then pass; else
  fail "a pull from a read-only mount: exit $rc" "$out"; fi

# ---- a full disk (item 18)
mkdir -p "$tmp/full"
out="$(in_mount_ns "mount -t tmpfs -o size=64k tmpfs '$tmp/full' &&
  '$weft_bin' --store '$tmp/full/s' init; echo \"init=\$?\"; ls -A '$tmp/full/s';
  '$weft_bin' --store '$tmp/full/s' status; echo \"status=\$?\"" 2>&1)"
[[ "$out" == *"init=4"* && "$out" == *"the disk is full"* ]] && pass ||
  fail "init on a full disk says so and fails" "$out"
[[ "$out" == *"status=2"* && "$out" == *"no weft store"* ]] && pass ||
  fail "a failed init leaves no store behind" "$out"
big="$(head -c 60000 /dev/zero | tr '\0' x)"
out="$(in_mount_ns "mount -t tmpfs -o size=400k tmpfs '$tmp/full' &&
  '$weft_bin' --store '$tmp/full/s' init >/dev/null &&
  '$weft_bin' --store '$tmp/full/s' add 'val Full.M.a = 1' >/dev/null &&
  '$weft_bin' --store '$tmp/full/s' commit -m a >/dev/null &&
  dd if=/dev/zero of='$tmp/full/fill' bs=1k count=2000 2>/dev/null;
  '$weft_bin' --store '$tmp/full/s' add 'val Full.M.b = \"$big\"'; echo \"add=\$?\";
  '$weft_bin' --store '$tmp/full/s' ls; echo \"ls=\$?\";
  '$weft_bin' --store '$tmp/full/s' eval Full.M.a; echo \"eval=\$?\";
  '$weft_bin' --store '$tmp/full/s' status; echo \"status=\$?\"" 2>&1)"
[[ "$out" == *"add=4"* && "$out" == *"the disk is full; nothing was written"* ]] && pass ||
  fail "a write on a full disk says the disk is full" "$out"
[[ "$out" == *"ls=0"* && "$out" == *"Full.M.a"* && "$out" == *"eval=0"* && "$out" == *"status=0"* ]] &&
  pass || fail "read commands still work on a full disk" "$out"
[[ "$out" != *"disk I/O error"* ]] && pass || fail "no 'disk I/O error' on a full disk" "$out"

# ---- concurrent add + commit loses nothing (item 1)
"$weft_bin" --store "$tmp/c" init --name c >/dev/null
loops=4
per=15
for j in $(seq 1 $loops); do
  (
    for i in $(seq 1 $per); do
      "$weft_bin" --store "$tmp/c" add "val C.W$j.v$i = $i" >/dev/null 2>>"$tmp/c.err" || echo "add W$j.v$i failed" >>"$tmp/c.err"
      "$weft_bin" --store "$tmp/c" commit -m x >/dev/null 2>>"$tmp/c.err.commit"
    done
  ) &
done
wait
bound="$("$weft_bin" --store "$tmp/c" ls C. | wc -l)"
staged="$("$weft_bin" --store "$tmp/c" status --json | sed -n 's/.*"staged": \([0-9]*\).*/\1/p')"
expect "every add of four concurrent loops is bound or still staged" test "$((bound + staged))" -eq $((loops * per))
[ ! -s "$tmp/c.err" ] && pass || fail "no add failed under concurrency" "$(cat "$tmp/c.err")"
"$weft_bin" --store "$tmp/c" commit -m rest >/dev/null 2>&1
bound="$("$weft_bin" --store "$tmp/c" ls C. | wc -l)"
expect "after a last commit all $((loops * per)) names are bound" test "$bound" -eq $((loops * per))
twice="$("$weft_bin" --store "$tmp/c" log -n 1000 --json | grep -o '"bind term C\.W[0-9]*\.v[0-9]*' | sort | uniq -d | head -3)"
expect "no name was committed twice" test -z "$twice"

# ---- deep nesting: one limit for parser, encoder and decoder (items 8, 12)
chain() {  # chain N OP TERM: TERM OP TERM … with N terms
  printf '%s' "$3"
  yes " $2 $3" | head -n $(($1 - 1)) | tr -d '\n'
}
check "eval of a 15,000-term chain is refused, not a crash" 3 "deeper than 1000 levels" -- --store "$tmp/s" eval "$(chain 15000 + 1)"
for op in + '::' '|>' '++'; do
  check "add of a 15,000-long $op chain is refused" 3 "deeper than 1000 levels" -- --store "$tmp/s" add "val D.A.c = $(chain 15000 "$op" 1)"
done
printf 'val D.A.big = %s\n' "$(chain 700000 + 1)" >"$tmp/big.weft"
check "a 5 MB definition is refused, not a crash" 3 "deeper than 1000 levels" -- --store "$tmp/s" add "$tmp/big.weft"
check "the longest chain add accepts" 0 "added D.A.s" -- --store "$tmp/s" add "val D.A.s = $(chain 1000 + 1)"
check "…commits" 0 "committed" -- --store "$tmp/s" commit -m chain
check "…evaluates after the commit" 0 "1000" -- --store "$tmp/s" eval D.A.s
check "…and shows" 0 "val D.A.s = 1 + 1" -- --store "$tmp/s" show D.A.s

# ---- the evaluator's memory budget and depth cap (items 13, 14)
check "a 100,000,000-element range stops at the memory budget" 6 "memory budget exceeded" -- --store "$tmp/s" eval 'Builtin.List.length (Builtin.List.range 0 100000000)'
check "doubling a string 40 times stops at the budget" 6 "memory budget exceeded" -- --store "$tmp/s" eval 'Builtin.String.length (Builtin.List.fold (fun s x -> s ++ s) "ab" (Builtin.List.range 0 40))'
check "--max-memory is configurable" 6 "more than 8 MiB" -- --store "$tmp/s" eval --max-memory 8 'Builtin.List.length (Builtin.List.range 0 1000000)'
check "--max-depth beyond what the stack holds is refused" 1 "not in range 1 to 100000" -- --store "$tmp/s" eval --max-depth 600000 '1'
w add 'fn D.R.g n = 1 + D.R.g (n + 1)' >/dev/null
check "recursion at the largest --max-depth ends with an error" 6 "recursion too deep" -- --store "$tmp/s" eval --max-depth 100000 --max-steps 1000000000 'D.R.g 0'
check "the depth error names --max-depth and the function" 6 "--max-depth raises it (at most 100000) (in D.R.g ×" -- --store "$tmp/s" eval 'D.R.g 0'
w add 'fn D.R.loop n acc = if n == 0 then acc else D.R.loop (n - 1) (acc + n)' >/dev/null
check "a tail-recursive loop of 1,000,000 runs at the default depth" 0 "500000500000" -- --store "$tmp/s" eval 'D.R.loop 1000000 0'
w add $'fn D.R.div n = 100 / n\nfn D.R.call n = 1 + D.R.div n' >/dev/null
check "a runtime error names the function that failed and its caller" 6 "division by zero: 100 / 0 (in D.R.div, called from D.R.call)" -- --store "$tmp/s" eval 'D.R.call 0'

# ---- literals and printing (item 11)
check "the least Int is a literal" 0 "-9223372036854775808" -- --store "$tmp/s" eval -- '-9223372036854775808'
check "0.0 / 0.0 prints nan" 0 "nan" -- --store "$tmp/s" eval '0.0 / 0.0'
check_streams "…never -nan" 0 "nan" "" -- --store "$tmp/s" eval '0.0 / 0.0'
[ "$("$weft_bin" --store "$tmp/s" eval '0.0 / 0.0')" = "nan" ] && pass || fail "0.0 / 0.0 prints exactly nan"
check "1e999 is not a literal" 3 "too large" -- --store "$tmp/s" eval '1e999'

# ---- run takes list arguments whole (item 10)
w add $'fn Me.List.sum xs = Builtin.List.fold (fun a x -> a + x) 0 xs\nfn Me.List.length xs = Builtin.List.length xs\nfn Me.M.add x y = x + y' >/dev/null
check "run with a list argument" 0 "3" -- --store "$tmp/s" run Me.List.sum '[1, 2]'
[ "$("$weft_bin" --store "$tmp/s" run Me.List.length '[]')" = "0" ] && pass || fail "run with an empty list argument prints 0"
check "run with two arguments, one negative" 0 "-3" -- --store "$tmp/s" run Me.M.add -5 2
check "run of an unknown name is not found" 2 "Me.Nope.x is not bound" -- --store "$tmp/s" run Me.Nope.x

# ---- propagation: recursive groups, staged callers, unique types (items 2, 6, 9)
p() { "$weft_bin" --store "$tmp/p" "$@"; }
p init --name p >/dev/null
p add $'fn Demo.P.ping n = if n == 0 then "ping" else Demo.P.pong (n - 1)\nfn Demo.P.pong n = if n == 0 then "pong" else Demo.P.ping (n - 1)' >/dev/null
p commit -m pp >/dev/null
check "re-adding one member of a recursive group re-points the other" 0 "re-pointed 1 dependent: Demo.P.ping" -- --store "$tmp/p" add 'fn Demo.P.pong n = if n == 0 then "PONG" else Demo.P.ping (n - 1)'
check "…and ping runs the new pong" 0 '"PONG"' -- --store "$tmp/p" eval 'Demo.P.ping 1'
p commit -m pong >/dev/null
"$weft_bin" --store "$tmp/fresh" init --name fresh >/dev/null
"$weft_bin" --store "$tmp/fresh" add $'fn Demo.P.ping n = if n == 0 then "ping" else Demo.P.pong (n - 1)\nfn Demo.P.pong n = if n == 0 then "PONG" else Demo.P.ping (n - 1)' >/dev/null
"$weft_bin" --store "$tmp/fresh" commit -m fresh >/dev/null
expect "ping's hash equals authoring both afresh" test "$(p ls Demo.P)" = "$("$weft_bin" --store "$tmp/fresh" ls Demo.P)"
p add 'val Me.S.helper = 1' >/dev/null
p add 'fn Me.S.user x = x + Me.S.helper' >/dev/null
check "editing a helper twice before committing re-points its staged caller" 0 "re-pointed 1 dependent: Me.S.user" -- --store "$tmp/p" add 'val Me.S.helper = 2'
p commit -m s >/dev/null
check "…which calls the second helper" 0 "2" -- --store "$tmp/p" eval 'Me.S.user 0'
p add $'type Demo.U.Celsius = C of Float\ntype Demo.U.Meters = M of Float\nfn Demo.U.deg x = match x with | Demo.U.Celsius.C v -> v\nfn Demo.U.len x = match x with | Demo.U.Meters.M v -> v' >/dev/null
p commit -m u >/dev/null
celsius="$(p ls Demo.U.Celsius | awk '{print $3}')"
meters="$(p ls Demo.U.Meters | awk '{print $3}')"
expect "two types of one shape and different names are two items" test -n "$celsius" -a "$celsius" != "$meters"
check "editing Meters re-points only Meters' functions" 0 "re-pointed 1 dependent: Demo.U.len" -- --store "$tmp/p" add 'type Demo.U.Meters = M of Float | Km of Float'
p commit -m m >/dev/null
check "Celsius' function still matches on Celsius" 0 "2.5" -- --store "$tmp/p" eval 'Demo.U.deg (Demo.U.Celsius.C 2.5)'
p add $'fn Dup.M.zeta x = x * 3\nfn Dup.M.alpha x = x * 3' >/dev/null && p commit -m dup >/dev/null
check "show of the second name of one item" 0 "fn Dup.M.zeta x" -- --store "$tmp/p" show Dup.M.zeta

# ---- two instances: a, and b as its registered peer
a() { "$weft_bin" --store "$tmp/a" "$@"; }
b() { "$weft_bin" --store "$tmp/b" "$@"; }
a init --name a >/dev/null && b init --name b >/dev/null && a peer add b "$tmp/b" >/dev/null

# ---- a staged edit meets a concurrent edit that arrived by sync (item 4)
a add 'val Demo.M.v = 0' >/dev/null && a commit -m v0 >/dev/null && a sync b >/dev/null
a add 'val Demo.M.v = 1' >/dev/null
b add 'val Demo.M.v = 2' >/dev/null && b commit -m v2 >/dev/null
check_streams "sync says the staged edit was overtaken" 0 "received 1 change from b" "your staged edit of Demo.M.v was made before a newer change" -- --store "$tmp/a" sync b
check "status says so too" 0 "your staged edit of Demo.M.v" -- --store "$tmp/a" status
a commit -m v1 >/dev/null && a sync b >/dev/null
check "the overwrite is a race awaiting review on a" 0 "Demo.M.v" -- --store "$tmp/a" conflicts
check "…and on b" 0 "Demo.M.v" -- --store "$tmp/b" conflicts
id="$(a conflicts --json | sed -n 's/.*"id": "\([0-9a-f]\{8\}\).*/\1/p' | head -1)"
check "resolve theirs restores b's edit" 0 "resolved Demo.M.v" -- --store "$tmp/a" conflicts resolve "$id" theirs
a sync b >/dev/null
check "b's value on a" 0 "2" -- --store "$tmp/a" eval Demo.M.v
check "b's value on b" 0 "2" -- --store "$tmp/b" eval Demo.M.v
if command -v python3 >/dev/null; then
  verdict="$(a conflicts --all --json | python3 -c '
import json, sys
c = json.load(sys.stdin)[0]
theirs = [x["change"] for x in c["candidates"] if not x["mine"]]
print("ok" if c["resolution"] == "human" and [c["winner"]] == theirs else c)')"
  [ "$verdict" = "ok" ] && pass || fail "after a human resolution, --json names the chosen side as winner" "$verdict"
fi

# ---- a deprecate/undeprecate race marks the name divergent (item 11)
a add 'val Dep.M.v = 1' >/dev/null && a commit -m v >/dev/null
a deprecate Dep.M.v --reason old >/dev/null && a commit -m dep >/dev/null && a sync b >/dev/null
a undeprecate Dep.M.v >/dev/null && a commit -m undep >/dev/null
b deprecate Dep.M.v --reason "still old" >/dev/null && b commit -m redep >/dev/null
a sync b >/dev/null
check "a deprecation race is divergent in ls" 0 "(divergent)" -- --store "$tmp/a" ls Dep.M
check "…on both sides" 0 "(divergent)" -- --store "$tmp/b" ls Dep.M
a conflicts ack all >/dev/null && b conflicts ack all >/dev/null

# ---- a race on a helper with dependents (item 5)
{ echo 'fn H.M.helper x = x + 1'; for i in $(seq 1 12); do echo "fn H.D.d$i x = $i * H.M.helper x"; done; } >"$tmp/lib.weft"
a add "$tmp/lib.weft" >/dev/null && a commit -m lib >/dev/null && a sync b >/dev/null
a add 'fn H.M.helper x = x + 10' >/dev/null && a commit -m a10 >/dev/null
b add 'fn H.M.helper x = x + 20' >/dev/null && b commit -m b20 >/dev/null
check "sync counts one race for the helper, not thirteen" 0 "1 conflict auto-resolved" -- --store "$tmp/a" sync b
check "the helper's race lists its dependents under it" 0 "… and 12 dependents" -- --store "$tmp/a" conflicts
expect "one line per cause" test "$(a conflicts | grep -c 'H\.')" -eq 1
id="$(a conflicts | sed -n 's/^H\.M\.helper .*\[ack \([0-9a-f]*\)\].*/\1/p')"
check "resolving the helper resolves its dependents" 0 "the same side for 12 dependents" -- --store "$tmp/a" conflicts resolve "$id" mine
check "a dependent runs the chosen helper" 0 "30" -- --store "$tmp/a" eval 'H.D.d3 0'
a sync b >/dev/null
check "…on b too" 0 "30" -- --store "$tmp/b" eval 'H.D.d3 0'
check "nothing is left to review" 0 "no conflicts awaiting review" -- --store "$tmp/b" conflicts

# ---- a restored backup authors again (item 3)
cp -a "$tmp/a" "$tmp/a.backup"
a add 'val R.M.two = 2' >/dev/null && a commit -m two >/dev/null && a sync b >/dev/null
rm -rf "$tmp/a" && cp -a "$tmp/a.backup" "$tmp/a"
a add 'val R.M.three = 3' >/dev/null && a commit -m three >/dev/null
cp -a "$tmp/a" "$tmp/a.restored"
check "b pulling from the restored store refuses the clash" 7 "reuses seq" -- --store "$tmp/b" sync "$tmp/a" --pull
expect "…and says so once" test "$(b sync "$tmp/a" --pull 2>&1 | grep -c 'reuses seq')" -eq 2
check_streams "the restored store re-issues its new work and the sync completes" 0 "in sync with b" "re-issued 1 change" -- --store "$tmp/a" sync b
check "b holds the new work" 0 "R.M.three" -- --store "$tmp/b" ls R.M
check "…and the work the restore lost" 0 "R.M.two" -- --store "$tmp/a" ls R.M
check_streams "a second sync is quiet" 0 "in sync with b" "" -- --store "$tmp/a" sync b

# ---- a change too large for one sync message (item 7)
for i in 1 2 3; do
  printf 'val Big.M.s%s = "%s"\n' "$i" "$(head -c 12582912 /dev/zero | tr '\0' "$i")" >"$tmp/big$i.weft"
  a add "$tmp/big$i.weft" >/dev/null
done
rm -f "$tmp"/big?.weft
check "commit refuses a change that could not travel, naming the limit" 3 "at most 32 MiB" -- --store "$tmp/a" commit -m big
check "…and keeps the staged work" 0 "staged:   6 ops" -- --store "$tmp/a" status
a discard >/dev/null

# ---- timeouts bound a sync (item 11)
check "--timeout 0 is a usage error" 1 "--timeout" -- --store "$tmp/a" sync b --timeout 0
for i in $(seq 1 60); do a add "val T.M.v$i = $i" >/dev/null && a commit -m "t$i" >/dev/null; done
check "a tiny timeout stops the sync, not the store" 7 "timeout" -- --store "$tmp/a" sync b --timeout 0.000001
check "the next sync completes" 0 "in sync with b" -- --store "$tmp/a" sync b

# ---- a sync while another process commits (item 20)
bad=0
for i in $(seq 1 8); do
  ( for k in 1 2 3; do a add "val Conc.M.v$i$k = $k" >/dev/null 2>&1 && a commit -m c >/dev/null 2>&1; done ) &
  out="$(timeout 60 "$weft_bin" --store "$tmp/a" sync b 2>&1)"
  rc=$?
  wait
  if [ "$rc" -ne 0 ] && [[ "$out" != *"busy"* ]]; then bad=1; echo "$out"; fi
  [[ "$out" == *"could not be applied"* ]] && bad=1
done
expect "a sync during concurrent commits succeeds and claims no failed apply" test "$bad" -eq 0
check "…and the next sync carries what was committed meanwhile" 0 "in sync with b" -- --store "$tmp/a" sync b

# ---- rebuild checks the index columns against the bytes (item 11)
if command -v sqlite3 >/dev/null; then
  before="$(a rebuild --json | grep digest)"
  sqlite3 "$tmp/a/weft.db" "UPDATE changes SET deps = x'' WHERE rowid = 3"
  check "rebuild rewrites a deps column that disagrees with the bytes" 0 "rewrote the index columns of 1 change" -- --store "$tmp/a" rebuild
  expect "…and the projections are what they were" test "$before" = "$(a rebuild --json | grep digest)"
fi

# ---- damage and exit codes (items 19, 20)
if command -v sqlite3 >/dev/null; then
  a add 'val Dmg.M.v = 1' >/dev/null
  sqlite3 "$tmp/a/weft.db" "UPDATE wip SET op = x'ff00'"
  check "a damaged staged op is reported" 4 "weft discard" -- --store "$tmp/a" commit -m x
  check "status still answers, and names the damage" 0 "weft discard" -- --store "$tmp/a" status
  check "…and can be discarded" 0 "discarded 2 staged ops" -- --store "$tmp/a" discard
  cp -a "$tmp/b" "$tmp/damaged"
  "$weft_bin" --store "$tmp/damaged" add 'val Dmg.P.v = 1' >/dev/null
  "$weft_bin" --store "$tmp/damaged" commit -m dmg >/dev/null
  sqlite3 "$tmp/damaged/weft.db" "UPDATE changes SET bytes = x'00' WHERE id = (SELECT MAX(id) FROM changes)"
  check "a damaged peer store is a store error naming the peer" 4 "the store of $tmp/damaged: stored change" -- --store "$tmp/a" sync "$tmp/damaged"
  sqlite3 "$tmp/b/weft.db" "UPDATE meta SET value = '3' WHERE key = 'release'"
  check "sync check exits 5 when the peer is on another Release" 5 "sync is not possible" -- --store "$tmp/a" sync check b
  check "and says which side to upgrade" 5 "upgrade weft here" -- --store "$tmp/a" sync check b
  sqlite3 "$tmp/b/weft.db" "UPDATE meta SET value = '2' WHERE key = 'release'"
  # Another process holds the write lock longer than the busy wait.
  b add 'val Busy.M.kept = 1' >/dev/null
  ( sqlite3 "$tmp/b/weft.db" "BEGIN IMMEDIATE; SELECT 1; " ".shell sleep 4" "COMMIT;" >/dev/null 2>&1 ) &
  sleep 0.5
  started=$SECONDS
  check "a busy store is exit 4" 4 "the store is busy" -- --store "$tmp/b" --busy-timeout 1 add 'val Busy.M.v = 1'
  expect "…after the --busy-timeout, not a hang" test $((SECONDS - started)) -le 3
  check "a busy commit is exit 4" 4 "the store is busy" -- --store "$tmp/b" --busy-timeout 0.2 commit -m busy
  wait
  check "…and the staged work is still there" 0 "staged:   2 ops" -- --store "$tmp/b" status
  check "--busy-timeout rejects a negative wait" 1 "busy-timeout" -- --store "$tmp/b" --busy-timeout -1 status
  b discard >/dev/null
fi
a peer add usb "$tmp/usb" >/dev/null 2>&1 || true
mkdir -p "$tmp/usb" && "$weft_bin" --store "$tmp/usb" init --name usb >/dev/null && a peer add usb "$tmp/usb" >/dev/null
rm -rf "$tmp/usb"
check "a peer whose directory is gone is not reachable" 7 "usb is not reachable" -- --store "$tmp/a" sync usb
check "sync check of an unreachable peer exits 7" 7 "not reachable" -- --store "$tmp/a" sync check usb
check_streams "a refused change is a warning and a failed sync an error, both on stderr" 7 "" "warning: this store refused change" -- --store "$tmp/b" sync "$tmp/a.restored" --pull
[[ "$(cat "$tmp/.err")" == *"weft: not in sync with"* ]] && pass || fail "the failed verdict is on stderr" "$(cat "$tmp/.err")"

summary
