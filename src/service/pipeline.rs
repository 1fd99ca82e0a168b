//! The one write pipeline of every upsert: the domain validates its rows (naming
//! `arg[i].field` through [`Problems`]) → rows repeating a natural key are refused → one
//! transaction holds the rows **and** the audit entry → the counts.
//!
//! Exact counts under concurrency: the transaction takes the table's write lock first
//! (SQLite: `BEGIN IMMEDIATE`, the database's one write lock; PostgreSQL: `LOCK TABLE … IN
//! SHARE ROW EXCLUSIVE MODE`, which waits for other writers of the table and lets readers
//! be), so the stored keys it reads are the ones its write finds: four concurrent identical
//! writes of 20 new keys report 20 inserted in all, and the audit log says the same.
//! (PostgreSQL's `RETURNING (xmax = 0)` answers the same for `ON CONFLICT` tables, but not
//! for tables whose key has a nullable part, which have no unique index to conflict on; one
//! way of counting serves both.)

use std::collections::HashMap;
use std::hash::Hash;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityTrait,
};

use super::write::{Counts, Problems, audit, insert_chunks, upsert_by_key};
use crate::error::Result;

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
    let counts = match E::unique_key() {
        Some(columns) => {
            let updated = keys.iter().filter(|k| existing.contains_key(*k)).count();
            let models = rows.into_iter().map(|(_, m)| m).collect();
            let conflict = OnConflict::columns(columns).update_columns(E::replaced()).to_owned();
            insert_chunks(&txn, models, Some(conflict)).await?;
            Counts {
                inserted: keys.len() - updated,
                updated,
            }
        }
        None => upsert_by_key(&txn, rows, &existing, E::id()).await?,
    };
    after.run(&txn).await?;
    audit(&txn, key_name, mutation, counts).await?;
    txn.commit().await?;
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
