//! Output types of the derived trade figures.

use async_graphql::{Context, Object, Result};

use super::flow_lineage as fl;
use super::{Country, Lineage, Qualifier, commodity_code, country_of};
use crate::graphql::loaders::figures::{
    ConcentrationLineage, TopPartnersLineage, TradeByCommodityLineage, TradeWithLineage,
};
use crate::graphql::refs;
use crate::service::figures as f;
use crate::service::lineage::FlowInput;

/// A figure's qualifier as the API names it.
fn named(q: Option<entity::enums::Qualifier>) -> Option<Qualifier> {
    q.map(Into::into)
}

/// One year of a reporter's trade with one partner. Sums and ratios are `null` when a side
/// is missing or a divisor is zero, never a made-up zero. Each figure `x` has `xQualifier`
/// beside it: how sure the figure is, from the qualifiers of the rows it is computed from
/// (null when the figure is null).
#[derive(Clone)]
pub struct BilateralTradeYear(pub f::BilateralYear, pub f::TradeWithArgs);

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
    /// How `exportsUsd` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `exportsUsd` is. One more statement for every reporter of the query level.
    async fn exports_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.exports_usd, fl::Bilateral::Exports).await
    }
    /// The reporter's imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// The stored qualifier of `importsUsd`.
    async fn imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.imports_usd_qualifier)
    }
    /// How `importsUsd` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `importsUsd` is. One more statement for every reporter of the query level.
    async fn imports_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.imports_usd, fl::Bilateral::Imports).await
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
    /// How `totalTradeUsd` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `totalTradeUsd` is. One more statement for every reporter of the query level.
    async fn total_trade_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.total_trade_usd, fl::Bilateral::Total).await
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
    /// How `balanceUsd` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `balanceUsd` is. One more statement for every reporter of the query level.
    async fn balance_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.balance_usd, fl::Bilateral::Balance).await
    }
    /// total(year) / total(year − 1) − 1; null when the previous year is missing or 0.
    async fn total_trade_growth(&self) -> Option<f64> {
        self.0.total_trade_growth
    }
    /// How sure `totalTradeGrowth` is (it rises with this year's total, falls with last year's).
    async fn total_trade_growth_qualifier(&self) -> Option<Qualifier> {
        named(self.0.total_trade_growth_qualifier)
    }
    /// How `totalTradeGrowth` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `totalTradeGrowth` is. One more statement for every reporter of the query level.
    async fn total_trade_growth_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.total_trade_growth, fl::Bilateral::Growth)
            .await
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
    /// How `exportShare` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `exportShare` is. One more statement for every reporter of the query level.
    async fn export_share_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.export_share, fl::Bilateral::ExportShare).await
    }
    /// Imports from the partner / the reporter's imports from the world.
    async fn import_share(&self) -> Option<f64> {
        self.0.import_share
    }
    /// How sure `importShare` is.
    async fn import_share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_share_qualifier)
    }
    /// How `importShare` was computed: its formula and the stored rows (`TradeFlow`, `StatedTradeTotal`);
    /// null when `importShare` is. One more statement for every reporter of the query level.
    async fn import_share_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.import_share, fl::Bilateral::ImportShare).await
    }
}

impl BilateralTradeYear {
    /// The lineage of `figure`, whose value is `value`.
    async fn lineage(&self, ctx: &Context<'_>, value: Option<f64>, figure: fl::Bilateral) -> Result<Option<Lineage>> {
        if value.is_none() {
            return Ok(None);
        }
        let rows = fl::rows::<TradeWithLineage>(ctx, self.0.reporter_id, self.1).await?;
        let world_id = refs(ctx)?.world_id();
        Ok(Some(fl::bilateral(
            &rows,
            self.0.year,
            self.1.partner_id,
            world_id,
            figure,
        )))
    }
}

/// A partner's place among a reporter's partners.
#[derive(Clone)]
pub struct PartnerShare(pub f::RankedPartner, pub f::TopPartnersArgs);

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
    /// How `share` was computed: the partner's flow (`v`) and the rows of the world total
    /// (`w`: the `W00` row, else every partner's); null when `share` is. One more statement
    /// for every reporter of the query level.
    async fn share_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        if self.0.share.is_none() {
            return Ok(None);
        }
        let rows = fl::rows::<TopPartnersLineage>(ctx, self.0.reporter_id, self.1).await?;
        let year = rows.iter().filter(|r| r.year == self.0.year);
        let value: Vec<_> = year.clone().filter(|r| r.partner_id == self.0.partner_id).collect();
        let world = fl::world_rows(year, refs(ctx)?.world_id());
        Ok(Some(fl::share(
            format!("the flow with the partner / {}", fl::WORLD_TOTAL),
            &value,
            &world,
        )))
    }
}

impl CommodityShare {
    /// The rows of the reporter's lineage statement, and the World's id.
    async fn rows(&self, ctx: &Context<'_>) -> Result<(Vec<FlowInput>, i32)> {
        let rows = fl::rows::<TradeByCommodityLineage>(ctx, self.0.reporter_id, self.1).await?;
        Ok((rows, refs(ctx)?.world_id()))
    }
}

/// One commodity's part of a reporter's trade.
#[derive(Clone)]
pub struct CommodityShare(pub f::CommodityValue, pub f::ByCommodityArgs);

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
    /// How `valueUsd` was computed: the rows summed (`v`: with partner `W00`, its `W00` row,
    /// else every partner's); null when `valueUsd` is. One more statement for every reporter
    /// of the query level.
    async fn value_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        if self.0.value_usd.is_none() {
            return Ok(None);
        }
        let (rows, world_id) = self.rows(ctx).await?;
        let value = fl::world_rows(rows.iter().filter(|r| r.commodity_id == self.0.commodity_id), world_id);
        Ok(Some(fl::lineage(
            "the code's value with the partner (with W00: the W00 row when stored, else the sum over the \
             partners that are countries)",
            "Σ v",
            value.into_iter().map(|r| fl::input(r, "v")).collect(),
        )))
    }
    /// How `share` was computed: the code's rows (`v`) and those of the total (`w`: the
    /// `TOTAL` commodity's, or when it is not stored every code's of the level); null when
    /// `share` is.
    async fn share_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        if self.0.share.is_none() {
            return Ok(None);
        }
        let (rows, world_id) = self.rows(ctx).await?;
        let of = |commodity: i32| fl::world_rows(rows.iter().filter(move |r| r.commodity_id == commodity), world_id);
        let total = self.1.total_commodity_id;
        let mut whole = of(total);
        if whole.is_empty() {
            let mut codes: Vec<i32> = rows.iter().map(|r| r.commodity_id).filter(|c| *c != total).collect();
            codes.dedup();
            whole = codes.into_iter().flat_map(of).collect();
        }
        Ok(Some(fl::share(
            "the code's value / the TOTAL commodity's value (each with W00: its W00 row when stored, else the \
             sum over the partners that are countries), or when TOTAL is not stored the sum over the level's codes"
                .to_owned(),
            &of(self.0.commodity_id),
            &whole,
        )))
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
        let rows = fl::rows::<ConcentrationLineage>(ctx, self.0.reporter_id, self.1).await?;
        Ok(Some(fl::lineage(
            "Herfindahl–Hirschman index: the sum of the squares of each partner's value, divided by the square \
             of the sum of the values (partners that are countries: W00 and other aggregates excluded)",
            "Σ v² / (Σ v)²",
            rows.iter().map(|r| fl::input(r, "v")).collect(),
        )))
    }
}
