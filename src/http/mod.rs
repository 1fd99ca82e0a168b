//! The HTTP surface: `/graphql` (POST queries and mutations, GET queries or GraphiQL),
//! `/healthz`, `/readyz`, `/metrics`.
//!
//! Every answer carries an `x-request-id` (the client's, or a new UUID); errors carry it in
//! `extensions.requestId` and the logs of the request name it. Requests that are refused
//! before execution (body too large, not JSON, batch too large, rate limit, timeout) get a
//! 4xx/5xx status and a GraphQL-shaped error body, never an empty one.

pub mod import;
pub mod metrics;
pub mod ratelimit;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, ServerError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, MatchedPath, RawQuery, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::Settings;
use crate::graphql::limits::TOO_COMPLEX;
use crate::graphql::{AppSchema, build_schema};
use crate::reference::RefCache;
use crate::service::keys::{self, Caller, Usage};
use metrics::Metrics;
use ratelimit::RateLimiter;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Code of an unknown persisted-query hash (as Apollo Server answers it).
const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

/// The request-id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub refs: Arc<RefCache>,
    pub schema: AppSchema,
    pub settings: Arc<Settings>,
    pub limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    pub key_usage: Arc<Usage>,
    /// The pool `POST /import/comtrade` writes through: by default `db`; `serve` gives it
    /// one of its own on PostgreSQL, whose `statement_timeout` is the import's timeout rather
    /// than the (short) request timeout.
    pub import_db: DatabaseConnection,
}

impl AppState {
    /// Loads the reference cache and builds the schema over `db`.
    pub async fn new(db: DatabaseConnection, settings: &Settings) -> crate::error::Result<Self> {
        let refs = Arc::new(RefCache::load(&db).await?);
        Ok(Self::with_refs(db, refs, settings))
    }

    /// The state over an already loaded reference cache.
    pub fn with_refs(db: DatabaseConnection, refs: Arc<RefCache>, settings: &Settings) -> Self {
        let schema = build_schema(db.clone(), refs.clone(), settings);
        Self {
            db: db.clone(),
            refs,
            schema,
            settings: Arc::new(settings.clone()),
            limiter: Arc::new(RateLimiter::new(settings.rate_limit_per_minute)),
            metrics: Arc::new(Metrics::new()),
            key_usage: Arc::new(Usage::default()),
            import_db: db.clone(),
        }
    }
}

/// The router with all layers: request id, tracing (one line per request with its id and
/// duration), metrics, CORS, compression, timeout (answered with a GraphQL error) and body
/// limit.
pub fn app(state: AppState) -> Router {
    let cors = cors(&state.settings.cors_origins);
    // Imports stream large bodies for long: their own size cap and timeout.
    let imports = Router::new()
        .route("/import/comtrade", post(import::comtrade_import))
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(state.clone(), import_timeout));
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        // Enforced by the body extractors, so that a body over the limit is answered with a
        // GraphQL error (413) rather than an empty response.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), timeout))
        .merge(imports)
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// CORS: any origin when `origins` is empty, else exactly those.
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([REQUEST_ID, RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    if origins.is_empty() {
        layer.allow_origin(Any)
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}

/// The request id the request carries (set by `SetRequestIdLayer`).
fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A GraphQL-shaped error answer for failures outside execution.
pub fn error_response(status: StatusCode, code: &str, message: &str, request_id: &str) -> Response {
    let body = json!({ "errors": [{
        "message": message,
        "extensions": { "code": code, "requestId": request_id },
    }] });
    (status, Json(body)).into_response()
}

/// Counts every answer by route and status, with its latency.
async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let resp = next.run(req).await;
    state
        .metrics
        .observe(method.as_str(), &route, resp.status().as_u16(), started.elapsed());
    resp
}

/// Cancels a request that runs longer than the configured timeout (its database work with
/// it: the future is dropped, and PostgreSQL's `statement_timeout` stops the statement) and
/// answers 503 with a GraphQL error `TIMEOUT`.
async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    run_with_timeout(state.settings.request_timeout, req, next).await
}

/// `timeout` with the (longer) limit of imports.
async fn import_timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    run_with_timeout(state.settings.import_timeout, req, next).await
}

async fn run_with_timeout(limit: Duration, req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!(request_id = %id, timeout_ms = limit.as_millis() as u64, "request timed out");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIMEOUT",
                &format!(
                    "the request took longer than {} ms and was cancelled",
                    limit.as_millis()
                ),
                &id,
            )
        }
    }
}

/// The client's address, when the server was started with connect info (none when the
/// router is driven in-process, e.g. by tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// Resolves the caller's key and spends one request of its budget (the key's, or the client
/// address's without a valid key). `Err` is the answer to send instead.
async fn admit(state: &AppState, headers: &HeaderMap, addr: &ClientAddr, id: &str) -> Result<Caller, Response> {
    let caller = match keys::resolve(
        &state.db,
        &state.key_usage,
        headers.get(AUTHORIZATION).map(|v| v.as_bytes()),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(request_id = %id, error = %e, "could not resolve the API key");
            return Err(error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "INTERNAL",
                "internal error",
                id,
            ));
        }
    };
    let bucket = match (&caller, addr.0) {
        (Caller::Key(k), _) => format!("key:{}", k.name),
        (_, Some(ip)) => format!("ip:{ip}"),
        // Driven in-process: one shared bucket.
        (_, None) => "local".to_owned(),
    };
    match state.limiter.check(&bucket) {
        Ok(_) => Ok(caller),
        Err(wait) => {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut resp = error_response(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                &format!(
                    "more than {} requests a minute; retry in {secs} s",
                    state.settings.rate_limit_per_minute
                ),
                id,
            );
            resp.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs.max(1)));
            Err(resp)
        }
    }
}

