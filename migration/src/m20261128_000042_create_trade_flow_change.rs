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

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS trade_flow_change (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL DEFAULT 1)",
    "CREATE OR REPLACE FUNCTION trade_flow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       new_id BIGINT;
     BEGIN
       INSERT INTO trade_flow_change DEFAULT VALUES RETURNING id INTO new_id;
       IF new_id % 1000 = 0 THEN
         WITH folded AS (SELECT id FROM trade_flow_change WHERE id < new_id FOR UPDATE SKIP LOCKED),
              gone AS (DELETE FROM trade_flow_change c USING folded f WHERE c.id = f.id RETURNING c.n)
         INSERT INTO trade_flow_change (n) SELECT SUM(n) FROM gone HAVING COUNT(*) > 0;
       END IF;
       RETURN NULL;
     END $$",
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

async fn run(manager: &SchemaManager<'_>, postgres: &[&str], sqlite: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Postgres => postgres,
        _ => sqlite,
    };
    let db = manager.get_connection();
    for s in statements {
        db.execute_unprepared(s).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_UP, SQLITE_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_DOWN, SQLITE_DOWN).await
    }
}
