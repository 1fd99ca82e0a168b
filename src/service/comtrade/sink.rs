//! The two ways an import writes, behind one interface: [`PortableSink`] (sea-orm multi-row
//! `INSERT … ON CONFLICT`, SQLite and PostgreSQL) and [`CopySink`] (PostgreSQL `COPY`).

use entity::commodity;
use sea_orm::sea_query::Expr;
use sea_orm::sqlx;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::copy::CopySink;
use super::parse::Row;
use super::portable::PortableSink;
use super::resolve::{NewCommodity, Refs};
use super::{COPY_BATCH_ROWS, source_of};
use crate::error::{Error, Result};

pub(super) enum Sink {
    Portable(PortableSink),
    Copy(CopySink),
}

impl Sink {
    pub(super) fn batch_rows(&self) -> usize {
        match self {
            Sink::Portable(s) => s.rows_per_statement,
            Sink::Copy(_) => COPY_BATCH_ROWS,
        }
    }

    pub(super) async fn upsert_source(&mut self, name: &str) -> Result<i32> {
        let (key, title) = source_of(name);
        match self {
            Sink::Portable(s) => s.upsert_source(key, title).await,
            Sink::Copy(s) => s.upsert_source(key, title).await,
        }
    }

    pub(super) async fn load_refs(&mut self) -> Result<Refs> {
        let (countries, commodities) = match self {
            Sink::Portable(s) => s.load_refs().await?,
            Sink::Copy(s) => s.load_refs().await?,
        };
        Ok(Refs::new(countries, commodities))
    }

    pub(super) async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        match self {
            Sink::Portable(s) => s.add_commodity(c, parent_id, source_id).await,
            Sink::Copy(s) => s.add_commodity(c, parent_id, source_id).await,
        }
    }

    pub(super) async fn set_parent(&mut self, id: i32, parent_id: i32) -> Result<()> {
        match self {
            Sink::Portable(s) => {
                commodity::Entity::update_many()
                    .col_expr(commodity::Column::ParentId, Expr::value(parent_id))
                    .filter(commodity::Column::Id.eq(id))
                    .exec(&s.txn)
                    .await?;
            }
            Sink::Copy(s) => {
                sqlx::query("UPDATE commodity SET parent_id = $1 WHERE id = $2")
                    .bind(parent_id)
                    .bind(id)
                    .execute(&mut *s.tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        Ok(())
    }

    pub(super) async fn write(&mut self, rows: &[Row], source_id: i32) -> Result<()> {
        match self {
            Sink::Portable(s) => s.write(rows, source_id).await,
            Sink::Copy(s) => s.write(rows).await,
        }
    }

    /// Writes what is staged and, for an HTTP import, its audit entry; commits. Returns the
    /// number of flows inserted (of `stored` rows written).
    pub(super) async fn finish(self, stored: u64, audit_key: Option<&str>) -> Result<u64> {
        match self {
            Sink::Portable(s) => s.finish(stored, audit_key).await,
            Sink::Copy(s) => s.finish(stored, audit_key).await,
        }
    }

    pub(super) async fn abort(self) {
        let result = match self {
            Sink::Portable(s) => match s.restore_cache_size().await {
                Ok(()) => s.txn.rollback().await.map_err(Error::from),
                Err(e) => Err(e),
            },
            Sink::Copy(s) => s.tx.rollback().await.map_err(db_err),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not roll back a failed import");
        }
    }
}

pub(super) fn db_err(e: sqlx::Error) -> Error {
    Error::Db(sea_orm::DbErr::Custom(e.to_string()))
}
