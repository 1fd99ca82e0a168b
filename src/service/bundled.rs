//! Loading the data the program ships (`data/*.csv`) into the database.
//!
//! Reference tables (sources, countries, organisations, commodities) are upserted on their
//! natural keys; facts with a natural key (trade flows, stated trade totals, indicators,
//! exchange rates) too.
//! Facts without one (memberships, aid, dependencies, stated shares) are replaced: the rows
//! that cite a bundled source are deleted and the bundled rows inserted again. All of it
//! runs in one transaction, so loading twice leaves the same data.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use entity::enums::{AidKind, CommodityKind, DependencyBasis, FlowKind, MembershipStatus, Qualifier, Sector};
use entity::{
    aid_pledge, commodity, country, dependency_commodity, exchange_rate, import_dependency, indicator, membership,
    organization, partner_share, source, trade_flow, trade_total,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The bundled CSV files, by name.
pub const FILES: &[(&str, &str)] = &[
    ("sources.csv", include_str!("../../data/sources.csv")),
    ("countries.csv", include_str!("../../data/countries.csv")),
    (
        "country_aggregates.csv",
        include_str!("../../data/country_aggregates.csv"),
    ),
    ("organizations.csv", include_str!("../../data/organizations.csv")),
    ("commodities.csv", include_str!("../../data/commodities.csv")),
    ("memberships.csv", include_str!("../../data/memberships.csv")),
    ("trade_flows.csv", include_str!("../../data/trade_flows.csv")),
    (
        "wdi_merchandise_trade.csv",
        include_str!("../../data/wdi_merchandise_trade.csv"),
    ),
    ("trade_totals.csv", include_str!("../../data/trade_totals.csv")),
    ("partner_shares.csv", include_str!("../../data/partner_shares.csv")),
    ("aid_pledges.csv", include_str!("../../data/aid_pledges.csv")),
    (
        "import_dependencies.csv",
        include_str!("../../data/import_dependencies.csv"),
    ),
    ("indicators.csv", include_str!("../../data/indicators.csv")),
    (
        "wdi_population_gdp.csv",
        include_str!("../../data/wdi_population_gdp.csv"),
    ),
    ("exchange_rates.csv", include_str!("../../data/exchange_rates.csv")),
];

/// Where the CSV text comes from: the copies built into the binary, or a directory.
pub enum DataSet<'a> {
    Bundled,
    Dir(&'a Path),
}

impl DataSet<'_> {
    fn read(&self, name: &str) -> Result<String> {
        match self {
            DataSet::Bundled => FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| Error::internal(format!("no bundled file {name}"))),
            DataSet::Dir(dir) => Ok(std::fs::read_to_string(dir.join(name))?),
        }
    }
}

/// Rows written per table by one load.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub counts: Vec<(&'static str, usize)>,
}

/// Parses every record of one CSV file, naming file and line on error.
fn parse<T: for<'de> Deserialize<'de>>(data: &DataSet<'_>, name: &str) -> Result<Vec<T>> {
    let text = data.read(name)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|r| r.map_err(|e| Error::internal(format!("{name}: {e}"))))
        .collect()
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn date(file: &str, s: &str) -> Result<Option<NaiveDate>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| Error::internal(format!("{file}: bad date {s:?}: {e}")))
}

fn parsed<T>(file: &str, what: &str, value: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
    f(value.trim()).ok_or_else(|| Error::internal(format!("{file}: unknown {what} {value:?}")))
}

/// Resolves codes to ids while loading.
struct Ids {
    sources: HashMap<String, i32>,
    countries: HashMap<String, i32>,
    organizations: HashMap<String, i32>,
    commodities: HashMap<String, i32>,
}

impl Ids {
    fn get(map: &HashMap<String, i32>, file: &str, what: &str, code: &str) -> Result<i32> {
        map.get(code.trim())
            .copied()
            .ok_or_else(|| Error::internal(format!("{file}: unknown {what} {code:?}")))
    }
    fn source(&self, file: &str, key: &str) -> Result<Option<i32>> {
        if key.trim().is_empty() {
            return Ok(None);
        }
        Self::get(&self.sources, file, "source", key).map(Some)
    }
    fn country(&self, file: &str, code: &str) -> Result<i32> {
        Self::get(&self.countries, file, "country", code)
    }
    /// A party that is either a country or an organisation.
    fn party(&self, file: &str, code: &str) -> Result<(Option<i32>, Option<i32>)> {
        if let Some(id) = self.countries.get(code.trim()) {
            return Ok((Some(*id), None));
        }
        Self::get(&self.organizations, file, "country or organisation", code).map(|id| (None, Some(id)))
    }
}

