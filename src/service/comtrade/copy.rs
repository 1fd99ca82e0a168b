//! PostgreSQL: `COPY … FROM STDIN` into a temporary table, then an `UPDATE … FROM` of the
//! flows that exist and a plain `INSERT … SELECT` of the others, in the same transaction.

use std::fmt::Write as _;

use entity::enums::{CommodityKind, Qualifier};
use sea_orm::DatabaseConnection;
use sea_orm::sqlx::{self, Postgres};

use super::PUBLISHER;
use super::parse::Row;
use super::resolve::NewCommodity;
use super::sink::db_err;
use crate::error::{Error, Result};
use crate::service::write::Counts;

/// PostgreSQL: `COPY` into a temporary table, then `UPDATE` and `INSERT … SELECT` from it.
pub(super) struct CopySink {
    pub(super) tx: sqlx::Transaction<'static, Postgres>,
    seq: u64,
    source_id: i32,
    buf: String,
}

impl CopySink {
    pub(super) async fn begin(db: &DatabaseConnection) -> Result<Self> {
        let mut tx = db.get_postgres_connection_pool().begin().await.map_err(db_err)?;
        // The final statement sorts the staged rows by key (to keep the last row of each key);
        // give it the memory to do so without spilling to disk. Local to this transaction.
        sqlx::raw_sql(
            "SET LOCAL work_mem = '256MB';
             DROP TABLE IF EXISTS pg_temp.tg_comtrade_import;
             CREATE TEMPORARY TABLE tg_comtrade_import (
                 seq bigint NOT NULL, reporter_id integer NOT NULL, partner_id integer NOT NULL,
                 year integer NOT NULL, commodity_id integer NOT NULL, flow text NOT NULL,
                 value_usd double precision NOT NULL, quantity double precision, quantity_unit text,
                 qualifier text NOT NULL
             ) ON COMMIT DROP",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        Ok(Self {
            tx,
            seq: 0,
            source_id: 0,
            buf: String::new(),
        })
    }

    pub(super) async fn upsert_source(&mut self, key: String, title: String) -> Result<i32> {
        let (id,): (i32,) = sqlx::query_as(
            "INSERT INTO source (key, publisher, title, note) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET publisher = EXCLUDED.publisher, title = EXCLUDED.title
             RETURNING id",
        )
        .bind(key)
        .bind(PUBLISHER)
        .bind(title)
        .bind("written by `tradegraph import comtrade`")
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        self.source_id = id;
        Ok(id)
    }

    pub(super) async fn load_refs(&mut self) -> Result<(Vec<(i32, String, String)>, Vec<(i32, String)>)> {
        let countries = sqlx::query_as("SELECT id, iso3, iso2 FROM country")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        let commodities = sqlx::query_as("SELECT id, code FROM commodity")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok((countries, commodities))
    }

    pub(super) async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        let (id,): (i32,) = sqlx::query_as(
            "INSERT INTO commodity (code, kind, parent_id, name, source_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&c.code)
        .bind(kind_str(c.kind))
        .bind(parent_id)
        .bind(&c.name)
        .bind(source_id)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(id)
    }

    pub(super) async fn write(&mut self, rows: &[Row]) -> Result<()> {
        self.buf.clear();
        for r in rows {
            self.seq += 1;
            let b = &mut self.buf;
            let _ = write!(
                b,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t",
                self.seq,
                r.reporter,
                r.partner,
                r.year,
                r.commodity,
                r.flow.code(),
                r.value
            );
            match r.quantity {
                Some(q) => {
                    let _ = write!(b, "{q}\t");
                }
                None => b.push_str("\\N\t"),
            }
            match &r.unit {
                Some(u) => copy_text(b, u),
                None => b.push_str("\\N"),
            }
            b.push('\t');
            b.push_str(qualifier_str(r.qualifier));
            b.push('\n');
        }
        let mut copy = self
            .tx
            .copy_in_raw(
                "COPY tg_comtrade_import (seq, reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity, \
                 quantity_unit, qualifier) FROM STDIN",
            )
            .await
            .map_err(db_err)?;
        copy.send(self.buf.as_bytes()).await.map_err(db_err)?;
        copy.finish().await.map_err(db_err)?;
        Ok(())
    }

    /// Moves the staged rows into `trade_flow`: an `UPDATE` of the flows that exist, then a plain
    /// `INSERT` of the others. (`INSERT … ON CONFLICT DO UPDATE` does the same in one statement
    /// but its INSERT costs about a third more: it probes the key before each row and inserts
    /// speculatively.) Other writers are not locked out: one that adds a flow of this file
    /// between the two statements makes the import fail (nothing is written) rather than wait.
    /// Answers the counts as the two statements report them.
    pub(super) async fn finish(&mut self) -> Result<Counts> {
        // The flow's natural key, as declared in `service::trade`.
        let same_key = crate::service::trade::flow_key_columns()
            .iter()
            .map(|c| {
                let c = sea_orm::IdenStatic::as_str(c);
                format!("t.{c} = s.{c}")
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let tx = &mut *self.tx;
        // Statistics for the joins below (temporary tables are never analysed automatically).
        sqlx::raw_sql("ANALYZE tg_comtrade_import")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // The parser staged each key once (a repeat with other figures fails the file).
        let updated = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE trade_flow t SET value_usd = s.value_usd, quantity = s.quantity, quantity_unit = s.quantity_unit,
                    qualifier = s.qualifier, source_id = $1, note = NULL
             FROM tg_comtrade_import s WHERE {same_key}"
        )))
        .bind(self.source_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO trade_flow (reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity,
                                     quantity_unit, qualifier, source_id)
             SELECT reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity, quantity_unit,
                    qualifier, $1
             FROM tg_comtrade_import s
             WHERE NOT EXISTS (SELECT 1 FROM trade_flow t WHERE {same_key})
             ORDER BY seq"
        )))
        .bind(self.source_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
            Some(code) if code == "23505" => Error::internal(
                "another writer stored some of this file's flows while it was being imported; \
                 nothing was written, run the import again",
            ),
            _ => db_err(e),
        })?
        .rows_affected();
        let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        Ok(Counts {
            inserted: n(inserted),
            updated: n(updated),
        })
    }
}

fn qualifier_str(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "EXACT",
        Qualifier::Approximate => "APPROXIMATE",
        Qualifier::AtLeast => "AT_LEAST",
        Qualifier::AtMost => "AT_MOST",
        Qualifier::Estimate => "ESTIMATE",
    }
}

/// Appends `s` escaped for `COPY`'s text format.
fn copy_text(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn kind_str(kind: CommodityKind) -> &'static str {
    match kind {
        CommodityKind::Total => "total",
        CommodityKind::Section => "section",
        CommodityKind::Chapter => "chapter",
        CommodityKind::Heading => "heading",
        CommodityKind::Subheading => "subheading",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes() {
        let mut s = String::new();
        copy_text(&mut s, "a\tb\\c\nd");
        assert_eq!(s, "a\\tb\\\\c\\nd");
    }
}
