use std::sync::Arc;

use async_graphql::connection::{Connection, CursorType, EmptyFields};
use async_graphql::{Context, Object, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::country;

use super::{
    AidPledge, BilateralTradeYear, CommodityShare, ConcentrationValue, Date, DependencyComparison, GrowthRate,
    ImportDependency, IndicatorSeries, IndicatorValue, Membership, MirrorTradeYear, PartnerShare, Sector,
    StatedPartnerShare, StatedTradeTotal, TradeFlowKind,
};
use crate::error::{Error, GqlResult};
use crate::graphql::loaders::figures::{self, load};
use crate::graphql::loaders::{
    AidReceived, ImportDependencies, IndicatorLoader, MembershipsOfCountry, StatedShares, StatedTotals,
};
use crate::graphql::{commodity_id, country_id, limit, refs};
use crate::service::figures as f;
use crate::service::flow_list::one_or_many;
use crate::service::indicator::SeriesArgs;

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
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Country, &self.0.iso3)
    }
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

    /// Time series of yearly indicators: one series per code asked for, in that order, each
    /// ascending by year; one statement for every country of the query level.
    #[graphql(
        name = "indicators",
        complexity = "codes.len().max(1).saturating_mul(crate::graphql::estimated_list_cost(crate::graphql::year_count(None, from_year, to_year), child_complexity))"
    )]
    async fn indicator_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Indicator codes (`POPULATION`, `GDP_USD`, …), case-insensitive; at most 1000.")] codes: Vec<
            String,
        >,
        #[graphql(desc = "First year (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year (inclusive).")] to_year: Option<i32>,
    ) -> Result<Vec<IndicatorSeries>> {
        let codes: Vec<String> = one_or_many(None, Some(codes), ("code", "codes"))
            .gql()?
            .unwrap_or_default()
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut wanted = codes.clone();
        wanted.sort_unstable();
        wanted.dedup();
        let args = SeriesArgs {
            codes: wanted,
            from_year,
            to_year,
        };
        let rows = load::<figures::IndicatorSeries>(ctx, self.0.id, args).await?;
        Ok(codes
            .into_iter()
            .map(|code| IndicatorSeries {
                values: rows
                    .iter()
                    .filter(|r| r.code == code)
                    .cloned()
                    .map(IndicatorValue)
                    .collect(),
                code,
            })
            .collect())
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

    /// The stated import dependencies next to the same shares recomputed from trade flows
    /// (where the product maps to HS codes and the flows exist), with both sources.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY, child_complexity)")]
    async fn dependency_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this sector.")] sector: Option<Sector>,
        #[graphql(desc = "Only figures for this year.")] year: Option<i32>,
    ) -> Result<Vec<DependencyComparison>> {
        Ok(ImportDependencies::load(ctx, self.0.id, sector.map(Into::into), year)
            .await?
            .into_iter()
            .map(|d| DependencyComparison(d.0))
            .collect())
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

    /// Total trade (exports + imports) with a partner as sources state it without the split;
    /// `tradeWith` answers these totals for the years whose flows do not give both sides.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY, child_complexity)")]
    async fn stated_trade_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only totals with this partner (ISO alpha-3 or alpha-2, or `W00`).")] partner: Option<String>,
        #[graphql(desc = "Only totals for this year.")] year: Option<i32>,
    ) -> Result<Vec<StatedTradeTotal>> {
        let partner_id = match partner {
            Some(p) => Some(country_id(&*refs(ctx)?, &p, "partner")?),
            None => None,
        };
        StatedTotals::load(ctx, self.0.id, partner_id, year).await
    }

    /// Trade with one partner per year: exports, imports, total, balance, growth and the
    /// partner's shares of the reporter's world trade. One row per year of `fromYear..toYear`,
    /// ascending, with nulls where data is missing (a missing bound is the first or last year
    /// with data).
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::year_count(None, from_year, to_year), child_complexity)"
    )]
    async fn trade_with(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, ISO alpha-3 or alpha-2.")] partner: String,
        #[graphql(desc = "First year (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year (inclusive).")] to_year: Option<i32>,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
    ) -> Result<Vec<BilateralTradeYear>> {
        if let (Some(from), Some(to)) = (from_year, to_year) {
            year_range(None, Some(from), Some(to))?;
        }
        let args = partner_years(ctx, &partner, from_year, to_year, &commodity)?;
        let rows = load::<figures::TradeWith>(ctx, self.0.id, args).await?;
        Ok(f::every_year(rows, self.0.id, from_year, to_year)
            .into_iter()
            .map(|row| BilateralTradeYear(row, args))
            .collect())
    }

    /// Partners ranked by the value of one flow in one year (descending; ties by ISO code),
    /// with each partner's share of the world total. The World (`W00`) is not a partner. With
    /// `fromYear`/`toYear` instead of `year`: one ranking per year, ordered by year then rank,
    /// computed in one statement.
    #[allow(clippy::too_many_arguments)]
    #[graphql(
        complexity = "crate::graphql::list_cost(Some(limit), child_complexity).saturating_mul(crate::graphql::year_count(year, from_year, to_year))"
    )]
    async fn top_partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year (or give `fromYear` and `toYear`).")] year: Option<i32>,
        #[graphql(desc = "First year of a range of rankings (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year of a range of rankings (inclusive).")] to_year: Option<i32>,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
        #[graphql(desc = "How many partners per year (1 to 1000).", default = 10)] limit: i32,
    ) -> Result<Vec<PartnerShare>> {
        let refs = refs(ctx)?;
        let (from_year, to_year) = year_range(year, from_year, to_year)?;
        let args = f::TopPartnersArgs {
            from_year,
            to_year,
            flow: flow.into(),
            commodity_id: commodity_id(&refs, &commodity, "commodity")?,
            limit: self::limit(limit)?,
        };
        Ok(load::<figures::TopPartners>(ctx, self.0.id, args)
            .await?
            .into_iter()
            .map(|row| PartnerShare(row, args))
            .collect())
    }

    /// Herfindahl–Hirschman index of the partners of one flow in one year: Σ sᵢ², sᵢ being
    /// each partner's share of the sum over partners (`W00` excluded); 0..1, null without data.
    /// `concentrationValue` gives it with its qualifier.
    async fn concentration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
    ) -> Result<Option<f64>> {
        Ok(self
            .concentration_value(ctx, year, flow, commodity)
            .await?
            .and_then(|c| c.0.hhi))
    }

    /// `concentration` with its qualifier and the number of partners; null without data.
    async fn concentration_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
    ) -> Result<Option<ConcentrationValue>> {
        let refs = refs(ctx)?;
        let args = f::ConcentrationArgs {
            year,
            flow: flow.into(),
            commodity_id: commodity_id(&refs, &commodity, "commodity")?,
        };
        Ok(load::<figures::Concentration>(ctx, self.0.id, args)
            .await?
            .into_iter()
            .next()
            .map(|c| ConcentrationValue(c, args)))
    }

    /// Trade by HS code of one level (2, 4 or 6 digits) with one partner (default `W00`, the
    /// world total of each code), ranked by value, with each code's share.
    #[graphql(complexity = "crate::graphql::list_cost(Some(limit), child_complexity)")]
    async fn trade_by_commodity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, or `W00` for the world.", default = "W00")] partner: String,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(
            desc = "Digits of the HS codes: 2 (chapters), 4 (headings) or 6 (subheadings).",
            default = 2
        )]
        level: i32,
        #[graphql(desc = "How many codes (1 to 1000).", default = 100)] limit: i32,
    ) -> Result<Vec<CommodityShare>> {
        let refs = refs(ctx)?;
        let kind = super::country_indicators::level(level)?;
        let args = f::ByCommodityArgs {
            partner_id: country_id(&refs, &partner, "partner")?,
            year,
            flow: flow.into(),
            kind,
            total_commodity_id: commodity_id(&refs, "TOTAL", "commodity")?,
            limit: self::limit(limit)?,
        };
        Ok(load::<figures::TradeByCommodity>(ctx, self.0.id, args)
            .await?
            .into_iter()
            .map(|row| CommodityShare(row, args))
            .collect())
    }

    /// Compound annual growth rate of one flow with a partner (default `W00`: the world
    /// total) between two years.
    async fn cagr(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, or `W00` for the world.", default = "W00")] partner: String,
        #[graphql(desc = "First year.")] from_year: i32,
        #[graphql(desc = "Last year, after `fromYear`.")] to_year: i32,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
    ) -> Result<GrowthRate> {
        if to_year <= from_year {
            return Err(Error::bad_input("`toYear` must be after `fromYear`")).gql();
        }
        let refs = refs(ctx)?;
        let args = f::CagrArgs {
            partner_id: country_id(&refs, &partner, "partner")?,
            from_year,
            to_year,
            flow: flow.into(),
            commodity_id: commodity_id(&refs, &commodity, "commodity")?,
        };
        let rows = load::<figures::Cagr>(ctx, self.0.id, args).await?;
        Ok(GrowthRate::new(self.0.id, args, rows.first()))
    }

    /// Mirror statistics: per year, what this country declared against what the partner
    /// declared for the same trade, and the gaps.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::YEARS, child_complexity)")]
    async fn mirror(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, ISO alpha-3 or alpha-2.")] partner: String,
        #[graphql(desc = "First year (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year (inclusive).")] to_year: Option<i32>,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
    ) -> Result<Vec<MirrorTradeYear>> {
        let args = partner_years(ctx, &partner, from_year, to_year, &commodity)?;
        Ok(load::<figures::Mirror>(ctx, self.0.id, args)
            .await?
            .into_iter()
            .map(|row| MirrorTradeYear(row, args))
            .collect())
    }

    /// The trade indicators (`rca`, `tradeIntensity`, …): fields of `Country` themselves.
    #[graphql(flatten)]
    async fn indicators(&self) -> super::country_indicators::CountryIndicators {
        super::country_indicators::CountryIndicators(self.0.id)
    }
}

