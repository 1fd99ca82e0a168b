//! The GraphQL schema: roots merged from per-domain parts, output types, DataLoaders.

pub mod loaders;
pub mod query;
pub mod types;

use std::sync::Arc;

use async_graphql::{Context, EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::error::{Error, GqlResult};
use crate::reference::{RefCache, RefData};
pub use query::QueryRoot;

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Default page size of every connection.
pub const DEFAULT_PAGE_SIZE: i32 = 100;
/// Largest page size; more is refused with `TOO_COMPLEX`.
pub const MAX_PAGE_SIZE: i32 = 1000;

/// Builds the schema with its shared data: the pool, the reference cache and the loaders.
pub fn build_schema(db: DatabaseConnection, refs: Arc<RefCache>, settings: &Settings) -> AppSchema {
    let builder = Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription);
    loaders::register(builder, &db, &refs, settings.loader_delay)
        .data(db)
        .data(refs)
        .finish()
}

/// The database pool of the request.
pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

/// The current snapshot of the reference tables.
pub(crate) fn refs(ctx: &Context<'_>) -> async_graphql::Result<Arc<RefData>> {
    Ok(ctx.data::<Arc<RefCache>>()?.get())
}

/// The id of a country given by code; `BAD_USER_INPUT` naming the argument when unknown.
pub(crate) fn country_id(refs: &RefData, code: &str, argument: &str) -> async_graphql::Result<i32> {
    refs.country(code)
        .map(|c| c.id)
        .ok_or_else(|| Error::bad_input(format!("`{argument}`: unknown country code {code:?}")))
        .gql()
}

/// The id of a commodity given by code; `BAD_USER_INPUT` naming the argument when unknown.
pub(crate) fn commodity_id(refs: &RefData, code: &str, argument: &str) -> async_graphql::Result<i32> {
    refs.commodities
        .by_code(code)
        .map(|c| c.id)
        .ok_or_else(|| Error::bad_input(format!("`{argument}`: unknown commodity code {code:?}")))
        .gql()
}

/// Validates a `limit` argument: 1 to 1000.
pub(crate) fn limit(limit: i32) -> async_graphql::Result<u32> {
    match limit {
        n if n < 1 => Err(Error::bad_input("`limit` must be at least 1")).gql(),
        n if n > MAX_PAGE_SIZE => Err(Error::TooComplex(format!("`limit` is {n}; at most {MAX_PAGE_SIZE}"))).gql(),
        n => Ok(n as u32),
    }
}

/// Validates a connection's `first` argument: default 100, at most 1000.
pub(crate) fn page_size(first: Option<i32>) -> async_graphql::Result<usize> {
    match first.unwrap_or(DEFAULT_PAGE_SIZE) {
        n if n < 0 => Err(Error::bad_input("`first` must not be negative")).gql(),
        n if n > MAX_PAGE_SIZE => Err(Error::TooComplex(format!(
            "`first` is {n}; at most {MAX_PAGE_SIZE} rows per page"
        )))
        .gql(),
        n => Ok(n as usize),
    }
}
