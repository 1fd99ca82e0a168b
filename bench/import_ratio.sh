#!/usr/bin/env bash
# Import speed of two builds, in one run: `tradegraph import comtrade` of the same generated
# file into a fresh PostgreSQL database, alternating BEFORE and AFTER, ROUNDS times each.
# Prints each run's seconds and the ratio of the medians (before / after: ≥ 1 means AFTER is
# as fast or faster).
#
#   bench/import_ratio.sh /tmp/tg-main-release target/release/tradegraph
# Knobs: FLOWS (500000), ROUNDS (2), PG (postgres://postgres@127.0.0.1:5432), DB (tg_writes).
set -euo pipefail
BEFORE="$1"
AFTER="$2"
FLOWS="${FLOWS:-500000}"
ROUNDS="${ROUNDS:-2}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
DB="${DB:-tg_writes}"
CSV="/tmp/import_ratio-$FLOWS.csv"
[ -s "$CSV" ] || "$AFTER" generate --flows "$FLOWS" --seed 1 --out "$CSV"

run() { # binary → seconds of the import
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL="$PG/$DB" RUST_LOG=warn "$1" load-reference >/dev/null 2>&1
  local start end
  start=$(date +%s.%N)
  DATABASE_URL="$PG/$DB" RUST_LOG=warn "$1" import comtrade "$CSV" 2>/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

before=() after=()
for _ in $(seq "$ROUNDS"); do
  b=$(run "$BEFORE"); before+=("$b"); echo "before $b s"
  a=$(run "$AFTER"); after+=("$a"); echo "after  $a s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mb=$(median "${before[@]}") ma=$(median "${after[@]}")
echo "median before $mb s, after $ma s, before/after $(echo "scale=3; $mb / $ma" | bc)"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB"
