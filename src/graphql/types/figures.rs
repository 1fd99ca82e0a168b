//! Output types of the derived trade figures.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{Country, country_of};
use crate::graphql::refs;
use crate::service::figures as f;

/// One year of a reporter's trade with one partner. Sums and ratios are `null` when a side
/// is missing or a divisor is zero, never a made-up zero.
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
    /// The reporter's imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// `exportsUsd + importsUsd`; null when either is missing.
    async fn total_trade_usd(&self) -> Option<f64> {
        self.0.total_trade_usd
    }
    /// `exportsUsd − importsUsd`; null when either is missing.
    async fn balance_usd(&self) -> Option<f64> {
        self.0.balance_usd
    }
    /// total(year) / total(year − 1) − 1; null when the previous year is missing or 0.
    async fn total_trade_growth(&self) -> Option<f64> {
        self.0.total_trade_growth
    }
    /// Exports to the partner / the reporter's exports to the world (its `W00` row, else the
    /// sum over partners), same year and commodity.
    async fn export_share(&self) -> Option<f64> {
        self.0.export_share
    }
    /// Imports from the partner / the reporter's imports from the world.
    async fn import_share(&self) -> Option<f64> {
        self.0.import_share
    }
}

/// A partner's place among a reporter's partners.
#[derive(Clone)]
pub struct PartnerShare(pub f::RankedPartner);

#[Object]
impl PartnerShare {
    /// 1 for the largest partner; ties are ordered by ISO code.
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
    /// Value / the reporter's world total (its `W00` row, else the sum over partners).
    async fn share(&self) -> Option<f64> {
        self.0.share
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
        Ok(refs(ctx)?
            .commodities
            .by_id(self.0.commodity_id)
            .map(|c| c.code.clone())
            .unwrap_or_default())
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
    /// Value / the `TOTAL` commodity's value when stored, else / the sum over the level's codes.
    async fn share(&self) -> Option<f64> {
        self.0.share
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
    /// Value in the last year; null when not stored.
    pub to_value_usd: Option<f64>,
    /// (to / from)^(1 / (toYear − fromYear)) − 1; null when a value is missing or the first is 0.
    pub rate: Option<f64>,
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
    /// The partner's declared imports from the reporter (the mirror of `exportsUsd`).
    async fn partner_imports_usd(&self) -> Option<f64> {
        self.0.partner_imports_usd
    }
    /// `partnerImportsUsd − exportsUsd` (imports are usually valued CIF, exports FOB).
    async fn export_gap_usd(&self) -> Option<f64> {
        self.0.export_gap_usd
    }
    /// `exportGapUsd / exportsUsd`.
    async fn export_gap_ratio(&self) -> Option<f64> {
        self.0.export_gap_ratio
    }
    /// The reporter's declared imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// The partner's declared exports to the reporter (the mirror of `importsUsd`).
    async fn partner_exports_usd(&self) -> Option<f64> {
        self.0.partner_exports_usd
    }
    /// `partnerExportsUsd − importsUsd`.
    async fn import_gap_usd(&self) -> Option<f64> {
        self.0.import_gap_usd
    }
    /// `importGapUsd / importsUsd`.
    async fn import_gap_ratio(&self) -> Option<f64> {
        self.0.import_gap_ratio
    }
}
