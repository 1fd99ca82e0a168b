//! SQLite (and PostgreSQL on request): sea-orm multi-row `INSERT … ON CONFLICT DO UPDATE`
//! in one transaction, as many rows per statement as the backend's bound-parameter limit
//! allows.

use entity::{commodity, country, source, trade_flow};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Statement, TransactionTrait,
};

use super::PUBLISHER;
use super::parse::Row;
use super::resolve::NewCommodity;
use crate::error::{Error, Result};
use crate::service::write::Counts;

/// Bound parameters one statement may carry: PostgreSQL's protocol limit, and SQLite's
/// `SQLITE_MAX_VARIABLE_NUMBER` (since 3.32).
const PG_MAX_PARAMS: usize = 65_535;
const SQLITE_MAX_PARAMS: usize = 32_766;
/// Bound parameters per row of the portable insert (see `PortableSink::write`).
const PARAMS_PER_ROW: usize = 10;

/// sea-orm multi-row `INSERT … ON CONFLICT DO UPDATE` in one transaction.
pub(super) struct PortableSink {
    pub(super) txn: DatabaseTransaction,
    pub(super) rows_per_statement: usize,
    /// Largest flow id before the import: flows above it are new.
    max_id_before: i64,
    /// Rows the statements inserted or updated, as the database reports them.
    affected: u64,
    /// SQLite: the connection's page cache size before the import, restored at the end.
    sqlite_cache_size: Option<i64>,
}

/// SQLite page cache of the import's connection, in KiB: the indexes of `trade_flow` are
/// updated in key order of five different keys, and a small cache turns that into reads.
const SQLITE_IMPORT_CACHE_KIB: i64 = 256 * 1024;

impl PortableSink {
    pub(super) async fn begin(db: &DatabaseConnection) -> Result<Self> {
        let max_params = match db.get_database_backend() {
            DbBackend::Postgres => PG_MAX_PARAMS,
            _ => SQLITE_MAX_PARAMS,
        };
        let txn = db.begin().await?;
        let mut sqlite_cache_size = None;
        if db.get_database_backend() == DbBackend::Sqlite {
            let row = txn
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA cache_size"))
                .await?;
            if let Some(old) = row.and_then(|r| r.try_get_by_index::<i64>(0).ok()) {
                txn.execute_unprepared(&format!("PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}"))
                    .await?;
                sqlite_cache_size = Some(old);
            }
        }
        Ok(Self {
            txn,
            // One spare parameter for the `note = NULL` of the conflict clause.
            rows_per_statement: (max_params - 1) / PARAMS_PER_ROW,
            max_id_before: 0,
            affected: 0,
            sqlite_cache_size,
        })
    }

    /// Gives the connection its usual page cache back (before the commit or rollback, while
    /// this transaction still holds the connection).
    pub(super) async fn restore_cache_size(&self) -> Result<()> {
        if let Some(old) = self.sqlite_cache_size {
            self.txn
                .execute_unprepared(&format!("PRAGMA cache_size = {old}"))
                .await?;
        }
        Ok(())
    }

    pub(super) async fn upsert_source(&mut self, key: String, title: String) -> Result<i32> {
        // The first statement writes, so an SQLite transaction takes the write lock before it
        // reads anything (a read snapshot could not be upgraded later if another writer came
        // in between).
        source::Entity::insert(source::ActiveModel {
            id: NotSet,
            key: Set(key.clone()),
            publisher: Set(PUBLISHER.to_owned()),
            title: Set(title),
            year: Set(None),
            url: Set(None),
            note: Set(Some("written by `tradegraph import comtrade`".to_owned())),
        })
        .on_conflict(
            OnConflict::column(source::Column::Key)
                .update_columns([source::Column::Publisher, source::Column::Title])
                .to_owned(),
        )
        .exec_without_returning(&self.txn)
        .await?;
        let id: i32 = source::Entity::find()
            .select_only()
            .column(source::Column::Id)
            .filter(source::Column::Key.eq(key))
            .into_tuple()
            .one(&self.txn)
            .await?
            .ok_or_else(|| Error::internal("the import's source row vanished"))?;
        let max: Option<i64> = trade_flow::Entity::find()
            .select_only()
            .expr(Func::max(Expr::col(trade_flow::Column::Id)))
            .into_tuple()
            .one(&self.txn)
            .await?
            .flatten();
        self.max_id_before = max.unwrap_or(0);
        Ok(id)
    }

    pub(super) async fn load_refs(&mut self) -> Result<(Vec<(i32, String, String)>, Vec<(i32, String)>)> {
        let countries = country::Entity::find()
            .select_only()
            .columns([country::Column::Id, country::Column::Iso3, country::Column::Iso2])
            .into_tuple()
            .all(&self.txn)
            .await?;
        let commodities = commodity::Entity::find()
            .select_only()
            .columns([commodity::Column::Id, commodity::Column::Code])
            .into_tuple()
            .all(&self.txn)
            .await?;
        Ok((countries, commodities))
    }

    pub(super) async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        let model = commodity::ActiveModel {
            id: NotSet,
            code: Set(c.code.clone()),
            kind: Set(c.kind),
            parent_id: Set(Some(parent_id)),
            name: Set(c.name.clone()),
            source_id: Set(Some(source_id)),
        }
        .insert(&self.txn)
        .await?;
        Ok(model.id)
    }

    pub(super) async fn write(&mut self, rows: &[Row], source_id: i32) -> Result<()> {
        // The parser hands over each key once per file, so no statement updates a row twice
        // (which PostgreSQL refuses).
        let models = rows.iter().map(|r| trade_flow::ActiveModel {
            id: NotSet,
            reporter_id: Set(r.reporter),
            partner_id: Set(r.partner),
            year: Set(r.year),
            commodity_id: Set(r.commodity),
            flow: Set(r.flow),
            value_usd: Set(r.value),
            quantity: Set(r.quantity),
            quantity_unit: Set(r.unit.clone()),
            qualifier: Set(r.qualifier),
            source_id: Set(Some(source_id)),
            note: NotSet,
        });
        use trade_flow::Column as C;
        let affected = trade_flow::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns(crate::service::trade::flow_key_columns())
                    .update_columns([C::ValueUsd, C::Quantity, C::QuantityUnit, C::Qualifier, C::SourceId])
                    // A curator's note was about the value it replaced.
                    .value(C::Note, Expr::value(Option::<String>::None))
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await?;
        self.affected += affected;
        Ok(())
    }

    /// Answers the counts from the database: the flows with an id above the largest before
    /// the import are the inserted ones; the statements' affected rows count inserted and
    /// updated alike.
    pub(super) async fn finish(&mut self) -> Result<Counts> {
        let inserted = trade_flow::Entity::find()
            .filter(trade_flow::Column::Id.gt(self.max_id_before))
            .count(&self.txn)
            .await?;
        let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        Ok(Counts {
            inserted: n(inserted),
            updated: n(self.affected.saturating_sub(inserted)),
        })
    }
}
