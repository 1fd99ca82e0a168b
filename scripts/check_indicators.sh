#!/usr/bin/env bash
# Recomputes every trade indicator from a generated Comtrade file with pandas
# (scripts/check_indicators.py) and compares it with what the server answers for the same file
# imported, to 1e-9: on data no one chose for it.
#
#   scripts/check_indicators.sh sqlite                     # 20 000 flows, seed 7
#   scripts/check_indicators.sh postgres://postgres@127.0.0.1:5432/tg_indicators_check
#   CHECK_FLOWS=200000 CHECK_SEED=3 scripts/check_indicators.sh sqlite
#
# The database is created afresh with the bundled reference data but none of the bundled
# trade flows, so that the file's flows are the whole world. Needs python3 with the packages of
# scripts/check_indicators.requirements.txt (CHECK_PYTHON names the interpreter) and a built
# `target/debug/tradegraph` (CHECK_BIN to use another).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${1:?usage: check_indicators.sh sqlite|postgres://…/DB}"
FLOWS="${CHECK_FLOWS:-20000}"
SEED="${CHECK_SEED:-7}"
PORT="${CHECK_PORT:-19410}"
PYTHON="${CHECK_PYTHON:-python3}"
TG="${CHECK_BIN:-target/debug/tradegraph}"
WORK="target/check-indicators"
mkdir -p "$WORK"

if [ "$TARGET" = sqlite ]; then
  rm -f "$WORK"/check.db*
  DBURL="sqlite://$WORK/check.db?mode=rwc"
else
  DBURL="$TARGET"
  admin="${DBURL%/*}/postgres"
  psql -q "$admin" -c "DROP DATABASE IF EXISTS ${DBURL##*/}" -c "CREATE DATABASE ${DBURL##*/}"
fi

# The bundled data without its trade flows: every bundled file of flows (the seed's, WDI's world
# totals, any added later) is cut to its header, found by the header rather than by name.
rm -rf "$WORK/data" && cp -r data "$WORK/data"
for flows in data/*.csv; do
  if head -n1 "$flows" | grep -q '^reporter,partner,year,commodity,flow,value_usd'; then
    head -n1 "$flows" >"$WORK/data/${flows##*/}"
  fi
done
DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" load-reference --data-dir "$WORK/data" >/dev/null

"$TG" generate --flows "$FLOWS" --seed "$SEED" --out "$WORK/generated.csv"
"$PYTHON" scripts/check_indicators.py perturb "$WORK/generated.csv" "$WORK/flows.csv"
DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" import comtrade "$WORK/flows.csv" 2>"$WORK/import.log"

# Every indicator for every country in one query per year: past the default query limits.
DATABASE_URL="$DBURL" TRADEGRAPH_LISTEN="127.0.0.1:$PORT" RUST_LOG=warn \
  TRADEGRAPH_MAX_COMPLEXITY=100000000 TRADEGRAPH_MAX_FIELDS=100000 TRADEGRAPH_MAX_ALIASES=1000 \
  TRADEGRAPH_RATE_LIMIT_PER_MINUTE=1000000 TRADEGRAPH_REQUEST_TIMEOUT_S=300 \
  "$TG" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "check: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

"$PYTHON" scripts/check_indicators.py compare "$WORK/flows.csv" --url "http://127.0.0.1:$PORT/graphql"
