//! The one write pipeline of every write — the upserts, the Comtrade import (command line and
//! HTTP) and the bundled data's load: the rows are validated (naming `arg[i].field` through
//! [`Problems`], or a file's line and column) → rows repeating a natural key are refused → one
//! transaction holds the rows **and** the audit entry ([`Txn::seal`]) → the counts, as the
//! database reports them. Upserts go through [`write`]; bulk writes through
//! [`bulk::write_bulk`], which leaves how the rows are stored to a [`bulk::Store`] (PostgreSQL
//! `COPY` into a staging table for an import, multi-row `INSERT`s elsewhere).
//!
//! Exact counts under concurrency: the transaction takes the table's write lock first
//! (SQLite: `BEGIN IMMEDIATE`, the database's one write lock; PostgreSQL: `LOCK TABLE … IN
//! SHARE ROW EXCLUSIVE MODE`, which waits for other writers of the table and lets readers
//! be), so the stored keys it reads are the ones its write finds: four concurrent identical
//! writes of 20 new keys report 20 inserted in all, and the audit log says the same.
//! (PostgreSQL's `RETURNING (xmax = 0)` answers the same for `ON CONFLICT` tables, but not
//! for tables whose key has a nullable part, which have no unique index to conflict on; one
//! way of counting serves both.)

pub mod bulk;

use std::collections::HashMap;
use std::hash::Hash;

use chrono::Utc;
use entity::audit_log;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::OnConflict;
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityTrait, QueryTrait,
};

use super::write::{Counts, Problems, insert_chunks, upsert_by_key};
use crate::error::{Error, Result};

/// Who a write is for and what it is, as its `audit_log` entry records them.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    /// The API key's name; writes without a key name where they come from in parentheses
    /// (see [`COMMAND_LINE`], [`FIRST_START`]).
    pub key_name: &'a str,
    /// The mutation field, or the command (`importComtrade`, `loadReference`).
    pub mutation: &'a str,
}

/// The `audit_log.key_name` of writes made by a command (`import comtrade`, `load-reference`).
pub const COMMAND_LINE: &str = "(command line)";
/// The `audit_log.key_name` of the bundled data's load into an empty database at start.
pub const FIRST_START: &str = "(first start)";

/// The one transaction of a write. A bulk store that needs the driver itself (PostgreSQL
/// `COPY`, which sea-orm does not offer) holds sqlx's transaction; every other write holds
/// sea-orm's.
pub enum Txn {
    Orm(DatabaseTransaction),
    Pg(sqlx::Transaction<'static, Postgres>),
}

impl Txn {
    /// The last stage of every write: its audit entry, in the rows' transaction, then the
    /// commit — both or neither.
    pub async fn seal(self, audit: Audit<'_>, counts: Counts) -> Result<()> {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        let entry = audit_log::Entity::insert(audit_log::ActiveModel {
            id: NotSet,
            key_name: Set(audit.key_name.to_owned()),
            mutation: Set(audit.mutation.to_owned()),
            inserted: Set(n(counts.inserted)),
            updated: Set(n(counts.updated)),
            at: Set(Utc::now()),
        });
        match self {
            Txn::Orm(txn) => {
                entry.exec_without_returning(&txn).await?;
                txn.commit().await?;
            }
            Txn::Pg(mut tx) => {
                // The same statement, run on the driver's transaction.
                let stmt = entry.build(DbBackend::Postgres);
                let values = sea_query_sqlx::SqlxValues(stmt.values.unwrap_or(sea_orm::sea_query::Values(Vec::new())));
                sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql), values)
                    .execute(&mut *tx)
                    .await
                    .map_err(driver_error)?;
                tx.commit().await.map_err(driver_error)?;
            }
        }
        Ok(())
    }

    /// Rolls back a write that failed (the error that made it fail is the one to report; a
    /// failed rollback is logged, and the server ends the transaction when the connection
    /// goes).
    pub async fn rollback(self) {
        let result = match self {
            Txn::Orm(txn) => txn.rollback().await.map_err(Error::from),
            Txn::Pg(tx) => tx.rollback().await.map_err(driver_error),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not roll back a failed write");
        }
    }
}

/// An error of the driver (a store that runs sqlx itself) as a database error.
pub fn driver_error(e: sqlx::Error) -> Error {
    Error::Db(sea_orm::DbErr::Custom(e.to_string()))
}

