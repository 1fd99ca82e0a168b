//! Output types of the derived trade figures.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{Country, Lineage, LineageInput, Qualifier, commodity_code, country_of};
use crate::graphql::loaders::figures::{ConcentrationLineage, load};
use crate::graphql::refs;
use crate::service::figures as f;

/// A figure's qualifier as the API names it.
fn named(q: Option<entity::enums::Qualifier>) -> Option<Qualifier> {
    q.map(Into::into)
}

/// One year of a reporter's trade with one partner. Sums and ratios are `null` when a side
/// is missing or a divisor is zero, never a made-up zero. Each figure `x` has `xQualifier`
/// beside it: how sure the figure is, from the qualifiers of the rows it is computed from
/// (null when the figure is null).
#[derive(Clone)]
pub struct BilateralTradeYear(pub f::BilateralYear);

#[Object]
impl BilateralTradeYear {
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The reporter's exports to the partner.
    async fn exports_usd(&self) -> Option<f64> {
        self.0.exports_usd
    }
    /// The stored qualifier of `exportsUsd`.
    async fn exports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.exports_usd_qualifier)
    }
    /// The reporter's imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// The stored qualifier of `importsUsd`.
    async fn imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.imports_usd_qualifier)
    }
    /// `exportsUsd + importsUsd` when both are stored; otherwise the total a source states for
    /// the year without its split (`totalTradeStated`, see `Country.statedTradeTotals`); null
    /// when neither is known.
    async fn total_trade_usd(&self) -> Option<f64> {
        self.0.total_trade_usd
    }
    /// How sure `totalTradeUsd` is: a sum with an `AT_LEAST` side is `AT_LEAST`; a stated
    /// total keeps its own qualifier.
    async fn total_trade_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.total_trade_usd_qualifier)
    }
    /// True when `totalTradeUsd` is a total a source states, not `exportsUsd + importsUsd`.
    async fn total_trade_stated(&self) -> bool {
        self.0.total_trade_stated
    }
    /// `exportsUsd − importsUsd`; null when either is missing.
    async fn balance_usd(&self) -> Option<f64> {
        self.0.balance_usd
    }
    /// How sure `balanceUsd` is (an `AT_LEAST` import makes the balance `AT_MOST`).
    async fn balance_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.balance_usd_qualifier)
    }
    /// total(year) / total(year − 1) − 1; null when the previous year is missing or 0.
    async fn total_trade_growth(&self) -> Option<f64> {
        self.0.total_trade_growth
    }
    /// How sure `totalTradeGrowth` is (it rises with this year's total, falls with last year's).
    async fn total_trade_growth_qualifier(&self) -> Option<Qualifier> {
        named(self.0.total_trade_growth_qualifier)
    }
    /// Exports to the partner / the reporter's exports to the world (its `W00` row, else the
    /// sum over partners), same year and commodity.
    async fn export_share(&self) -> Option<f64> {
        self.0.export_share
    }
    /// How sure `exportShare` is.
    async fn export_share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.export_share_qualifier)
    }
    /// Imports from the partner / the reporter's imports from the world.
    async fn import_share(&self) -> Option<f64> {
        self.0.import_share
    }
    /// How sure `importShare` is.
    async fn import_share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_share_qualifier)
    }
}

/// A partner's place among a reporter's partners.
#[derive(Clone)]
pub struct PartnerShare(pub f::RankedPartner);

#[Object]
impl PartnerShare {
    /// The year of the ranking.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// 1 for the largest partner of the year; ties are ordered by ISO code.
    async fn rank(&self) -> i64 {
        self.0.rank
    }
    /// The partner.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.partner_id)
    }
    /// Value of the flow with this partner.
    async fn value_usd(&self) -> f64 {
        self.0.value_usd
    }
    /// The stored qualifier of `valueUsd`.
    async fn value_usd_qualifier(&self) -> Qualifier {
        self.0.value_usd_qualifier.into()
    }
    /// Value / the reporter's world total (its `W00` row, else the sum over partners).
    async fn share(&self) -> Option<f64> {
        self.0.share
    }
    /// How sure `share` is, from the qualifiers of the value and of the world total.
    async fn share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.share_qualifier)
    }
}

/// One commodity's part of a reporter's trade.
#[derive(Clone)]
pub struct CommodityShare(pub f::CommodityValue);

#[Object]
impl CommodityShare {
    /// 1 for the largest commodity; ties are ordered by code.
    async fn rank(&self) -> i64 {
        self.0.rank
    }
    /// HS code.
    async fn commodity(&self, ctx: &Context<'_>) -> Result<String> {
        commodity_code(ctx, self.0.commodity_id)
    }
    /// Name of the HS code.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(refs(ctx)?
            .commodities
            .by_id(self.0.commodity_id)
            .map(|c| c.name.clone())
            .unwrap_or_default())
    }
    /// Value (with partner `W00`: the world total of the code).
    async fn value_usd(&self) -> Option<f64> {
        self.0.value_usd
    }
    /// How sure `valueUsd` is (a sum over partners takes the qualifiers of its rows).
    async fn value_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.value_usd_qualifier)
    }
    /// Value / the `TOTAL` commodity's value when stored, else / the sum over the level's codes.
    async fn share(&self) -> Option<f64> {
        self.0.share
    }
    /// How sure `share` is.
    async fn share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.share_qualifier)
    }
}

