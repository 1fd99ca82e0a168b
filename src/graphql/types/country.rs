use std::sync::Arc;

use async_graphql::connection::{Connection, CursorType, EmptyFields};
use async_graphql::{Context, Object, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::country;

use super::{AidPledge, Date, ImportDependency, IndicatorValue, Membership, Sector, StatedPartnerShare, TradeFlowKind};
use crate::graphql::loaders::{AidReceived, ImportDependencies, IndicatorLoader, MembershipsOfCountry, StatedShares};

/// A country (ISO 3166-1), or an aggregate partner such as `W00` World.
#[derive(Clone)]
pub struct Country(pub Arc<country::Model>);

/// Relay connection over countries, ordered by ISO alpha-3 code.
pub type CountryConnection = Connection<CountryCursor, Country, CountryTotal, EmptyFields>;

/// Opaque cursor of a country: its alpha-3 code.
pub struct CountryCursor(pub String);

impl CursorType for CountryCursor {
    type Error = String;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| "invalid cursor".to_owned())?;
        let text = String::from_utf8(bytes).map_err(|_| "invalid cursor".to_owned())?;
        text.strip_prefix("country:")
            .map(|c| Self(c.to_owned()))
            .ok_or_else(|| "invalid cursor".to_owned())
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("country:{}", self.0))
    }
}

/// Extra fields of a country connection.
pub struct CountryTotal(pub usize);

#[Object]
impl CountryTotal {
    /// Number of countries matching the arguments, over all pages.
    async fn total_count(&self) -> usize {
        self.0
    }
}

#[Object]
impl Country {
    /// ISO 3166-1 alpha-3 code, e.g. `ARM`.
    async fn iso3(&self) -> &str {
        &self.0.iso3
    }
    /// ISO 3166-1 alpha-2 code, e.g. `AM`.
    async fn iso2(&self) -> &str {
        &self.0.iso2
    }
    /// ISO 3166-1 numeric code, three digits, e.g. `051`.
    async fn numeric(&self) -> &str {
        &self.0.numeric_code
    }
    /// Common English name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Official English name.
    async fn official_name(&self) -> Option<&str> {
        self.0.official_name.as_deref()
    }
    /// Continent-level region (world-countries): Africa, Americas, Asia, Europe, Oceania, Antarctic.
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Subregion (world-countries), e.g. `Western Asia`.
    async fn subregion(&self) -> Option<&str> {
        self.0.subregion.as_deref()
    }
    /// True when the country has no sea coast.
    async fn landlocked(&self) -> bool {
        self.0.landlocked
    }
    /// True for aggregates such as `W00` (World), which are partners in trade data but not countries.
    async fn is_aggregate(&self) -> bool {
        self.0.is_aggregate
    }

    /// Memberships in organisations, every period ever recorded, or only those in force on `asOf`.
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::MEMBERSHIPS_PER_COUNTRY, child_complexity)"
    )]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the periods in force on that day.")] as_of: Option<Date>,
    ) -> Result<Vec<Membership>> {
        MembershipsOfCountry::load(ctx, self.0.id, as_of.map(|d| d.0)).await
    }

    /// Value of a yearly indicator (`POPULATION`, `GDP_USD`, `REMITTANCES_USD`, …); null when not stored.
    async fn indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Indicator code, case-insensitive.")] code: String,
        #[graphql(desc = "Calendar year.")] year: i32,
    ) -> Result<Option<f64>> {
        Ok(IndicatorLoader::load(ctx, self.0.id, code, year)
            .await?
            .map(|v| v.0.value))
    }

    /// A yearly indicator with its qualifier and source; null when not stored.
    async fn indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Indicator code, case-insensitive.")] code: String,
        #[graphql(desc = "Calendar year.")] year: i32,
    ) -> Result<Option<IndicatorValue>> {
        IndicatorLoader::load(ctx, self.0.id, code, year).await
    }

    /// Stated shares of imports (or supply) that come from one supplier, e.g. Russia's share of
    /// Armenia's gas; ordered by sector, then share descending.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY, child_complexity)")]
    async fn import_dependencies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this sector.")] sector: Option<Sector>,
        #[graphql(desc = "Only figures for this year.")] year: Option<i32>,
    ) -> Result<Vec<ImportDependency>> {
        ImportDependencies::load(ctx, self.0.id, sector.map(Into::into), year).await
    }

    /// Aid received, with USD, yearly and per-capita figures computed on request; ordered by
    /// reference year (announcement year, else the period's first year).
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY, child_complexity)")]
    async fn aid_received(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only aid whose period (or reference year) ends in or after this year.")] from_year: Option<
            i32,
        >,
        #[graphql(desc = "Only aid whose period (or reference year) starts in or before this year.")] to_year: Option<
            i32,
        >,
    ) -> Result<Vec<AidPledge>> {
        AidReceived::load(ctx, self.0.id, from_year, to_year).await
    }

    /// Partners' shares of this country's exports or imports as sources state them (partners
    /// may be organisations, e.g. the EU). Shares computed from trade flows are `topPartners`.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY, child_complexity)")]
    async fn stated_partner_shares(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only exports, imports, ….")] flow: Option<TradeFlowKind>,
        #[graphql(desc = "Only figures for this year.")] year: Option<i32>,
    ) -> Result<Vec<StatedPartnerShare>> {
        StatedShares::load(ctx, self.0.id, flow.map(Into::into), year).await
    }
}
