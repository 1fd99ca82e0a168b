//! One generic loader for the derived trade figures: every `Country.<figure>(args)` asked
//! in one query with the same arguments is computed by one statement for all reporters.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::reference::{RefCache, RefData};
use crate::service::figures::{self as f};
use crate::service::indicators::world::WorldCache;
use crate::service::lineage as l;

/// A derived figure computed per reporter.
pub trait Figure: Send + Sync + 'static {
    type Args: Clone + Eq + Hash + Send + Sync + 'static;
    type Row: Clone + Send + Sync + 'static;
    fn reporter(row: &Self::Row) -> i32;
    fn fetch(
        db: &DatabaseConnection,
        refs: &RefData,
        world: &WorldCache,
        reporters: &[i32],
        args: Self::Args,
    ) -> impl Future<Output = crate::error::Result<Vec<Self::Row>>> + Send;
}

/// The loader of figure `F`.
pub struct FigureLoader<F> {
    db: DatabaseConnection,
    refs: Arc<RefCache>,
    /// World totals of the figures that need them (`service::indicators::world`).
    world: WorldCache,
    _figure: PhantomData<F>,
}

impl<F> FigureLoader<F> {
    pub fn new(db: DatabaseConnection, refs: Arc<RefCache>) -> Self {
        Self {
            db,
            refs,
            world: WorldCache::default(),
            _figure: PhantomData,
        }
    }
}

impl<F: Figure> Loader<Keyed<F::Args>> for FigureLoader<F> {
    type Value = Vec<F::Row>;
    type Error = Error;

    async fn load(&self, keys: &[Keyed<F::Args>]) -> Result<HashMap<Keyed<F::Args>, Self::Value>, Self::Error> {
        let refs = self.refs.get();
        let mut out = HashMap::with_capacity(keys.len());
        for (args, ids) in by_filter(keys) {
            for row in F::fetch(&self.db, &refs, &self.world, &ids, args.clone()).await? {
                out.entry(Keyed {
                    id: F::reporter(&row),
                    filter: args.clone(),
                })
                .or_insert_with(Vec::new)
                .push(row);
            }
        }
        Ok(out)
    }
}

/// The rows of figure `F` for one reporter (empty when there is no data).
pub async fn load<F: Figure>(ctx: &Context<'_>, reporter_id: i32, args: F::Args) -> Result<Vec<F::Row>> {
    let found = loader::<FigureLoader<F>>(ctx)?
        .load_one(Keyed {
            id: reporter_id,
            filter: args,
        })
        .await
        .map_err(gql_err)?;
    Ok(found.unwrap_or_default())
}

