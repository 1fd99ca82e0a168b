#!/usr/bin/env bash
# Soak (issue 9, point 10): the release server on PostgreSQL with 1 M flows, under wrk at 64
# connections for 10 minutes of mixed reads and writes:
#   40% a page of 100 flows of a reporter-year with their partners and `totalCount`,
#   20% `topPartners`, 15% `concentration`, 15% a country profile (names, region, two
#   indicators, memberships with their organisations), 10% `upsertTradeFlows` of 10 rows
#   with a write key (values change on every write, keys cycle over 250 flows).
# Rate limits are off (TRADEGRAPH_RATE_LIMIT_PER_MINUTE=0). An error is a non-2xx answer, a
# socket error or timeout, or an answer with GraphQL `errors`: there must be none. The
# server's RSS is sampled every 10 s; the RSS at the end must be within 10% of the RSS after
# warm-up (the first minute, or a fifth of a shorter run). Prints requests, errors, p50/p99
# and the RSS samples; exits 1 when either check fails.
#
#   bench/soak.sh                          # 10 minutes, 1 M flows (a database made once)
#   SOAK_SECONDS=60 bench/soak.sh          # a short smoke
#   SOAK_BIN=target/release/tradegraph bench/soak.sh   # that binary, no build
# Knobs: SOAK_SECONDS (600), SOAK_CONNECTIONS (64), SOAK_FLOWS (1000000), SOAK_PG
# (postgres://postgres@127.0.0.1:5432), SOAK_DB (tg_hardening_soak, reused when it holds the
# flows already), SOAK_PORT (18799), SOAK_WORK (target/soak). Needs wrk and psql.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${SOAK_SECONDS:-600}"
CONNECTIONS="${SOAK_CONNECTIONS:-64}"
FLOWS="${SOAK_FLOWS:-1000000}"
PGHOST_URL="${SOAK_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${SOAK_DB:-tg_hardening_soak}"
PORT="${SOAK_PORT:-18799}"
WORK="${SOAK_WORK:-target/soak}"
WARMUP=$((DURATION / 5 < 60 ? DURATION / 5 : 60))
DBURL="$PGHOST_URL/$DB"
mkdir -p "$WORK"

for tool in wrk psql; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (apt-get install wrk postgresql-client)" >&2; exit 1; }
done
if [ -n "${SOAK_BIN:-}" ]; then
  TG="$SOAK_BIN"
else
  echo "== building (release)" >&2
  cargo build --release -q
  TG=target/release/tradegraph
fi

# The database: made once (reference data, then FLOWS generated flows), reused after.
HAVE=$(psql -At "$DBURL" -c "SELECT count(*) FROM trade_flow" 2>/dev/null || echo 0)
if [ "$HAVE" -lt "$FLOWS" ]; then
  echo "== fresh database $DB with $FLOWS flows" >&2
  psql -q "$PGHOST_URL/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" load-reference >/dev/null
  CSV="$WORK/flows-$FLOWS.csv.gz"
  [ -s "$CSV" ] || "$TG" generate --flows "$FLOWS" --seed 1 --out "$CSV"
  DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" import comtrade "$CSV" 2>"$WORK/import.log"
  psql -q "$DBURL" -c "VACUUM ANALYZE"
fi
echo "== $(psql -At "$DBURL" -c "SELECT count(*) FROM trade_flow") flows in $DB" >&2

