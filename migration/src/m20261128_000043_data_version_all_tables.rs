//! The data version (`trade_flow_change`, migration 000042) moves on a committed write to any
//! stored table that an answer can read, not only `trade_flow`: the answer cache of the
//! server (`src/http/answer_cache.rs`) is keyed by it, so a write to a country, a membership
//! or the audit log must make every process's cached answers stale.
//!
//! The same trigger function as `trade_flow` (one row per writing statement on PostgreSQL,
//! one counter on SQLite). `api_key` is left out: its `last_used_at` is written while keyed
//! requests are served and no answer reads it (credentials are checked before the cache).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every stored table an answer reads, besides `trade_flow` (000042).
const TABLES: &[&str] = &[
    "source",
    "country",
    "organization",
    "membership",
    "commodity",
    "aid_pledge",
    "import_dependency",
    "indicator",
    "exchange_rate",
    "partner_share",
    "dependency_commodity",
    "audit_log",
    "trade_total",
];

fn postgres_up(table: &str) -> Vec<String> {
    vec![
        format!("DROP TRIGGER IF EXISTS {table}_changed ON {table}"),
        format!(
            "CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION trade_flow_changed()"
        ),
    ]
}

fn sqlite_up(table: &str) -> Vec<String> {
    ["INSERT", "UPDATE", "DELETE"]
        .iter()
        .map(|event| {
            format!(
                "CREATE TRIGGER IF NOT EXISTS {table}_{} AFTER {event} ON {table} \
                 BEGIN UPDATE trade_flow_change SET n = n + 1 WHERE id = 1; END",
                event.to_ascii_lowercase()
            )
        })
        .collect()
}

fn down(backend: DbBackend, table: &str) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![format!("DROP TRIGGER IF EXISTS {table}_changed ON {table}")],
        _ => ["insert", "update", "delete"]
            .iter()
            .map(|event| format!("DROP TRIGGER IF EXISTS {table}_{event}"))
            .collect(),
    }
}

async fn run(manager: &SchemaManager<'_>, statements: impl Fn(DbBackend, &str) -> Vec<String>) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let db = manager.get_connection();
    for table in TABLES {
        for s in statements(backend, table) {
            db.execute_unprepared(&s).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, |backend, table| match backend {
            DbBackend::Postgres => postgres_up(table),
            _ => sqlite_up(table),
        })
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, down).await
    }
}
