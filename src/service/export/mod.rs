//! Bulk export: every stored figure of a table as flat rows (ISO codes and names,
//! qualifier, source key, publisher and title), as CSV or Parquet, streamed from the
//! database so that memory stays constant whatever the number of rows.
//!
//! Rows come from a database stream (sqlx `fetch`: PostgreSQL sends rows as they are read,
//! SQLite steps its cursor), are written by the format ([`out`]) and handed on every
//! [`CHUNK_BYTES`]; the channel holds a few chunks, so a slow client slows the read instead of
//! filling memory.

mod out;
mod tables;

use chrono::NaiveDate;
use entity::enums::{Qualifier, Sector};
use futures_util::{Stream, StreamExt};
use sea_orm::{ActiveEnum, DbErr};
use tokio::sync::mpsc::Sender;

use super::exchange_rate::RateFilter;
use super::flow_list::FlowFilter;
use crate::error::Result;
use crate::reference::RefData;
pub use out::{CHUNK_BYTES, ROW_GROUP_ROWS};
use out::{Column, Out};

/// Which rows of some countries and years to export (indicators, memberships, aid received).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryYears {
    pub country_ids: Option<Vec<i32>>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

/// Which stated import dependencies to export: those of `Country.importDependencies`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependencyFilter {
    pub importer_ids: Option<Vec<i32>>,
    pub sector: Option<Sector>,
    pub year: Option<i32>,
}

/// A table to export, with its filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    TradeFlows(FlowFilter),
    Indicators(CountryYears),
    ExchangeRates(RateFilter),
    Memberships(CountryYears),
    Countries,
    /// By recipient; years as `Country.aidReceived` (the period overlaps them).
    AidPledges(CountryYears),
    ImportDependencies(DependencyFilter),
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
        }
    }
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// Writes the rows of `what` in `format` as chunks into `sink`; the number of rows.
pub async fn write(
    db: &sea_orm::DatabaseConnection,
    refs: &RefData,
    what: &Export,
    format: Format,
    sink: &Sender<std::io::Result<Vec<u8>>>,
) -> Result<u64> {
    match format {
        Format::Csv => tables::write(db, refs, what, out::Csv::new(), sink).await,
        Format::Parquet => tables::write(db, refs, what, out::Parquet::new(), sink).await,
    }
}

/// One row being written: its fields in column order, with the lookups of the reference
/// tables (codes and names of ids).
pub(super) struct Line<'a, O> {
    out: &'a mut O,
    refs: &'a RefData,
}

impl<O: Out> Line<'_, O> {
    fn int(&mut self, v: impl Into<i64>) -> Result<()> {
        self.out.int(Some(v.into()))
    }
    fn opt_int(&mut self, v: Option<impl Into<i64>>) -> Result<()> {
        self.out.int(v.map(Into::into))
    }
    fn float(&mut self, v: f64) -> Result<()> {
        self.out.float(Some(v))
    }
    fn opt_float(&mut self, v: Option<f64>) -> Result<()> {
        self.out.float(v)
    }
    fn text(&mut self, v: &str) -> Result<()> {
        self.out.text(Some(v))
    }
    fn opt_text(&mut self, v: Option<&str>) -> Result<()> {
        self.out.text(v)
    }
    fn boolean(&mut self, v: bool) -> Result<()> {
        self.out.boolean(v)
    }
    fn date(&mut self, v: Option<NaiveDate>) -> Result<()> {
        self.out.date(v)
    }
    /// ISO alpha-3 code and name (two columns, [`tables::country`]).
    fn country(&mut self, id: i32) -> Result<()> {
        let c = self.refs.countries.by_id(id);
        self.out.text(c.map(|c| c.iso3.as_str()))?;
        self.out.text(c.map(|c| c.name.as_str()))
    }
    /// Qualifier, source key, publisher and title, and the curators' note.
    fn provenance(&mut self, qualifier: Qualifier, source_id: Option<i32>, note: Option<&str>) -> Result<()> {
        self.text(&qualifier.to_value())?;
        self.source(source_id)?;
        self.opt_text(note)
    }
    /// Source key, publisher and title.
    fn source(&mut self, id: Option<i32>) -> Result<()> {
        let s = id.and_then(|id| self.refs.sources.by_id(id));
        self.out.text(s.map(|s| s.key.as_str()))?;
        self.out.text(s.map(|s| s.publisher.as_str()))?;
        self.out.text(s.map(|s| s.title.as_str()))
    }
}

/// Streams `rows` in the format of `out` (header first) into `sink`; the number of rows.
/// Stops quietly when the receiver is gone (the client went away).
async fn pump<O: Out, M>(
    refs: &RefData,
    mut out: O,
    columns: &[Column],
    rows: impl Stream<Item = std::result::Result<M, DbErr>>,
    sink: &Sender<std::io::Result<Vec<u8>>>,
    row: impl Fn(&mut Line<'_, O>, M) -> Result<()>,
) -> Result<u64> {
    out.begin(columns)?;
    let mut count = 0u64;
    let mut rows = std::pin::pin!(rows);
    while let Some(model) = rows.next().await {
        row(&mut Line { out: &mut out, refs }, model?)?;
        out.end_row()?;
        count += 1;
        if let Some(chunk) = out.ready()?
            && sink.send(Ok(chunk)).await.is_err()
        {
            return Ok(count);
        }
    }
    let rest = out.finish()?;
    if !rest.is_empty() {
        let _ = sink.send(Ok(rest)).await;
    }
    Ok(count)
}
