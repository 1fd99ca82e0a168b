//! The two ways an import stores its rows, behind the write pipeline's bulk `Store`:
//! [`PortableSink`] (sea-orm multi-row `INSERT … ON CONFLICT`, SQLite and PostgreSQL) and
//! [`CopySink`] (PostgreSQL `COPY`).

use entity::commodity;
use sea_orm::sea_query::Expr;
use sea_orm::sqlx;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::copy::CopySink;
use super::parse::Row;
use super::portable::PortableSink;
use super::resolve::{NewCommodity, Refs};
use super::{COPY_BATCH_ROWS, source_of};
use crate::error::Result;
use crate::service::pipeline::Txn;
use crate::service::pipeline::bulk::Store;
use crate::service::write::Counts;

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
}

impl Store for Sink {
    /// The final statements: see `CopySink::finish` and `PortableSink::finish`.
    async fn finish(&mut self) -> Result<Counts> {
        match self {
            Sink::Portable(s) => s.finish().await,
            Sink::Copy(s) => s.finish().await,
        }
    }

    async fn close(self) -> Result<Txn> {
        match self {
            Sink::Portable(s) => {
                s.restore_cache_size().await?;
                Ok(Txn::Orm(s.txn))
            }
            Sink::Copy(s) => Ok(Txn::Pg(s.tx)),
        }
    }
}

pub(super) use crate::service::pipeline::driver_error as db_err;
