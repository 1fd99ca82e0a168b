#!/usr/bin/env bash
# The export benchmark on PostgreSQL: N generated flows (default 1,000,000), then the whole
# table through `GET /export/trade-flows.csv` and `.parquet` with curl, timed; the server's resident memory
# before, and its largest value sampled every 50 ms during the export, give the growth. Targets (issue 10.1): ≥ 200,000 rows/s,
# 1 M rows in under 10 s, growth under 50 MB.
#
#   bench/export.sh                         # 1 M flows, builds the release binary
#   BENCH_FLOWS=200000 BENCH_BIN=target/release/tradegraph bench/export.sh
#   BENCH_REUSE=1 bench/export.sh           # the database an earlier run loaded
set -euo pipefail
cd "$(dirname "$0")/.."

FLOWS="${BENCH_FLOWS:-1000000}"
PGHOST_URL="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${BENCH_DB:-tradegraph_export_bench}"
PORT="${BENCH_PORT:-18766}"
WORK="${BENCH_WORK:-target/bench}"
DBURL="$PGHOST_URL/$DB"
mkdir -p "$WORK"
TG="${BENCH_BIN:-}"
if [ -z "$TG" ]; then
  cargo build --release -q
  TG=target/release/tradegraph
fi

if [ -z "${BENCH_REUSE:-}" ]; then
  echo "== fresh database $DB with $FLOWS generated flows" >&2
  "$TG" generate --flows "$FLOWS" --seed 1 --out "$WORK/export-flows.csv"
  psql -q "$PGHOST_URL/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" load-reference >/dev/null
  DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" import comtrade "$WORK/export-flows.csv" 2>"$WORK/export-import.log"
fi

DATABASE_URL="$DBURL" RUST_LOG=warn TRADEGRAPH_RATE_LIMIT_PER_MINUTE=0 \
  "$TG" --listen "127.0.0.1:$PORT" >"$WORK/export-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.2
done
# Warm-up: the reference cache and one small export.
curl -sf "http://127.0.0.1:$PORT/export/trade-flows.csv?reporter=ARM" >/dev/null
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER/status"; }
# measure LABEL URL FILE: the time to fetch URL into FILE, and the server's RSS before it and
# its peak during it (sampled every 50 ms).
measure() {
  local before peak sampler t0 t1
  before=$(rss VmRSS)
  echo "$before" >"$WORK/export-peak"
  ( while kill -0 $SERVER 2>/dev/null; do
      now=$(rss VmRSS); [ "$now" -gt "$(cat "$WORK/export-peak")" ] && echo "$now" >"$WORK/export-peak"
      sleep 0.05
    done ) &
  sampler=$!
  t0=$(date +%s.%N)
  curl -sf "$2" -o "$3"
  t1=$(date +%s.%N)
  kill $sampler 2>/dev/null || true
  wait $sampler 2>/dev/null || true
  peak=$(cat "$WORK/export-peak")
  SECONDS_TAKEN=$(echo "$t1 - $t0" | bc -l)
  RSS_LINE=$(printf 'RSS before %d MB  peak %d MB  growth %d MB' $((before / 1024)) $((peak / 1024)) $(((peak - before) / 1024)))
}
report() { # LABEL ROWS BYTES
  printf '%-8s rows %d  bytes %d  seconds %.2f  rows/s %.0f  %s\n' "$1" "$2" "$3" "$SECONDS_TAKEN" \
    "$(echo "$2 / $SECONDS_TAKEN" | bc -l)" "$RSS_LINE"
}

measure csv "http://127.0.0.1:$PORT/export/trade-flows.csv" "$WORK/export.csv"
report csv "$(($(wc -l <"$WORK/export.csv") - 1))" "$(stat -c %s "$WORK/export.csv")"

measure parquet "http://127.0.0.1:$PORT/export/trade-flows.parquet" "$WORK/export.parquet"
# Rows as the file's footer counts them, when pyarrow is at hand (.ci/outside-checks installs
# it in target/ci/venv); else the rows of the CSV export.
PY="${BENCH_PYTHON:-target/ci/venv/bin/python}"
if [ -x "$PY" ] && "$PY" -c 'import pyarrow' 2>/dev/null; then
  PQ_ROWS=$("$PY" -c 'import sys, pyarrow.parquet as pq; m = pq.ParquetFile(sys.argv[1]).metadata; print(m.num_rows); print(m.num_row_groups, "row groups", file=sys.stderr)' "$WORK/export.parquet")
else
  PQ_ROWS=$(($(wc -l <"$WORK/export.csv") - 1))
fi
report parquet "$PQ_ROWS" "$(stat -c %s "$WORK/export.parquet")"
rm -f "$WORK/export.csv" "$WORK/export.parquet"
