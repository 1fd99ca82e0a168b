//! The trade indicators as figures: each computed for every reporter of a batch by one
//! statement (`service::indicators`).

use async_graphql::SchemaBuilder;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

use super::figures::{Figure, FigureLoader, figure};
use crate::reference::{RefCache, RefData};
use crate::service::indicators::world::WorldCache;
use crate::service::indicators::{self as ind, Ids, bilateral as b, national as n, product as p, unit_value as u};

figure!(
    /// `Country.rca`.
    Rca(p::ProductArgs) -> ind::ProductIndexRow,
    |db, refs, world, ids, args| p::rca(db, world, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.marketPenetration`.
    MarketPenetration(p::ProductArgs) -> ind::ProductIndexRow,
    |db, refs, world, ids, args| p::market_penetration(db, world, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.relativeTradeBalance`.
    RelativeTradeBalance(p::ProductArgs) -> ind::ProductIndexRow,
    |db, refs, ids, args| p::relative_trade_balance(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.intraIndustryTradeByCode`.
    IntraIndustryByCode(p::IntraIndustryArgs) -> ind::ProductIndexRow,
    |db, refs, ids, args| p::intra_industry_by_code(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.tradeIntensity`.
    TradeIntensity(b::IntensityArgs) -> ind::ReporterValue,
    |db, refs, world, ids, args| b::trade_intensity(db, world, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.tradeComplementarity`.
    TradeComplementarity(b::ComplementarityArgs) -> ind::ReporterValue,
    |db, refs, ids, args| b::trade_complementarity(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.intraIndustryTrade`.
    IntraIndustry(b::IntraIndustryTotalArgs) -> ind::ReporterValue,
    |db, refs, ids, args| b::intra_industry(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.exportDiversification`.
    ExportDiversification(n::DiversificationArgs) -> n::Diversification,
    |db, refs, ids, args| n::export_diversification(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.openness` and `Country.exportsPerCapita`.
    Ratio(n::RatioArgs) -> ind::ReporterValue,
    |db, refs, ids, args| n::ratio(db, Ids::of(refs), ids, args)
);
figure!(
    /// `Country.unitValues`.
    UnitValues(u::UnitValueArgs) -> u::UnitValueYear,
    |db, refs, ids, args| u::unit_values(db, Ids::of(refs), ids, args)
);

/// Registers the loader of each indicator.
pub(super) fn register<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    db: &DatabaseConnection,
    refs: &Arc<RefCache>,
) -> SchemaBuilder<Q, M, S> {
    macro_rules! loaders {
        ($($figure:ty),*) => {
            builder$(.data(Arc::new(FigureLoader::<$figure>::new(db.clone(), refs.clone()))))*
        };
    }
    loaders!(
        Rca,
        MarketPenetration,
        RelativeTradeBalance,
        IntraIndustryByCode,
        TradeIntensity,
        TradeComplementarity,
        IntraIndustry,
        ExportDiversification,
        Ratio,
        UnitValues
    )
}
