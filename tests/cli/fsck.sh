#!/usr/bin/env bash
# `weft fsck`: one byte flipped in a stored change, in a blob, in a projection row
# is each found and named by hash; --repair re-folds projections and sets damaged
# rows aside, and a sync with a peer that holds them brings them back.
set -uo pipefail
weft_bin="$1"
fixture="$2"
source "$(dirname "$0")/lib.sh"

export WEFT_HOME="$tmp/laptop"
mkdir -p "$WEFT_HOME"
cp "$fixture" "$WEFT_HOME/weft.db" && chmod u+w "$WEFT_HOME/weft.db"
db="$WEFT_HOME/weft.db"
"$weft_bin" status >/dev/null 2>&1  # the upgrade to this Release
check "the upgraded fixture is sound" 0 "no problems" -- fsck
# A peer that holds everything: a copy taken now.
cp -r "$WEFT_HOME" "$tmp/spare"
rm -f "$tmp/spare"/weft.db.release*-backup
check "register it" 0 "added peer spare" -- peer add spare "$tmp/spare"

# flip TABLE COLUMN WHERE: inverts the low bit of the middle byte of one cell.
flip() {
  python3 - "$db" "$1" "$2" "$3" <<'PY'
import sqlite3, sys
db, table, column, where = sys.argv[1:]
c = sqlite3.connect(db)
(v,) = c.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()
b = bytearray(v)
b[len(b) // 2] ^= 1
c.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (bytes(b),))
c.commit()
PY
}
hex_of() { sqlite3 "$db" "SELECT lower(hex(hash)) FROM $1 WHERE $2"; }

# A change in the middle of the log.
mid="id = (SELECT id FROM changes ORDER BY id LIMIT 1 OFFSET 5)"
change="$(hex_of changes "$mid")"
count="$(sqlite3 "$db" "SELECT count(*) FROM changes")"
flip changes bytes "$mid"
check "a flipped byte in a change is found, by hash" 4 "change $change: its bytes do not hash to its key" -- fsck
check "status warns about the last fsck" 0 "found" -- status
check "--repair sets it aside" 0 "set aside (quarantined) change $change" -- fsck --repair
check "status says it awaits a peer" 0 "set aside by \`weft fsck --repair\`" -- status
[ "$(sqlite3 "$db" "SELECT count(*) FROM quarantine WHERE kind = 'change' AND lower(hex(hash)) = '$change'")" = 1 ] &&
  pass || fail "the damaged change is not kept in the quarantine"
check "a sync brings it back" 0 "spare" -- sync spare --pull
[ "$(sqlite3 "$db" "SELECT count(*) FROM changes")" = "$count" ] && pass ||
  fail "the log has $(sqlite3 "$db" "SELECT count(*) FROM changes") changes, want $count"
check "then the store is sound" 0 "no problems" -- fsck
out="$("$weft_bin" status 2>&1)"
[[ "$out" != *"warning"* ]] && pass || fail "status still warns after the sync" "$out"

# A blob.
blob="$(hex_of blobs "1 = 1 ORDER BY hash LIMIT 1 OFFSET 3")"
flip blobs canonical "lower(hex(hash)) = '$blob'"
check "a flipped byte in a blob is found, by hash" 4 "blob $blob: its bytes do not hash to its key" -- fsck
check "--repair sets the blob aside" 0 "set aside (quarantined) blob $blob" -- fsck --repair
check "a sync fetches the blob again" 0 "spare" -- sync spare --pull
[ "$(sqlite3 "$db" "SELECT count(*) FROM blobs WHERE lower(hex(hash)) = '$blob'")" = 1 ] && pass ||
  fail "the blob did not come back"
check "and the store is sound" 0 "no problems" -- fsck

# A projection row.
flip locations item "location = 'Fix.Math.add'"
check "a flipped byte in a projection row is found" 4 "projections" -- fsck
check "--repair re-folds it" 0 "re-folded the projections" -- fsck --repair
check "the name is bound as before" 0 "5" -- eval 'Fix.Math.add 2 3'
check "and the store is sound" 0 "no problems" -- fsck
check "fsck --json" 0 '"findings": []' -- fsck --json
summary
