#!/usr/bin/env bash
# A partition: three daemons in separate network namespaces, in a chain
#   laptop (10.77.1.1) <-> desktop (10.77.1.2, 10.77.2.1) <-> server (10.77.2.2),
# each keeps editing while the links are cut (a race included), then the links
# are healed: all three converge, and every race is recorded once, with the same
# id everywhere. Needs root (ip netns); exits 77 (skipped) with a sentence when
# namespaces cannot be made here. Usage: partition.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
  echo "SKIP: the partition test needs root and ip (iproute2) to make network namespaces"
  exit 77
fi
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "$0")/daemon_lib.sh"
limit=60
ns_tag="w$$"
nss=("${ns_tag}l" "${ns_tag}d" "${ns_tag}s")
cleanup_ns() { for n in "${nss[@]}"; do ip netns del "$n" 2>/dev/null; done; }
trap 'kill_daemons; cleanup_ns; wait 2>/dev/null; chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
for n in "${nss[@]}"; do
  if ! ip netns add "$n" 2>/dev/null; then
    echo "SKIP: cannot create network namespaces here (ip netns add failed)"
    exit 77
  fi
  ip -n "$n" link set lo up
done
L="${nss[0]}"; D="${nss[1]}"; S="${nss[2]}"
if ! ip netns exec "$L" true 2>/dev/null; then
  echo "SKIP: cannot enter a network namespace here (ip netns exec failed)"
  exit 77
fi
ip link add "${ns_tag}a" netns "$L" type veth peer name "${ns_tag}b" netns "$D" || { echo "SKIP: no veth"; exit 77; }
ip link add "${ns_tag}c" netns "$D" type veth peer name "${ns_tag}e" netns "$S"
ip -n "$L" addr add 10.77.1.1/24 dev "${ns_tag}a"; ip -n "$L" link set "${ns_tag}a" up
ip -n "$D" addr add 10.77.1.2/24 dev "${ns_tag}b"; ip -n "$D" link set "${ns_tag}b" up
ip -n "$D" addr add 10.77.2.1/24 dev "${ns_tag}c"; ip -n "$D" link set "${ns_tag}c" up
ip -n "$S" addr add 10.77.2.2/24 dev "${ns_tag}e"; ip -n "$S" link set "${ns_tag}e" up

inside() {  # inside NS HOME ARGS...: weft in that namespace
  local ns="$1" home="$2"
  shift 2
  WEFT_HOME="$tmp/$home" timeout -k 5 "$limit" ip netns exec "$ns" "$weft_bin" "$@"
}
for n in laptop desktop server; do on "$n" init --name "$n" >/dev/null; done
lid="$(on laptop id)"; did="$(on desktop id)"; sid="$(on server id)"
on laptop peer add desktop https://10.77.1.2:7420 --id "$did" >/dev/null
on desktop peer add laptop https://10.77.1.1:7420 --id "$lid" >/dev/null
on desktop peer add server https://10.77.2.2:7420 --id "$sid" >/dev/null
on server peer add desktop https://10.77.1.2:7420 --id "$did" >/dev/null
# The desktop listens on both of its links; the ends on their one link.
daemon_homes+=("$tmp/laptop" "$tmp/desktop" "$tmp/server")
inside "$L" laptop daemon start --listen 10.77.1.1:7420 --tls --backoff-ceiling 3 >/dev/null || fail "laptop daemon"
inside "$D" desktop daemon start --listen 0.0.0.0:7420 --tls --backoff-ceiling 3 >/dev/null || fail "desktop daemon"
inside "$S" server daemon start --listen 10.77.2.2:7420 --tls --backoff-ceiling 3 >/dev/null || fail "server daemon"

on laptop add 'val P.L.base = 1' >/dev/null && on laptop commit -m base >/dev/null
expect "before the cut: the laptop's edit reaches the server through the desktop" \
  eventually 20 has_name server P.L.base

# --- cut both links; everyone keeps editing, and both ends bind one name
ip -n "$L" link set "${ns_tag}a" down
ip -n "$S" link set "${ns_tag}e" down
for i in 1 2 3; do
  on laptop add "val P.L.l$i = $i" >/dev/null && on laptop commit -m "l$i" >/dev/null
  on desktop add "val P.D.d$i = $i" >/dev/null && on desktop commit -m "d$i" >/dev/null
  on server add "val P.S.s$i = $i" >/dev/null && on server commit -m "s$i" >/dev/null
done
on laptop add 'val P.X.shared = "laptop"' >/dev/null && on laptop commit -m xl >/dev/null
on server add 'val P.X.shared = "server"' >/dev/null && on server commit -m xs >/dev/null
sleep 4
expect "while cut, the server has none of the laptop's new edits" bash -c "! WEFT_HOME='$tmp/server' '$weft_bin' ls | grep -q P.L.l1"
expect "while cut, the laptop records failed cycles with the desktop" bash -c "WEFT_HOME='$tmp/laptop' '$weft_bin' sync events --peer desktop --json | grep -q 'not reachable'"

# --- heal: all converge by themselves
ip -n "$L" link set "${ns_tag}a" up
ip -n "$S" link set "${ns_tag}e" up
expect "after healing, all three hold the same heads" eventually 60 same_heads laptop desktop server
for name in P.L.l3 P.D.d3 P.S.s3 P.X.shared; do
  expect "$name is everywhere" all_have "$name" laptop desktop server
done
count_races() {
  on "$1" conflicts --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
expect "the race is recorded once on the laptop" test "$(count_races laptop)" = 1
expect "... with the same id on all three" test "$(race_ids laptop)" = "$(race_ids desktop)" -a "$(race_ids laptop)" = "$(race_ids server)"
expect "one winner everywhere" test "$(on laptop eval P.X.shared)" = "$(on server eval P.X.shared)"
for n in laptop desktop server; do
  check "$n daemon stops" 0 "daemon stopped" -- --store "$tmp/$n" daemon stop
  expect "the $n store passes integrity_check" test "$(sqlite3 "$tmp/$n/weft.db" 'PRAGMA integrity_check')" = ok
done
summary
