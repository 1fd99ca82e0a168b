//! The HTTP surface: `/graphql` (POST queries and mutations, GET queries or GraphiQL),
//! `/graphiql/*` (GraphiQL's own files), `/explore` (the explorer page and its files), `/import/comtrade`, `/healthz`, `/readyz`,
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
//! `graphiql`, `explore`, `health`, `import`, `listener` (the server's TCP listener), `replicas` (reads
//! on read replicas).

mod answer_cache;
pub mod auth;
pub mod client;
mod explore;
mod export;
mod graphiql;
mod graphql;
mod graphql_request;
mod health;
pub mod import;
pub mod listener;
pub mod metrics;
pub mod middleware;
pub mod ratelimit;
pub mod replicas;
mod router;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

pub use client::ClientAddr;
pub use middleware::REQUEST_ID;
pub use router::app;

use crate::config::Settings;
use crate::graphql::persisted::PersistedQueries;
use crate::graphql::{AppSchema, build_schema};
use crate::reference::RefCache;
use crate::service::keys::Usage;
use crate::shared::Shared;
use answer_cache::AnswerCache;
use metrics::Metrics;
use ratelimit::RateLimiter;
use replicas::Replicas;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub refs: Arc<RefCache>,
    pub schema: AppSchema,
    /// The Apollo persisted queries the schema caches (a GET naming a persisted mutation is
    /// refused before it runs).
    pub persisted: PersistedQueries,
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
    /// Read replicas that requests without a mutation run on; empty without
    /// `DATABASE_READ_URL`.
    pub replicas: Arc<Replicas>,
}

impl AppState {
    /// Loads the reference cache and builds the schema over `db`.
    pub async fn new(db: DatabaseConnection, settings: &Settings) -> crate::error::Result<Self> {
        let refs = Arc::new(RefCache::load(&db).await?);
        Ok(Self::with_refs(db, refs, settings))
    }

    /// The state over an already loaded reference cache.
    pub fn with_refs(db: DatabaseConnection, refs: Arc<RefCache>, settings: &Settings) -> Self {
        let shared = settings.redis_url.as_deref().and_then(|url| {
            Shared::new(url, &settings.redis_prefix)
                .inspect_err(|e| tracing::error!(error = %e, "Redis is not used"))
                .ok()
                .map(Arc::new)
        });
        let persisted = PersistedQueries::new(shared.clone());
        let schema = build_schema(db.clone(), refs.clone(), settings.limits, persisted.clone());
        Self {
            db: db.clone(),
            refs,
            schema,
            persisted,
            settings: Arc::new(settings.clone()),
            limiter: Arc::new(RateLimiter::new(settings.rate_limit_per_minute, shared)),
            metrics: Arc::new(Metrics::new()),
            key_usage: Arc::new(Usage::default()),
            import_db: db.clone(),
            answers: AnswerCache::new(settings.cache_max_bytes, settings.cache_max_age_s).map(Arc::new),
            replicas: Arc::new(Replicas::default()),
        }
    }

    /// Reads on the replicas at `urls` (PostgreSQL), each with a pool of `max_connections`;
    /// pings them once, then every second in the background.
    pub async fn with_replicas(
        mut self,
        urls: &[String],
        max_connections: u32,
        statement_timeout: Option<std::time::Duration>,
    ) -> crate::error::Result<Self> {
        let mut pools = Vec::new();
        for url in urls {
            let args = crate::config::DbArgs {
                database_url: url.clone(),
                db_max_connections: max_connections,
            };
            let db = crate::db::connect_replica(&args, statement_timeout).await?;
            let schema = build_schema(
                db.clone(),
                self.refs.clone(),
                self.settings.limits,
                self.persisted.clone(),
            );
            pools.push((replicas::display_url(url), db, schema));
        }
        let replicas = Arc::new(Replicas::new(pools));
        replicas.check().await;
        replicas.watch();
        self.replicas = replicas;
        Ok(self)
    }
}
