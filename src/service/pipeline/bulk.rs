//! The pipeline's bulk form, for writes too large to hold in memory as one batch of rows (a
//! Comtrade file of millions of flows) or made of many tables (the bundled data).
//!
//! The stages are the upserts' ones: a filler reads its input,
//! validates every row (naming the file's line and column, or the file and row) and refuses
//! rows that repeat a natural key, handing the rows to a [`Store`] as they come; [`write_bulk`] runs the rest: the store's
//! final statements move them into their tables and answer the counts as the database
//! reports them; the audit entry goes into the same transaction ([`Txn::seal`]) and it
//! commits. Any error on the way rolls all of it back: nothing is written, not even the
//! audit entry.
//!
//! Only how rows are stored differs, by backend and size: a Comtrade import on PostgreSQL
//! `COPY`s into a staging table and ends with `UPDATE … FROM` and `INSERT … SELECT` (see
//! `comtrade::copy`), elsewhere it sends multi-row `INSERT … ON CONFLICT` statements; the
//! bundled data is small and uses sea-orm's inserts.

use super::{Audit, Txn};
use crate::error::Result;
use crate::service::write::Counts;

/// How a bulk write stores its rows, inside the one transaction it began.
pub trait Store: Send {
    /// Moves what was staged into its tables and answers how many rows were inserted and
    /// how many updated, as the database reports them.
    fn finish(&mut self) -> impl Future<Output = Result<Counts>> + Send;

    /// Ends the store's own use of the transaction (restoring settings it changed) and hands
    /// the transaction over for the audit entry and the commit, or the rollback.
    fn close(self) -> impl Future<Output = Result<Txn>> + Send;
}

/// Runs a bulk write's last stages, all or nothing. `staged` is what filling `store` answered:
/// the filler (the Comtrade parser, the bundled data's reader) reads its input, validates
/// every row and refuses repeated keys while it stages the rows in `store`, and answers what
/// it read (or the error that stopped it). Then: the store's final statements and their
/// counts, the audit entry in the same transaction, the commit; after an error anywhere, the
/// rollback.
pub async fn write_bulk<S: Store, T>(mut store: S, staged: Result<T>, audit: Audit<'_>) -> Result<(T, Counts)> {
    let finished = match staged {
        Ok(output) => store.finish().await.map(|counts| (output, counts)),
        Err(e) => Err(e),
    };
    match finished {
        Ok((output, counts)) => {
            store.close().await?.seal(audit, counts).await?;
            Ok((output, counts))
        }
        Err(e) => {
            match store.close().await {
                Ok(txn) => txn.rollback().await,
                Err(close) => tracing::warn!(error = %close, "could not close a failed bulk write"),
            }
            Err(e)
        }
    }
}
