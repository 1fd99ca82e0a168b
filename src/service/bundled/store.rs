//! How the bundled data is stored: the write pipeline's bulk `Store` over the tables it
//! writes, and the two ways a table's rows go in (upserted on a natural key, or inserted).

use entity::{
    aid_pledge, commodity, country, dependency_commodity, exchange_rate, import_dependency, indicator, membership,
    organization, partner_share, source, trade_flow, trade_total,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityName, EntityTrait, Iterable};

use crate::error::Result;
use crate::service::pipeline::bulk::Store;
use crate::service::pipeline::{Txn, key_of};
use crate::service::write::{self, Counts, Problems};

/// Values bound per INSERT statement. PostgreSQL plans one statement of thousands of
/// parameters far more slowly than several small ones: loading the bundled data (11 k
/// indicator rows) took 2.1 s with 500-row statements and 0.85 s with 50-row ones (debug
/// build, median of 3); SQLite took the same time either way.
const VALUES_PER_INSERT: usize = 500;

/// A column of the table of `A`.
pub(super) type Column<A> = <<A as sea_orm::ActiveModelTrait>::Entity as EntityTrait>::Column;

/// The tables a load writes.
fn tables() -> [&'static str; 13] {
    [
        source::Entity.table_name(),
        country::Entity.table_name(),
        organization::Entity.table_name(),
        commodity::Entity.table_name(),
        membership::Entity.table_name(),
        trade_flow::Entity.table_name(),
        trade_total::Entity.table_name(),
        partner_share::Entity.table_name(),
        aid_pledge::Entity.table_name(),
        import_dependency::Entity.table_name(),
        dependency_commodity::Entity.table_name(),
        indicator::Entity.table_name(),
        exchange_rate::Entity.table_name(),
    ]
}

/// The load's transaction, holding the write lock of every table it writes (SQLite: `BEGIN
/// IMMEDIATE`; PostgreSQL: `LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE`, as the upserts take
/// it) so that the row counts before and after are the load's alone.
pub(super) struct Tables {
    pub(super) txn: DatabaseTransaction,
    /// Rows in each of [`tables`] when the load began.
    before: Vec<u64>,
    /// Rows the load wrote (inserted or updated) so far.
    written: usize,
}

impl Tables {
    pub(super) async fn begin(db: &DatabaseConnection) -> Result<Self> {
        let txn = write::begin(db).await?;
        if db.get_database_backend() == DbBackend::Postgres {
            let list = tables().map(|t| format!("\"{t}\"")).join(", ");
            txn.execute_unprepared(&format!("LOCK TABLE {list} IN SHARE ROW EXCLUSIVE MODE"))
                .await?;
        }
        let before = row_counts(&txn).await?;
        Ok(Self {
            txn,
            before,
            written: 0,
        })
    }

    /// Upserts `rows` on `key` (a unique index), replacing `replaced`. Rows of `file` that
    /// repeat a key of an earlier row are refused, naming both.
    pub(super) async fn upsert<A>(
        &mut self,
        file: &'static str,
        rows: Vec<A>,
        key: Vec<Column<A>>,
        replaced: Vec<Column<A>>,
    ) -> Result<()>
    where
        A: sea_orm::ActiveModelTrait + Send,
    {
        let mut problems = Problems::new(file);
        problems.duplicates(rows.iter().map(|r| key_of(r, &key)), "key");
        problems.finish()?;
        let conflict = OnConflict::columns(key).update_columns(replaced).to_owned();
        self.insert(rows, Some(conflict)).await
    }

    /// Inserts `rows` (or upserts them, with `on_conflict`), in statements of about
    /// `VALUES_PER_INSERT` values (SQLite also caps bound parameters per statement).
    pub(super) async fn insert<A>(&mut self, rows: Vec<A>, on_conflict: Option<OnConflict>) -> Result<()>
    where
        A: sea_orm::ActiveModelTrait + Send,
    {
        let per_chunk = (VALUES_PER_INSERT / <A::Entity as EntityTrait>::Column::iter().count()).max(1);
        self.written += rows.len();
        write::insert_in_chunks(&self.txn, rows, on_conflict, per_chunk).await
    }

    /// Notes a row written by the caller's own statement.
    pub(super) fn wrote_one(&mut self) {
        self.written += 1;
    }
}

impl Store for Tables {
    /// Inserted: the rows the tables gained, as they count them; updated: the other rows
    /// written (upserted over a stored row, or replacing a deleted bundled row of a table
    /// without a natural key).
    async fn finish(&mut self) -> Result<Counts> {
        let after = row_counts(&self.txn).await?;
        let gained: u64 = after.iter().zip(&self.before).map(|(a, b)| a.saturating_sub(*b)).sum();
        let inserted = usize::try_from(gained).unwrap_or(usize::MAX);
        Ok(Counts {
            inserted,
            updated: self.written.saturating_sub(inserted),
        })
    }

    async fn close(self) -> Result<Txn> {
        Ok(Txn::Orm(self.txn))
    }
}

/// The number of rows of each of [`tables`], in one statement.
async fn row_counts(txn: &DatabaseTransaction) -> Result<Vec<u64>> {
    let names = tables();
    let select = names
        .iter()
        .map(|t| format!("(SELECT COUNT(*) FROM \"{t}\")"))
        .collect::<Vec<_>>()
        .join(", ");
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT {select}")))
        .await?
        .ok_or_else(|| crate::error::Error::internal("COUNT answered no row"))?;
    (0..names.len())
        .map(|i| {
            let n: i64 = row.try_get_by_index(i)?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .collect()
}
