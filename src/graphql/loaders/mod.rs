//! One DataLoader per relation, registered once in the schema. They keep no cache (a new
//! request sees new data) and only batch: every key asked for while a query resolves one
//! level is answered by one statement per distinct filter.

mod aid;
mod dependency;
mod indicator;
mod membership;
mod partner_share;

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

pub use aid::AidReceived;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Result, SchemaBuilder};
pub use dependency::ImportDependencies;
pub use indicator::IndicatorLoader;
pub use membership::{MembersOfOrganization, MembershipsOfCountry};
pub use partner_share::StatedShares;
use sea_orm::DatabaseConnection;

use crate::error::Error;

/// How long a loader waits for more keys before it queries. Keys of one level of a query
/// arrive in the same poll, so a short delay costs latency and gains nothing (async-graphql
/// issue #1306).
const DELAY: Duration = Duration::from_micros(100);

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
pub fn register<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    db: &DatabaseConnection,
) -> SchemaBuilder<Q, M, S> {
    fn dl<T: Send + Sync + 'static>(loader: T) -> DataLoader<T> {
        DataLoader::new(loader, tokio::spawn).delay(DELAY)
    }
    builder
        .data(dl(MembershipsOfCountry(db.clone())))
        .data(dl(MembersOfOrganization(db.clone())))
        .data(dl(IndicatorLoader(db.clone())))
        .data(dl(ImportDependencies(db.clone())))
        .data(dl(AidReceived(db.clone())))
        .data(dl(StatedShares(db.clone())))
}

/// The registered loader of type `T`.
pub(crate) fn loader<'a, T: Send + Sync + 'static>(
    ctx: &'a Context<'_>,
) -> Result<&'a DataLoader<T>> {
    ctx.data::<DataLoader<T>>()
}

/// A loader's error as GraphQL sees it.
pub(crate) fn gql_err(e: Error) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    e.extend()
}
