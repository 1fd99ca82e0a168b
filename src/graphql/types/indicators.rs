//! Output types of the trade indicators (`docs/indicators.md`).

use async_graphql::{Context, Object, Result};

use super::{Commodity, commodity_of};
use crate::graphql::refs;
use crate::service::indicators::{self as ind, national, unit_value};

/// One HS code's place in a ranked indicator list (`rca`, `marketPenetration`,
/// `relativeTradeBalance`, `intraIndustryTradeByCode`), with the inputs of its value. Each
/// input field is filled by the indicators that use it and null for the others.
#[derive(Clone)]
pub struct ProductIndex(pub ind::ProductIndexRow);

#[Object]
impl ProductIndex {
    /// 1 for the highest value; nulls come last, ties are ordered by code.
    async fn rank(&self) -> i64 {
        self.0.rank
    }
    /// The HS code.
    async fn commodity(&self, ctx: &Context<'_>) -> Result<Commodity> {
        commodity_of(&*refs(ctx)?, self.0.commodity_id)
    }
    /// The indicator's value; null when an input is missing or a divisor is zero.
    async fn value(&self) -> Option<f64> {
        self.0.value
    }
    /// The country's exports of the code: to the world (`X_ik`, its `W00` row, else the sum
    /// over its partners), or to the partner asked for (`x_ijk`).
    async fn exports_usd(&self) -> Option<f64> {
        self.0.exports_usd
    }
    /// The country's imports of the code, from the world (`M_ik`) or the partner (`m_ijk`).
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// `rca`: the country's total exports `X_i` (`TOTAL`, else the sum over the level's codes).
    async fn total_exports_usd(&self) -> Option<f64> {
        self.0.total_exports_usd
    }
    /// `rca`: the world's exports of the code, `X_Wk = Σ_r X_rk` over every reporter.
    async fn world_exports_usd(&self) -> Option<f64> {
        self.0.world_exports_usd
    }
    /// `rca`: the world's total exports, `X_W = Σ_r X_r` over every reporter with a total.
    async fn world_total_exports_usd(&self) -> Option<f64> {
        self.0.world_total_exports_usd
    }
    /// `marketPenetration`: partners the country exports the code to (value above 0).
    async fn markets(&self) -> Option<i64> {
        self.0.markets
    }
    /// `marketPenetration`: reporters whose imports of the code (world total) are above 0.
    async fn importers(&self) -> Option<i64> {
        self.0.importers
    }
}

/// How concentrated a country's exports are over the codes of one HS level.
#[derive(Clone)]
pub struct ExportDiversification(pub national::Diversification);

#[Object]
impl ExportDiversification {
    /// Herfindahl–Hirschman index `Σ_k s_k²`, `s_k` being code `k`'s share of the exports
    /// summed over the level's codes; 1 for a single product, near 0 for many equal ones.
    async fn hhi(&self) -> Option<f64> {
        self.0.hhi
    }
    /// Number of codes exported (value above 0).
    async fn products(&self) -> i64 {
        self.0.products
    }
    /// Exports summed over the level's codes (the shares' denominator).
    async fn exports_usd(&self) -> Option<f64> {
        self.0.exports_usd
    }
}

/// One year of a commodity's value, quantity and unit value.
#[derive(Clone)]
pub struct UnitValueYear(pub unit_value::UnitValueYear);

#[Object]
impl UnitValueYear {
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Value: the `W00` row, else the sum over partners (or the partner's row).
    async fn value_usd(&self) -> Option<f64> {
        self.0.value_usd
    }
    /// Quantity in `quantityUnit`; null unless every row summed has a quantity, all in one
    /// known unit.
    async fn quantity(&self) -> Option<f64> {
        self.0.quantity
    }
    /// Unit of the quantity as the source writes it (`kg`, `u`, `l`, …).
    async fn quantity_unit(&self) -> Option<&str> {
        self.0.quantity_unit.as_deref()
    }
    /// `valueUsd / quantity`: USD per unit.
    async fn unit_value(&self) -> Option<f64> {
        self.0.unit_value
    }
    /// `g_v`: value / previous year's value − 1; null when the previous year is missing.
    async fn value_growth(&self) -> Option<f64> {
        self.0.value_growth
    }
    /// `g_q`: quantity / previous year's quantity − 1 (same unit both years).
    async fn volume_growth(&self) -> Option<f64> {
        self.0.volume_growth
    }
    /// `g_uv`: unit value / previous year's unit value − 1; `(1 + g_v) = (1 + g_q)(1 + g_uv)`.
    async fn unit_value_growth(&self) -> Option<f64> {
        self.0.unit_value_growth
    }
}