async fn id_map<C, E>(db: &C, key: E::Column, id: E::Column) -> Result<HashMap<String, i32>>
where
    C: ConnectionTrait,
    E: EntityTrait,
{
    let rows: Vec<(String, i32)> = E::find()
        .select_only()
        .column(key)
        .column(id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Values bound per INSERT statement. PostgreSQL plans one statement of thousands of
/// parameters far more slowly than several small ones: loading the bundled data (11 k
/// indicator rows) took 2.1 s with 500-row statements and 0.85 s with 50-row ones (debug
/// build, median of 3); SQLite took the same time either way.
const VALUES_PER_INSERT: usize = 500;

/// Inserts in chunks of about `VALUES_PER_INSERT` values (SQLite also caps bound
/// parameters per statement).
async fn insert_chunks<C, A>(db: &C, rows: Vec<A>, on_conflict: Option<OnConflict>) -> Result<()>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    use sea_orm::Iterable;
    let per_chunk = (VALUES_PER_INSERT / <A::Entity as EntityTrait>::Column::iter().count()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_chunk).collect();
        let mut insert = A::Entity::insert_many(chunk);
        if let Some(oc) = &on_conflict {
            insert = insert.on_conflict(oc.clone());
        }
        insert.exec_without_returning(db).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct SourceRow {
    key: String,
    publisher: String,
    title: String,
    year: Option<i32>,
    url: String,
    note: String,
}

#[derive(Deserialize)]
struct CountryRow {
    iso3: String,
    iso2: String,
    numeric: String,
    name: String,
    official_name: String,
    region: String,
    subregion: String,
    landlocked: bool,
    source: String,
}

#[derive(Deserialize)]
struct OrganizationRow {
    code: String,
    name: String,
    full_name: String,
    founded: String,
    url: String,
    source: String,
}

#[derive(Deserialize)]
struct CommodityRow {
    code: String,
    kind: String,
    parent: String,
    name: String,
    source: String,
}

#[derive(Deserialize)]
struct MembershipRow {
    organization: String,
    country: String,
    status: String,
    since: String,
    until: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct TradeFlowRow {
    reporter: String,
    partner: String,
    year: i32,
    commodity: String,
    flow: String,
    value_usd: f64,
    quantity: Option<f64>,
    quantity_unit: String,
    qualifier: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct TradeTotalRow {
    reporter: String,
    partner: String,
    year: i32,
    commodity: String,
    value_usd: f64,
    qualifier: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct PartnerShareRow {
    reporter: String,
    partner: String,
    year: Option<i32>,
    flow: String,
    share: f64,
    qualifier: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct AidRow {
    donor: String,
    recipient: String,
    amount: f64,
    currency: String,
    kind: String,
    announced_on: String,
    period_start_year: Option<i32>,
    period_end_year: Option<i32>,
    purpose: String,
    qualifier: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct DependencyRow {
    importer: String,
    supplier: String,
    sector: String,
    product: String,
    year: Option<i32>,
    share: f64,
    basis: String,
    qualifier: String,
    source: String,
    note: String,
    /// HS codes the product corresponds to, `;`-separated (optional column).
    #[serde(default)]
    hs_codes: String,
}

#[derive(Deserialize)]
struct IndicatorRow {
    country: String,
    year: i32,
    code: String,
    value: f64,
    qualifier: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
struct RateRow {
    currency: String,
    year: i32,
    usd_per_unit: f64,
    qualifier: String,
    source: String,
    note: String,
}

/// True when the database has no countries yet (a fresh database).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool> {
    Ok(country::Entity::find().one(db).await?.is_none())
}

/// Loads the whole data set in one transaction.
pub async fn load(db: &DatabaseConnection, data: DataSet<'_>) -> Result<LoadReport> {
    // Parse everything before touching the database.
    let sources: Vec<SourceRow> = parse(&data, "sources.csv")?;
    let mut countries: Vec<CountryRow> = parse(&data, "countries.csv")?;
    let aggregates: Vec<CountryRow> = parse(&data, "country_aggregates.csv")?;
    let n_aggregates = aggregates.len();
    countries.extend(aggregates);
    let organizations: Vec<OrganizationRow> = parse(&data, "organizations.csv")?;
    let commodities: Vec<CommodityRow> = parse(&data, "commodities.csv")?;
    let memberships: Vec<MembershipRow> = parse(&data, "memberships.csv")?;
    let mut flows: Vec<TradeFlowRow> = parse(&data, "trade_flows.csv")?;
    flows.extend(parse::<TradeFlowRow>(&data, "wdi_merchandise_trade.csv")?);
    let totals: Vec<TradeTotalRow> = parse(&data, "trade_totals.csv")?;
    let shares: Vec<PartnerShareRow> = parse(&data, "partner_shares.csv")?;
    let aid: Vec<AidRow> = parse(&data, "aid_pledges.csv")?;
    let dependencies: Vec<DependencyRow> = parse(&data, "import_dependencies.csv")?;
    let mut indicators: Vec<IndicatorRow> = parse(&data, "indicators.csv")?;
    indicators.extend(parse::<IndicatorRow>(&data, "wdi_population_gdp.csv")?);
    let rates: Vec<RateRow> = parse(&data, "exchange_rates.csv")?;

    let txn = db.begin().await?;
    let mut report = LoadReport::default();

    // Sources.
    report.counts.push(("source", sources.len()));
    let source_keys: Vec<String> = sources.iter().map(|s| s.key.clone()).collect();
    insert_chunks(
        &txn,
        sources
            .into_iter()
            .map(|s| source::ActiveModel {
                id: NotSet,
                key: Set(s.key),
                publisher: Set(s.publisher),
                title: Set(s.title),
                year: Set(s.year),
                url: Set(opt(&s.url)),
                note: Set(opt(&s.note)),
            })
            .collect(),
        Some(
            OnConflict::column(source::Column::Key)
                .update_columns([
                    source::Column::Publisher,
                    source::Column::Title,
                    source::Column::Year,
                    source::Column::Url,
                    source::Column::Note,
                ])
                .to_owned(),
        ),
    )
    .await?;
    let mut ids = Ids {
        sources: id_map::<_, source::Entity>(&txn, source::Column::Key, source::Column::Id).await?,
        countries: HashMap::new(),
        organizations: HashMap::new(),
        commodities: HashMap::new(),
    };
    let bundled_sources: Vec<i32> = source_keys.iter().filter_map(|k| ids.sources.get(k).copied()).collect();

    // Countries (and aggregates).
    report.counts.push(("country", countries.len() - n_aggregates));
    let mut rows = Vec::with_capacity(countries.len());
    let n_countries = countries.len() - n_aggregates;
    for (i, c) in countries.into_iter().enumerate() {
        // Every row of country_aggregates.csv (World and Comtrade's other special areas).
        let is_aggregate = i >= n_countries;
        rows.push(country::ActiveModel {
            id: NotSet,
            source_id: Set(ids.source("countries.csv", &c.source)?),
            iso3: Set(c.iso3),
            iso2: Set(c.iso2),
            numeric_code: Set(c.numeric),
            name: Set(c.name),
            official_name: Set(opt(&c.official_name)),
            region: Set(opt(&c.region)),
            subregion: Set(opt(&c.subregion)),
            landlocked: Set(c.landlocked),
            is_aggregate: Set(is_aggregate),
        });
    }
    use country::Column as Cc;
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::column(Cc::Iso3)
                .update_columns([
                    Cc::Iso2,
                    Cc::NumericCode,
                    Cc::Name,
                    Cc::OfficialName,
                    Cc::Region,
                    Cc::Subregion,
                    Cc::Landlocked,
                    Cc::IsAggregate,
                    Cc::SourceId,
                ])
                .to_owned(),
        ),
    )
    .await?;
    ids.countries = id_map::<_, country::Entity>(&txn, Cc::Iso3, Cc::Id).await?;

    // Organisations.
    report.counts.push(("organization", organizations.len()));
    let mut rows = Vec::new();
    for o in organizations {
        rows.push(organization::ActiveModel {
            id: NotSet,
            source_id: Set(ids.source("organizations.csv", &o.source)?),
            founded: Set(date("organizations.csv", &o.founded)?),
            code: Set(o.code),
            name: Set(o.name),
            full_name: Set(opt(&o.full_name)),
            url: Set(opt(&o.url)),
        });
    }
    use organization::Column as Oc;
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::column(Oc::Code)
                .update_columns([Oc::Name, Oc::FullName, Oc::Founded, Oc::Url, Oc::SourceId])
                .to_owned(),
        ),
    )
    .await?;
    ids.organizations = id_map::<_, organization::Entity>(&txn, Oc::Code, Oc::Id).await?;

    // Commodities: parents come first in the file; insert level by level so parents exist.
    report.counts.push(("commodity", commodities.len()));
    use commodity::Column as Kc;
    for level in [
        CommodityKind::Total,
        CommodityKind::Section,
        CommodityKind::Chapter,
        CommodityKind::Heading,
        CommodityKind::Subheading,
    ] {
        let mut rows = Vec::new();
        for c in commodities
            .iter()
            .filter(|c| CommodityKind::parse(&c.kind) == Some(level))
        {
            let parent_id = match opt(&c.parent) {
                Some(p) => Some(Ids::get(&ids.commodities, "commodities.csv", "parent commodity", &p)?),
                None => None,
            };
            rows.push(commodity::ActiveModel {
                id: NotSet,
                code: Set(c.code.clone()),
                kind: Set(level),
                parent_id: Set(parent_id),
                name: Set(c.name.clone()),
                source_id: Set(ids.source("commodities.csv", &c.source)?),
            });
        }
        insert_chunks(
            &txn,
            rows,
            Some(
                OnConflict::column(Kc::Code)
                    .update_columns([Kc::Kind, Kc::ParentId, Kc::Name, Kc::SourceId])
                    .to_owned(),
            ),
        )
        .await?;
        ids.commodities = id_map::<_, commodity::Entity>(&txn, Kc::Code, Kc::Id).await?;
    }
    if let Some(bad) = commodities.iter().find(|c| CommodityKind::parse(&c.kind).is_none()) {
        return Err(Error::internal(format!("commodities.csv: unknown kind {:?}", bad.kind)));
    }

    // Facts without a natural key: replace the bundled ones.
    membership::Entity::delete_many()
        .filter(membership::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&txn)
        .await?;
    aid_pledge::Entity::delete_many()
        .filter(aid_pledge::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&txn)
        .await?;
    import_dependency::Entity::delete_many()
        .filter(import_dependency::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&txn)
        .await?;
    partner_share::Entity::delete_many()
        .filter(partner_share::Column::SourceId.is_in(bundled_sources.clone()))
        .exec(&txn)
        .await?;

    const F: &str = "memberships.csv";
    report.counts.push(("membership", memberships.len()));
    let mut rows = Vec::new();
    for m in memberships {
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
    insert_chunks(&txn, rows, None).await?;

    const T: &str = "trade_flows.csv";
    report.counts.push(("trade_flow", flows.len()));
    let mut rows = Vec::new();
    for f in flows {
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
    use trade_flow::Column as Tc;
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::columns(super::trade::flow_key_columns())
                .update_columns([
                    Tc::ValueUsd,
                    Tc::Quantity,
                    Tc::QuantityUnit,
                    Tc::Qualifier,
                    Tc::SourceId,
                    Tc::Note,
                ])
                .to_owned(),
        ),
    )
    .await?;

    const TT: &str = "trade_totals.csv";
    report.counts.push(("trade_total", totals.len()));
    let mut rows = Vec::new();
    for t in totals {
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
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::columns([TTc::ReporterId, TTc::PartnerId, TTc::CommodityId, TTc::Year])
                .update_columns([TTc::ValueUsd, TTc::Qualifier, TTc::SourceId, TTc::Note])
                .to_owned(),
        ),
    )
    .await?;

    const S: &str = "partner_shares.csv";
    report.counts.push(("partner_share", shares.len()));
    let mut rows = Vec::new();
    for s in shares {
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
    insert_chunks(&txn, rows, None).await?;

    const A: &str = "aid_pledges.csv";
    report.counts.push(("aid_pledge", aid.len()));
    let mut rows = Vec::new();
    for a in aid {
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
    insert_chunks(&txn, rows, None).await?;

    const D: &str = "import_dependencies.csv";
    report.counts.push(("import_dependency", dependencies.len()));
    // Few rows, each with its HS codes: insert one by one to learn the ids.
    for d in dependencies {
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
        .insert(&txn)
        .await?;
        let links: Vec<dependency_commodity::ActiveModel> = codes
            .into_iter()
            .map(|commodity_id| dependency_commodity::ActiveModel {
                import_dependency_id: Set(row.id),
                commodity_id: Set(commodity_id),
            })
            .collect();
        insert_chunks(&txn, links, None).await?;
    }

    const I: &str = "indicators.csv";
    report.counts.push(("indicator", indicators.len()));
    let mut rows = Vec::new();
    for i in indicators {
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
    use indicator::Column as Ic;
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::columns([Ic::CountryId, Ic::Code, Ic::Year])
                .update_columns([Ic::Value, Ic::Qualifier, Ic::SourceId, Ic::Note])
                .to_owned(),
        ),
    )
    .await?;

    const R: &str = "exchange_rates.csv";
    report.counts.push(("exchange_rate", rates.len()));
    let mut rows = Vec::new();
    for r in rates {
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
    insert_chunks(
        &txn,
        rows,
        Some(
            OnConflict::columns([Rc::Currency, Rc::Year])
                .update_columns([Rc::UsdPerUnit, Rc::Qualifier, Rc::SourceId, Rc::Note])
                .to_owned(),
        ),
    )
    .await?;

    txn.commit().await?;
    Ok(report)
}
