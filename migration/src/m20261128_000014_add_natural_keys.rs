//! Natural keys of the facts that had none, so that writes through the API can upsert:
//!
//! - `membership`: organisation, country, `since`;
//! - `aid_pledge`: donor (country or organisation), recipient, kind, `announced_on`,
//!   `period_start_year`, currency;
//! - `import_dependency`: importer, supplier, sector, product, `year`, basis.
//!
//! Unknown dates and years (NULL) count as one value, as the upsert compares them: the
//! unique indexes are over `COALESCE(col, sentinel)` expressions, which PostgreSQL and
//! SQLite both index (a plain unique index would let any number of NULL rows through).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(name, table, expressions)`; `{date}` is replaced by the backend's date sentinel.
const KEYS: &[(&str, &str, &str)] = &[
    (
        "ux_membership_natural_key",
        "membership",
        "organization_id, country_id, COALESCE(since, {date})",
    ),
    (
        "ux_aid_pledge_natural_key",
        "aid_pledge",
        "COALESCE(donor_country_id, 0), COALESCE(donor_organization_id, 0), recipient_id, kind, \
         COALESCE(announced_on, {date}), COALESCE(period_start_year, 0), currency",
    ),
    (
        "ux_import_dependency_natural_key",
        "import_dependency",
        "importer_id, supplier_id, sector, product, COALESCE(year, 0), basis",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let date = match manager.get_database_backend() {
            DbBackend::Postgres => "DATE '0001-01-01'",
            _ => "'0001-01-01'",
        };
        let db = manager.get_connection();
        for (name, table, columns) in KEYS {
            let columns = columns.replace("{date}", date);
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _, _) in KEYS {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        Ok(())
    }
}
