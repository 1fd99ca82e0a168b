//! One loader per relation, registered once in the schema. They keep no cache (a new
//! request sees new data) and only batch: every key a request asks for while its query
//! resolves one level is answered by one statement per distinct filter (`graphql::batch`).

mod aid;
mod dependency;
pub mod figures;
mod indicator;
pub mod indicators;
mod membership;
mod partner_share;
mod trade_total;

use std::collections::HashMap;
use std::hash::Hash;

pub use aid::{AidFulfilment, AidReceived};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result, SchemaBuilder};
pub use dependency::{ComputedDependencies, ImportDependencies};
pub use indicator::IndicatorLoader;
pub use membership::{MembersOfOrganization, MembershipsOfCountry};
pub use partner_share::StatedShares;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
pub use trade_total::StatedTotals;

use crate::graphql::batch::Batcher;
use crate::reference::RefCache;
use figures::FigureLoader;

use crate::error::Error;

/// A loader key: the parent's id and the field's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyed<F> {
    pub id: i32,
    pub filter: F,
}

/// Groups keys by their filter, so each distinct filter becomes one statement over many ids.
pub(crate) fn by_filter<F: Clone + Eq + Hash>(keys: &[Keyed<F>]) -> HashMap<F, Vec<i32>> {
    let mut groups: HashMap<F, Vec<i32>> = HashMap::new();
    for k in keys {
        groups.entry(k.filter.clone()).or_default().push(k.id);
    }
    groups
}

/// Registers each loader, built around a clone of the connection pool, in the schema's
/// data. A loader keeps no state of a request: the keys a request asks for are queued and
/// batched by that request's [`Batcher`] (see `graphql::batch`), never with another's.
pub fn register<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    db: &DatabaseConnection,
    refs: &Arc<RefCache>,
) -> SchemaBuilder<Q, M, S> {
    let builder = indicators::register(builder, db, refs);
    builder
        .data(Arc::new(MembershipsOfCountry(db.clone())))
        .data(Arc::new(MembersOfOrganization(db.clone())))
        .data(Arc::new(IndicatorLoader(db.clone())))
        .data(Arc::new(ImportDependencies(db.clone())))
        .data(Arc::new(AidReceived(db.clone())))
        .data(Arc::new(AidFulfilment(db.clone())))
        .data(Arc::new(StatedShares(db.clone())))
        .data(Arc::new(StatedTotals(db.clone())))
        .data(Arc::new(ComputedDependencies(db.clone(), refs.clone())))
        .data(figure::<figures::TradeWith>(db, refs))
        .data(figure::<figures::TopPartners>(db, refs))
        .data(figure::<figures::Concentration>(db, refs))
        .data(figure::<figures::TradeByCommodity>(db, refs))
        .data(figure::<figures::Cagr>(db, refs))
        .data(figure::<figures::Mirror>(db, refs))
        .data(figure::<figures::IndicatorSeries>(db, refs))
        .data(figure::<figures::BlocTrade>(db, refs))
        .data(figure::<figures::ConcentrationLineage>(db, refs))
        .data(figure::<figures::TradeWithLineage>(db, refs))
        .data(figure::<figures::TopPartnersLineage>(db, refs))
        .data(figure::<figures::TradeByCommodityLineage>(db, refs))
        .data(figure::<figures::CagrLineage>(db, refs))
        .data(figure::<figures::MirrorLineage>(db, refs))
        .data(figure::<figures::DependencyLineage>(db, refs))
}

/// The loader of figure `F`.
fn figure<F>(db: &DatabaseConnection, refs: &Arc<RefCache>) -> Arc<FigureLoader<F>> {
    Arc::new(FigureLoader::new(db.clone(), refs.clone()))
}

/// A registered loader and the batcher of the request asking.
pub(crate) struct Batched<'a, T> {
    loader: &'a Arc<T>,
    batcher: &'a Batcher,
}

impl<T> Batched<'_, T> {
    /// The value of `key`, loaded with every other key of the level.
    pub async fn load_one<K>(&self, key: K) -> std::result::Result<Option<T::Value>, T::Error>
    where
        T: Loader<K>,
        K: Send + Sync + Hash + Eq + Clone + 'static,
    {
        self.batcher.load_one(self.loader, key).await
    }
}

/// The registered loader of type `T`, batched with the rest of the request.
pub(crate) fn loader<'a, T: Send + Sync + 'static>(ctx: &'a Context<'_>) -> Result<Batched<'a, T>> {
    Ok(Batched {
        loader: ctx.data::<Arc<T>>()?,
        batcher: ctx.data::<Arc<Batcher>>()?,
    })
}

/// A loader's error as GraphQL sees it.
pub(crate) fn gql_err(e: Error) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    e.extend()
}
