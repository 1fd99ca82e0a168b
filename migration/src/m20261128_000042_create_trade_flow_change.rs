//! `trade_flow_change`: the data version of `trade_flow`, moved by every write to it from any
//! process (server, `import`, `psql`), so that a cache of figures derived from the flows can
//! tell, inside the statement that uses it, whether it is still current. The version is
//! `SUM(n)`.
//!
//! - PostgreSQL: a statement-level trigger appends a row per writing statement (one per
//!   import phase, not one per row), in the writer's transaction, so the version moves when
//!   the write commits and not before; appending never makes writers wait on each other (a
//!   counter row would hold a lock until commit, and an import's commit takes minutes). Every
//!   1000th row folds the log into one row, skipping rows another writer is folding.
//! - SQLite has no statement-level triggers, but only one writer at a time: row triggers add
//!   to one counter row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::helpers::change_log_function;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The log table, then its function (`change_log_function`), then these.
const POSTGRES_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS trade_flow_change (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL DEFAULT 1)";

const POSTGRES_TRIGGER: &[&str] = &[
    "DROP TRIGGER IF EXISTS trade_flow_changed ON trade_flow",
    "CREATE TRIGGER trade_flow_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trade_flow \
     FOR EACH STATEMENT EXECUTE FUNCTION trade_flow_changed()",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS trade_flow_changed ON trade_flow",
    "DROP FUNCTION IF EXISTS trade_flow_changed()",
    "DROP TABLE IF EXISTS trade_flow_change",
];

const SQLITE_UP: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS trade_flow_change (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 1)",
    "INSERT OR IGNORE INTO trade_flow_change (id, n) VALUES (1, 0)",
    "CREATE TRIGGER IF NOT EXISTS trade_flow_inserted AFTER INSERT ON trade_flow \
     BEGIN UPDATE trade_flow_change SET n = n + 1 WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS trade_flow_updated AFTER UPDATE ON trade_flow \
     BEGIN UPDATE trade_flow_change SET n = n + 1 WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS trade_flow_deleted AFTER DELETE ON trade_flow \
     BEGIN UPDATE trade_flow_change SET n = n + 1 WHERE id = 1; END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS trade_flow_inserted",
    "DROP TRIGGER IF EXISTS trade_flow_updated",
    "DROP TRIGGER IF EXISTS trade_flow_deleted",
    "DROP TABLE IF EXISTS trade_flow_change",
];

fn postgres_up() -> Vec<String> {
    let mut out = vec![
        POSTGRES_TABLE.to_owned(),
        change_log_function("trade_flow_changed", "trade_flow_change"),
    ];
    out.extend(owned(POSTGRES_TRIGGER));
    out
}

fn owned(statements: &[&str]) -> Vec<String> {
    statements.iter().map(|s| (*s).to_owned()).collect()
}

async fn run(manager: &SchemaManager<'_>, postgres: Vec<String>, sqlite: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Postgres => postgres,
        _ => owned(sqlite),
    };
    let db = manager.get_connection();
    for s in statements {
        db.execute_unprepared(&s).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, postgres_up(), SQLITE_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, owned(POSTGRES_DOWN), SQLITE_DOWN).await
    }
}
