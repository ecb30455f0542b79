#!/bin/sh
# The benchmarks (README "Benchmark"), one RESULT line per tool and case:
# - case-level aggregation (issue 6): ROWS case rows (default 1,000,000, about 95 MB,
#   Windows-1252) by the app, PapaParse, DuckDB-WASM and the CLI (bench/bench.mjs);
# - table files (issue 12): the look-alike of the municipality-level GENESIS table 12111-02-01-5
#   (bench/gen_table.py, TABLE_ROWS rows, default 14,493, 3.5 MB) and a real county-level
#   table from ../shared, by the CLI, the app and Python's csv module (bench/table.mjs).
# - views (issue 14): the first load, the re-render of each view on a change of own
#   municipality, year and peer group with a generated ring of RING municipalities × 20 years
#   (default 400, bench/gen_ring.py), upload to ready, and Germany scale: GERMANY municipalities
#   (default 11,000) × 20 years × 30 measures loaded, searched, sorted, compared
#   (bench/views.mjs; GERMANY=0 skips it).
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
RING=${RING:-400}
GERMANY=${GERMANY:-11000}
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
if [ ! -f "$OUT/ring-$RING.csv" ]; then
  python3 bench/gen_ring.py --municipalities "$RING" --years 20 --out "$OUT/ring-$RING.csv"
fi
if [ "$GERMANY" != 0 ] && [ ! -f "$OUT/germany-$GERMANY.csv" ]; then
  # 13 measures of the built-in catalogue and 17 more: 30 measures, about 50 MB.
  python3 bench/gen_ring.py --municipalities "$GERMANY" --years 20 --extra 17 --out "$OUT/germany-$GERMANY.csv"
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
if [ "$GERMANY" != 0 ]; then
  node bench/views.mjs dist "$OUT/ring-$RING.csv" "$OUT/germany-$GERMANY.csv"
else
  node bench/views.mjs dist "$OUT/ring-$RING.csv"
fi
# Peak memory of the CLI on degenerate files against their size (issue 13).
bench/hostile.sh "$CLI" "$OUT/hostile"
