#!/usr/bin/env bash
# Human output on a terminal (docs/design/cli.md): the progress line (sync, add,
# rebuild, fsck and an upgrade draw it on stderr; --quiet, --json, TERM=dumb and
# output that is not a terminal never see it), colour (NO_COLOR turns it off), the
# pager (PAGER, --no-pager) and local time. `script` gives the command a terminal.
set -uo pipefail
weft_bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
export PAGER=cat

# on_tty NAME WANT_TEXT WANT_FRAME(yes|no) -- weft args...: runs weft with a terminal
# for stdin, stdout and stderr; checks the exit code is 0, the output holds
# WANT_TEXT, and a progress frame ("\r\e[K" then the phase) was or was not drawn.
on_tty() {
  local name="$1" want_text="$2" want_frame="$3"
  shift 4
  local cmd out rc
  cmd="$(printf '%q ' "$weft_bin" "$@")"
  out="$(timeout -k 5 "$limit" script -qfec "$cmd" /dev/null 2>&1)"
  rc=$?
  local frame=no
  [[ "$out" == *$'\r\e[K'[a-z]* ]] && frame=yes
  if [ "$rc" -ne 0 ] || [[ "$out" != *"$want_text"* ]] || [ "$frame" != "$want_frame" ]; then
    fail "$name: exit $rc, frame $frame (want $want_frame), output:" "$(printf '%s' "$out" | cat -v)"
  else
    pass
  fi
}

s="$tmp/s"
p="$tmp/p"
check "init" 0 "initialized" -- --store "$s" init --name laptop
check "init the peer" 0 "initialized" -- --store "$p" init --name desktop
for i in $(seq 1 400); do echo "fn Big.M.f$i x = x + $i"; done >"$tmp/big.weft"

on_tty "add draws its phase on a terminal" "adding definitions  " yes -- --store "$s" add "$tmp/big.weft"

check "commit" 0 "committed" -- --store "$s" commit -m big
on_tty "rebuild counts the changes it re-folds" "re-folding the log  " yes -- --store "$s" rebuild
on_tty "--quiet after the command silences it" "rebuilt" no -- --store "$s" rebuild --quiet
on_tty "--quiet before the command too" "rebuilt" no -- --quiet --store "$s" rebuild
on_tty "fsck names its checks" "checking changes  " yes -- --store "$s" fsck
on_tty "fsck --json draws nothing" '"findings"' no -- --store "$s" fsck --json
check "add the peer" 0 "" -- --store "$p" peer add laptop "$s"
on_tty "sync draws its phase" "syncing with laptop  " yes -- --store "$p" sync laptop
on_tty "sync --json draws nothing" '"in_sync"' no -- --store "$p" sync laptop --json

# Not a terminal, or a terminal that cannot redraw: nothing on stderr but the result.
check_streams "rebuild into a pipe draws nothing" 0 "rebuilt" "" -- --store "$s" rebuild
TERM=dumb on_tty "TERM=dumb draws nothing" "rebuilt" no -- --store "$s" rebuild

# An upgrade from Release 1 is long work too.
r1="$tmp/r1"
mkdir -p "$r1" && cp "$here/../fixtures/release1/weft.db" "$r1/weft.db" && chmod u+w "$r1/weft.db"
on_tty "an upgrade draws its phase" "upgrading the store from Release 1  " yes -- --store "$r1" ls


# tty_out NAME WANT -- weft args...: the output on a terminal holds WANT (as bytes:
# escapes included).
tty_out() {
  local name="$1" want="$2"
  shift 3
  local out
  out="$(timeout -k 5 "$limit" script -qfec "$(printf '%q ' "$weft_bin" "$@")" /dev/null 2>&1)"
  if [[ "$out" != *"$want"* ]]; then
    fail "$name: want $(printf '%q' "$want"), output:" "$(printf '%s' "$out" | cat -v)"
  else
    pass
  fi
}
tty_lacks() {  # tty_lacks NAME UNWANTED -- weft args...
  local name="$1" unwanted="$2"
  shift 3
  local out
  out="$(timeout -k 5 "$limit" script -qfec "$(printf '%q ' "$weft_bin" "$@")" /dev/null 2>&1)"
  if [[ "$out" == *"$unwanted"* ]]; then
    fail "$name: output holds $(printf '%q' "$unwanted"):" "$(printf '%s' "$out" | cat -v)"
  else
    pass
  fi
}
esc=$'\e'
head_hash="$("$weft_bin" --store "$s" log -n 1 --json | sed -n 's/^    "hash": *"\([0-9a-f]\{8\}\).*/\1/p' | head -1)"

# Colour: on a terminal, not with NO_COLOR, not into a pipe.
tty_out "log colours the hash on a terminal" "$esc[33m$head_hash$esc[0m" -- --store "$s" log -n 1
NO_COLOR=1 tty_lacks "NO_COLOR turns colour off" "$esc[33m" -- --store "$s" log -n 1
check_streams "no colour into a pipe" 0 "$head_hash  " "" -- --store "$s" log -n 1
"$weft_bin" --store "$s" add 'fn Big.N.g x = x + 100' >/dev/null
tty_out "diff colours added lines green" "$esc[32m+ fn Big.N.g x = x + 100$esc[0m" -- --store "$s" diff
"$weft_bin" --store "$s" discard >/dev/null
tty_out "an error's prefix is red on a terminal" "$esc[31mweft:$esc[0m no change has a hash" -- \
  --store "$s" diff 00000000

# The pager: PAGER on a terminal; never into a pipe, with --no-pager, or with --json.
PAGER="sed s/^/paged:/" tty_out "long output goes through PAGER" "paged:" -- --store "$s" log -n 3
PAGER="sed s/^/paged:/" tty_lacks "--no-pager prints straight" "paged:" -- --no-pager --store "$s" log -n 3
PAGER="sed s/^/paged:/" tty_lacks "--json is never paged" "paged:" -- --store "$s" log -n 1 --json
PAGER="sed s/^/paged:/" check_streams "a pipe is never paged" 0 "$head_hash  " "" -- --store "$s" log -n 1
PAGER="no-such-pager-here" tty_out "a pager that is not there is skipped, the output kept" \
  "$head_hash" -- --store "$s" log -n 1
PAGER=cat tty_out "PAGER=cat prints straight" "$head_hash" -- --store "$s" log -n 1

# Local time for people, UTC in JSON.
TZ=Asia/Kolkata check "log shows local time" 0 "+0530  laptop" -- --store "$s" log -n 1
TZ=Asia/Kolkata check "log --json keeps UTC" 0 'Z"' -- --store "$s" log -n 1 --json

summary
