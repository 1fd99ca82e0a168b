//! `reference_change`: the version of the four reference tables (country, commodity,
//! organization, source) that a server holds in memory, moved by every committed write to
//! them from any process. A server reads it with the data version on every request
//! (`service::version::versions`) and reloads its reference snapshot when it moved, so rows
//! `tradegraph import` or `psql` committed are answered from the next request on.
//!
//! Apart from the data version (`trade_flow_change`, migrations 000042 and 000043), which
//! every write to `trade_flow` moves: reloading the snapshot on every flow write would cost
//! four reads of the reference tables per write. Kept the same way: one row per writing
//! statement on PostgreSQL (statement-level trigger, folded every 1000 rows), one counter on
//! SQLite (row triggers).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::helpers::change_log_function;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables of the reference snapshot (`reference::RefData`).
const TABLES: &[&str] = &["country", "commodity", "organization", "source"];

fn statements(backend: DbBackend, up: bool) -> Vec<String> {
    let mut out = Vec::new();
    match (backend, up) {
        (DbBackend::Postgres, true) => {
            out.push(
                "CREATE TABLE IF NOT EXISTS reference_change (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL DEFAULT 1)"
                    .to_owned(),
            );
            out.push(change_log_function("reference_changed", "reference_change"));
            for t in TABLES {
                out.push(format!("DROP TRIGGER IF EXISTS {t}_reference_changed ON {t}"));
                out.push(format!(
                    "CREATE TRIGGER {t}_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} \
                     FOR EACH STATEMENT EXECUTE FUNCTION reference_changed()"
                ));
            }
        }
        (DbBackend::Postgres, false) => {
            for t in TABLES {
                out.push(format!("DROP TRIGGER IF EXISTS {t}_reference_changed ON {t}"));
            }
            out.push("DROP FUNCTION IF EXISTS reference_changed()".to_owned());
            out.push("DROP TABLE IF EXISTS reference_change".to_owned());
        }
        (_, true) => {
            out.push(
                "CREATE TABLE IF NOT EXISTS reference_change (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 1)"
                    .to_owned(),
            );
            out.push("INSERT OR IGNORE INTO reference_change (id, n) VALUES (1, 0)".to_owned());
            for t in TABLES {
                for (what, event) in [("inserted", "INSERT"), ("updated", "UPDATE"), ("deleted", "DELETE")] {
                    out.push(format!(
                        "CREATE TRIGGER IF NOT EXISTS {t}_reference_{what} AFTER {event} ON {t} \
                         BEGIN UPDATE reference_change SET n = n + 1 WHERE id = 1; END"
                    ));
                }
            }
        }
        (_, false) => {
            for t in TABLES {
                for what in ["inserted", "updated", "deleted"] {
                    out.push(format!("DROP TRIGGER IF EXISTS {t}_reference_{what}"));
                }
            }
            out.push("DROP TABLE IF EXISTS reference_change".to_owned());
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
