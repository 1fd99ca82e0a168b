//! The HTTP surface: `/graphql` (POST queries and mutations, GET queries or GraphiQL),
//! `/graphiql/*` (GraphiQL's own files), `/import/comtrade`, `/healthz`, `/readyz`,
//! `/metrics`.
//!
//! Every answer carries an `x-request-id` (the client's, or a new UUID); errors carry it in
//! `extensions.requestId` and the logs of the request name it. Every refusal — from the
//! handlers, the router or the HTTP parser itself — has the status of its code
//! (`crate::error::Code`) and a GraphQL-shaped JSON body, never an empty one.
//!
//! One module per concern: `router` (routes and layers), `middleware` (request ids,
//! metrics, CORS, timeouts, bodiless refusals), `auth` (credentials and rate limits),
//! `client` (the client address behind trusted proxies), `graphql` (the GraphQL handlers),
//! `graphql_request` (media types, body, parameters), `answer_cache` (answers of reads),
//! `graphiql`, `health`, `import`, `listener` (the server's TCP listener).

mod answer_cache;
pub mod auth;
pub mod client;
mod graphiql;
mod graphql;
mod graphql_request;
mod health;
pub mod import;
pub mod listener;
pub mod metrics;
pub mod middleware;
pub mod ratelimit;
mod router;

use std::sync::Arc;

use async_graphql::extensions::apollo_persisted_queries::LruCacheStorage;
use sea_orm::DatabaseConnection;

pub use client::ClientAddr;
pub use middleware::REQUEST_ID;
pub use router::app;

use crate::config::Settings;
use crate::graphql::{AppSchema, PERSISTED_QUERIES, build_schema};
use crate::reference::RefCache;
use crate::service::keys::Usage;
use answer_cache::AnswerCache;
use metrics::Metrics;
use ratelimit::RateLimiter;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub refs: Arc<RefCache>,
    pub schema: AppSchema,
    /// The Apollo persisted queries the schema caches (a GET naming a persisted mutation is
    /// refused before it runs).
    pub persisted: LruCacheStorage,
    pub settings: Arc<Settings>,
    pub limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    pub key_usage: Arc<Usage>,
    /// The pool `POST /import/comtrade` writes through: by default `db`; `serve` gives it
    /// one of its own on PostgreSQL, whose `statement_timeout` is the import's timeout rather
    /// than the (short) request timeout.
    pub import_db: DatabaseConnection,
    /// Answers of read operations by what decides them and the data version; `None` when
    /// turned off.
    pub answers: Option<Arc<AnswerCache>>,
}

impl AppState {
    /// Loads the reference cache and builds the schema over `db`.
    pub async fn new(db: DatabaseConnection, settings: &Settings) -> crate::error::Result<Self> {
        let refs = Arc::new(RefCache::load(&db).await?);
        Ok(Self::with_refs(db, refs, settings))
    }

    /// The state over an already loaded reference cache.
    pub fn with_refs(db: DatabaseConnection, refs: Arc<RefCache>, settings: &Settings) -> Self {
        let persisted = LruCacheStorage::new(PERSISTED_QUERIES);
        let schema = build_schema(
            db.clone(),
            refs.clone(),
            settings.limits,
            settings.loader_delay,
            persisted.clone(),
        );
        Self {
            db: db.clone(),
            refs,
            schema,
            persisted,
            settings: Arc::new(settings.clone()),
            limiter: Arc::new(RateLimiter::new(settings.rate_limit_per_minute)),
            metrics: Arc::new(Metrics::new()),
            key_usage: Arc::new(Usage::default()),
            import_db: db.clone(),
            answers: AnswerCache::new(settings.cache_max_bytes, settings.cache_max_age_s).map(Arc::new),
        }
    }
}
