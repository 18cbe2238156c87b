# Starting and stopping hub replicas for the hub's tests (sourced after
# tests/cli/lib.sh and pg.sh). hub_start NAME [PORT [ARG...]]: starts `weft hub
# serve` on loopback (a free port unless given; more serve arguments after it),
# waits until it answers, and sets
# hub_url_NAME and hub_pid_NAME. hub_stop NAME kills it. hub_stop_all runs from
# the trap, so no replica outlives the test.
hub_names=()

hub_start() {
  local name="$1" port="${2:-0}" log="$tmp/hub-$1.log"
  shift $(($# < 2 ? $# : 2))
  "$weft_bin" hub serve --db "$PGURL" --listen "127.0.0.1:$port" "$@" >"$log" 2>&1 &
  local pid=$!
  printf -v "hub_pid_$name" '%s' "$pid"
  hub_names+=("$name")
  local url=""
  for _ in $(seq 1 100); do
    url="$(sed -n 's/^hub serving at //p' "$log")"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$url" ]; then
    echo "hub $name did not start:" >&2
    cat "$log" >&2
    return 1
  fi
  printf -v "hub_url_$name" '%s' "$url"
}

hub_stop() {
  local var="hub_pid_$1"
  local pid="${!var:-}"
  [ -n "$pid" ] || return 0
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  printf -v "hub_pid_$1" '%s' ""
}

hub_stop_all() {
  for n in "${hub_names[@]}"; do hub_stop "$n"; done
}

# token NAME TENANT DEVICE [SCOPE]: writes a new token to $tmp/NAME.token (mode 600).
token() {
  local file="$tmp/$1.token"
  (umask 077 && "$weft_bin" hub token create --db "$PGURL" --tenant "$2" --device "$3" \
    --scope "${4:-write}" >"$file" 2>/dev/null)
}
