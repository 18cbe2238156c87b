#!/usr/bin/env bash
# A commit and a sync on a full disk and on a read-only store: one line, exit 4,
# the store as it was; once space is freed (or the mount is writable again) the
# same command succeeds. Runs in a mount namespace of its own on a small tmpfs;
# needs root (exit 77, skipped, otherwise).
set -uo pipefail
weft_bin="$1"
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
  echo "skipped: needs root and mount namespaces"
  exit 77
fi
if [ -z "${WEFT_IN_NAMESPACE:-}" ]; then
  WEFT_IN_NAMESPACE=1 exec unshare -m "$0" "$@"
fi
source "$(dirname "$0")/../cli/lib.sh"
mnt="$tmp/small"
mkdir -p "$mnt"
mount -t tmpfs -o size=1m tmpfs "$mnt" || { echo "skipped: cannot mount tmpfs"; exit 77; }
trap 'umount "$mnt" 2>/dev/null; chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

export WEFT_HOME="$mnt/laptop"
desk="$tmp/desktop"
check "init on the small disk" 0 "initialized" -- init --name laptop
check "init the peer elsewhere" 0 "initialized" -- --store "$desk" init --name desktop
for i in $(seq 1 30); do
  "$weft_bin" --store "$desk" add "val Desk.M.v$i = \"$(head -c 600 /dev/urandom | base64 -w0)\"" >/dev/null
  "$weft_bin" --store "$desk" commit -m "d$i" >/dev/null
done
check "register the peer" 0 "added peer desktop" -- peer add desktop "$desk"
check "stage an edit" 0 "added Full.M.v" -- add 'val Full.M.v = 1'

state() { "$weft_bin" log -n 1000 --json 2>&1 | grep -c '"hash"'; "$weft_bin" status 2>&1 | grep -E "^(changes|staged):"; }
one_line() {  # one_line NAME WANT_TEXT -- args: exit 4, exactly one line on stderr
  local name="$1" want="$2"
  shift 3
  "$weft_bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -eq 4 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "$want" "$tmp/err"; then pass; else
    fail "$name: exit $rc, stderr:" "$(cat "$tmp/err")"; fi
}

# Fill the disk.
dd if=/dev/zero of="$mnt/filler" bs=4k >/dev/null 2>&1
before="$(state)"
one_line "commit on a full disk" "the disk is full" -- commit -m full
one_line "sync on a full disk" "the disk is full" -- sync desktop --pull
[ "$(state)" = "$before" ] && pass || fail "the store changed on a full disk" "$before" "$(state)"
rm -f "$mnt/filler"
check "with space freed, the commit succeeds" 0 "committed" -- commit -m full
check "and the sync" 0 "received 30 changes" -- sync desktop --pull
check "fsck is clean" 0 "no problems" -- fsck

# A read-only store.
"$weft_bin" --store "$desk" add 'val Desk.M.late = 1' >/dev/null
"$weft_bin" --store "$desk" commit -m late >/dev/null
check "stage another edit" 0 "added Full.M.w" -- add 'val Full.M.w = 2'
mount -o remount,ro "$mnt"
before="$(state)"
one_line "commit on a read-only store" "read-only" -- commit -m ro
one_line "sync into a read-only store" "read-only" -- sync desktop --pull
check "a read-only store still reads" 0 "Full.M.v" -- ls
[ "$(state)" = "$before" ] && pass || fail "the read-only store changed" "$before" "$(state)"
mount -o remount,rw "$mnt"
check "writable again, the commit succeeds" 0 "committed" -- commit -m rw
check "and the sync" 0 "received 1 change" -- sync desktop --pull
check "fsck is clean" 0 "no problems" -- fsck
summary
