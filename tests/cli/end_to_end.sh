#!/usr/bin/env bash
# Drives the built `weft` binary as a person would and checks outputs and exit codes.
# Usage: end_to_end.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
export WEFT_HOME="$tmp/home"

check "status before init says run init" 2 "weft init" -- status
check "init" 0 "initialized weft store 'laptop'" -- init --name laptop
check "init twice is refused" 3 "already holds" -- init --name laptop
check "commit with nothing staged" 3 "nothing is staged" -- commit -m nothing
check "add stages" 0 "added Demo.Math.answer" -- add 'val Demo.Math.answer = 42'
check "add with a bad name" 3 "expected a fully-qualified name" -- add 'val answer = 42'
check "add a missing file" 2 "no such file" -- add nothing.weft
check "add a parse error" 3 "<argument>:1:18: expected '=' after parameters" -- add 'fn Demo.M.f x y z'
check "a parse error shows the line and a caret" 3 $'  1 | fn Demo.M.f x y z\n    |                  ^' -- add 'fn Demo.M.f x y z'
check "a parameter named twice is an error" 3 "<argument>:1:15: the parameter x is named twice" -- add 'fn Me.T.f x y x = x'
check "add an unknown reference" 3 "unknown name Demo.Nope.f" -- add 'val Demo.M.v = Demo.Nope.f 1'
check "add a type used as a term" 3 "is a type, not a term" -- add $'type Demo.T.P = { x: Int }\nval Demo.T.v = Demo.T.P'
check "commit" 0 "committed" -- commit -m "add answer"
check "ls" 0 "Demo.Math.answer" -- ls
check "ls --json is JSON" 0 '"location": "Demo.Math.answer"' -- ls --json
check "show by name" 0 "42" -- show Demo.Math.answer
check "re-adding identical content stages nothing" 0 "nothing staged" -- add 'val Demo.Math.answer = 42'
printf 'fn Demo.Math.fact n = if n <= 1 then 1 else n * Demo.Math.fact (n - 1)\nfn Demo.Math.twice x = 2 * x\nval Demo.Math.big = Demo.Math.twice 21\n' > "$tmp/math.weft"
check "add a file" 0 "added Demo.Math.fact, Demo.Math.twice, Demo.Math.big" -- add "$tmp/math.weft"
check "eval sees staged code" 0 "2432902008176640000" -- eval 'Demo.Math.fact 20'
check "commit the file, --json says the change made" 0 '"message": "math"' -- commit --json -m "math"
check "run with literal arguments" 0 "120" -- run Demo.Math.fact 5
check "eval a value" 0 "42" -- eval Demo.Math.big
check "a mistyped name in an expression suggests the bound one" 3 "did you mean \`Demo.Math.answer\`" -- eval 'Demo.Math.answr + 1'
check "eval --json" 0 '"value": 42' -- eval --json Demo.Math.big
check "eval --json has the source beside the value" 0 '"source": "\"hi\""' -- eval --json '"hi"'
check "eval --json maps a string to a JSON string" 0 '"value": "hi"' -- eval --json '"hi"'
check "eval --json maps lists and records" 0 '"value": [' -- eval --json '[{ a = 1, b = "x" }]'
check "eval --json maps a variant" 0 '"case": "Some"' -- eval --json 'Builtin.List.head [1]'
check "eval --json of a function has no value" 0 '"value": null' -- eval --json '(fun x -> x)'
check "eval division by zero" 6 "division by zero" -- eval '1 / 0'
check "eval overflow" 6 "integer overflow" -- eval 'Demo.Math.fact 30'
check "eval step budget" 6 "step budget exceeded" -- eval --max-steps 100 'Demo.Math.fact 20'
check "run with a bad argument" 3 "<argument 1>:1:1" -- run Demo.Math.fact ')'
check "changing a helper propagates" 0 "updated Demo.Math.twice; re-pointed 1 dependent: Demo.Math.big" -- add 'fn Demo.Math.twice x = x + x'
check "commit the propagation" 0 "committed" -- commit -m "twice by addition"
check "show prints source with current names" 0 "val Demo.Math.big = Demo.Math.twice 21" -- show Demo.Math.big
check "show --deps" 0 "Demo.Math.twice" -- show --deps Demo.Math.big
check "show --dependents" 0 "Demo.Math.big" -- show --dependents Demo.Math.twice
check "show an unknown name" 2 "not bound" -- show Demo.Math.nope
check "rm an unknown name" 2 "not bound" -- rm Demo.Math.nope
check "unknown command is usage" 1 "unknown command 'frobnicate' (see \`weft help\`)" -- frobnicate
check "a mistyped command gets a suggestion" 1 "unknown command 'comit'; did you mean \`commit\`?" -- comit -m x
check "a transposition is one step" 1 "did you mean \`status\`?" -- stauts
check "a mistyped option gets a suggestion" 1 "unknown option --mesage; did you mean \`--message\`?" -- commit --mesage x
check "a mistyped name gets the nearest bound names" 2 "Demo.Math.twise is not bound on branch main; did you mean \`Demo.Math.twice\`?" -- show Demo.Math.twise
check "find ranks a prefix of the last part first" 0 "Demo.Math.twice" -- find tw
check "find by letters in order" 0 "Demo.Math.fact" -- find dmfct
check "find within typos" 0 "Demo.Math.answer" -- find Demo.Math.anser
check "find --source searches the source" 0 "val Demo.Math.big = Demo.Math.twice 21" -- find --source 'twice 21'
check "find --json" 0 '"match": "prefix"' -- find --json twi
check "find nothing" 0 "nothing matches zzzzzz" -- find zzzzzz
# Completion: the generated script, driven as bash drives it.
complete_words() {  # complete_words WORD... : what TAB offers for the last word
  PATH="$(dirname "$weft_bin"):$PATH" bash -c 'source <("$0" completion bash) || exit 1
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _weft; echo "${COMPREPLY[*]}"' "$weft_bin" weft "$@"
}
[ "$(complete_words sy)" = "sync" ] && pass || fail "completion of a command" "$(complete_words sy)"
[ "$(complete_words sync c)" = "check" ] && pass || fail "completion of a subcommand" "$(complete_words sync c)"
[ "$(complete_words commit --me)" = "--message" ] && pass || fail "completion of an option" "$(complete_words commit --me)"
[ "$(complete_words show Demo.Math.fa)" = "Demo.Math.fact" ] && pass ||
  fail "completion of a bound name" "$(complete_words show Demo.Math.fa)"
