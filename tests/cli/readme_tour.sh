#!/usr/bin/env bash
# The README's tour of the CLI, run as written: every `weft …` line of the code
# block under "## A tour of the CLI", in order, against a fresh store, must exit 0.
# Placeholders are filled from what the run itself printed: <hash> (an item of
# Demo.Text.greet, as `#hash`), <change> (the newest change, from `weft log`),
# <race> (a race id from `weft conflicts`), <dir>
# (a second store). `[x]` runs with x. The race comes from the second store,
# which edits Demo.Math.square without having seen ours.
# Usage: readme_tour.sh WEFT_BINARY README
set -uo pipefail
weft_bin="$1"
readme="$2"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$readme")" || exit 1
export WEFT_HOME="$tmp/home"
# `weft edit` runs an editor that changes one thing, never an interactive one.
printf '#!/bin/sh\nsed -i "s/x \\* x/x * x * 1/" "$1"\n' >"$tmp/editor" && chmod +x "$tmp/editor"
export EDITOR="$tmp/editor" VISUAL="" TMPDIR="$tmp"
peer="$tmp/desktop"
weft() { timeout -k 5 "$limit" "$weft_bin" "$@"; }

weft --store "$peer" init --name desktop >/dev/null || { echo "FAIL setup: init"; exit 1; }
weft --store "$peer" add 'fn Demo.Math.square x = x * x * 1' >/dev/null &&
  weft --store "$peer" commit -m "the desktop's square" >/dev/null || { echo "FAIL setup"; exit 1; }

# The tour's command lines, comments removed.
mapfile -t lines < <(awk '/^## A tour of the CLI/{t=1} t&&/^```sh/{b=1;next} b&&/^```/{exit} b' "$readme" |
  grep '^weft ' | sed -E 's/[[:space:]]{2,}#.*$//')
[ "${#lines[@]}" -ge 40 ] || { echo "FAIL: found ${#lines[@]} tour lines in $readme"; exit 1; }

for line in "${lines[@]}"; do
  cmd="$line"
  cmd="$(sed -E 's/ \[([A-Za-z-][^]]*)\]/ \1/g' <<<"$cmd")"
  if [[ "$cmd" == *"<hash>"* ]]; then
    hash="$(weft ls --json Demo.Text | sed -n 's/.*"hash": *"\([0-9a-f]*\)".*/\1/p' | head -1)"
    [ -n "$hash" ] || fail "no hash for <hash> in: $line"
    cmd="${cmd//<hash>/\'#${hash:0:12}\'}"
  fi
  if [[ "$cmd" == *"<change>"* ]]; then
    change="$(weft log -n 1 --json | sed -n 's/^    "hash": *"\([0-9a-f]*\)".*/\1/p' | head -1)"
    [ -n "$change" ] || fail "no change for <change> in: $line"
    cmd="${cmd//<change>/${change:0:10}}"
  fi
  if [[ "$cmd" == *"<race>"* ]]; then
    race="$(weft conflicts --all --json | sed -n 's/.*"id": *"\([0-9a-f]*\)".*/\1/p' | head -1)"
    [ -n "$race" ] || fail "no race for <race> in: $line"
    cmd="${cmd//<race>/$race}"
  fi
  cmd="${cmd//<dir>/$peer}"
  out="$(eval "$cmd" 2>&1)"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "tour: $line (ran: $cmd): exit $rc" "$out"
  else
    pass
  fi
done
# What the tour did, seen from the other store: the resolution and our work arrived.
check "the desktop holds the tour's work" 0 "Demo.Math.cube" -- --store "$peer" ls Demo.Math
summary
