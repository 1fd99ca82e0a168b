//! Loading the data the program ships (`data/*.csv`) into the database.
//!
//! Reference tables (sources, countries, organisations, commodities) are upserted on their
//! natural keys ([`reference`]); facts with a natural key (trade flows, stated trade totals,
//! indicators, exchange rates) too, and facts without one (memberships, aid, dependencies,
//! stated shares) are replaced ([`facts`]). A load is a bulk write of the write pipeline
//! (`service::pipeline::bulk`): every file is read and checked before the database is
//! touched, rows that repeat a key are refused, and the rows of every table and the load's
//! audit entry are one transaction ([`store::Tables`]), so loading twice leaves the same data.

use std::collections::HashMap;
use std::path::Path;

mod facts;
mod reference;
mod rows;
mod store;

use chrono::NaiveDate;
use entity::country;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::service::pipeline::Audit;
use crate::service::pipeline::bulk::write_bulk;
use crate::service::write::Counts;
use rows::*;

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
    /// Rows inserted and updated in all, as the database counts them (and as the audit
    /// entry records them).
    pub written: Counts,
}

/// The `audit_log.mutation` of a load.
pub const AUDIT_MUTATION: &str = "loadReference";

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

/// True when the database has no countries yet (a fresh database).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool> {
    Ok(country::Entity::find().one(db).await?.is_none())
}

/// Loads the whole data set in one transaction, audited for `key_name` (an admin's key, or
/// `pipeline::COMMAND_LINE` / `pipeline::FIRST_START`).
pub async fn load(db: &DatabaseConnection, data: DataSet<'_>, key_name: &str) -> Result<LoadReport> {
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
    let parsed = Parsed {
        sources,
        countries,
        n_aggregates,
        organizations,
        commodities,
        facts: facts::Facts {
            memberships,
            flows,
            totals,
            shares,
            aid,
            dependencies,
            indicators,
            rates,
        },
    };
    let audit = Audit {
        key_name,
        mutation: AUDIT_MUTATION,
    };
    let mut tables = store::Tables::begin(db).await?;
    let staged = parsed.load(&mut tables).await;
    let (counts, written) = write_bulk(tables, staged, audit).await?;
    Ok(LoadReport { counts, written })
}

/// The data set, read and parsed.
struct Parsed {
    sources: Vec<SourceRow>,
    countries: Vec<CountryRow>,
    n_aggregates: usize,
    organizations: Vec<OrganizationRow>,
    commodities: Vec<CommodityRow>,
    facts: facts::Facts,
}

impl Parsed {
    /// Stages every table in `store` (checked and refused as the pipeline does); answers the
    /// rows of each table.
    async fn load(self, store: &mut store::Tables) -> Result<Vec<(&'static str, usize)>> {
        let mut report = Vec::new();
        let (ids, bundled_sources) = reference::load(
            store,
            self.sources,
            self.countries,
            self.n_aggregates,
            self.organizations,
            self.commodities,
            &mut report,
        )
        .await?;
        facts::load(store, &ids, bundled_sources, self.facts, &mut report).await?;
        Ok(report)
    }
}
