#!/usr/bin/env bash
# The benchmark: loads N synthetic Comtrade flows (default 5,000,000) into PostgreSQL, then
# measures, in one run and side by side:
#   * `tradegraph import comtrade` against PostgreSQL's own `\copy` of the same rows into the
#     same (emptied) table with the same indexes;
#   * each derived figure (tradeWith over 10 years, topPartners, concentration), a page of
#     100 flows with their partner countries, and the trade indicators rca (one country, and
#     every country of a page) and tradeComplementarity, through the server (wrk, 16 connections, POST
#     bodies from files) and as the bare SQL the server sends (pgbench, 16 clients; the SQL
#     comes from `tradegraph sql …`, so it is the same statement).
# The server measured against the bare SQL runs without its answer cache; a second server
# with the cache (default settings) answers the same repeated requests ("…, answer cache"
# rows: every request still reads the data version, one statement).
# Prints requests/s, p50 and p99 for both and the ratio. Needs: wrk, pgbench, psql (Debian:
# `apt-get install wrk postgresql-client`), a PostgreSQL server with trust auth.
#
#   bench/run.sh                     # everything, 5M flows, 20 s per measurement
#   BENCH_FLOWS=500000 BENCH_SECONDS=5 bench/run.sh   # a quick run
#   BENCH_REUSE=1 bench/run.sh       # queries only, on the database an earlier run loaded
#   BENCH_IMPORT_ONLY=1 bench/run.sh # the loads only (today's and both legacy formats, \copy)
#   BENCH_ONLY='tradeFlows|topPartners' bench/run.sh   # only the queries whose name matches
#   BENCH_BIN=path/to/tradegraph bench/run.sh   # measure that binary instead of building one
#   BENCH_BASELINE=path/to/older/tradegraph bench/run.sh
#                                    # also measures each query against that binary (a second
#                                    # server on the next port, same database), alternating,
#                                    # and prints this build's req/s as a ratio of the baseline's
set -euo pipefail
cd "$(dirname "$0")/.."

FLOWS="${BENCH_FLOWS:-5000000}"
SECONDS_EACH="${BENCH_SECONDS:-20}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
PGHOST_URL="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${BENCH_DB:-tradegraph_bench}"
PORT="${BENCH_PORT:-18765}"
WORK="${BENCH_WORK:-target/bench}"
DBURL="$PGHOST_URL/$DB"
mkdir -p "$WORK"

for tool in wrk pgbench psql; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk postgresql-client)" >&2; exit 1; }
done

if [ -n "${BENCH_BIN:-}" ]; then
  TG="$BENCH_BIN"   # a binary built before, e.g. while the machine is busy
else
  echo "== building (release)" >&2
  cargo build --release -q
  TG=target/release/tradegraph
fi

if [ -n "${BENCH_REUSE:-}" ]; then
  echo "== reusing $DB as loaded by an earlier run (no import / \\copy measurement)" >&2
else
echo "== fresh database $DB" >&2
psql -q "$PGHOST_URL/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" load-reference >/dev/null

CSV="$WORK/flows-$FLOWS.csv"
if [ ! -s "$CSV" ]; then
  echo "== generating $FLOWS flows" >&2
  "$TG" generate --flows "$FLOWS" --seed 1 --out "$CSV"
fi
ROWS=0; [ -s "$CSV" ] && ROWS=$(($(wc -l <"$CSV") - 1))
LONG_CSV="$WORK/flows-$FLOWS-legacy-long.csv"; SHORT_CSV="$WORK/flows-$FLOWS-legacy-short.csv"
if [ ! -s "$SHORT_CSV" ]; then
  echo "== the same rows in the legacy formats" >&2
  python3 bench/legacy.py "$CSV" "$LONG_CSV" "$SHORT_CSV"
fi

echo "== import comtrade ($ROWS rows into an empty trade_flow)" >&2
t0=$(date +%s.%N)
DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" import comtrade "$CSV" 2>"$WORK/import.log"
t1=$(date +%s.%N)
IMPORT_S=$(echo "$t1 - $t0" | bc -l)

