# A throwaway PostgreSQL server for the hub's tests (sourced). pg_start DIR makes
# a cluster in DIR/pg (as the postgres user when run as root: initdb refuses
# root), starts it on a Unix socket only, creates database `weft`, and sets
# PGURL. pg_stop, pg_restart and pg_dump_to/pg_restore_from do what they say.
# The caller's trap must call pg_stop, so no server outlives the test.
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  pg_dir="$1/pg"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "no PostgreSQL server here: run scripts/deps (postgresql-15)" >&2
    return 1
  fi
  mkdir -p "$pg_dir"
  chmod 755 "$1" "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  pg_as "$pg_bin/initdb" -D "$pg_dir/data" --no-sync -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; return 1; }
  pg_up || return 1
  pg_as "$pg_bin/createdb" -h "$pg_dir" -U postgres weft || return 1
  PGURL="postgresql:///weft?host=$pg_dir&user=postgres"
  export PGURL
}

pg_up() {
  local sync="-c fsync=off"
  [ "${PG_DURABLE:-0}" = 1 ] && sync="-c fsync=on -c synchronous_commit=on"
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
    -o "-c listen_addresses='' -k $pg_dir $sync -c max_connections=200" start >/dev/null ||
    { tail -5 "$pg_dir/server.log" >&2; return 1; }
}

pg_stop() {
  [ -n "${pg_dir:-}" ] && [ -d "$pg_dir/data" ] &&
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1
  return 0
}

pg_restart() {
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1
  pg_up
}

pg_dump_to() { pg_as "$pg_bin/pg_dump" -h "$pg_dir" -U postgres -Fc weft >"$1"; }
pg_restore_from() {
  pg_as "$pg_bin/dropdb" -h "$pg_dir" -U postgres --force weft &&
    pg_as "$pg_bin/createdb" -h "$pg_dir" -U postgres weft &&
    pg_as "$pg_bin/pg_restore" -h "$pg_dir" -U postgres -d weft <"$1"
}
