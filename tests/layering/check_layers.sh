#!/usr/bin/env bash
# The layering check passes on the tree, and fails on each kind of breach planted
# in a copy of it (so the check itself cannot silently pass everything).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
check="$here/../../scripts/check-layers"
src="$here/../../src"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
"$check" "$src" || { echo "FAIL the tree itself breaks its layering"; fails=1; }

plant() {  # plant NAME FILE LINE: copy the tree, append LINE to FILE, expect a failure
  rm -rf "$tmp/src" && cp -r "$src" "$tmp/src"
  echo "$3" >>"$tmp/src/$2"
  if out="$("$check" "$tmp/src" 2>&1)"; then
    echo "FAIL $1: not caught"; fails=1
  elif [[ "$out" != *"$2"* ]]; then
    echo "FAIL $1: caught, but the message does not name $2: $out"; fails=1
  else
    echo "ok   $1"
  fi
}
plant "model includes the language" model/item.h '#include "lang/ast.h"'
plant "store includes fold (upward)" store/store.h '#include "fold/ledger.h"'
plant "sync includes store" sync/protocol.cc '#include "store/store.h"'
plant "a transaction in the CLI" cli/cmd_store.cc 'auto t = Transaction::Begin(db);'
plant "SQL in the domain layer" workspace/status.cc 'auto q = db.Prepare("SELECT 1");'
plant "sqlite3.h in net" net/session.cc '#include <sqlite3.h>'
plant "file I/O in sync" sync/message.cc '#include <fstream>'
plant "sockets in sync" sync/protocol.cc '#include <sys/socket.h>'
exit "$fails"
