#!/bin/sh
# Case-level aggregation benchmark (issue 6): generates ROWS case rows (default 1,000,000, about
# 95 MB, Windows-1252) into bench/out, builds the CLI (and the app with Trunk unless
# SKIP_APP_BUILD=1), installs PapaParse and DuckDB-WASM from npm into bench/node_modules, then
# runs every tool in one headless Chromium and prints one RESULT line per tool.
#
#   bench/run.sh                 # from the repository root
#   ROWS=100000 bench/run.sh
set -eu
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
OUT=bench/out
TARGET=${CARGO_TARGET_DIR:-target}
mkdir -p "$OUT"

if [ ! -f "$OUT/cases-$ROWS.csv" ]; then
  python3 ../shared/tools/gen_cases.py --rows "$ROWS" --out "$OUT/cases-$ROWS.csv" --totals "$OUT/totals-$ROWS.csv"
fi
cargo build --release -q -p vergleichsring-cli
if [ "${SKIP_APP_BUILD:-0}" != 1 ] && command -v trunk >/dev/null && [ -f index.html ]; then
  trunk build --release >/dev/null
fi
if [ ! -d bench/node_modules/@duckdb/duckdb-wasm ] || [ ! -d bench/node_modules/papaparse ]; then
  (cd bench && npm install --no-audit --no-fund >/dev/null)
fi
node bench/bench.mjs "$OUT/cases-$ROWS.csv" "$OUT/totals-$ROWS.csv" "$TARGET/release/vergleichsring" dist
