//! The trade indicators of `Country` (`docs/indicators.md`): fields of `Country`, kept in a
//! file of their own and merged into it with `#[graphql(flatten)]`. Each is one statement for
//! every country of a query level (`loaders::indicators`).

use async_graphql::{Context, Object, Result};
use entity::enums::CommodityKind;

use super::{ExportDiversification, ProductIndex, TradeFlowKind, UnitValueYear};
use crate::error::{Error, GqlResult};
use crate::graphql::loaders::figures::{Figure, load};
use crate::graphql::loaders::indicators as l;
use crate::graphql::{YEARS, commodity_id, country_id, limit, refs};
use crate::reference::RefData;
use crate::service::indicators::{self as ind, FloatKey, bilateral as b, national as n, product as p, unit_value as u};

/// The indicators of the country with this id.
pub struct CountryIndicators(pub i32);

/// The commodity kind of a `level` argument.
pub(crate) fn level(level: i32) -> Result<CommodityKind> {
    ind::level_kind(level)
        .ok_or_else(|| Error::bad_input("`level` must be 2, 4 or 6"))
        .gql()
}

/// A partner that must be a country (not an aggregate such as `W00`).
fn country_partner(refs: &RefData, code: &str) -> Result<i32> {
    let id = country_id(refs, code, "partner")?;
    match refs.countries.by_id(id) {
        Some(c) if c.is_aggregate => Err(Error::bad_input(format!(
            "`partner`: {code:?} is an aggregate, not a country"
        )))
        .gql(),
        _ => Ok(id),
    }
}

/// A partner where `W00` means the world (the country's world totals): `None`.
fn partner_or_world(refs: &RefData, code: &str) -> Result<Option<i32>> {
    let id = country_id(refs, code, "partner")?;
    Ok((id != refs.world_id()).then_some(id))
}

/// The arguments of a ranked list per code.
fn product_args(year: i32, level_: i32, limit_: i32, min_value: Option<f64>) -> Result<p::ProductArgs> {
    if min_value.is_some_and(|v| !v.is_finite()) {
        return Err(Error::bad_input("`minValue` must be a finite number")).gql();
    }
    Ok(p::ProductArgs {
        year,
        kind: level(level_)?,
        limit: limit(limit_)?,
        min_value: min_value.map(FloatKey::new),
    })
}

