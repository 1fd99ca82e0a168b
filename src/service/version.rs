//! The data version: a number that moves on every committed write to any stored table, by
//! any process on the database (kept by triggers, migration 000045 `data_change`).
//!
//! Read once per request (one statement over at most ~1000 small rows on PostgreSQL, 14
//! rows on SQLite), so that a server answers what another process (`tradegraph import`,
//! `psql`) committed from the first request after the commit: the reference snapshot is
//! reloaded when the reference tables' part of the version moved.

use sea_orm::{DatabaseConnection, FromQueryResult, Statement};

use crate::error::Result;

/// The tables held in the reference snapshot (`reference::RefData`).
const REFERENCE_TABLES: &str = "'country', 'commodity', 'organization', 'source'";

/// The version of all stored data and of the reference tables alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct Versions {
    pub data: i64,
    pub reference: i64,
}

/// The statement of [`versions`].
fn statement(db: &DatabaseConnection) -> Statement {
    Statement::from_string(
        db.get_database_backend(),
        format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS data, \
             CAST(COALESCE(SUM(CASE WHEN tbl IN ({REFERENCE_TABLES}) THEN n END), 0) AS BIGINT) AS reference \
             FROM data_change"
        ),
    )
}

/// Both versions, in one statement.
pub async fn versions(db: &DatabaseConnection) -> Result<Versions> {
    let found = Versions::find_by_statement(statement(db)).one(db).await?;
    Ok(found.unwrap_or(Versions { data: 0, reference: 0 }))
}

/// The data version: it moves on every committed write to any stored table.
pub async fn data_version(db: &DatabaseConnection) -> Result<i64> {
    Ok(versions(db).await?.data)
}
