//! Bulk export: every stored figure of a table as flat CSV rows (ISO codes and names,
//! qualifier, source key, publisher and title), streamed from the database in chunks so
//! that memory stays constant whatever the number of rows.
//!
//! Rows come from a database stream (sqlx `fetch`: PostgreSQL sends rows as they are read,
//! SQLite steps its cursor), are written to a CSV buffer and handed on every
//! [`CHUNK_BYTES`]; the channel holds a few chunks, so a slow client slows the read instead of
//! filling memory.

use entity::enums::{FlowKind, Qualifier};
use entity::{country, exchange_rate, indicator, membership, trade_flow};
use futures_util::StreamExt;
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select};
use tokio::sync::mpsc::Sender;

use super::exchange_rate::RateFilter;
use super::flow_list::FlowFilter;
use super::{any_of, years};
use crate::error::{Error, Result};
use crate::reference::RefData;

/// Bytes of CSV handed on at a time.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Which rows of one country and years to export (indicators, memberships).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryYears {
    pub country_ids: Option<Vec<i32>>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

/// A table to export, with its filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    TradeFlows(FlowFilter),
    Indicators(CountryYears),
    ExchangeRates(RateFilter),
    Memberships(CountryYears),
    Countries,
}

/// One CSV line being written: fields in order.
pub struct Line<'a> {
    out: &'a mut csv::Writer<Vec<u8>>,
    refs: &'a RefData,
}

impl Line<'_> {
    fn text(&mut self, v: &str) -> csv::Result<()> {
        self.out.write_field(v)
    }
    fn opt_text(&mut self, v: Option<&str>) -> csv::Result<()> {
        self.out.write_field(v.unwrap_or(""))
    }
    fn num(&mut self, v: impl std::fmt::Display) -> csv::Result<()> {
        self.out.write_field(v.to_string())
    }
    fn opt_num(&mut self, v: Option<impl std::fmt::Display>) -> csv::Result<()> {
        match v {
            Some(v) => self.num(v),
            None => self.out.write_field(""),
        }
    }
    /// ISO alpha-3 code and name.
    fn country(&mut self, id: i32) -> csv::Result<()> {
        let c = self.refs.countries.by_id(id);
        self.opt_text(c.map(|c| c.iso3.as_str()))?;
        self.opt_text(c.map(|c| c.name.as_str()))
    }
    /// Qualifier, source key, publisher and title, and the curators' note.
    fn provenance(&mut self, qualifier: Qualifier, source_id: Option<i32>, note: Option<&str>) -> csv::Result<()> {
        self.text(&qualifier.to_value())?;
        self.source(source_id)?;
        self.opt_text(note)
    }
    /// Source key, publisher and title.
    fn source(&mut self, id: Option<i32>) -> csv::Result<()> {
        let s = id.and_then(|id| self.refs.sources.by_id(id));
        self.opt_text(s.map(|s| s.key.as_str()))?;
        self.opt_text(s.map(|s| s.publisher.as_str()))?;
        self.opt_text(s.map(|s| s.title.as_str()))
    }
}

/// The names the API gives directions (`EXPORT`, …).
fn flow_name(f: FlowKind) -> &'static str {
    match f {
        FlowKind::Export => "EXPORT",
        FlowKind::Import => "IMPORT",
        FlowKind::ReExport => "RE_EXPORT",
        FlowKind::ReImport => "RE_IMPORT",
    }
}

const SOURCE: [&str; 3] = ["source_key", "source_publisher", "source_title"];

