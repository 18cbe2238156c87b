# Shared by the daemon test scripts: daemons on fixed free loopback ports (a
# restarted daemon must come back where its peers look for it), every wait
# bounded, and every daemon killed at exit. Source after tests/cli/lib.sh; set
# weft_bin first.
daemon_homes=()
kill_daemons() {
  local h pid
  for h in "${daemon_homes[@]}"; do
    pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$h/daemon.pid" 2>/dev/null)"
    [ -n "$pid" ] && [ "$pid" -gt 1 ] && kill -9 "$pid" 2>/dev/null
  done
  return 0
}
trap 'kill_daemons; wait 2>/dev/null; chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

on() {  # on HOME ARGS... : weft against one instance's store, bounded
  local home="$1"
  shift
  WEFT_HOME="$tmp/$home" timeout -k 5 "$limit" "$weft_bin" "$@"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_daemon HOME PORT [ARGS...]: `weft daemon start` on 127.0.0.1:PORT with TLS.
start_daemon() {
  local home="$1" port="$2"
  shift 2
  daemon_homes+=("$tmp/$home")
  on "$home" daemon start --listen "127.0.0.1:$port" --tls "$@" >/dev/null
}

daemon_pid() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$tmp/$1/daemon.pid"
}

json_field() {  # json_field FIELD: reads one JSON document on stdin
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d[sys.argv[1]], sort_keys=True))' "$1"
}
heads_of() { on "$1" status --json | json_field heads; }

# eventually SECONDS COMMAND...: true once the command succeeds, polled every 0.2 s.
eventually() {
  local seconds="$1"
  shift
  local end=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$end" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  "$@" >/dev/null 2>&1
}

same_heads() {  # same_heads HOME...: every store holds the same heads
  local first h
  first="$(heads_of "$1")" || return 1
  for h in "$@"; do [ "$(heads_of "$h")" = "$first" ] || return 1; done
}
has_name() { on "$1" ls 2>/dev/null | grep -q "^$2 "; }
all_have() {  # all_have NAME HOME...
  local name="$1" h
  shift
  for h in "$@"; do has_name "$h" "$name" || return 1; done
}
race_ids() {
  on "$1" conflicts --all --json |
    python3 -c 'import json,sys; print(sorted(c["id"] for c in json.load(sys.stdin)))'
}

# On failure: what each daemon logged and its latest sync cycles, for the report.
diagnose() {
  local h
  for h in "$@"; do
    echo "--- $h: daemon.log (last 40 lines)"
    tail -n 40 "$tmp/$h/daemon.log" 2>/dev/null
    echo "--- $h: sync events"
    WEFT_HOME="$tmp/$h" timeout 20 "$weft_bin" sync events -n 15 2>&1
  done
}
