//! One DataLoader per relation, registered once in the schema. They keep no cache (a new
//! request sees new data) and only batch: every key asked for while a query resolves one
//! level is answered by one statement per distinct filter.

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
use std::time::Duration;

pub use aid::{AidFulfilment, AidReceived};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Result, SchemaBuilder};
pub use dependency::{ComputedDependencies, ImportDependencies};
pub use indicator::IndicatorLoader;
pub use membership::{MembersOfOrganization, MembershipsOfCountry};
pub use partner_share::StatedShares;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
pub use trade_total::StatedTotals;

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

/// Builds each loader around a clone of the connection pool.
///
/// `delay` is how long a loader gathers keys after the first one before it queries: the
/// keys of one level of a query arrive while its list is being resolved, so the delay must
/// cover that (async-graphql's default is 1 ms; see its issue #1306 on the latency cost).
/// The loaders are shared by all requests, so concurrent requests batch together too.
pub fn register<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    db: &DatabaseConnection,
    refs: &Arc<RefCache>,
    delay: Duration,
) -> SchemaBuilder<Q, M, S> {
    let builder = indicators::register(builder, db, refs, delay);
    builder
        .data(dl(MembershipsOfCountry(db.clone()), delay))
        .data(dl(MembersOfOrganization(db.clone()), delay))
        .data(dl(IndicatorLoader(db.clone()), delay))
        .data(dl(ImportDependencies(db.clone()), delay))
        .data(dl(AidReceived(db.clone()), delay))
        .data(dl(AidFulfilment(db.clone()), delay))
        .data(dl(StatedShares(db.clone()), delay))
        .data(dl(StatedTotals(db.clone()), delay))
        .data(dl(ComputedDependencies(db.clone(), refs.clone()), delay))
        .data(dl(
            FigureLoader::<figures::TradeWith>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(
            FigureLoader::<figures::TopPartners>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(
            FigureLoader::<figures::Concentration>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(
            FigureLoader::<figures::TradeByCommodity>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(FigureLoader::<figures::Cagr>::new(db.clone(), refs.clone()), delay))
        .data(dl(
            FigureLoader::<figures::Mirror>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(
            FigureLoader::<figures::BlocTrade>::new(db.clone(), refs.clone()),
            delay,
        ))
        .data(dl(
            FigureLoader::<figures::ConcentrationLineage>::new(db.clone(), refs.clone()),
            delay,
        ))
}

/// A loader of `loader` that gathers keys for `delay`.
fn dl<T: Send + Sync + 'static>(loader: T, delay: Duration) -> DataLoader<T> {
    DataLoader::new(loader, tokio::spawn).delay(delay)
}

/// The registered loader of type `T`.
pub(crate) fn loader<'a, T: Send + Sync + 'static>(ctx: &'a Context<'_>) -> Result<&'a DataLoader<T>> {
    ctx.data::<DataLoader<T>>()
}

/// A loader's error as GraphQL sees it.
pub(crate) fn gql_err(e: Error) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    e.extend()
}
