//! `data_change`: the data version of every stored table, moved by every committed write to
//! any of them from any process (server, `import`, `psql`); `service::data_version` reads it
//! as `SUM(n)`, and the server reloads its reference snapshot when the part of the four
//! reference tables moved. Kept as `trade_flow_change` is (migration 000042), per table:
//!
//! - PostgreSQL: a statement-level trigger appends a row `(tbl)` per writing statement, in the
//!   writer's transaction, so the version moves when the write commits and not before, and
//!   writers never wait on each other for it. Every 1000th row folds the log into one row
//!   per table, skipping rows another writer is folding.
//! - SQLite (one writer at a time): row triggers add to one counter row per table.
//!
//! `api_key` is left out: its `last_used_at` is written as keys are used, and no answer of
//! the API depends on it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The stored tables whose writes move the version.
const TABLES: &[&str] = &[
    "source",
    "country",
    "organization",
    "membership",
    "commodity",
    "trade_flow",
    "aid_pledge",
    "import_dependency",
    "dependency_commodity",
    "indicator",
    "exchange_rate",
    "partner_share",
    "trade_total",
    "audit_log",
];

const POSTGRES_FUNCTION: &str = "CREATE OR REPLACE FUNCTION data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       new_id BIGINT;
     BEGIN
       INSERT INTO data_change (tbl) VALUES (TG_TABLE_NAME) RETURNING id INTO new_id;
       IF new_id % 1000 = 0 THEN
         WITH folded AS (SELECT id FROM data_change WHERE id < new_id FOR UPDATE SKIP LOCKED),
              gone AS (DELETE FROM data_change c USING folded f WHERE c.id = f.id RETURNING c.tbl, c.n)
         INSERT INTO data_change (tbl, n) SELECT tbl, SUM(n) FROM gone GROUP BY tbl;
       END IF;
       RETURN NULL;
     END $$";

fn statements(backend: DbBackend, up: bool) -> Vec<String> {
    let mut out = Vec::new();
    match (backend, up) {
        (DbBackend::Postgres, true) => {
            out.push(
                "CREATE TABLE IF NOT EXISTS data_change (id BIGSERIAL PRIMARY KEY, tbl TEXT NOT NULL, \
                 n BIGINT NOT NULL DEFAULT 1)"
                    .to_owned(),
            );
            out.push(POSTGRES_FUNCTION.to_owned());
            for t in TABLES {
                out.push(format!("DROP TRIGGER IF EXISTS data_changed ON {t}"));
                out.push(format!(
                    "CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} \
                     FOR EACH STATEMENT EXECUTE FUNCTION data_changed()"
                ));
            }
        }
        (DbBackend::Postgres, false) => {
            for t in TABLES {
                out.push(format!("DROP TRIGGER IF EXISTS data_changed ON {t}"));
            }
            out.push("DROP FUNCTION IF EXISTS data_changed()".to_owned());
            out.push("DROP TABLE IF EXISTS data_change".to_owned());
        }
        (_, true) => {
            out.push(
                "CREATE TABLE IF NOT EXISTS data_change (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)"
                    .to_owned(),
            );
            for t in TABLES {
                out.push(format!("INSERT OR IGNORE INTO data_change (tbl, n) VALUES ('{t}', 0)"));
                for (what, event) in [("inserted", "INSERT"), ("updated", "UPDATE"), ("deleted", "DELETE")] {
                    out.push(format!(
                        "CREATE TRIGGER IF NOT EXISTS {t}_{what}_data AFTER {event} ON {t} \
                         BEGIN UPDATE data_change SET n = n + 1 WHERE tbl = '{t}'; END"
                    ));
                }
            }
        }
        (_, false) => {
            for t in TABLES {
                for what in ["inserted", "updated", "deleted"] {
                    out.push(format!("DROP TRIGGER IF EXISTS {t}_{what}_data"));
                }
            }
            out.push("DROP TABLE IF EXISTS data_change".to_owned());
        }
    }
    out
}

async fn run(manager: &SchemaManager<'_>, up: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for s in statements(manager.get_database_backend(), up) {
        db.execute_unprepared(&s).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, false).await
    }
}