echo "== \\copy of the same rows into the same table, emptied, same indexes" >&2
psql -q "$DBURL" -c "\\copy trade_flow TO '$WORK/trade_flow.copy'"
psql -q "$DBURL" -c "TRUNCATE trade_flow"
t0=$(date +%s.%N)
psql -q "$DBURL" -c "\\copy trade_flow FROM '$WORK/trade_flow.copy'"
t1=$(date +%s.%N)
COPY_S=$(echo "$t1 - $t0" | bc -l)

# The legacy formats: the same rows into the emptied table (the commodities and the
# source row stay), so each import inserts as many flows as the first one.
legacy_import() {
  psql -q "$DBURL" -c "TRUNCATE trade_flow"
  local t0 t1
  t0=$(date +%s.%N)
  DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" import comtrade "$1" 2>>"$WORK/import.log" \
    || { echo "bench: the import of $1 failed (see $WORK/import.log)" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
echo "== import comtrade, legacy long format" >&2
LONG_S=$(legacy_import "$LONG_CSV")
echo "== import comtrade, legacy short format" >&2
SHORT_S=$(legacy_import "$SHORT_CSV")
psql -q "$DBURL" -c "VACUUM ANALYZE"
fi

if [ -n "${BENCH_IMPORT_ONLY:-}" ]; then
  : >"$WORK/table.md"
else

# A busy reporter and its largest partner, from the data.
read -r REPORTER PARTNER YEAR < <(psql -At -F' ' "$DBURL" -c "
  SELECT r.iso3, p.iso3, t.year FROM trade_flow t
  JOIN country r ON r.id = t.reporter_id JOIN country p ON p.id = t.partner_id
  JOIN commodity k ON k.id = t.commodity_id
  WHERE k.code = 'TOTAL' AND t.flow = 'X' AND NOT p.is_aggregate AND t.year = 2024
  ORDER BY t.value_usd DESC LIMIT 1")
echo "== reporter $REPORTER, partner $PARTNER, year $YEAR" >&2

echo "== starting the server on :$PORT (no answer cache)" >&2
DATABASE_URL="$DBURL" TRADEGRAPH_LISTEN="127.0.0.1:$PORT" RUST_LOG=warn TRADEGRAPH_RATE_LIMIT_PER_MINUTE=100000000 \
  TRADEGRAPH_CACHE_MAX_MB=0 "$TG" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
CACHED_PORT=$((PORT + 2))
echo "== starting the server with its answer cache on :$CACHED_PORT" >&2
DATABASE_URL="$DBURL" TRADEGRAPH_LISTEN="127.0.0.1:$CACHED_PORT" RUST_LOG=warn TRADEGRAPH_RATE_LIMIT_PER_MINUTE=100000000 \
  "$TG" serve >"$WORK/server-cached.log" 2>&1 &
CACHED=$!
trap 'kill $SERVER $CACHED 2>/dev/null || true' EXIT
for port in "$PORT" "$CACHED_PORT"; do
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done
BASE_PORT=$((PORT + 1))
if [ -n "${BENCH_BASELINE:-}" ]; then
  echo "== starting the baseline $BENCH_BASELINE on :$BASE_PORT" >&2
  DATABASE_URL="$DBURL" TRADEGRAPH_LISTEN="127.0.0.1:$BASE_PORT" RUST_LOG=warn TRADEGRAPH_RATE_LIMIT_PER_MINUTE=100000000 \
    "$BENCH_BASELINE" serve >"$WORK/baseline.log" 2>&1 &
  BASELINE=$!
  trap 'kill $SERVER $CACHED $BASELINE 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$BASE_PORT/readyz" >/dev/null && break; sleep 0.2; done
  printf '\n| query | this build req/s | p50 ms | baseline req/s | p50 ms | this / baseline | this CPU µs/req | baseline CPU µs/req | this / baseline CPU |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' >"$WORK/baseline.md"
fi

# name | GraphQL query | `tradegraph sql` arguments
QUERIES=(
  "tradeWith|{ country(code: \\\"$REPORTER\\\") { tradeWith(partner: \\\"$PARTNER\\\", fromYear: 2015, toYear: 2024) { year exportsUsd importsUsd totalTradeUsd balanceUsd totalTradeGrowth exportShare importShare } } }|trade-with --reporter $REPORTER --partner $PARTNER --from-year 2015 --to-year 2024"
  "topPartners|{ country(code: \\\"$REPORTER\\\") { topPartners(year: $YEAR, flow: EXPORT) { rank partner { iso3 name } valueUsd share } } }|top-partners --reporter $REPORTER --year $YEAR --flow EXPORT"
  "concentration|{ country(code: \\\"$REPORTER\\\") { concentration(year: $YEAR, flow: EXPORT) } }|concentration --reporter $REPORTER --year $YEAR --flow EXPORT"
  "tradeFlows(first:100)|{ tradeFlows(reporter: \\\"$REPORTER\\\", year: $YEAR, first: 100) { nodes { year flow valueUsd partner { iso3 name region } } } }|trade-flows --reporter $REPORTER --year $YEAR --first 100"
  # The issue-12 list shapes: Q1 (100 flows with commodity code, partner iso3 + name, and
  # totalCount) and Q2 (a country's name and region + 50 flows with partner iso3, name,
  # region); their bare SQL is written out (`sql:`): the same rows with their joins, and the count.
  "Q1|{ tradeFlows(reporter: \\\"$REPORTER\\\", year: $YEAR, first: 100) { totalCount nodes { year flow valueUsd commodity partner { iso3 name } } } }|sql:SELECT t.year, t.flow, t.value_usd, k.code, p.iso3, p.name FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id JOIN country p ON p.id = t.partner_id WHERE t.reporter_id = (SELECT id FROM country WHERE iso3 = '$REPORTER') AND t.year = $YEAR ORDER BY t.id LIMIT 101; SELECT count(*) FROM trade_flow t WHERE t.reporter_id = (SELECT id FROM country WHERE iso3 = '$REPORTER') AND t.year = $YEAR"
  "Q2|{ country(code: \\\"$REPORTER\\\") { name region } tradeFlows(reporter: \\\"$REPORTER\\\", year: $YEAR, first: 50) { nodes { valueUsd partner { iso3 name region } } } }|sql:SELECT name, region FROM country WHERE iso3 = '$REPORTER'; SELECT t.value_usd, p.iso3, p.name, p.region FROM trade_flow t JOIN country p ON p.id = t.partner_id WHERE t.reporter_id = (SELECT id FROM country WHERE iso3 = '$REPORTER') AND t.year = $YEAR ORDER BY t.id LIMIT 51"
  # Trade indicators (docs/indicators.md). rca's world totals are cached by the server; its
  # bare SQL is the statement run with them cached; worldTotals is what filling the cache costs.
  "rca(limit:10)|{ country(code: \\\"$REPORTER\\\") { rca(year: $YEAR, limit: 10) { rank commodity { code name } value exportsUsd totalExportsUsd worldExportsUsd worldTotalExportsUsd } } }|rca --reporter $REPORTER --year $YEAR --limit 10"
  "tradeComplementarity|{ country(code: \\\"$REPORTER\\\") { tradeComplementarity(partner: \\\"$PARTNER\\\", year: $YEAR) } }|trade-complementarity --reporter $REPORTER --partner $PARTNER --year $YEAR"
  "countries(first:250).rca(limit:5)|{ countries(first: 250) { nodes { iso3 rca(year: $YEAR, limit: 5) { commodity { code } value } } } }|rca --reporter all --year $YEAR --limit 5"
  "worldTotals (cache fill)||world-totals --year $YEAR --flow X"
)

pct() { # file of latencies in microseconds, percentile → milliseconds
  sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; printf "%.2f", a[i]/1000}'
}

printf '\n| query | GraphQL req/s | p50 ms | p99 ms | bare SQL tx/s | p50 ms | p99 ms | GraphQL / SQL |\n' >"$WORK/table.md"
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' >>"$WORK/table.md"
for q in "${QUERIES[@]}"; do
  IFS='|' read -r name gql sqlargs <<<"$q"
  [[ -z "${BENCH_ONLY:-}" || "$name" =~ ${BENCH_ONLY} ]] || continue
  body="$WORK/$name.json"
  GQL_RPS=0 GQL_P50=- GQL_P99=-
  if [ -n "$gql" ]; then
  printf '{"query":"%s"}' "$gql" >"$body"
  # The answer must be data, not errors.
  curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' --data @"$body" >"$WORK/$name.answer"
  if grep -q '"errors"' "$WORK/$name.answer"; then echo "bench: $name answered with errors: $(cat "$WORK/$name.answer")" >&2; exit 1; fi
  cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$body", "rb"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
  echo "== $name through the server (wrk, $CONNECTIONS connections, ${SECONDS_EACH}s)" >&2
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "$WORK/post.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/$name.wrk"
  read -r _ GQL_RPS GQL_P50 GQL_P99 < <(grep '^RESULT' "$WORK/$name.wrk")
  grep -q 'Non-2xx' "$WORK/$name.wrk" && { echo "bench: non-2xx answers for $name" >&2; cat "$WORK/$name.wrk" >&2; exit 1; }
  if [ -n "${BENCH_BASELINE:-}" ]; then
    # Alternating runs of both servers (this, baseline, this, baseline): the mean of each
    # pair, so that a drift in machine load falls on both sides.
    # Also the servers' CPU time per request (utime + stime of the process, in ticks of
    # 10 ms): on a machine shared with other work, requests/s swing by half from one run
    # to the next; the CPU a request costs the server swings far less.
    echo "== $name through the baseline and again through this build" >&2
    ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    measure() { # pid port out → "requests cpu_ticks"
      local t0 t1; t0=$(ticks "$1")
      wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "$WORK/post.lua" "http://127.0.0.1:$2/graphql" >"$3"
      t1=$(ticks "$1")
      echo "$(awk '/requests in/ {print $1}' "$3") $((t1 - t0))"
    }
    read -r B1_N B1_T < <(measure "$BASELINE" "$BASE_PORT" "$WORK/$name.base1.wrk")
    read -r T2_N T2_T < <(measure "$SERVER" "$PORT" "$WORK/$name.this2.wrk")
    read -r B2_N B2_T < <(measure "$BASELINE" "$BASE_PORT" "$WORK/$name.base2.wrk")
    read -r T3_N T3_T < <(measure "$SERVER" "$PORT" "$WORK/$name.this3.wrk")
    read -r _ B1_RPS B1_P50 _ < <(grep '^RESULT' "$WORK/$name.base1.wrk")
    read -r _ T2_RPS T2_P50 _ < <(grep '^RESULT' "$WORK/$name.this2.wrk")
    read -r _ B2_RPS B2_P50 _ < <(grep '^RESULT' "$WORK/$name.base2.wrk")
    THIS_RPS=$(echo "($GQL_RPS + $T2_RPS) / 2" | bc -l); BASE_RPS=$(echo "($B1_RPS + $B2_RPS) / 2" | bc -l)
    THIS_P50=$(echo "($GQL_P50 + $T2_P50) / 2" | bc -l); BASE_P50=$(echo "($B1_P50 + $B2_P50) / 2" | bc -l)
    THIS_CPU=$(echo "($T2_T + $T3_T) * 10000 / ($T2_N + $T3_N)" | bc -l)
    BASE_CPU=$(echo "($B1_T + $B2_T) * 10000 / ($B1_N + $B2_N)" | bc -l)
    printf '| %s | %.0f | %.2f | %.0f | %.2f | %.3f | %.0f | %.0f | %.3f |\n' "$name" "$THIS_RPS" "$THIS_P50" "$BASE_RPS" "$BASE_P50" \
      "$(echo "$THIS_RPS / $BASE_RPS" | bc -l)" "$THIS_CPU" "$BASE_CPU" "$(echo "$THIS_CPU / $BASE_CPU" | bc -l)" >>"$WORK/baseline.md"
  fi
  fi

  if [[ "$sqlargs" == sql:* ]]; then
    printf '%s;\n' "${sqlargs#sql:}" | sed 's/; /;\n/g' >"$WORK/$name.sql"
  else
    # shellcheck disable=SC2086
    DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" sql $sqlargs >"$WORK/$name.sql"
  fi
  echo "== $name as bare SQL (pgbench, $CONNECTIONS clients, ${SECONDS_EACH}s)" >&2
  rm -f "$WORK"/pgbench_log.*
  (cd "$WORK" && pgbench -n -c"$CONNECTIONS" -j2 -T"$SECONDS_EACH" -M prepared -l -f "$name.sql" "$DBURL" >"$name.pgbench")
  SQL_TPS=$(awk '/^tps = / {print $3}' "$WORK/$name.pgbench" | tail -1)
  awk '{print $3}' "$WORK"/pgbench_log.* >"$WORK/$name.lat"
  SQL_P50=$(pct "$WORK/$name.lat" 50)
  SQL_P99=$(pct "$WORK/$name.lat" 99)
  if [ -n "$gql" ]; then
    RATIO=$(echo "$GQL_RPS / $SQL_TPS" | bc -l)
    printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %.0f%% |\n' "$name" "$GQL_RPS" "$GQL_P50" "$GQL_P99" "$SQL_TPS" "$SQL_P50" "$SQL_P99" "$(echo "$RATIO * 100" | bc -l)" >>"$WORK/table.md"
  else
    printf '| %s | — | — | — | %.1f | %s | %s | — |\n' "$name" "$SQL_TPS" "$SQL_P50" "$SQL_P99" >>"$WORK/table.md"
  fi
  if [ -n "$gql" ]; then
    echo "== $name repeated, through the server with its answer cache" >&2
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "$WORK/post.lua" "http://127.0.0.1:$CACHED_PORT/graphql" >"$WORK/$name.cached.wrk"
    grep -q 'Non-2xx' "$WORK/$name.cached.wrk" && { echo "bench: non-2xx answers for $name (cached)" >&2; exit 1; }
    read -r _ C_RPS C_P50 C_P99 < <(grep '^RESULT' "$WORK/$name.cached.wrk")
    printf '| %s, answer cache | %.0f | %s | %s | %.0f | %s | %s | %.0f%% |\n' "$name" "$C_RPS" "$C_P50" "$C_P99" "$SQL_TPS" "$SQL_P50" "$SQL_P99" \
      "$(echo "$C_RPS / $SQL_TPS * 100" | bc -l)" >>"$WORK/table.md"
  fi
done

fi

[ -n "${BENCH_REUSE:-}" ] || {
  printf '\n| load | rows | seconds | rows/s | / \\copy |\n| --- | ---: | ---: | ---: | ---: |\n'
  row() { printf '| %s | %d | %.1f | %.0f | %.2f |\n' "$1" "$ROWS" "$2" "$(echo "$ROWS / $2" | bc -l)" "$(echo "$COPY_S / $2" | bc -l)"; }
  row "tradegraph import comtrade, today's format" "$IMPORT_S"
  row "tradegraph import comtrade, legacy long format" "$LONG_S"
  row "tradegraph import comtrade, legacy short format" "$SHORT_S"
  row "psql \\copy (same rows, same table and indexes)" "$COPY_S"
} >>"$WORK/table.md"

echo
echo "tradegraph benchmark: $(psql -At "$DBURL" -c "SELECT count(*) FROM trade_flow") flows in PostgreSQL, $(nproc) cores, $CONNECTIONS connections, ${SECONDS_EACH}s each ($(date -u +%F))"
cat "$WORK/table.md"
if [ -n "${BENCH_BASELINE:-}" ]; then
  echo
  echo "this build against the baseline $BENCH_BASELINE (wrk, $CONNECTIONS connections, alternating runs of ${SECONDS_EACH}s; req/s over 2 runs each, server CPU per request over the last 2 runs each):"
  cat "$WORK/baseline.md"
fi
