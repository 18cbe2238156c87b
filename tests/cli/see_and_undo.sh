#!/usr/bin/env bash
# See and undo (issue 15, item 1): staged work is visible before a commit (`weft
# diff`, `status -v`, and `ls`, `show`, `rm`, `mv` see staged names); `weft log
# NAME`; `weft undo`, which travels like any change.
set -uo pipefail
weft_bin="$1"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
export WEFT_HOME="$tmp/home"
w() { "$weft_bin" "$@"; }

w init --name laptop >/dev/null
check "diff with nothing staged" 0 "nothing staged" -- diff
w add $'fn Demo.M.sq x = x * x\nfn Demo.M.use y = Demo.M.sq y + 1\nval Demo.M.gone = 1' >/dev/null
check "ls before the first commit lists staged names" 0 "Demo.M.sq" -- ls
check "ls marks them staged" 0 "(staged)" -- ls Demo.M.sq
check "show sees a staged name" 0 "(staged: new)" -- show Demo.M.sq
check "status counts and points at diff" 0 "staged:   6 ops (\`weft status -v\` lists them" -- status
check "status -v lists the staged ops" 0 "bind term Demo.M.sq" -- status -v
check "status -v --json lists them too" 0 '"staged_ops": [' -- status -v --json
check "diff of new names" 0 "+ Demo.M.sq  (new) -> #" -- diff
w commit -m one >/dev/null
w add 'fn Demo.M.sq x = x * x * 1' >/dev/null
check "diff shows old and new hash and the line diff" 0 $'    - fn Demo.M.sq x = x * x\n    + fn Demo.M.sq x = x * x * 1' -- diff Demo.M.sq
check "a re-pointed dependent is marked" 0 "~ Demo.M.use" -- diff
check "diff NAME shows only that name" 0 "1 name staged" -- diff Demo.M.sq
check "ls marks a staged replacement" 0 "(staged: -> " -- ls Demo.M.sq
check "show shows the staged version" 0 "fn Demo.M.sq x = x * x * 1" -- show Demo.M.sq
check "rm stages an unbind" 0 "staged: unbind Demo.M.gone" -- rm Demo.M.gone
check "ls marks a staged unbind" 0 "(staged: unbind)" -- ls Demo.M.gone
check "show marks a staged unbind (the committed item)" 0 "(staged: unbind)" -- show Demo.M.gone
check "a staged unbind is gone for rm" 2 "not bound" -- rm Demo.M.gone
check "diff --json has both hashes" 0 '"after": null' -- diff --json Demo.M.gone
check "mv of a staged rename's new name" 0 "staged: rename Demo.M.sq to Demo.M.square" -- mv Demo.M.sq Demo.M.square
check "rm right after mv, before a commit" 0 "staged: unbind Demo.M.square" -- rm Demo.M.square
w discard >/dev/null
check "after discard nothing is staged" 0 "nothing staged" -- diff

# weft log NAME: one name's changes, and the races on it.
w add 'val Demo.M.x = 1' >/dev/null && w commit -m "x one" >/dev/null
w add 'val Demo.M.x = 2' >/dev/null && w commit -m "x two" >/dev/null
other="$tmp/desktop"
w --store "$other" init --name desktop >/dev/null
w --store "$other" add 'val Demo.M.x = 3' >/dev/null && w --store "$other" commit -m "x three" >/dev/null
w sync "$other" >/dev/null
log_x="$(w log Demo.M.x)"
[[ "$log_x" == *"x three"*"x two"*"x one"*"race "*" on term Demo.M.x: 2 concurrent edits"* ]] && pass ||
  fail "log NAME lists its changes newest first, then its races" "$log_x"
[[ "$log_x" != *"one"*"Demo.M.sq"* ]] && pass || fail "log NAME leaves other names out" "$log_x"
check "log NAME --json has changes and races" 0 '"races": [' -- log --json Demo.M.x
check "log -n 1 NAME" 0 "x three" -- log -n 1 Demo.M.x
check "log of a name never bound suggests" 2 "did you mean \`Demo.M.x\`" -- log Demo.M.y