/// Compound annual growth rate between two years.
#[derive(Clone, SimpleObject)]
pub struct GrowthRate {
    /// First year.
    pub from_year: i32,
    /// Last year.
    pub to_year: i32,
    /// Value in the first year; null when not stored.
    pub from_value_usd: Option<f64>,
    /// How sure `fromValueUsd` is.
    pub from_value_usd_qualifier: Option<Qualifier>,
    /// Value in the last year; null when not stored.
    pub to_value_usd: Option<f64>,
    /// How sure `toValueUsd` is.
    pub to_value_usd_qualifier: Option<Qualifier>,
    /// (to / from)^(1 / (toYear − fromYear)) − 1; null when a value is missing or the first is 0.
    pub rate: Option<f64>,
    /// How sure `rate` is (it rises with the last value and falls with the first).
    pub rate_qualifier: Option<Qualifier>,
}

impl GrowthRate {
    /// The rate between `from_year` and `to_year` from the values the database found.
    pub fn new(from_year: i32, to_year: i32, values: Option<&f::CagrValues>) -> Self {
        let from_value_usd = values.and_then(|v| v.from_value_usd);
        let to_value_usd = values.and_then(|v| v.to_value_usd);
        let rate = f::cagr_rate(from_value_usd, to_value_usd, to_year - from_year);
        Self {
            from_year,
            to_year,
            from_value_usd,
            from_value_usd_qualifier: named(values.and_then(|v| v.from_value_usd_qualifier)),
            to_value_usd,
            to_value_usd_qualifier: named(values.and_then(|v| v.to_value_usd_qualifier)),
            rate,
            rate_qualifier: rate.and(named(values.and_then(|v| v.rate_qualifier))),
        }
    }
}

/// The Herfindahl–Hirschman index of a reporter's partners, with its qualifier.
#[derive(Clone)]
pub struct ConcentrationValue(pub f::Concentration, pub f::ConcentrationArgs);

#[Object]
impl ConcentrationValue {
    /// Σ sᵢ² over the partners (`W00` excluded), sᵢ each partner's share of their sum; 0..1.
    async fn value(&self) -> Option<f64> {
        self.0.hhi
    }
    /// How sure `value` is: `EXACT` when every partner's value is, `ESTIMATE` when any is an
    /// estimate, else `APPROXIMATE` (the index neither only rises nor only falls with a value).
    async fn qualifier(&self) -> Option<Qualifier> {
        named(self.0.hhi_qualifier)
    }
    /// Number of partners the index is computed over.
    async fn partner_count(&self) -> i64 {
        self.0.partner_count
    }
    /// How `value` was computed: each partner's stored flow (`TradeFlow` ids), largest first;
    /// null when `value` is. One more statement for every reporter of the query.
    async fn lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        if self.0.hhi.is_none() {
            return Ok(None);
        }
        let rows = load::<ConcentrationLineage>(ctx, self.0.reporter_id, self.1).await?;
        Ok(Some(Lineage {
            formula: "Herfindahl–Hirschman index: the sum of the squares of each partner's value, divided by \
                      the square of the sum of the values (partners that are countries: W00 and other \
                      aggregates excluded)"
                .to_owned(),
            expression: "Σ v² / (Σ v)²",
            inputs: rows
                .into_iter()
                .map(|r| LineageInput {
                    id: crate::graphql::node::id(crate::service::nodes::Kind::TradeFlow, r.id),
                    symbol: "v",
                    value: r.value_usd,
                    qualifier: r.qualifier,
                    source_id: r.source_id,
                })
                .collect(),
        }))
    }
}

/// A year of trade as the reporter declared it against what the partner declared.
#[derive(Clone)]
pub struct MirrorTradeYear(pub f::MirrorYear);

#[Object]
impl MirrorTradeYear {
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The reporter's declared exports to the partner.
    async fn exports_usd(&self) -> Option<f64> {
        self.0.exports_usd
    }
    /// The stored qualifier of `exportsUsd`.
    async fn exports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.exports_usd_qualifier)
    }
    /// The partner's declared imports from the reporter (the mirror of `exportsUsd`).
    async fn partner_imports_usd(&self) -> Option<f64> {
        self.0.partner_imports_usd
    }
    /// The stored qualifier of `partnerImportsUsd`.
    async fn partner_imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.partner_imports_usd_qualifier)
    }
    /// `partnerImportsUsd − exportsUsd` (imports are usually valued CIF, exports FOB).
    async fn export_gap_usd(&self) -> Option<f64> {
        self.0.export_gap_usd
    }
    /// How sure `exportGapUsd` is.
    async fn export_gap_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.export_gap_usd_qualifier)
    }
    /// `exportGapUsd / exportsUsd`.
    async fn export_gap_ratio(&self) -> Option<f64> {
        self.0.export_gap_ratio
    }
    /// How sure `exportGapRatio` is.
    async fn export_gap_ratio_qualifier(&self) -> Option<Qualifier> {
        named(self.0.export_gap_ratio_qualifier)
    }
    /// The reporter's declared imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// The stored qualifier of `importsUsd`.
    async fn imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.imports_usd_qualifier)
    }
    /// The partner's declared exports to the reporter (the mirror of `importsUsd`).
    async fn partner_exports_usd(&self) -> Option<f64> {
        self.0.partner_exports_usd
    }
    /// The stored qualifier of `partnerExportsUsd`.
    async fn partner_exports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.partner_exports_usd_qualifier)
    }
    /// `partnerExportsUsd − importsUsd`.
    async fn import_gap_usd(&self) -> Option<f64> {
        self.0.import_gap_usd
    }
    /// How sure `importGapUsd` is.
    async fn import_gap_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_gap_usd_qualifier)
    }
    /// `importGapUsd / importsUsd`.
    async fn import_gap_ratio(&self) -> Option<f64> {
        self.0.import_gap_ratio
    }
    /// How sure `importGapRatio` is.
    async fn import_gap_ratio_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_gap_ratio_qualifier)
    }
}