/// Declares a figure: its marker type, argument and row types, and the service call (which
/// may also take the loader's cache of world totals: `|db, refs, world, ids, args|`). Rows
/// are keyed by their `reporter_id`, or by the field named after `by`.
macro_rules! figure {
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty, by $key:ident, |$db:ident, $refs:ident, $ids:ident, $a:ident| $fetch:expr) => {
        figure!($(#[$doc])* $name($args) -> $row, by $key, |$db, $refs, _world, $ids, $a| $fetch);
    };
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty, |$db:ident, $refs:ident, $ids:ident, $a:ident| $fetch:expr) => {
        figure!($(#[$doc])* $name($args) -> $row, by reporter_id, |$db, $refs, _world, $ids, $a| $fetch);
    };
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty, |$db:ident, $refs:ident, $world:ident, $ids:ident, $a:ident| $fetch:expr) => {
        figure!($(#[$doc])* $name($args) -> $row, by reporter_id, |$db, $refs, $world, $ids, $a| $fetch);
    };
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty, by $key:ident, |$db:ident, $refs:ident, $world:ident, $ids:ident, $a:ident| $fetch:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl Figure for $name {
            type Args = $args;
            type Row = $row;
            fn reporter(row: &Self::Row) -> i32 {
                row.$key
            }
            async fn fetch(
                $db: &DatabaseConnection,
                $refs: &RefData,
                $world: &WorldCache,
                $ids: &[i32],
                $a: Self::Args,
            ) -> crate::error::Result<Vec<Self::Row>> {
                $fetch.await
            }
        }
    };
}

pub(crate) use figure;

figure!(
    /// `Country.tradeWith`.
    TradeWith(f::TradeWithArgs) -> f::BilateralYear,
    |db, refs, ids, args| f::trade_with(db, ids, refs.world_id(), args)
);
figure!(
    /// `Country.topPartners`.
    TopPartners(f::TopPartnersArgs) -> f::RankedPartner,
    |db, refs, ids, args| f::top_partners(db, ids, refs.world_id(), args)
);
figure!(
    /// `Country.concentration`.
    Concentration(f::ConcentrationArgs) -> f::Concentration,
    |db, _refs, ids, args| f::concentration(db, ids, args)
);
figure!(
    /// `Country.tradeByCommodity`.
    TradeByCommodity(f::ByCommodityArgs) -> f::CommodityValue,
    |db, refs, ids, args| f::trade_by_commodity(db, ids, refs.world_id(), args)
);
figure!(
    /// `Country.cagr`.
    Cagr(f::CagrArgs) -> f::CagrValues,
    |db, refs, ids, args| f::cagr_values(db, ids, refs.world_id(), args)
);
figure!(
    /// `Country.mirror`.
    Mirror(f::MirrorArgs) -> f::MirrorYear,
    |db, _refs, ids, args| f::mirror(db, ids, args)
);
figure!(
    /// `Organization.trade`: keyed by organisation.
    BlocTrade(crate::service::bloc::BlocTradeArgs) -> crate::service::bloc::BlocMemberRow,
    by organization_id,
    |db, refs, ids, args| crate::service::bloc::bloc_trade(db, ids, refs.world_id(), args)
);
figure!(
    /// `ConcentrationValue.lineage`: the partner flows of each reporter.
    ConcentrationLineage(f::ConcentrationArgs) -> l::FlowInput,
    by owner_id,
    |db, _refs, ids, args| l::partner_flows(db, ids, args)
);
figure!(
    /// The lineages of `BilateralTradeYear`'s figures.
    TradeWithLineage(f::TradeWithArgs) -> l::FlowInput,
    by owner_id,
    |db, refs, ids, args| l::trade_with_inputs(db, ids, refs.world_id(), args)
);
figure!(
    /// `PartnerShare.shareLineage`.
    TopPartnersLineage(f::TopPartnersArgs) -> l::FlowInput,
    by owner_id,
    |db, refs, ids, args| l::top_partners_inputs(db, ids, refs.world_id(), args)
);
figure!(
    /// The lineages of `CommodityShare`'s figures.
    TradeByCommodityLineage(f::ByCommodityArgs) -> l::FlowInput,
    by owner_id,
    |db, refs, ids, args| l::by_commodity_inputs(db, ids, refs.world_id(), args)
);
figure!(
    /// `GrowthRate.rateLineage`.
    CagrLineage(f::CagrArgs) -> l::FlowInput,
    by owner_id,
    |db, refs, ids, args| l::cagr_inputs(db, ids, refs.world_id(), args)
);
figure!(
    /// The lineages of `DependencyComparison`'s computed figures: keyed by dependency.
    DependencyLineage(()) -> l::FlowInput,
    by owner_id,
    |db, _refs, ids, _args| l::dependency_inputs(db, ids)
);
figure!(
    /// The lineages of `MirrorTradeYear`'s gaps.
    MirrorLineage(f::MirrorArgs) -> l::FlowInput,
    by owner_id,
    |db, _refs, ids, args| l::mirror_inputs(db, ids, args)
);

/// `Country.indicators`: the series of every country of a level in one statement.
pub struct IndicatorSeries;

impl Figure for IndicatorSeries {
    type Args = crate::service::indicator::SeriesArgs;
    type Row = entity::indicator::Model;
    fn reporter(row: &Self::Row) -> i32 {
        row.country_id
    }
    async fn fetch(
        db: &DatabaseConnection,
        _refs: &RefData,
        _world: &WorldCache,
        ids: &[i32],
        args: Self::Args,
    ) -> crate::error::Result<Vec<Self::Row>> {
        crate::service::indicator::series(db, ids, &args).await
    }
}
