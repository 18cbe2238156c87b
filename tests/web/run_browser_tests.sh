#!/usr/bin/env bash
# The dashboard's browser tests (CTest label `browser`): Debian's Chromium driven
# by playwright-core against real `weft serve` processes on loopback.
# Usage: run_browser_tests.sh WEFT_BINARY OUT_DIR
# Exits 77 (skipped) with one line when Chromium is not installed.
set -euo pipefail
weft="$1"
out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${WEFT_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "browser tests skipped: $chromium is not installed (scripts/deps chromium installs it)"
  exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "browser tests skipped: node and npm are not installed"
  exit 77
fi
mkdir -p "$out"
# playwright-core, pinned in package.json, installed beside the build; it never
# downloads a browser (Debian's is used).
if [ ! -d "$out/node_modules/playwright-core" ]; then
  cp "$here/package.json" "$out/package.json"
  (cd "$out" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || {
    echo "browser tests: npm could not install playwright-core into $out (is the npm registry reachable?)"
    exit 1
  }
fi
NODE_PATH="$out/node_modules" exec node "$here/dashboard.test.mjs" "$weft" "$out" "$chromium"
