#!/usr/bin/env bash
# `weft daemon install|uninstall`: the systemd user unit passes systemd-analyze
# verify (also for a store path with a space and a %), and install/uninstall run
# the right systemctl and loginctl commands (stand-ins on PATH record them; no
# user session manager is needed). Usage: unit.sh PATH/TO/weft
set -uo pipefail
weft_bin="$1"
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"

if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed (Debian package systemd; scripts/deps installs it)" >&2
  exit 1
fi
store="$tmp/my store%1"
WEFT_HOME="$store" "$weft_bin" init --name unit >/dev/null
unit="$("$weft_bin" --store "$store" daemon install --print --listen 127.0.0.1:7421 --tls)"
printf '%s\n' "$unit" >"$tmp/weft-daemon-test.service"
out="$(systemd-analyze verify "$tmp/weft-daemon-test.service" 2>&1)"
expect "systemd-analyze verify accepts the unit: $out" test -z "$out"
expect "the unit restarts on failure" grep -qx 'Restart=on-failure' "$tmp/weft-daemon-test.service"
expect "the unit quotes a path with a space and escapes %" \
  grep -qF "ExecStart=$weft_bin --store \"$tmp/my store%%1\" daemon run --listen 127.0.0.1:7421 --tls" \
  "$tmp/weft-daemon-test.service"
# The verifier is not a rubber stamp: a broken copy fails it.
sed 's/^ExecStart=.*/ExecStart=relative-binary/' "$tmp/weft-daemon-test.service" >"$tmp/weft-broken.service"
expect "systemd-analyze verify rejects a broken unit" bash -c "systemd-analyze verify '$tmp/weft-broken.service' 2>&1 | grep -q ."

# install / uninstall against stand-ins for systemctl and loginctl
mkdir -p "$tmp/bin"
for tool in systemctl loginctl; do
  cat >"$tmp/bin/$tool" <<STUB
#!/bin/sh
echo "$tool \$*" >>"$tmp/calls"
case "\$*" in *show-user*) echo "Linger=no" ;; esac
exit 0
STUB
  chmod +x "$tmp/bin/$tool"
done
export XDG_CONFIG_HOME="$tmp/config"
PATH="$tmp/bin:$PATH" check "install --boot" 0 "lingering enabled" -- --store "$store" daemon install --boot
name="$(ls "$tmp/config/systemd/user")"
expect "the unit is written under XDG_CONFIG_HOME/systemd/user ($name)" test -f "$tmp/config/systemd/user/$name"
expect "install reloads, enables and starts it" grep -qx "systemctl --user enable --now $name" "$tmp/calls"
expect "install --boot enables lingering" grep -qx "loginctl enable-linger $(id -un)" "$tmp/calls"
: >"$tmp/calls"
PATH="$tmp/bin:$PATH" check "uninstall" 0 "lingering disabled" -- --store "$store" daemon uninstall
expect "uninstall disables and stops it" grep -qx "systemctl --user disable --now $name" "$tmp/calls"
expect "uninstall disables the lingering install enabled" grep -qx "loginctl disable-linger $(id -un)" "$tmp/calls"
expect "uninstall removes the unit" test ! -e "$tmp/config/systemd/user/$name"
PATH="$tmp/bin:$PATH" check "uninstall again: not installed" 2 "no daemon unit is installed" \
  -- --store "$store" daemon uninstall
# Without --boot, lingering is left alone both ways.
: >"$tmp/calls"
PATH="$tmp/bin:$PATH" check "install without --boot" 0 "installed and started" -- --store "$store" daemon install
PATH="$tmp/bin:$PATH" check "uninstall" 0 "removed" -- --store "$store" daemon uninstall
expect "lingering untouched without --boot" bash -c "! grep -q linger '$tmp/calls'"
# A failing systemctl is one sentence saying what was done and what failed.
printf '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n' >"$tmp/bin/systemctl"
PATH="$tmp/bin:$PATH" check "no user session manager: a sentence, exit 7" 7 \
  "failed: Failed to connect to bus" -- --store "$store" daemon install
summary
