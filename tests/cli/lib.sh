# Shared by the CLI test scripts: `check` runs the weft binary as a person would
# and compares its exit code and output; `summary` ends the script.
# Set before sourcing: weft_bin (the binary).
tmp="$(mktemp -d -t weft-cli-XXXXXX)"
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
passes=0
# Every weft run is bounded: a hang is a failure, never a stuck test.
limit="${WEFT_TEST_TIMEOUT:-120}"

pass() { passes=$((passes + 1)); }
fail() {  # fail NAME DETAIL...
  echo "FAIL $1"
  shift
  [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/    /'
  failures=$((failures + 1))
}

check() {  # check NAME EXPECTED_EXIT EXPECTED_SUBSTRING -- weft args...
  local name="$1" want_rc="$2" want_text="$3"
  shift 4
  local out rc
  out="$(timeout -k 5 "$limit" "$weft_bin" "$@" 2>&1)"
  rc=$?
  [ "$rc" -eq 124 ] && out="(killed after ${limit}s) $out"
  if [ "$rc" -ne "$want_rc" ] || [[ "$out" != *"$want_text"* ]]; then
    fail "$name: exit $rc (want $want_rc), output:" "$out"
  else
    pass
  fi
}

# check_streams NAME EXPECTED_EXIT STDOUT_SUBSTRING STDERR_SUBSTRING -- weft args...
# An empty expected substring means that stream must be empty.
check_streams() {
  local name="$1" want_rc="$2" want_out="$3" want_err="$4"
  shift 5
  local rc
  timeout -k 5 "$limit" "$weft_bin" "$@" >"$tmp/.out" 2>"$tmp/.err"
  rc=$?
  local out err
  out="$(cat "$tmp/.out")"
  err="$(cat "$tmp/.err")"
  local ok=1
  [ "$rc" -eq "$want_rc" ] || ok=0
  if [ -z "$want_out" ]; then [ -z "$out" ] || ok=0; else [[ "$out" == *"$want_out"* ]] || ok=0; fi
  if [ -z "$want_err" ]; then [ -z "$err" ] || ok=0; else [[ "$err" == *"$want_err"* ]] || ok=0; fi
  if [ "$ok" -eq 1 ]; then pass; else
    fail "$name: exit $rc (want $want_rc)" "stdout: $out" "stderr: $err"
  fi
}

expect() {  # expect NAME CONDITION-COMMAND...: passes when the command succeeds
  local name="$1"
  shift
  if "$@"; then pass; else fail "$name"; fi
}

summary() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
