//! The bundled facts. Those with a natural key (trade flows, stated trade totals,
//! indicators, exchange rates) are upserted on it; those without one (memberships, aid,
//! dependencies, stated shares) are replaced: the rows that cite a bundled source are
//! deleted and the bundled rows inserted again.

use entity::enums::{AidKind, DependencyBasis, FlowKind, MembershipStatus, Qualifier, Sector};
use entity::{
    aid_pledge, dependency_commodity, exchange_rate, import_dependency, indicator, membership, partner_share,
    trade_flow, trade_total,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use super::rows::{
    AidRow, DependencyRow, IndicatorRow, MembershipRow, PartnerShareRow, RateRow, TradeFlowRow, TradeTotalRow,
};
use super::store::Tables;
use super::{Ids, date, opt, parsed};
use crate::error::Result;
use crate::service::pipeline::Natural;

/// The facts of the bundled data, as read.
pub(super) struct Facts {
    pub(super) memberships: Vec<MembershipRow>,
    pub(super) flows: Vec<TradeFlowRow>,
    pub(super) totals: Vec<TradeTotalRow>,
    pub(super) shares: Vec<PartnerShareRow>,
    pub(super) aid: Vec<AidRow>,
    pub(super) dependencies: Vec<DependencyRow>,
    pub(super) indicators: Vec<IndicatorRow>,
    pub(super) rates: Vec<RateRow>,
}

/// Writes the facts; `report` gets the rows of each table.
pub(super) async fn load(
    store: &mut Tables,
    ids: &Ids,
    bundled_sources: Vec<i32>,
    facts: Facts,
    report: &mut Vec<(&'static str, usize)>,
) -> Result<()> {
    // Facts without a natural key: replace the bundled ones.
    membership::Entity::delete_many()
        .filter(membership::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&store.txn)
        .await?;
    aid_pledge::Entity::delete_many()
        .filter(aid_pledge::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&store.txn)
        .await?;
    import_dependency::Entity::delete_many()
        .filter(import_dependency::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&store.txn)
        .await?;
    partner_share::Entity::delete_many()
        .filter(partner_share::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&store.txn)
        .await?;

    const F: &str = "memberships.csv";
    report.push(("membership", facts.memberships.len()));
    let mut rows = Vec::new();
    for m in facts.memberships {
        rows.push(membership::ActiveModel {
            id: NotSet,
            organization_id: Set(Ids::get(&ids.organizations, F, "organisation", &m.organization)?),
            country_id: Set(ids.country(F, &m.country)?),
            status: Set(parsed(F, "status", &m.status, MembershipStatus::parse)?),
            since: Set(date(F, &m.since)?),
            until: Set(date(F, &m.until)?),
            source_id: Set(ids.source(F, &m.source)?),
            note: Set(opt(&m.note)),
        });
    }
    store.insert(rows, None).await?;

    const T: &str = "trade_flows.csv";
    report.push(("trade_flow", facts.flows.len()));
    let mut rows = Vec::new();
    for f in facts.flows {
        rows.push(trade_flow::ActiveModel {
            id: NotSet,
            reporter_id: Set(ids.country(T, &f.reporter)?),
            partner_id: Set(ids.country(T, &f.partner)?),
            year: Set(f.year),
            commodity_id: Set(Ids::get(&ids.commodities, T, "commodity", &f.commodity)?),
            flow: Set(parsed(T, "flow", &f.flow, FlowKind::parse)?),
            value_usd: Set(f.value_usd),
            quantity: Set(f.quantity),
            quantity_unit: Set(opt(&f.quantity_unit)),
            qualifier: Set(parsed(T, "qualifier", &f.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(T, &f.source)?),
            note: Set(opt(&f.note)),
        });
    }
    let key = trade_flow::Entity::unique_key().unwrap_or_default();
    store
        .upsert(
            "trade_flows.csv + wdi_merchandise_trade.csv",
            rows,
            key,
            trade_flow::Entity::replaced(),
        )
        .await?;

    const TT: &str = "trade_totals.csv";
    report.push(("trade_total", facts.totals.len()));
    let mut rows = Vec::new();
    for t in facts.totals {
        rows.push(trade_total::ActiveModel {
            id: NotSet,
            reporter_id: Set(ids.country(TT, &t.reporter)?),
            partner_id: Set(ids.country(TT, &t.partner)?),
            year: Set(t.year),
            commodity_id: Set(Ids::get(&ids.commodities, TT, "commodity", &t.commodity)?),
            value_usd: Set(t.value_usd),
            qualifier: Set(parsed(TT, "qualifier", &t.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(TT, &t.source)?),
            note: Set(opt(&t.note)),
        });
    }
    use trade_total::Column as TTc;
    let key = vec![TTc::ReporterId, TTc::PartnerId, TTc::CommodityId, TTc::Year];
    let replaced = vec![TTc::ValueUsd, TTc::Qualifier, TTc::SourceId, TTc::Note];
    store.upsert(TT, rows, key, replaced).await?;

    const S: &str = "partner_shares.csv";
    report.push(("partner_share", facts.shares.len()));
    let mut rows = Vec::new();
    for s in facts.shares {
        let (partner_country_id, partner_organization_id) = ids.party(S, &s.partner)?;
        rows.push(partner_share::ActiveModel {
            id: NotSet,
            reporter_id: Set(ids.country(S, &s.reporter)?),
            partner_country_id: Set(partner_country_id),
            partner_organization_id: Set(partner_organization_id),
            year: Set(s.year),
            flow: Set(parsed(S, "flow", &s.flow, FlowKind::parse)?),
            share: Set(s.share),
            qualifier: Set(parsed(S, "qualifier", &s.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(S, &s.source)?),
            note: Set(opt(&s.note)),
        });
    }
    store.insert(rows, None).await?;

    const A: &str = "aid_pledges.csv";
    report.push(("aid_pledge", facts.aid.len()));
    let mut rows = Vec::new();
    for a in facts.aid {
        let (donor_country_id, donor_organization_id) = ids.party(A, &a.donor)?;
        rows.push(aid_pledge::ActiveModel {
            id: NotSet,
            donor_country_id: Set(donor_country_id),
            donor_organization_id: Set(donor_organization_id),
            recipient_id: Set(ids.country(A, &a.recipient)?),
            amount: Set(a.amount),
            currency: Set(a.currency.trim().to_ascii_uppercase()),
            kind: Set(parsed(A, "kind", &a.kind, AidKind::parse)?),
            announced_on: Set(date(A, &a.announced_on)?),
            period_start_year: Set(a.period_start_year),
            period_end_year: Set(a.period_end_year),
            purpose: Set(opt(&a.purpose)),
            qualifier: Set(parsed(A, "qualifier", &a.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(A, &a.source)?),
            note: Set(opt(&a.note)),
            fulfils: NotSet,
        });
    }
    store.insert(rows, None).await?;

    const D: &str = "import_dependencies.csv";
    report.push(("import_dependency", facts.dependencies.len()));
    // Few rows, each with its HS codes: insert one by one to learn the ids.
    for d in facts.dependencies {
        let codes = d
            .hs_codes
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| Ids::get(&ids.commodities, D, "HS code", c))
            .collect::<Result<Vec<i32>>>()?;
        let row = import_dependency::ActiveModel {
            id: NotSet,
            importer_id: Set(ids.country(D, &d.importer)?),
            supplier_id: Set(ids.country(D, &d.supplier)?),
            sector: Set(parsed(D, "sector", &d.sector, Sector::parse)?),
            product: Set(d.product),
            year: Set(d.year),
            share: Set(d.share),
            basis: Set(parsed(D, "basis", &d.basis, DependencyBasis::parse)?),
            qualifier: Set(parsed(D, "qualifier", &d.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(D, &d.source)?),
            note: Set(opt(&d.note)),
        }
        .insert(&store.txn)
        .await?;
        store.wrote_one();
        let links: Vec<dependency_commodity::ActiveModel> = codes
            .into_iter()
            .map(|commodity_id| dependency_commodity::ActiveModel {
                import_dependency_id: Set(row.id),
                commodity_id: Set(commodity_id),
            })
            .collect();
        store.insert(links, None).await?;
    }

    const I: &str = "indicators.csv";
    report.push(("indicator", facts.indicators.len()));
    let mut rows = Vec::new();
    for i in facts.indicators {
        rows.push(indicator::ActiveModel {
            id: NotSet,
            country_id: Set(ids.country(I, &i.country)?),
            year: Set(i.year),
            code: Set(i.code.trim().to_ascii_uppercase()),
            value: Set(i.value),
            qualifier: Set(parsed(I, "qualifier", &i.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(I, &i.source)?),
            note: Set(opt(&i.note)),
        });
    }
    let key = indicator::Entity::unique_key().unwrap_or_default();
    store
        .upsert(
            "indicators.csv + wdi_population_gdp.csv",
            rows,
            key,
            indicator::Entity::replaced(),
        )
        .await?;

    const R: &str = "exchange_rates.csv";
    report.push(("exchange_rate", facts.rates.len()));
    let mut rows = Vec::new();
    for r in facts.rates {
        rows.push(exchange_rate::ActiveModel {
            id: NotSet,
            currency: Set(r.currency.trim().to_ascii_uppercase()),
            year: Set(r.year),
            usd_per_unit: Set(r.usd_per_unit),
            qualifier: Set(parsed(R, "qualifier", &r.qualifier, Qualifier::parse)?),
            source_id: Set(ids.source(R, &r.source)?),
            note: Set(opt(&r.note)),
        });
    }
    use exchange_rate::Column as Rc;
    let replaced = vec![Rc::UsdPerUnit, Rc::Qualifier, Rc::SourceId, Rc::Note];
    store.upsert(R, rows, vec![Rc::Currency, Rc::Year], replaced).await?;
    Ok(())
}