# The 20 reporter-years with the most flows: reads cycle over them (so the answer cache
# holds several answers of each kind, and writes invalidate them).
TARGETS=$(psql -At "$DBURL" -c "
  SELECT string_agg(format('{\"%s\", %s}', iso3, year), ', ') FROM (
    SELECT r.iso3, t.year FROM trade_flow t JOIN country r ON r.id = t.reporter_id
    WHERE NOT r.is_aggregate GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 20) x")
read -r REPORTER YEAR < <(echo "$TARGETS" | sed -E 's/^\{"([A-Z]+)", ([0-9]+)\}.*/\1 \2/')
# Ten partners of real countries for the writes.
PARTNERS=$(psql -At "$DBURL" -c "SELECT string_agg(quote_literal(iso3), ',') FROM (SELECT iso3 FROM country
  WHERE NOT is_aggregate AND iso3 <> '$REPORTER' ORDER BY iso3 LIMIT 10) c" | tr "'" '"')
KEY=$(DATABASE_URL="$DBURL" RUST_LOG=warn "$TG" keys create --name "soak-$(date +%s)-$$" --scope write | tail -n 1)
echo "== reads over $TARGETS; writes to $REPORTER's imports from $PARTNERS" >&2

echo "== starting the server on :$PORT" >&2
DATABASE_URL="$DBURL" TRADEGRAPH_LISTEN="127.0.0.1:$PORT" RUST_LOG=warn TRADEGRAPH_RATE_LIMIT_PER_MINUTE=0 \
  "$TG" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
SAMPLER=""
trap 'kill $SERVER $SAMPLER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

# The reads, as printf/Lua string.format templates of (reporter, year) or (reporter).
Q1='{ tradeFlows(reporter: \"%s\", year: %d, first: 100) { totalCount nodes { year flow valueUsd partner { iso3 name } } } }'
TOP='{ country(code: \"%s\") { topPartners(year: %d, flow: EXPORT) { rank partner { iso3 name } valueUsd share } } }'
CONC='{ country(code: \"%s\") { concentration(year: %d, flow: EXPORT) } }'
PROFILE='{ country(code: \"%s\") { iso3 name officialName region subregion landlocked population: indicator(code: \"POPULATION\", year: 2022) gdp: indicator(code: \"GDP_USD\", year: 2022) memberships { status since until organization { code name } } } }'
WRITE='mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted updated } }'

# Every read answers with data before the load starts.
for q in "$Q1" "$TOP" "$CONC" "$PROFILE"; do
  q=${q//%s/$REPORTER}
  body="{\"query\":\"${q//%d/$YEAR}\"}"
  answer=$(curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' --data "$body")
  if [[ "$answer" == *'"errors"'* ]]; then echo "soak: $body answered with errors: $answer" >&2; exit 1; fi
done

cat >"$WORK/soak.lua" <<LUA
-- Templates in long brackets: Lua leaves their backslashes alone.
local reads = {
  [==[{"query":"$Q1"}]==], [==[{"query":"$Q1"}]==], [==[{"query":"$Q1"}]==], [==[{"query":"$Q1"}]==],
  [==[{"query":"$TOP"}]==], [==[{"query":"$TOP"}]==],
  [==[{"query":"$CONC"}]==], [==[{"query":"$CONC"}]==],
  [==[{"query":"$PROFILE"}]==], [==[{"query":"$PROFILE"}]==],
}
local targets = { $TARGETS }
-- Out of every 20 requests: 8 Q1, 4 topPartners, 3 concentration, 3 profiles, 2 writes (0).
local plan = {1, 5, 7, 9, 2, 0, 3, 6, 8, 10, 4, 5, 1, 7, 9, 2, 0, 3, 6, 4}
local partners = { $PARTNERS }
local n, written = 0, 0
local threads, next_id = {}, 0
-- Per thread, read by done() through thread:get (globals only).
errors, non2xx, answers = 0, 0, 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  n = id * 7
end

function request()
  n = n + 1
  local pick = plan[(n % #plan) + 1]
  if pick ~= 0 then
    local t = targets[(math.floor(n / #plan) % #targets) + 1]
    local body = string.format(reads[pick], t[1], t[2])
    return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, body)
  end
  written = written + 1
  local rows = {}
  for i = 1, 10 do
    rows[i] = string.format('{"reporter":"$REPORTER","partner":"%s","year":%d,"commodity":"TOTAL","flow":"IMPORT","valueUsd":%d}',
      partners[i], 2000 + ((written + id * 13) % 25), 1000000 + written * 10 + i)
  end
  local body = '{"query":"$WRITE","variables":{"f":[' .. table.concat(rows, ",") .. ']}}'
  return wrk.format("POST", "/graphql",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $KEY"}, body)
end

function response(status, headers, body)
  answers = answers + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    errors = errors + 1
    if errors <= 3 then io.stderr:write("soak: HTTP " .. status .. ": " .. string.sub(body, 1, 300) .. "\n") end
  elseif string.find(body, '"errors"', 1, true) then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("soak: GraphQL errors: " .. string.sub(body, 1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local e, a = 0, 0
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    a = a + t:get("answers")
  end
  local s = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.2f %.2f %.1f\n", summary.requests, a, e,
    s.connect + s.read + s.write + s.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
LUA

# RSS every 10 s: seconds since the start of the load, kB.
: >"$WORK/rss.tsv"
(
  t=0
  while kill -0 "$SERVER" 2>/dev/null; do
    printf '%d\t%s\n' "$t" "$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")" >>"$WORK/rss.tsv"
    sleep 10
    t=$((t + 10))
  done
) &
SAMPLER=$!

echo "== wrk: $CONNECTIONS connections for ${DURATION}s (warm-up ${WARMUP}s)" >&2
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$WORK/soak.lua" "http://127.0.0.1:$PORT/graphql" >"$WORK/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true
printf '%d\t%s\n' "$DURATION" "$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")" >>"$WORK/rss.tsv"

read -r _ REQUESTS SEEN ERRORS SOCKET P50 P99 RPS < <(grep '^RESULT' "$WORK/wrk.txt")
ERRORS=$((ERRORS + SOCKET))
read -r WARM_AT RSS_WARM < <(awk -v w="$WARMUP" '$1 >= w {print $1, $2; exit}' "$WORK/rss.tsv")
RSS_END=$(tail -n 1 "$WORK/rss.tsv" | cut -f2)
DRIFT=$(echo "($RSS_END - $RSS_WARM) * 100 / $RSS_WARM" | bc -l)

echo
echo "tradegraph soak: $(psql -At "$DBURL" -c "SELECT count(*) FROM trade_flow") flows in PostgreSQL, $(nproc) cores, $CONNECTIONS connections, ${DURATION}s ($(date -u +%F))"
printf '| requests | req/s | errors | p50 ms | p99 ms | RSS after %ds | RSS at the end | change |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' "$WARM_AT"
printf '| %d | %.0f | %d | %s | %s | %.1f MB | %.1f MB | %+.1f%% |\n' "$REQUESTS" "$RPS" "$ERRORS" "$P50" "$P99" \
  "$(echo "$RSS_WARM / 1024" | bc -l)" "$(echo "$RSS_END / 1024" | bc -l)" "$DRIFT"
echo "RSS samples (s, MB): $(awk '!seen[$1]++ {printf "%s %.1f; ", $1, $2 / 1024}' "$WORK/rss.tsv")"
[ "$SEEN" -eq "$REQUESTS" ] || echo "soak: wrk counted $REQUESTS requests, the script saw $SEEN answers" >&2

FAIL=0
[ "$ERRORS" -eq 0 ] || { echo "soak: FAIL: $ERRORS errors" >&2; FAIL=1; }
if [ "$(echo "$DRIFT > 10 || $DRIFT < -10" | bc -l)" -eq 1 ]; then
  echo "soak: FAIL: RSS changed by more than 10% after warm-up" >&2
  FAIL=1
fi
exit "$FAIL"