/// Executes a (batch) request for `caller` and shapes the answer: `requestId` on every
/// error, 400 when a single operation was refused before execution (parse, validation,
/// limits, unknown operation).
async fn execute(state: &AppState, batch: BatchRequest, caller: Caller, id: &str) -> Response {
    let batch = match batch {
        BatchRequest::Single(r) => BatchRequest::Single(r.data(caller)),
        BatchRequest::Batch(rs) => BatchRequest::Batch(rs.into_iter().map(|r| r.data(caller.clone())).collect()),
    };
    let mut answer = state.schema.execute_batch(batch).await;
    let mark = |errors: &mut Vec<ServerError>| {
        for e in errors.iter_mut() {
            let ext = e.extensions.get_or_insert_with(Default::default);
            if ext.get("code").is_none() {
                let code = if e.message == "PersistedQueryNotFound" {
                    PERSISTED_QUERY_NOT_FOUND
                } else if e.path.is_empty() {
                    "BAD_REQUEST"
                } else {
                    "BAD_USER_INPUT"
                };
                ext.set("code", code);
            }
            ext.set("requestId", id);
            if ext.get("code") == Some(&async_graphql::Value::from("INTERNAL")) {
                tracing::error!(request_id = %id, path = ?e.path, "answered with an internal error");
            }
        }
    };
    let mut status = StatusCode::OK;
    match &mut answer {
        BatchResponse::Single(r) => {
            mark(&mut r.errors);
            // Refused before execution; an unknown persisted query is not a client error
            // (the client sends the text next, as Apollo's protocol has it).
            if r.data == async_graphql::Value::Null
                && !r.errors.is_empty()
                && r.errors.iter().all(|e| e.path.is_empty())
                && !r.errors.iter().any(|e| e.message == "PersistedQueryNotFound")
            {
                status = StatusCode::BAD_REQUEST;
            }
        }
        BatchResponse::Batch(rs) => rs.iter_mut().for_each(|r| mark(&mut r.errors)),
    }
    let mut resp = async_graphql_axum::GraphQLResponse::from(answer).into_response();
    *resp.status_mut() = status;
    resp
}

/// `POST /graphql`: one operation or a batch (a JSON array). A body that is too large is
/// refused with 413, one that is not a GraphQL request with 400, a batch of more than
/// `max_batch` operations with 400 `TOO_COMPLEX` — all with a GraphQL error body — before
/// anything is executed.
async fn graphql_post(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = request_id(&headers);
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "PAYLOAD_TOO_LARGE"
            } else {
                "BAD_REQUEST"
            };
            return error_response(status, code, &rejection.body_text(), &id);
        }
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("not a GraphQL request: {e}"),
                &id,
            );
        }
    };
    if let BatchRequest::Single(r) = &batch
        && r.query.is_empty()
        && !r.extensions.contains_key("persistedQuery")
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the request has no `query`",
            &id,
        );
    }
    if let BatchRequest::Batch(ops) = &batch {
        let max = state.settings.max_batch;
        if ops.len() > max {
            return error_response(
                StatusCode::BAD_REQUEST,
                TOO_COMPLEX,
                &format!("the batch has {} operations; at most {max}", ops.len()),
                &id,
            );
        }
        if ops.is_empty() {
            return error_response(StatusCode::BAD_REQUEST, "BAD_REQUEST", "the batch is empty", &id);
        }
    }
    let caller = match admit(&state, &headers, &addr, &id).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    execute(&state, batch, caller, &id).await
}

/// `GET /graphql`: with a `query` parameter, a query over GraphQL-over-HTTP GET (mutations
/// are refused with 405: they need POST); without one, GraphiQL for a browser.
async fn graphql_get(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = request_id(&headers);
    let raw = raw.unwrap_or_default();
    // A browser opening the endpoint (no GraphQL parameters): GraphiQL.
    if !raw.contains("query=") && !raw.contains("extensions=") {
        return graphiql().await.into_response();
    }
    let request = match async_graphql::http::parse_query_string(&raw) {
        Ok(r) if !r.query.is_empty() || r.extensions.contains_key("persistedQuery") => r,
        Ok(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the `query` parameter is empty",
                &id,
            );
        }
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("not a GraphQL request: {e}"),
                &id,
            );
        }
    };
    if is_mutation(&request) {
        let mut resp = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations are only accepted with POST",
            &id,
        );
        resp.headers_mut().insert("allow", HeaderValue::from_static("POST"));
        return resp;
    }
    let caller = match admit(&state, &headers, &addr, &id).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    // A persisted query is known only by its hash here: mark the request read-only so that a
    // persisted mutation is refused by the resolvers too.
    let request = request.data(crate::graphql::ReadOnly);
    execute(&state, BatchRequest::Single(request), caller, &id).await
}

/// True when the operation a GET request selects is a mutation (an unparsable text is left
/// to execution to report).
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    doc.operations.iter().any(|(name, op)| {
        let selected = match (&request.operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        selected && op.node.ty == OperationType::Mutation
    })
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("tradegraph")
            .finish(),
    )
}

async fn healthz() -> &'static str {
    "ok"
}

/// 200 while the database answers a ping within 2 s, else 503.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("database ping timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(&state.db),
    )
}