/// Streams `query`'s rows as CSV (header first) into `sink`; the number of rows. Stops
/// quietly when the receiver is gone (the client went away).
async fn pump<E: EntityTrait>(
    db: &DatabaseConnection,
    refs: &RefData,
    query: Select<E>,
    header: &[&str],
    sink: &Sender<std::io::Result<Vec<u8>>>,
    row: impl Fn(&mut Line<'_>, E::Model) -> csv::Result<()>,
) -> Result<u64>
where
    E::Model: Send + Sync,
{
    let writer = || csv::Writer::from_writer(Vec::with_capacity(CHUNK_BYTES * 2));
    let mut out = writer();
    out.write_record(header).map_err(Error::internal)?;
    let mut rows = 0u64;
    let mut stream = Box::pin(query.stream(db).await?);
    while let Some(model) = stream.next().await {
        row(&mut Line { out: &mut out, refs }, model?).map_err(Error::internal)?;
        out.write_record(None::<&[u8]>).map_err(Error::internal)?;
        rows += 1;
        if out.get_ref().len() >= CHUNK_BYTES {
            let full = std::mem::replace(&mut out, writer())
                .into_inner()
                .map_err(Error::internal)?;
            if sink.send(Ok(full)).await.is_err() {
                return Ok(rows);
            }
        }
    }
    let rest = out.into_inner().map_err(Error::internal)?;
    if !rest.is_empty() {
        let _ = sink.send(Ok(rest)).await;
    }
    Ok(rows)
}

/// Writes the rows of `what` as CSV chunks into `sink`; the number of rows.
pub async fn csv(
    db: &DatabaseConnection,
    refs: &RefData,
    what: &Export,
    sink: &Sender<std::io::Result<Vec<u8>>>,
) -> Result<u64> {
    match what {
        Export::TradeFlows(filter) => {
            let header = [
                &[
                    "id",
                    "reporter",
                    "reporter_name",
                    "partner",
                    "partner_name",
                    "year",
                    "commodity",
                    "commodity_name",
                    "flow",
                    "value_usd",
                    "quantity",
                    "quantity_unit",
                    "qualifier",
                ][..],
                &SOURCE,
                &["note"],
            ]
            .concat();
            let query = filter.select().order_by_asc(trade_flow::Column::Id);
            pump(db, refs, query, &header, sink, |l, r| {
                l.num(r.id)?;
                l.country(r.reporter_id)?;
                l.country(r.partner_id)?;
                l.num(r.year)?;
                let c = l.refs.commodities.by_id(r.commodity_id);
                l.opt_text(c.map(|c| c.code.as_str()))?;
                l.opt_text(c.map(|c| c.name.as_str()))?;
                l.text(flow_name(r.flow))?;
                l.num(r.value_usd)?;
                l.opt_num(r.quantity)?;
                l.opt_text(r.quantity_unit.as_deref())?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::Indicators(f) => {
            use indicator::Column as C;
            let query = indicator::Entity::find()
                .filter(any_of(C::CountryId, &f.country_ids))
                .filter(years(C::Year, f.from_year, f.to_year));
            let query = query.order_by_asc(C::Id);
            let header = [
                &["id", "country", "country_name", "code", "year", "value", "qualifier"][..],
                &SOURCE,
                &["note"],
            ]
            .concat();
            pump(db, refs, query, &header, sink, |l, r| {
                l.num(r.id)?;
                l.country(r.country_id)?;
                l.text(&r.code)?;
                l.num(r.year)?;
                l.num(r.value)?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::ExchangeRates(f) => {
            let header = [
                &["currency", "year", "usd_per_unit", "qualifier"][..],
                &SOURCE,
                &["note"],
            ]
            .concat();
            pump(db, refs, f.select(), &header, sink, |l, r: exchange_rate::Model| {
                l.text(&r.currency)?;
                l.num(r.year)?;
                l.num(r.usd_per_unit)?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::Memberships(f) => {
            use membership::Column as C;
            let query = membership::Entity::find().filter(any_of(C::CountryId, &f.country_ids));
            let query = query.order_by_asc(C::Id);
            let header = [
                &[
                    "id",
                    "organization",
                    "organization_name",
                    "country",
                    "country_name",
                    "status",
                    "since",
                    "until",
                ][..],
                &SOURCE,
                &["note"],
            ]
            .concat();
            pump(db, refs, query, &header, sink, |l, r| {
                l.num(r.id)?;
                let o = l.refs.organizations.by_id(r.organization_id);
                l.opt_text(o.map(|o| o.code.as_str()))?;
                l.opt_text(o.map(|o| o.name.as_str()))?;
                l.country(r.country_id)?;
                l.text(&r.status.to_value())?;
                l.opt_num(r.since)?;
                l.opt_num(r.until)?;
                l.source(r.source_id)?;
                l.opt_text(r.note.as_deref())
            })
            .await
        }
        Export::Countries => {
            let query = country::Entity::find()
                .filter(country::Column::IsAggregate.eq(false))
                .order_by_asc(country::Column::Iso3);
            let header = [
                &[
                    "iso3",
                    "iso2",
                    "numeric",
                    "name",
                    "official_name",
                    "region",
                    "subregion",
                    "landlocked",
                ][..],
                &SOURCE,
            ]
            .concat();
            pump(db, refs, query, &header, sink, |l, r| {
                l.text(&r.iso3)?;
                l.text(&r.iso2)?;
                l.text(&r.numeric_code)?;
                l.text(&r.name)?;
                l.opt_text(r.official_name.as_deref())?;
                l.opt_text(r.region.as_deref())?;
                l.opt_text(r.subregion.as_deref())?;
                l.text(if r.landlocked { "true" } else { "false" })?;
                l.source(r.source_id)
            })
            .await
        }
    }
}
