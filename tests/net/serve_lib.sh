# Shared by the network test scripts: real `weft serve` processes on free
# loopback ports, each started bounded in time and always stopped at exit.
# Source after tests/cli/lib.sh (it owns $tmp); set weft_bin first.
servers=()
trap 'for p in "${servers[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null;
      chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

on() {  # on HOME ARGS... : weft against one instance's store, bounded
  local home="$1"
  shift
  WEFT_HOME="$tmp/$home" timeout -k 5 "$limit" "$weft_bin" "$@"
}

# serve HOME [ARGS...]: starts `weft serve` (on a free port unless ARGS give
# --listen); sets $url and $pid.
serve() {
  local home="$1"
  shift
  local log="$tmp/$home.serve.log"
  local listen=(--listen 127.0.0.1:0)
  [[ " $* " == *" --listen "* ]] && listen=()
  WEFT_HOME="$tmp/$home" "$weft_bin" serve "${listen[@]}" "$@" >"$log" 2>"$log.err" &
  pid=$!
  servers+=("$pid")
  url=""
  for _ in $(seq 1 100); do  # at most 10 s
    url="$(sed -n 's/^serving at \([^ ]*\).*/\1/p' "$log" 2>/dev/null)"
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "weft serve for $home did not start:" >&2
  cat "$log" "$log.err" >&2
  return 1
}

stop() {  # stop PID: SIGTERM, then SIGKILL after 5 s
  kill "$1" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 1
}

json_field() {  # json_field FIELD: reads one JSON document on stdin
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d[sys.argv[1]], sort_keys=True))' "$1"
}