check "completion zsh loads bashcompinit" 0 "bashcompinit" -- completion zsh
check "completion of another shell is usage" 1 "fish" -- completion fish
check "--version names the Release" 0 "(Release 2" -- --version
check "help lists the commands" 0 "commit" -- help
check "help COMMAND is that command's help" 0 "Usage: weft sync check" -- help sync check
check "help of an unknown command suggests" 1 "no command 'sinc'; did you mean \`sync\`?" -- help sinc
check "global options go after the command too" 0 "instance:" -- status --store "$WEFT_HOME"
check "run takes global options after its name" 0 "120" -- run Demo.Math.fact 5 --busy-timeout 3
fact_hash="$("$weft_bin" ls --json Demo.Math.fact | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p' | head -1)"
check "a hash as weft prints it, with #, is accepted" 0 "bound as Demo.Math.fact" -- show "#${fact_hash:0:8}"
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
check "branch does not see it" 2 "not bound on branch feature" -- show Demo.Math.theAnswer
check "switch back" 0 "on branch main" -- branch switch main
check "main still sees it" 0 "Demo.Math.theAnswer" -- ls
check "branch list" 0 "feature" -- branch list --json
check "log" 0 "rm on feature" -- log -n 10
check "log -n 0 is a usage error" 1 "not in range 1" -- log -n 0
check "status --json" 0 '"folded": 7' -- status --json

# Two instances over the file carrier.
desk="$tmp/desktop"
check "init a second instance" 0 "initialized" -- --store "$desk" init --name desktop
check "sync to an unknown peer" 2 "neither a registered peer" -- sync nowhere
check "peer add" 0 "added peer desktop" -- peer add desktop "$desk"
check "peer add twice" 3 "already registered" -- peer add desktop "$desk"
check "peer ls" 0 "desktop" -- peer ls
check "sync check counts what would move" 0 "0 to pull" -- sync check desktop
check "sync --confirm" 0 "in sync with desktop" -- sync desktop --confirm
check "the desktop runs the laptop's function" 0 "120" -- --store "$desk" run Demo.Math.fact 5
check "the desktop shows it" 0 "fn Demo.Math.fact n" -- --store "$desk" show Demo.Math.fact
check "the desktop edits" 0 "added Demo.Desk.v" -- --store "$desk" add 'val Demo.Desk.v = 7'
check "the desktop commits" 0 "committed" -- --store "$desk" commit -m desk
check "the desktop names the laptop in its log" 0 "laptop  [main]  math" -- --store "$desk" log
check "sync says what arrived" 0 "received 1 change from desktop: Demo.Desk.v" -- sync
check "the laptop names the desktop in its log" 0 "desktop  [main]  desk" -- log -n 1
check "the laptop edits" 0 "added Demo.Lap.w" -- add 'val Demo.Lap.w = 8'
check "the laptop commits" 0 "committed" -- commit -m lap
check "a pull cannot confirm our new work" 7 "not confirmed" -- sync desktop --pull --confirm
empty="$tmp/empty"
check "init an empty instance" 0 "initialized" -- --store "$empty" init --name empty
check "a first pull from an empty peer is not confirmed" 7 "not confirmed" -- sync "$empty" --pull --confirm
check "sync --json" 0 '"in_sync": true' -- sync desktop --json
if command -v sqlite3 >/dev/null; then
  sqlite3 "$desk/weft.db" "UPDATE meta SET value = '3' WHERE key = 'release'"
  check "a peer on a newer Release is refused in a sentence" 5 "desktop is on Release 3, you are on 2: upgrade weft here" -- sync desktop
  check "a store on a newer Release is refused in a sentence" 5 "written by weft Release 3" -- --store "$desk" ls
  sqlite3 "$desk/weft.db" "UPDATE meta SET value = '2' WHERE key = 'release'"
