#!/usr/bin/env bash
# The README's exit-code table, enforced: for every code it lists, one of the
# failures it documents is run here and must exit with that code. A code added to
# the table without a case here fails the test.
# Usage: exit_codes.sh WEFT README
set -uo pipefail
weft_bin="$1"
readme="$2"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../net/serve_lib.sh
. "$(dirname "$0")/../net/serve_lib.sh"
limit=60
export WEFT_HOME="$tmp/home"
on home init --name home >/dev/null
on home add 'fn Codes.M.f x = x' >/dev/null && on home commit -m f >/dev/null

covered=()
code() {  # code N NAME EXPECTED_TEXT -- ARGS: one documented failure of code N
  local n="$1" name="$2"
  shift 2
  covered+=("$n")
  check "exit $n: $name" "$n" "$@"
}

code 0 "success" "Codes.M.f" -- ls
code 1 "an unknown command" "unknown command" -- frobnicate
code 1 "an unknown option" "unknown option --jsno" -- ls --jsno
code 2 "an unknown name" "not bound" -- show Codes.M.g
code 2 "no store" "no weft store" -- --store "$tmp/nowhere" status
code 3 "a parse error" "expected" -- add 'fn Codes.M.g x ='
code 3 "nothing staged" "nothing is staged" -- commit -m x
mkfifo "$tmp/fifo-store/weft.db" 2>/dev/null || { mkdir -p "$tmp/fifo-store" && mkfifo "$tmp/fifo-store/weft.db"; }
code 4 "a FIFO where weft.db should be" "weft.db" -- --store "$tmp/fifo-store" status
if command -v sqlite3 >/dev/null; then
  on newer init >/dev/null
  sqlite3 "$tmp/newer/weft.db" "UPDATE meta SET value = '99' WHERE key = 'release'"
  code 5 "a store on a newer Release" "Release 99" -- --store "$tmp/newer" ls
else
  echo "FAIL exit 5: sqlite3 is missing (scripts/deps installs it)"; failures=$((failures + 1))
fi
code 6 "a runtime error" "division by zero" -- eval '1 / 0'
free_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
code 7 "a peer not reachable" "not reachable" -- sync "http://127.0.0.1:$free_port" --timeout 1
# 8: a TLS server that does not know this device.
on stranger init --name stranger >/dev/null
serve stranger --tls
on home peer add stranger "$url" --id "$(on stranger id)" >/dev/null
code 8 "a server that does not know this device" "does not know device" -- sync stranger --timeout 10
on stranger peer add home --id "$(on home id)" >/dev/null
on home add 'fn Codes.M.h x = x' >/dev/null && on home commit -m h >/dev/null
code 9 "the peer never comes to hold the changes" "does not hold" -- run --on stranger --no-sync --timeout 2 Codes.M.h 1

# Every code of the table has a case above.
mapfile -t documented < <(awk '/^## Exit codes/{t=1} t && /^\| [0-9]+ \|/{print $2}' "$readme")
[ "${#documented[@]}" -ge 10 ] && pass || fail "the README's exit-code table has ${#documented[@]} rows"
for n in "${documented[@]}"; do
  [[ " ${covered[*]} " == *" $n "* ]] && pass || fail "exit code $n is in the README's table but has no case here"
done
summary