# weft undo
w add $'val Demo.U.a = 1\nval Demo.U.b = 1' >/dev/null && w commit -m "u one" >/dev/null
w add 'val Demo.U.a = 2' >/dev/null
check "undo is refused while ops are staged" 3 "undoing" -- undo
w deprecate Demo.U.b --reason "old" >/dev/null && w commit -m "u two" >/dev/null
check "undo restores what the last change replaced" 0 'undid' -- undo
check "the name is back" 0 "1" -- eval Demo.U.a
check "so is the deprecation" 0 "Demo.U.b" -- ls Demo.U.b
[[ "$(w ls Demo.U.b)" != *deprecated* ]] && pass || fail "undo lifts the deprecation" "$(w ls Demo.U.b)"
check "undo of an undo redoes" 0 "restored Demo.U.a (term)" -- undo
check "the redo is in effect" 0 "2" -- eval Demo.U.a
check "undo --json names both changes" 0 '"undone_message": "undo' -- undo --json
w sync "$other" >/dev/null
check "the undo travels to the peer" 0 "1" -- --store "$other" eval Demo.U.a
w add 'val Demo.U.a = 4' >/dev/null && w commit -m "u four" >/dev/null
w sync "$other" >/dev/null
w --store "$other" add 'val Demo.U.a = 9' >/dev/null && w --store "$other" commit -m "peer a" >/dev/null
w sync "$other" >/dev/null
check "undo that would overwrite a later edit is refused" 3 "Demo.U.a changed again after" -- undo
check "nothing was committed" 0 "9" -- eval Demo.U.a
fresh="$tmp/fresh"
w --store "$fresh" init >/dev/null
check "undo with no change here" 3 "has made no change on branch main" -- --store "$fresh" undo
w --store "$fresh" add 'val Demo.F.a = 1' >/dev/null && w --store "$fresh" commit -m first >/dev/null
check "undo of a first definition unbinds it" 0 "restored Demo.F.a (term): unbound" -- --store "$fresh" undo
check "it is gone" 2 "not bound" -- --store "$fresh" show Demo.F.a

# weft edit NAME: $EDITOR on the source; the saved text is staged; text that does
# not parse comes back with the error on top.
export TMPDIR="$tmp"  # the files a failed edit keeps go with the test's directory
w add 'fn Demo.E.f x = x * x' >/dev/null && w commit -m "e" >/dev/null
printf '#!/bin/sh\nsed -i "s/x \\* x/x * x * 2/" "$1"\n' >"$tmp/ed_ok"
printf '#!/bin/sh\nn=$(cat "%s" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"%s"\nif [ $n = 1 ]; then sed -i "s/x \\* x/x * )/" "$1"; else grep -q "^-- weft: .*expected an expression" "$1" || exit 7; sed -i "/^-- weft: /d; s/x \\* )/x + 1/" "$1"; fi\n' "$tmp/count" "$tmp/count" >"$tmp/ed_retry"
printf '#!/bin/sh\nsed -i "s/x \\* x/x * )/" "$1"\n' >"$tmp/ed_bad"
chmod +x "$tmp/ed_ok" "$tmp/ed_retry" "$tmp/ed_bad"
EDITOR="$tmp/ed_ok" check "edit stages what the editor saved" 0 "updated Demo.E.f" -- edit Demo.E.f
check "the edit is staged" 0 "fn Demo.E.f x = x * x * 2" -- show Demo.E.f
w discard >/dev/null
EDITOR="$tmp/ed_retry" check "a parse error re-opens the editor with the error on top" 0 "updated Demo.E.f" -- edit Demo.E.f
check "the second save was staged" 0 "fn Demo.E.f x = x + 1" -- show Demo.E.f
w discard >/dev/null
EDITOR="$tmp/ed_bad" check "the same broken text twice stops, and keeps the file" 3 "nothing staged; your text is kept at" -- edit Demo.E.f
EDITOR=true check "saving without a change stages nothing" 0 "no change to Demo.E.f" -- edit Demo.E.f
VISUAL=false check "a failing editor stages nothing" 3 "the editor (false) failed" -- edit Demo.E.f
check "edit of an unknown name" 2 "did you mean" -- edit Demo.E.g
check "nothing was staged by the failures" 0 "nothing staged" -- diff

# diff CHANGE: what a committed change did.
w add 'fn Demo.E.f x = x * x * 3' >/dev/null && w commit -m "thrice" >/dev/null
change="$(w log -n 1 --json | sed -n 's/^    "hash": *"\([0-9a-f]*\)".*/\1/p' | head -1)"
check "diff CHANGE names the change and its message" 0 "change ${change:0:8} by laptop" -- diff "${change:0:10}"
check "diff CHANGE shows the line diff of what it re-bound" 0 "+ fn Demo.E.f x = x * x * 3" -- diff "#${change:0:8}"
check "diff CHANGE --json carries the change" 0 "\"message\": \"thrice\"" -- diff --json "$change"
check "diff of a change nobody made" 2 "no change has a hash starting with 00000000" -- diff 00000000

# The same content staged under a second name shows under the name asked for.
w add 'fn Demo.E.same x = x' >/dev/null && w commit -m same >/dev/null
w add 'fn Demo.E.twin x = x' >/dev/null
check "show of a staged twin prints it under its own name" 0 "fn Demo.E.twin x = x" -- show Demo.E.twin
check "diff of a staged twin too" 0 "+ fn Demo.E.twin x = x" -- diff Demo.E.twin
w discard >/dev/null
summary
