#!/usr/bin/env bash
# How long a killed importer's locks outlive it on PostgreSQL (issue 9.5): imports N synthetic
# flows (default 500,000) into a fresh database, sends `kill -9` to `tradegraph import` while
# its final `INSERT … SELECT` into trade_flow runs, and measures the seconds until no session
# of that database holds a lock on trade_flow. Before the session settings of `src/db.rs`
# (client_connection_check_interval and the rest) this took about 90 s.
#
#   bench/kill_import.sh                       # debug binary, 500,000 flows
#   KILL_FLOWS=2000000 KILL_BIN=target/release/tradegraph bench/kill_import.sh
# Needs psql and a PostgreSQL server with trust auth. Bounded: gives up after 180 s.
set -euo pipefail
cd "$(dirname "$0")/.."

FLOWS="${KILL_FLOWS:-500000}"
PG="${KILL_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${KILL_DB:-tg_writes_kill}"
TG="${KILL_BIN:-target/debug/tradegraph}"
WORK="${KILL_WORK:-target/bench}"
mkdir -p "$WORK"
[ -x "$TG" ] || cargo build -q
CSV="$WORK/kill-flows-$FLOWS.csv"
[ -s "$CSV" ] || "$TG" generate --flows "$FLOWS" --seed 2 --out "$CSV"

psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
DATABASE_URL="$PG/$DB" RUST_LOG=warn "$TG" load-reference >/dev/null

DATABASE_URL="$PG/$DB" RUST_LOG=warn "$TG" import comtrade "$CSV" >/dev/null 2>&1 &
IMPORTER=$!
q() { psql -qAt "$PG/postgres" -c "$1"; }
deadline=$((SECONDS + 180))
until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND state = 'active' AND query LIKE 'INSERT INTO trade_flow%'")" != 0 ]; do
  kill -0 "$IMPORTER" 2>/dev/null || { echo "kill_import: the import ended before its final INSERT was seen; use more flows" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "kill_import: no final INSERT within 180 s" >&2; kill -9 "$IMPORTER"; exit 1; }
  sleep 0.2
done
kill -9 "$IMPORTER"
killed=$(date +%s.%N)
locks() { q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid WHERE c.relname = 'trade_flow' AND a.datname = '$DB'"; }
until [ "$(locks)" = 0 ]; do
  [ $SECONDS -lt $deadline ] || { echo "kill_import: locks still held after 180 s" >&2; exit 1; }
  sleep 0.1
done
gone=$(date +%s.%N)
printf 'locks on trade_flow released %.1f s after kill -9 of the importer (%s flows; trade_flow holds %s rows after it)\n' \
  "$(echo "$gone - $killed" | bc)" "$FLOWS" "$(psql -qAt "$PG/$DB" -c "SELECT count(*) FROM trade_flow")"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