/// The ranked rows of figure `F` as `ProductIndex`.
async fn products<F>(ctx: &Context<'_>, id: i32, args: F::Args) -> Result<Vec<ProductIndex>>
where
    F: Figure<Row = ind::ProductIndexRow>,
{
    Ok(load::<F>(ctx, id, args).await?.into_iter().map(ProductIndex).collect())
}

/// The one value of figure `F`; null without a row.
async fn value<F>(ctx: &Context<'_>, id: i32, args: F::Args) -> Result<Option<f64>>
where
    F: Figure<Row = ind::ReporterValue>,
{
    Ok(load::<F>(ctx, id, args).await?.first().and_then(|r| r.value))
}

#[Object]
impl CountryIndicators {
    /// Revealed comparative advantage (Balassa) of each HS code the country exports, ranked:
    /// `(X_ik / X_i) / (X_Wk / X_W)`; above 1, the country's exports are more specialised in
    /// the code than the world's.
    #[graphql(complexity = "crate::graphql::list_cost(Some(limit), child_complexity)")]
    async fn rca(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
        #[graphql(desc = "How many codes (1 to 1000).", default = 100)] limit: i32,
        #[graphql(desc = "Only codes whose value is at least this (1: a comparative advantage).")] min_value: Option<
            f64,
        >,
    ) -> Result<Vec<ProductIndex>> {
        products::<l::Rca>(ctx, self.0, product_args(year, level, limit, min_value)?).await
    }

    /// Trade intensity with a partner: `(x_ij / X_i) / (x_Wj / X_W)`, the partner's share of
    /// the country's exports over its share of the world's exports (commodity `TOTAL`); above
    /// 1, the two trade more than the partner's place in world trade predicts.
    async fn trade_intensity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, ISO alpha-3 or alpha-2.")] partner: String,
        #[graphql(desc = "Calendar year.")] year: i32,
    ) -> Result<Option<f64>> {
        let args = b::IntensityArgs {
            partner: country_partner(&*refs(ctx)?, &partner)?,
            year,
        };
        value::<l::TradeIntensity>(ctx, self.0, args).await
    }

    /// Trade complementarity with a partner, 0..100: `100 · (1 − ½ Σ_k |m_jk − x_ik|)`, how
    /// well the country's export mix matches the partner's import mix.
    async fn trade_complementarity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner (importing) country, ISO alpha-3 or alpha-2.")] partner: String,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
    ) -> Result<Option<f64>> {
        let args = b::ComplementarityArgs {
            partner: country_partner(&*refs(ctx)?, &partner)?,
            year,
            kind: self::level(level)?,
        };
        value::<l::TradeComplementarity>(ctx, self.0, args).await
    }

    /// Intra-industry trade (Grubel–Lloyd), 0..1, over the codes of a level:
    /// `1 − Σ_k |x_k − m_k| / Σ_k (x_k + m_k)`, with a partner or (`W00`) the world.
    async fn intra_industry_trade(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, or `W00` for the world.", default = "W00")] partner: String,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
    ) -> Result<Option<f64>> {
        let args = b::IntraIndustryTotalArgs {
            partner: partner_or_world(&*refs(ctx)?, &partner)?,
            year,
            kind: self::level(level)?,
        };
        value::<l::IntraIndustry>(ctx, self.0, args).await
    }

    /// Intra-industry trade per code, `1 − |x_k − m_k| / (x_k + m_k)`, ranked.
    #[graphql(complexity = "crate::graphql::list_cost(Some(limit), child_complexity)")]
    async fn intra_industry_trade_by_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Partner country, or `W00` for the world.", default = "W00")] partner: String,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
        #[graphql(desc = "How many codes (1 to 1000).", default = 100)] limit: i32,
    ) -> Result<Vec<ProductIndex>> {
        let args = p::IntraIndustryArgs {
            partner: partner_or_world(&*refs(ctx)?, &partner)?,
            year,
            kind: self::level(level)?,
            limit: self::limit(limit)?,
        };
        products::<l::IntraIndustryByCode>(ctx, self.0, args).await
    }

    /// Product concentration of the country's exports over the codes of a level (HHI) and the
    /// number of codes exported; null without exports at that level.
    async fn export_diversification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
    ) -> Result<Option<ExportDiversification>> {
        let args = n::DiversificationArgs {
            year,
            kind: self::level(level)?,
        };
        Ok(load::<l::ExportDiversification>(ctx, self.0, args)
            .await?
            .into_iter()
            .next()
            .map(ExportDiversification))
    }

    /// Export market penetration per code, ranked: the partners the country exports the code
    /// to over the reporters that import it.
    #[graphql(complexity = "crate::graphql::list_cost(Some(limit), child_complexity)")]
    async fn market_penetration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
        #[graphql(desc = "How many codes (1 to 1000).", default = 100)] limit: i32,
    ) -> Result<Vec<ProductIndex>> {
        products::<l::MarketPenetration>(ctx, self.0, product_args(year, level, limit, None)?).await
    }

    /// Openness to trade: `(X_i + M_i) / GDP` (the `GDP_USD` indicator of the same year).
    async fn openness(&self, ctx: &Context<'_>, #[graphql(desc = "Calendar year.")] year: i32) -> Result<Option<f64>> {
        let args = n::RatioArgs {
            ratio: n::Ratio::Openness,
            year,
        };
        value::<l::Ratio>(ctx, self.0, args).await
    }

    /// Exports per inhabitant, USD: `X_i / POPULATION` (the indicator of the same year).
    async fn exports_per_capita(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
    ) -> Result<Option<f64>> {
        let args = n::RatioArgs {
            ratio: n::Ratio::ExportsPerCapita,
            year,
        };
        value::<l::Ratio>(ctx, self.0, args).await
    }

    /// Value against volume of one commodity per year: unit value, and value growth split
    /// into volume growth and unit-value growth. One row per year with a value, ascending.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(YEARS, child_complexity)")]
    async fn unit_values(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An HS code (or `TOTAL`, which has no quantities).")] commodity: String,
        #[graphql(desc = "Partner country, or `W00` for the world.", default = "W00")] partner: String,
        #[graphql(desc = "First year (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year (inclusive).")] to_year: Option<i32>,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
    ) -> Result<Vec<UnitValueYear>> {
        let refs = refs(ctx)?;
        let args = u::UnitValueArgs {
            partner: partner_or_world(&refs, &partner)?,
            commodity: commodity_id(&refs, &commodity, "commodity")?,
            flow: flow.into(),
            from_year,
            to_year,
        };
        Ok(load::<l::UnitValues>(ctx, self.0, args)
            .await?
            .into_iter()
            .map(UnitValueYear)
            .collect())
    }

    /// Relative trade balance per code (ITC), ranked: `(X_ik − M_ik) / (X_ik + M_ik)`, from
    /// −1 (imports only) to 1 (exports only).
    #[graphql(complexity = "crate::graphql::list_cost(Some(limit), child_complexity)")]
    async fn relative_trade_balance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Digits of the HS codes: 2, 4 or 6.", default = 2)] level: i32,
        #[graphql(desc = "How many codes (1 to 1000).", default = 100)] limit: i32,
    ) -> Result<Vec<ProductIndex>> {
        products::<l::RelativeTradeBalance>(ctx, self.0, product_args(year, level, limit, None)?).await
    }
}
