//! The GraphQL schema: roots merged from per-domain parts, output types, DataLoaders, and
//! the limits every query is checked against.

pub mod arguments;
pub mod batch;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod node;
pub mod paging;
pub mod persisted;
pub mod query;
pub mod request_errors;
pub mod types;

use std::sync::Arc;

use async_graphql::extensions::apollo_persisted_queries::ApolloPersistedQueries;
use async_graphql::{Context, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use crate::error::{Error, GqlResult};
use crate::reference::{RefCache, RefData};
use crate::service::keys::Caller;
use crate::service::suggest;
pub use limits::QueryLimits;
pub use mutation::MutationRoot;
pub use query::QueryRoot;

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Default page size of every connection.
pub const DEFAULT_PAGE_SIZE: i32 = 100;
/// Largest page size; more is refused with `TOO_COMPLEX`.
pub const MAX_PAGE_SIZE: i32 = 1000;
/// Persisted queries kept in memory (least recently used dropped first).
pub const PERSISTED_QUERIES: usize = 1024;

/// Builds the schema with its shared data: the pool, the reference cache and the loaders
/// (batched per request by `batch::Batching`), the query `limits` and Apollo automatic persisted
/// queries (cached in `persisted`).
pub fn build_schema(
    db: DatabaseConnection,
    refs: Arc<RefCache>,
    limits: QueryLimits,
    persisted: persisted::PersistedQueries,
) -> AppSchema {
    let builder = Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        // Before the persisted-query extension, so that only checked documents are cached.
        .extension(limits)
        .extension(ApolloPersistedQueries::new(persisted));
    loaders::register(builder.extension(batch::Batching), &db, &refs)
        .data(db)
        .data(refs)
        .finish()
}

/// The SDL of the schema (as committed in `schema.graphql`).
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .finish()
        .sdl()
}

/// The database pool of the request.
pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

/// The current snapshot of the reference tables.
pub(crate) fn refs(ctx: &Context<'_>) -> async_graphql::Result<Arc<RefData>> {
    Ok(ctx.data::<Arc<RefCache>>()?.get())
}

/// The id of a country given by code; `BAD_USER_INPUT` naming the argument and the closest
/// codes when unknown.
pub(crate) fn country_id(refs: &RefData, code: &str, argument: &str) -> async_graphql::Result<i32> {
    refs.country(code)
        .map(|c| c.id)
        .ok_or_else(|| Error::bad_input(format!("`{argument}`: {}", suggest::country(refs, code))))
        .gql()
}

/// The id of a commodity given by code; `BAD_USER_INPUT` naming the argument and the
/// closest codes when unknown.
pub(crate) fn commodity_id(refs: &RefData, code: &str, argument: &str) -> async_graphql::Result<i32> {
    refs.commodities
        .by_code(code)
        .map(|c| c.id)
        .ok_or_else(|| Error::bad_input(format!("`{argument}`: {}", suggest::commodity(refs, code))))
        .gql()
}

/// The shapes of codes. A lookup by a well-formed code that names nothing is null; anything
/// else (a name, a sentence) is a mistake worth an error with suggestions.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CodeShape {
    /// ISO 3166-1 alpha-3 or alpha-2 (and `W00`): 2 or 3 letters and digits.
    Country,
    /// 1 to 12 letters, digits, `+`, `-`, `&` (`EAEU`, `3+3`).
    Organization,
    /// `TOTAL`, an HS section in Roman numerals, or an HS code of up to 6 digits.
    Commodity,
}

/// The answer of a lookup by `code`: the object found; null for a well-formed code that
/// names nothing; `BAD_USER_INPUT` with the `unknown` message (suggestions) for anything else.
pub(crate) fn by_code<T>(
    found: Option<T>,
    code: &str,
    shape: CodeShape,
    unknown: impl FnOnce() -> String,
) -> async_graphql::Result<Option<T>> {
    match found {
        Some(x) => Ok(Some(x)),
        None if shape.fits(code) => Ok(None),
        None => Err(Error::bad_input(format!("`code`: {}", unknown()))).gql(),
    }
}

impl CodeShape {
    pub(crate) fn fits(self, code: &str) -> bool {
        match self {
            CodeShape::Country => (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()),
            CodeShape::Organization => {
                (1..=12).contains(&code.len())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '&'))
            }
            CodeShape::Commodity => {
                code.eq_ignore_ascii_case("TOTAL")
                    || ((1..=6).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()))
                    || ((1..=5).contains(&code.len()) && code.chars().all(|c| "IVXLivxl".contains(c)))
            }
        }
    }
}

/// Validates a `limit` argument: 1 to 1000.
pub(crate) fn limit(limit: i32) -> async_graphql::Result<u32> {
    match limit {
        n if n < 1 => Err(Error::bad_input("`limit` must be at least 1")).gql(),
        n if n > MAX_PAGE_SIZE => Err(Error::TooComplex(format!("`limit` is {n}; at most {MAX_PAGE_SIZE}"))).gql(),
        n => Ok(n as u32),
    }
}

static ANONYMOUS: Caller = Caller::Anonymous;

/// Who sent the request (resolved from `Authorization` by the HTTP handler); anonymous when
/// the schema runs without it.
pub(crate) fn caller<'a>(ctx: &'a Context<'_>) -> &'a Caller {
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// The caller's key when it may write with `scope`.
pub(crate) fn writer<'a>(
    ctx: &'a Context<'_>,
    scope: entity::enums::KeyScope,
) -> async_graphql::Result<&'a crate::service::keys::KeyInfo> {
    caller(ctx).require(scope).gql()
}

/// Complexity of a list field that returns up to `first` rows (default 100): each row costs
/// what its selection costs.
pub(crate) fn list_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = usize::try_from(first.unwrap_or(DEFAULT_PAGE_SIZE)).unwrap_or(0).max(1);
    rows.saturating_mul(child_complexity).saturating_add(1)
}

/// Estimated sizes of the list fields that take no `first`/`limit`, for their complexity:
/// a list field costs its estimated number of rows times what one row's selection costs.
pub const MEMBERSHIPS_PER_COUNTRY: usize = 10;
/// Organisations have up to ~200 members (the UN).
pub const MEMBERS_PER_ORGANIZATION: usize = 200;
/// Aid figures, dependencies, stated shares of one country.
pub const FACTS_PER_COUNTRY: usize = 20;
/// All organisations.
pub const ORGANIZATIONS: usize = 20;
/// Years of a per-year figure (`tradeWith`, `mirror`): Comtrade goes back to 1962.
pub const YEARS: usize = 65;
/// Currencies with stored exchange rates (those aid is announced in).
pub const CURRENCIES: usize = 30;
/// Commodity codes in one list (chapters and headings; subheadings as data arrives).
pub const COMMODITIES: usize = 1300;

/// Years a per-year field answers, for its complexity: one for `year`, the length of a
/// complete range, else [`YEARS`].
pub(crate) fn year_count(year: Option<i32>, from_year: Option<i32>, to_year: Option<i32>) -> usize {
    match (year, from_year, to_year) {
        (Some(_), _, _) => 1,
        (None, Some(from), Some(to)) => usize::try_from(i64::from(to) - i64::from(from) + 1)
            .unwrap_or(1)
            .clamp(1, YEARS),
        _ => YEARS,
    }
}

/// Complexity of a list field of about `rows` rows.
pub(crate) fn estimated_list_cost(rows: usize, child_complexity: usize) -> usize {
    rows.saturating_mul(child_complexity).saturating_add(1)
}
