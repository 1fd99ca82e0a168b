//! Layers around every route: request ids, metrics, CORS, timeouts, and the answers for
//! unknown routes and methods.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use super::AppState;
use crate::error::{Code, Refusal};

/// The request-id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Headers a browser client may send: ours, and those Apollo Client adds to identify itself
/// and to force a CORS preflight.
const ALLOWED_HEADERS: [HeaderName; 7] = [
    CONTENT_TYPE,
    AUTHORIZATION,
    REQUEST_ID,
    HeaderName::from_static("apollographql-client-name"),
    HeaderName::from_static("apollographql-client-version"),
    HeaderName::from_static("apollo-require-preflight"),
    HeaderName::from_static("x-apollo-operation-name"),
];

/// CORS: any origin when `origins` is empty, else exactly those.
pub fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(ALLOWED_HEADERS)
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
pub fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A fresh request id (a random UUID), for answers written before a request exists.
pub fn new_request_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        return "00000000-0000-4000-8000-000000000000".to_owned();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Counts every answer by route and status, with its latency.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
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
/// answers 503 `TIMEOUT`.
pub async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    run_with_timeout(state.settings.request_timeout, req, next).await
}

/// `timeout` with the (longer) limit of imports.
pub async fn import_timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    run_with_timeout(state.settings.import_timeout, req, next).await
}

async fn run_with_timeout(limit: Duration, req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!(request_id = %id, timeout_ms = limit.as_millis() as u64, "request timed out");
            Refusal::new(
                Code::Timeout,
                format!(
                    "the request took longer than {} ms and was cancelled",
                    limit.as_millis()
                ),
                &id,
            )
            .into_response()
        }
    }
}

/// Gives every bodiless refusal of the router's own (an unknown route: 404, a method a
/// route does not take: 405 with its `Allow`) a GraphQL-shaped JSON body.
pub async fn json_refusals(req: Request, next: Next) -> Response {
    use axum::body::HttpBody;
    let method = req.method().clone();
    let id = request_id(req.headers());
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) || resp.body().size_hint().exact() != Some(0) {
        return resp;
    }
    let code = Code::ALL
        .into_iter()
        .find(|c| c.status() == status)
        .unwrap_or(Code::Internal);
    let message = match code {
        Code::NotFound => "no such endpoint; GraphQL is at /graphql (GraphiQL in a browser), the explorer at \
             /explore, health at /healthz and /readyz, metrics at /metrics"
            .to_owned(),
        Code::MethodNotAllowed => {
            let allow = resp
                .headers()
                .get(axum::http::header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("{method} is not accepted here; allowed: {allow}")
        }
        other => format!("refused: {}", other.as_str()),
    };
    let (mut parts, _) = resp.into_parts();
    let refusal = Refusal::new(code, message, &id).into_response();
    let (new_parts, body) = refusal.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.extend(new_parts.headers);
    Response::from_parts(parts, body)
}
