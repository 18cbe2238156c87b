#!/usr/bin/env bash
# Drives the built `weft` binary as a person would and checks outputs and exit codes.
# Usage: end_to_end.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
tmp="$(mktemp -d -t weft-e2e-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export WEFT_HOME="$tmp/home"
failures=0
passes=0

check() {  # check NAME EXPECTED_EXIT EXPECTED_SUBSTRING -- weft args...
  local name="$1" want_rc="$2" want_text="$3"
  shift 4
  local out rc
  out="$("$weft_bin" "$@" 2>&1)"
  rc=$?
  if [ "$rc" -ne "$want_rc" ] || [[ "$out" != *"$want_text"* ]]; then
    echo "FAIL $name: exit $rc (want $want_rc), output:"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

check "status before init says run init" 2 "weft init" -- status
check "init" 0 "initialized weft store 'laptop'" -- init --name laptop
check "init twice is refused" 3 "already holds" -- init --name laptop
check "commit with nothing staged" 3 "nothing is staged" -- commit -m nothing
check "put stages" 0 "staged: bind Demo.Math.answer" -- put Demo.Math.answer --text 42
check "put with a bad name" 3 "not a fully-qualified name" -- put answer --text 42
check "put with a bad kind" 3 "item kind" -- put Demo.Math.x --kind blob --text 1
check "commit" 0 "committed" -- commit -m "add answer"
check "ls" 0 "Demo.Math.answer" -- ls
check "ls --json is JSON" 0 '"location": "Demo.Math.answer"' -- ls --json
check "show by name" 0 "42" -- show Demo.Math.answer
check "re-put identical content stages nothing" 0 "unchanged" -- put Demo.Math.answer --text 42
check "show an unknown name" 2 "not bound" -- show Demo.Math.nope
check "rm an unknown name" 2 "not bound" -- rm Demo.Math.nope
check "unknown command is usage" 1 "not expected: frobnicate" -- frobnicate
check "no command is usage" 1 "give a command" --
check "mv" 0 "staged: rename" -- mv Demo.Math.answer Demo.Math.theAnswer
check "commit mv" 0 "committed" -- commit -m rename
check "old name is gone" 2 "not bound" -- show Demo.Math.answer
check "deprecate" 0 "staged: deprecate" -- deprecate Demo.Math.theAnswer --reason old
check "commit deprecate" 0 "committed" -- commit -m deprecate
check "ls marks deprecated" 0 "(deprecated)" -- ls
check "undeprecate" 0 "staged: undeprecate" -- undeprecate Demo.Math.theAnswer
check "discard" 0 "discarded 1 staged op" -- discard
check "branch create" 0 "created branch feature" -- branch create feature
check "branch create twice" 3 "already exists" -- branch create feature
check "branch switch to unknown" 2 "no branch" -- branch switch nope
check "branch switch" 0 "on branch feature" -- branch switch feature
check "rm on the branch" 0 "staged: unbind" -- rm Demo.Math.theAnswer
check "commit on the branch" 0 "on feature" -- commit -m "rm on feature"
check "branch does not see it" 0 "nothing bound" -- ls
check "switch back" 0 "on branch main" -- branch switch main
check "main still sees it" 0 "Demo.Math.theAnswer" -- ls
check "branch list" 0 "feature" -- branch list --json
check "log" 0 "rm on feature" -- log -n 10
check "log -n 0 is bad input" 3 "-n must be" -- log -n 0
check "status --json" 0 '"folded": 5' -- status --json

before="$("$weft_bin" rebuild --json | grep digest)"
after="$("$weft_bin" rebuild --json | grep digest)"
if [ -n "$before" ] && [ "$before" = "$after" ]; then passes=$((passes + 1)); else
  echo "FAIL rebuild is not byte-identical: $before vs $after"; failures=$((failures + 1)); fi

# A damaged change is reported as a store error and rebuild changes nothing.
if command -v sqlite3 >/dev/null; then
  sqlite3 "$WEFT_HOME/weft.db" "UPDATE changes SET bytes = x'00' WHERE rowid = 1"
  check "rebuild over a damaged change fails" 4 "damaged" -- rebuild
  check "projections survive the failed rebuild" 0 "Demo.Math.theAnswer" -- ls
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
