#!/bin/sh
# The benchmarks (README "Benchmark"), one RESULT line per tool and case:
# - case-level aggregation (issue 6): ROWS case rows (default 1,000,000, about 95 MB,
#   Windows-1252) by the app, PapaParse, DuckDB-WASM and the CLI (bench/bench.mjs);
# - table files (issue 12): the look-alike of the municipality-level GENESIS table 12111-02-01-5
#   (bench/gen_table.py, TABLE_ROWS rows, default 14,493, 3.5 MB) and a real county-level
#   table from ../shared, by the CLI, the app and Python's csv module (bench/table.mjs).
# Generated files go to bench/out; builds the CLI (and the app with Trunk unless
# SKIP_APP_BUILD=1) and installs PapaParse and DuckDB-WASM from npm into bench/node_modules;
# playwright-core comes from tests/browser/node_modules, where ./vr test installs it.
#
#   bench/run.sh                 # from the repository root, or ./vr bench
#   ROWS=100000 bench/run.sh
set -eu
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
TABLE_ROWS=${TABLE_ROWS:-14493}
OUT=bench/out
# Where cargo really builds (CARGO_TARGET_DIR, a config file, or target/).
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
CLI="$TARGET/release/vergleichsring"
mkdir -p "$OUT"

if [ ! -f "$OUT/cases-$ROWS.csv" ]; then
  python3 ../shared/tools/gen_cases.py --rows "$ROWS" --out "$OUT/cases-$ROWS.csv" --totals "$OUT/totals-$ROWS.csv"
fi
if [ ! -f "$OUT/table-$TABLE_ROWS.csv" ]; then
  python3 bench/gen_table.py --rows "$TABLE_ROWS" --out "$OUT/table-$TABLE_ROWS.csv"
fi
cargo build --release -q -p vergleichsring-cli
if [ "${SKIP_APP_BUILD:-0}" != 1 ] && command -v trunk >/dev/null && [ -f index.html ]; then
  trunk build --release >/dev/null
fi
if [ ! -d bench/node_modules/@duckdb/duckdb-wasm ] || [ ! -d bench/node_modules/papaparse ]; then
  (cd bench && npm install --no-audit --no-fund >/dev/null)
fi
node bench/bench.mjs "$OUT/cases-$ROWS.csv" "$OUT/totals-$ROWS.csv" "$CLI" dist
node bench/table.mjs "$CLI" dist "$OUT/table-$TABLE_ROWS.csv" ../shared/data/genesis/22151-01-01-4_00.csv
