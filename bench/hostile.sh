#!/usr/bin/env bash
# Peak memory and time of `vergleichsring load` on degenerate files (issue 13: memory bounded by
# a few times the file size on any input), one RESULT line per file:
#   RESULT case=hostile file=NAME bytes=… exit=… seconds=… peak_mb=… ratio=…
# ratio is the peak resident memory over the file size.
#
# usage: bench/hostile.sh [BINARY] [OUTDIR]   (BINARY defaults to the release build)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$here/target}/release/vergleichsring}"
out="${2:-${TMPDIR:-/tmp}/vr-hostile-files}"
if [ ! -x /usr/bin/time ]; then
  echo "bench/hostile.sh: /usr/bin/time is missing" >&2
  exit 1
fi
python3 "$here/tools/hostile_files.py" "$out" > /dev/null
for f in "$out"/*.csv ${HOSTILE_EXTRA:-}; do
  [ -f "$f" ] || continue
  bytes=$(stat -c %s "$f")
  stats=$(mktemp)
  code=0
  /usr/bin/time -o "$stats" -f "%e %M" "$bin" load "$f" --format csv > /dev/null 2> /dev/null || code=$?
  read -r seconds kb < <(tail -n 1 "$stats")
  rm -f "$stats"
  awk -v f="$(basename "$f")" -v b="$bytes" -v c="$code" -v s="$seconds" -v k="$kb" 'BEGIN {
    printf "RESULT case=hostile file=%s bytes=%d exit=%d seconds=%s peak_mb=%.1f ratio=%.1f\n",
      f, b, c, s, k / 1024, k * 1024 / b }'
done