/// The arguments of a per-year figure with one partner, codes resolved.
fn partner_years(
    ctx: &Context<'_>,
    partner: &str,
    from_year: Option<i32>,
    to_year: Option<i32>,
    commodity: &str,
) -> Result<f::PartnerYears> {
    let refs = refs(ctx)?;
    Ok(f::PartnerYears {
        partner_id: country_id(&refs, partner, "partner")?,
        from_year,
        to_year,
        commodity_id: commodity_id(&refs, commodity, "commodity")?,
    })
}

/// The years of a per-year figure: `year` alone, or `fromYear..=toYear` (both needed, at most
/// [`crate::graphql::YEARS`] years).
fn year_range(year: Option<i32>, from_year: Option<i32>, to_year: Option<i32>) -> Result<(i32, i32)> {
    let (from, to) = match (year, from_year, to_year) {
        (Some(y), None, None) => (y, y),
        (None, Some(from), Some(to)) => (from, to),
        _ => {
            return Err(Error::bad_input(
                "give `year`, or `fromYear` and `toYear` (not `year` with them)",
            ))
            .gql();
        }
    };
    match i64::from(to) - i64::from(from) + 1 {
        n if n < 1 => Err(Error::bad_input("`toYear` must not be before `fromYear`")).gql(),
        n if n > crate::graphql::YEARS as i64 => Err(Error::TooComplex(format!(
            "{n} years; at most {} in one request",
            crate::graphql::YEARS
        )))
        .gql(),
        _ => Ok((from, to)),
    }
}
