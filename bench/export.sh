#!/usr/bin/env bash
# The export benchmark on PostgreSQL: N generated flows (default 1,000,000), then the whole
# table through `GET /export/trade-flows.csv` with curl, timed; the server's resident memory
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
BEFORE_KB=$(rss VmRSS)
echo "$BEFORE_KB" >"$WORK/export-peak"
( while kill -0 $SERVER 2>/dev/null; do
    now=$(rss VmRSS); [ "$now" -gt "$(cat "$WORK/export-peak")" ] && echo "$now" >"$WORK/export-peak"
    sleep 0.05
  done ) &
SAMPLER=$!
t0=$(date +%s.%N)
LINES=$(curl -sf "http://127.0.0.1:$PORT/export/trade-flows.csv" | wc -l)
t1=$(date +%s.%N)
kill $SAMPLER 2>/dev/null || true
PEAK_KB=$(cat "$WORK/export-peak")
ROWS=$((LINES - 1))
SECONDS_TAKEN=$(echo "$t1 - $t0" | bc -l)
printf 'rows %d  seconds %.2f  rows/s %.0f  RSS before %d MB  peak %d MB  growth %d MB\n' \
  "$ROWS" "$SECONDS_TAKEN" "$(echo "$ROWS / $SECONDS_TAKEN" | bc -l)" \
  $((BEFORE_KB / 1024)) $((PEAK_KB / 1024)) $(((PEAK_KB - BEFORE_KB) / 1024))