/// A row's natural key (the values of its `columns`) as one comparable value, to find the
/// rows of a batch that repeat a key before anything is written.
pub fn key_of<A: ActiveModelTrait>(row: &A, columns: &[<A::Entity as EntityTrait>::Column]) -> String {
    columns
        .iter()
        .map(|c| format!("{:?}", row.get(*c)))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The `ON CONFLICT` clause that upserts rows of `E` on its declared natural key, when a
/// unique index covers it.
pub fn on_conflict<E: Natural>() -> Option<OnConflict> {
    let columns = E::unique_key()?;
    Some(OnConflict::columns(columns).update_columns(E::replaced()).to_owned())
}

/// A table written through the pipeline, with its natural key declared once (by the domain
/// module of the table).
pub trait Natural: EntityTrait {
    /// A row's natural key.
    type Key: Hash + Eq + Clone + Send + Sync;

    /// The key's columns when a unique index covers them (no part is nullable): rows are
    /// then written by `INSERT … ON CONFLICT` on them; without one, stored rows are updated
    /// by id and new ones inserted.
    fn unique_key() -> Option<Vec<Self::Column>>;

    /// The columns an `ON CONFLICT` write replaces.
    fn replaced() -> Vec<Self::Column> {
        Vec::new()
    }

    /// The primary key's column.
    fn id() -> Self::Column;

    /// The ids of the stored rows whose key is among `keys` (widened to `i64`: flows have
    /// 64-bit ids).
    fn existing<C: ConnectionTrait>(
        db: &C,
        keys: &[Self::Key],
    ) -> impl Future<Output = Result<HashMap<Self::Key, i64>>> + Send;
}

/// What a domain adds to a write's transaction once the rows are written, before the audit
/// entry: checks that need the rows as they will stand (the aid ledger's links) and writes
/// that need the new rows' ids. An error rolls the whole write back.
pub trait AfterWrite: Send {
    fn run(self, txn: &DatabaseTransaction) -> impl Future<Output = Result<()>> + Send;
}

impl AfterWrite for () {
    async fn run(self, _txn: &DatabaseTransaction) -> Result<()> {
        Ok(())
    }
}

/// Writes validated rows of `E`, all or nothing, audited as `mutation` by `key_name`.
/// `problems` holds what the domain's validation found; `key_field` names the key in the
/// refusal of a repeated key (`arg[i].key: same key as arg[j]`).
pub async fn write<E>(
    db: &DatabaseConnection,
    key_name: &str,
    mutation: &str,
    problems: Problems,
    key_field: &str,
    rows: Vec<(E::Key, E::ActiveModel)>,
) -> Result<Counts>
where
    E: Natural,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    write_then::<E, ()>(db, key_name, mutation, problems, key_field, rows, ()).await
}

/// [`write`], then `after` in the same transaction.
pub async fn write_then<E, A>(
    db: &DatabaseConnection,
    key_name: &str,
    mutation: &str,
    mut problems: Problems,
    key_field: &str,
    rows: Vec<(E::Key, E::ActiveModel)>,
    after: A,
) -> Result<Counts>
where
    E: Natural,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    A: AfterWrite,
{
    problems.duplicates(rows.iter().map(|(k, _)| k.clone()), key_field);
    problems.finish()?;
    let txn = begin_locked::<E>(db).await?;
    let keys: Vec<E::Key> = rows.iter().map(|(k, _)| k.clone()).collect();
    let existing = if keys.is_empty() {
        HashMap::new()
    } else {
        E::existing(&txn, &keys).await?
    };
    let counts = match on_conflict::<E>() {
        Some(conflict) => {
            let updated = keys.iter().filter(|k| existing.contains_key(*k)).count();
            let models = rows.into_iter().map(|(_, m)| m).collect();
            insert_chunks(&txn, models, Some(conflict)).await?;
            Counts {
                inserted: keys.len() - updated,
                updated,
            }
        }
        None => upsert_by_key(&txn, rows, &existing, E::id()).await?,
    };
    after.run(&txn).await?;
    Txn::Orm(txn).seal(Audit { key_name, mutation }, counts).await?;
    Ok(counts)
}

/// Begins a write transaction holding the write lock of `E`'s table (see the module's
/// documentation).
pub async fn begin_locked<E: EntityTrait>(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let txn = super::write::begin(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        let table = E::default().table_name().to_owned();
        txn.execute_unprepared(&format!("LOCK TABLE \"{table}\" IN SHARE ROW EXCLUSIVE MODE"))
            .await?;
    }
    Ok(txn)
}
