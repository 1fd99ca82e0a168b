#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster (127.0.0.1:5432), for the read-replica
# test (tests/api/replicas.rs) and for trying DATABASE_READ_URL by hand: a second cluster made
# with Debian's pg_createcluster, filled by `pg_basebackup -R` (which makes it a hot standby
# streaming from the primary), started on REPLICA_PORT (default 5433). Runs as root; allows
# replication connections from 127.0.0.1 on the primary (trust, like its other local lines).
# Prints the replica's URL of the `test` database. Safe to run again (it starts what exists).
#
#   scripts/replica.sh            # → postgres://postgres@127.0.0.1:5433/test
#   scripts/replica.sh drop       # stops and removes the replica cluster
set -euo pipefail
# Only the URL goes to stdout (callers take it with $(…)); whatever the tools print
# ("Cluster is already running.") goes to stderr.
exec 3>&1 1>&2
PORT="${REPLICA_PORT:-5433}"
NAME="${REPLICA_CLUSTER:-tgreplica}"
VERSION="$(ls /etc/postgresql | sort -n | tail -n1)"
CONF="/etc/postgresql/$VERSION"
DATA="/var/lib/postgresql/$VERSION/$NAME"

DETACHED="$(dirname "$0")/detached"   # daemons must not hold our stdout pipe

if [ "${1:-}" = drop ]; then
  pg_dropcluster --stop "$VERSION" "$NAME" 2>/dev/null || true
  exit 0
fi

HBA="$CONF/main/pg_hba.conf"
if ! grep -q '^host replication all 127.0.0.1/32 trust' "$HBA"; then
  echo 'host replication all 127.0.0.1/32 trust' >>"$HBA"
  "$DETACHED" pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload
fi

make_replica() {
  pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
  cp "$HBA" "$CONF/$NAME/pg_hba.conf"
  find "$DATA" -mindepth 1 -delete   # pg_basebackup fills an empty directory
  # Bounded: the copy of a test machine's cluster takes seconds.
  timeout 300 su postgres -c "pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D '$DATA' -R -X stream -c fast"
}

start_replica() {
  "$DETACHED" pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
}

# Streaming, not merely up: a standby that was down while the primary recycled the WAL it
# needs stays in recovery forever ("requested WAL segment … has already been removed"), and
# a test against it would wait for rows that never come.
streaming() {
  for _ in $(seq 1 20); do
    [ "$(psql -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -c "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'" 2>/dev/null)" = 1 ] && return 0
    sleep 1
  done
  return 1
}

[ -d "$CONF/$NAME" ] || make_replica
start_replica
if ! streaming; then
  echo "replica: the cluster on $PORT does not stream from the primary; making it again" >&2
  pg_dropcluster --stop "$VERSION" "$NAME" 2>/dev/null || true
  make_replica
  start_replica
  streaming || { echo "replica: the new cluster on $PORT does not stream" >&2; exit 1; }
fi
pg_isready -q -h 127.0.0.1 -p "$PORT" || { echo "replica: not answering on $PORT" >&2; exit 1; }
[ "$(psql -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'SELECT pg_is_in_recovery()')" = t ] \
  || { echo "replica: the cluster on $PORT is not a standby" >&2; exit 1; }
echo "postgres://postgres@127.0.0.1:$PORT/test" >&3
