//! The tables of the bulk export: each one's query, its columns (names and types, the same
//! in CSV and Parquet) and how a stored row fills them.

use entity::enums::FlowKind;
use entity::{country, exchange_rate, import_dependency, indicator, membership, trade_flow};
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};
use tokio::sync::mpsc::Sender;

use super::out::Kind::{Bool, Date, F64, I32, I64, Text};
use super::out::{Column, Out, opt, req};
use super::{Export, pump};
use crate::error::Result;
use crate::reference::RefData;
use crate::service::aid::{self, AidFigure};
use crate::service::{any_of, years};

/// Qualifier, source and note: the provenance columns every figure ends with.
const PROVENANCE: [Column; 5] = [
    req("qualifier", Text),
    opt("source_key", Text),
    opt("source_publisher", Text),
    opt("source_title", Text),
    opt("note", Text),
];

/// A country's ISO alpha-3 code and name, under `code` and `name`.
const fn country(code: &'static str, name: &'static str) -> [Column; 2] {
    // Looked up in the reference cache: empty should a row cite a country the cache has not
    // loaded yet (it reloads on its own), rather than failing the export.
    [opt(code, Text), opt(name, Text)]
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

/// Writes the rows of `what` into `sink` through `out`; the number of rows.
pub(super) async fn write<O: Out>(
    db: &DatabaseConnection,
    refs: &RefData,
    what: &Export,
    out: O,
    sink: &Sender<std::io::Result<Vec<u8>>>,
) -> Result<u64> {
    match what {
        Export::TradeFlows(filter) => {
            let columns = [
                &[req("id", I64)][..],
                &country("reporter", "reporter_name"),
                &country("partner", "partner_name"),
                &[
                    req("year", I32),
                    opt("commodity", Text),
                    opt("commodity_name", Text),
                    req("flow", Text),
                    req("value_usd", F64),
                    opt("quantity", F64),
                    opt("quantity_unit", Text),
                ],
                &PROVENANCE,
            ]
            .concat();
            let rows = filter.select().order_by_asc(trade_flow::Column::Id).stream(db).await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.int(r.id)?;
                l.country(r.reporter_id)?;
                l.country(r.partner_id)?;
                l.int(r.year)?;
                let c = l.refs.commodities.by_id(r.commodity_id);
                l.opt_text(c.map(|c| c.code.as_str()))?;
                l.opt_text(c.map(|c| c.name.as_str()))?;
                l.text(flow_name(r.flow))?;
                l.float(r.value_usd)?;
                l.opt_float(r.quantity)?;
                l.opt_text(r.quantity_unit.as_deref())?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::Indicators(f) => {
            use indicator::Column as C;
            let columns = [
                &[req("id", I32)][..],
                &country("country", "country_name"),
                &[req("code", Text), req("year", I32), req("value", F64)],
                &PROVENANCE,
            ]
            .concat();
            let rows = indicator::Entity::find()
                .filter(any_of(C::CountryId, &f.country_ids))
                .filter(years(C::Year, f.from_year, f.to_year))
                .order_by_asc(C::Id)
                .stream(db)
                .await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.int(r.id)?;
                l.country(r.country_id)?;
                l.text(&r.code)?;
                l.int(r.year)?;
                l.float(r.value)?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::ExchangeRates(f) => {
            let columns = [
                &[req("currency", Text), req("year", I32), req("usd_per_unit", F64)][..],
                &PROVENANCE,
            ]
            .concat();
            let rows = f.select().stream(db).await?;
            pump(refs, out, &columns, rows, sink, |l, r: exchange_rate::Model| {
                l.text(&r.currency)?;
                l.int(r.year)?;
                l.float(r.usd_per_unit)?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::Memberships(f) => {
            use membership::Column as C;
            let columns = [
                &[
                    req("id", I32),
                    opt("organization", Text),
                    opt("organization_name", Text),
                ][..],
                &country("country", "country_name"),
                &[req("status", Text), opt("since", Date), opt("until", Date)],
                &PROVENANCE[1..],
            ]
            .concat();
            let rows = membership::Entity::find()
                .filter(any_of(C::CountryId, &f.country_ids))
                .order_by_asc(C::Id)
                .stream(db)
                .await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.int(r.id)?;
                let o = l.refs.organizations.by_id(r.organization_id);
                l.opt_text(o.map(|o| o.code.as_str()))?;
                l.opt_text(o.map(|o| o.name.as_str()))?;
                l.country(r.country_id)?;
                l.text(&r.status.to_value())?;
                l.date(r.since)?;
                l.date(r.until)?;
                l.source(r.source_id)?;
                l.opt_text(r.note.as_deref())
            })
            .await
        }
        Export::Countries => {
            let columns = [
                &[
                    req("iso3", Text),
                    req("iso2", Text),
                    req("numeric", Text),
                    req("name", Text),
                    opt("official_name", Text),
                    opt("region", Text),
                    opt("subregion", Text),
                    req("landlocked", Bool),
                ][..],
                &PROVENANCE[1..4],
            ]
            .concat();
            let rows = country::Entity::find()
                .filter(country::Column::IsAggregate.eq(false))
                .order_by_asc(country::Column::Iso3)
                .stream(db)
                .await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.text(&r.iso3)?;
                l.text(&r.iso2)?;
                l.text(&r.numeric_code)?;
                l.text(&r.name)?;
                l.opt_text(r.official_name.as_deref())?;
                l.opt_text(r.region.as_deref())?;
                l.opt_text(r.subregion.as_deref())?;
                l.boolean(r.landlocked)?;
                l.source(r.source_id)
            })
            .await
        }
        Export::AidPledges(f) => {
            let columns = [
                &[req("id", I32), opt("donor", Text), opt("donor_name", Text)][..],
                &country("recipient", "recipient_name"),
                &[
                    req("kind", Text),
                    req("amount", F64),
                    req("currency", Text),
                    opt("amount_usd", F64),
                    opt("annual_amount_usd", F64),
                    opt("per_capita_usd", F64),
                    opt("amount_usd_qualifier", Text),
                    opt("reference_year", I32),
                    opt("announced_on", Date),
                    opt("period_start_year", I32),
                    opt("period_end_year", I32),
                    opt("purpose", Text),
                    opt("fulfils_id", I32),
                ],
                &PROVENANCE,
            ]
            .concat();
            // The figures as `aidReceived` computes them (one definition, `aid::push_figures`).
            let statement = aid::statement(
                db.get_database_backend(),
                ("a.recipient_id", f.country_ids.as_deref()),
                f.from_year,
                f.to_year,
                "f.id",
            );
            let rows = AidFigure::find_by_statement(statement).stream(db).await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.int(r.id)?;
                match (r.donor_country_id, r.donor_organization_id) {
                    (Some(c), _) => l.country(c)?,
                    (None, o) => {
                        let o = o.and_then(|o| l.refs.organizations.by_id(o));
                        l.opt_text(o.map(|o| o.code.as_str()))?;
                        l.opt_text(o.map(|o| o.name.as_str()))?;
                    }
                }
                l.country(r.recipient_id)?;
                l.text(&r.kind.to_value())?;
                l.float(r.amount)?;
                l.text(&r.currency)?;
                l.opt_float(r.amount_usd)?;
                l.opt_float(r.annual_amount_usd)?;
                l.opt_float(r.per_capita_usd)?;
                l.opt_text(r.amount_usd_qualifier.map(|q| q.to_value()).as_deref())?;
                l.opt_int(r.ref_year)?;
                l.date(r.announced_on)?;
                l.opt_int(r.period_start_year)?;
                l.opt_int(r.period_end_year)?;
                l.opt_text(r.purpose.as_deref())?;
                l.opt_int(r.fulfils)?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
        Export::ImportDependencies(f) => {
            use import_dependency::Column as C;
            let columns = [
                &[req("id", I32)][..],
                &country("importer", "importer_name"),
                &country("supplier", "supplier_name"),
                &[
                    req("sector", Text),
                    req("product", Text),
                    opt("year", I32),
                    req("share", F64),
                    req("basis", Text),
                ],
                &PROVENANCE,
            ]
            .concat();
            let mut query = import_dependency::Entity::find().filter(any_of(C::ImporterId, &f.importer_ids));
            if let Some(s) = f.sector {
                query = query.filter(C::Sector.eq(s));
            }
            if let Some(y) = f.year {
                query = query.filter(C::Year.eq(y));
            }
            let rows = query.order_by_asc(C::Id).stream(db).await?;
            pump(refs, out, &columns, rows, sink, |l, r| {
                l.int(r.id)?;
                l.country(r.importer_id)?;
                l.country(r.supplier_id)?;
                l.text(&r.sector.to_value())?;
                l.text(&r.product)?;
                l.opt_int(r.year)?;
                l.float(r.share)?;
                l.text(&r.basis.to_value())?;
                l.provenance(r.qualifier, r.source_id, r.note.as_deref())
            })
            .await
        }
    }
}