fi
# A race: both instances edit one name without seeing the other's edit.
check "the laptop binds a name" 0 "added Demo.Race.g" -- add 'val Demo.Race.g = 1'
check "commit it" 0 "committed" -- commit -m race0
check "sync it" 0 "in sync with desktop" -- sync desktop
check "the laptop edits it" 0 "updated Demo.Race.g" -- add 'val Demo.Race.g = 2'
check "commit the laptop's edit" 0 "committed" -- commit -m race-laptop
check "the desktop edits it" 0 "updated Demo.Race.g" -- --store "$desk" add 'val Demo.Race.g = 3'
check "commit the desktop's edit" 0 "committed" -- --store "$desk" commit -m race-desktop
check "sync reports the race" 0 "1 conflict auto-resolved, run \`weft conflicts\`" -- sync desktop
check "conflicts lists it with the hint" 0 "resolve <id> mine|theirs" -- conflicts
check "the desktop lists it too" 0 "Demo.Race.g" -- --store "$desk" conflicts
check "status counts it" 0 "1 conflict awaiting review" -- status
check "conflicts --json" 0 '"state": "open"' -- conflicts --json
id="$("$weft_bin" conflicts --json | sed -n 's/.*"id": "\([0-9a-f]\{8\}\).*/\1/p' | head -1)"
check "conflicts show prints both sides" 0 "val Demo.Race.g = 3" -- conflicts show "$id"
check "conflicts show, the other side" 0 "val Demo.Race.g = 2" -- conflicts show "$id"
check "conflicts show an unknown id" 2 "no conflict has an id" -- conflicts show 00000000
check "conflicts show a malformed id" 3 "not a conflict id" -- conflicts show xyz
check "resolve with a bad side" 3 "choose mine, theirs" -- conflicts resolve "$id" left
check "resolve mine" 0 "resolved Demo.Race.g: kept" -- conflicts resolve "$id" mine
check "resolve twice is refused" 3 "already resolved by human" -- conflicts resolve "$id" mine
check "the resolution syncs" 0 "1 change" -- sync desktop
check "the desktop sees it resolved by human" 0 "resolved by human" -- --store "$desk" conflicts --all
check "the desktop evaluates the chosen side" 0 "2" -- --store "$desk" eval Demo.Race.g
check "nothing is left to review" 0 "no conflicts awaiting review" -- --store "$desk" conflicts
check "ack all with nothing open" 0 "acknowledged 0 conflicts" -- conflicts ack all

# Branches: merge and archive.
check "branch create exp" 0 "created branch exp" -- branch create exp
check "switch to exp" 0 "on branch exp" -- branch switch exp
check "exp edits the name" 0 "updated Demo.Race.g" -- add 'val Demo.Race.g = 10'
check "commit on exp" 0 "committed" -- commit -m exp
check "back to main" 0 "on branch main" -- branch switch main
check "main edits the name" 0 "updated Demo.Race.g" -- add 'val Demo.Race.g = 11'
check "commit on main" 0 "committed" -- commit -m main11
check "branch list shows ahead and behind" 0 "1 ahead, 1 behind main" -- branch list
check "stage something" 0 "added Demo.Stage.s" -- add 'val Demo.Stage.s = 1'
check "merge with staged ops is refused" 3 "before merging" -- branch merge exp
check "discard it" 0 "discarded" -- discard
check "merge into itself is refused" 3 "into itself" -- branch merge main
check "merge an unknown branch" 2 "no branch named" -- branch merge nope
check "merge takes exp's side" 0 "took exp's side for 1 location both changed: Demo.Race.g" -- branch merge exp
check "the merged value" 0 "10" -- eval Demo.Race.g
check "merging again changes nothing" 0 "already holds everything on exp" -- branch merge exp
check "the collision is recorded" 0 "resolved by merge:exp" -- conflicts --all
check "main cannot be archived" 3 "main cannot be archived" -- branch archive main
check "archive exp" 0 "archived branch exp" -- branch archive exp
check "archived branches show with --all" 0 "(archived)" -- branch list --all
check "an archived branch cannot be switched to" 3 "is archived" -- branch switch exp
check "the desktop gets the merge" 0 "in sync with desktop" -- sync desktop
check "the desktop sees the merged value" 0 "10" -- --store "$desk" eval Demo.Race.g
check "peer rm" 0 "removed peer desktop" -- peer rm desktop
check "peer rm twice" 2 "no peer named desktop" -- peer rm desktop


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

summary
