//! Opening the database (SQLite or PostgreSQL) and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::DbArgs;
use crate::error::Result;

/// Opens a connection pool for `args.database_url`.
///
/// SQLite files run in WAL mode with a busy timeout, so a server and an import can share one
/// file; an in-memory SQLite database gets a single connection (each connection would
/// otherwise see its own empty database).
pub async fn connect(args: &DbArgs) -> Result<DatabaseConnection> {
    connect_with(args, None).await
}

/// Settings of every PostgreSQL session (server and importer), so that a client that dies
/// — `kill -9`, a lost machine — leaves no locks behind for long: PostgreSQL checks every 2 s
/// during a statement that its client is still connected (`client_connection_check_interval`,
/// PostgreSQL 14+; without it an importer killed in its final `INSERT … SELECT` kept its
/// locks on `trade_flow` for ~90 s), ends a session idle in an open transaction after 30 s,
/// and probes an idle connection after 10 s (every 5 s, 3 times) so a vanished peer is noticed.
pub const SESSION_SETTINGS: [(&str, &str); 5] = [
    ("client_connection_check_interval", "2s"),
    ("idle_in_transaction_session_timeout", "30s"),
    ("tcp_keepalives_idle", "10"),
    ("tcp_keepalives_interval", "5"),
    ("tcp_keepalives_count", "3"),
];

/// `connect`; on PostgreSQL with `statement_timeout` set on every connection, so that the
/// database stops work a cancelled request left behind. Pooled connections are pinged before
/// use, so the pool recovers by itself when the server comes back after an outage.
pub async fn connect_with(args: &DbArgs, statement_timeout: Option<Duration>) -> Result<DatabaseConnection> {
    connect_opts(args, statement_timeout, false).await
}

/// A pool over a read replica (PostgreSQL) that connects on first use, so that a replica
/// down when the server starts is only skipped (`http::replicas`), not fatal.
pub async fn connect_replica(args: &DbArgs, statement_timeout: Option<Duration>) -> Result<DatabaseConnection> {
    connect_opts(args, statement_timeout, true).await
}

async fn connect_opts(args: &DbArgs, statement_timeout: Option<Duration>, lazy: bool) -> Result<DatabaseConnection> {
    let url = args.database_url.as_str();
    let mut opts = ConnectOptions::new(url);
    opts.connect_lazy(lazy);
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            // Switch a new file to WAL through one connection first: several pooled
            // connections opening a fresh file at once can race for the journal-mode change
            // and fail with "database is locked" (WAL is then a property of the file).
            let mut first = ConnectOptions::new(url);
            first.sqlx_logging(false).max_connections(1).map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10))
            });
            Database::connect(first).await?.close().await?;
        }
        opts.max_connections(if in_memory { 1 } else { args.db_max_connections.max(1) })
            .min_connections(1)
            // An in-memory database lives as long as its one connection.
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
    } else {
        opts.max_connections(args.db_max_connections.max(1))
            .test_before_acquire(true)
            .map_sqlx_postgres_opts(|o| o.options(SESSION_SETTINGS));
        if let Some(t) = statement_timeout {
            opts.statement_timeout(t);
        }
    }
    Ok(Database::connect(opts).await?)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}
