//! The router: routes, and the layers every answer passes through.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::middleware::{REQUEST_ID, cors, import_timeout, json_refusals, record, timeout};
use super::{AppState, explore, export, graphiql, graphql, health, import};

/// The router with all layers: request id, tracing (one line per request with its id and
/// duration), metrics, JSON bodies for bodiless refusals, CORS, compression, and timeouts
/// (answered with a GraphQL error). Body limits are the handlers' (they depend on the key).
pub fn app(state: AppState) -> Router {
    let cors = cors(&state.settings.cors_origins);
    // Imports stream large bodies for long: their own size cap and timeout.
    let imports = Router::new()
        .route("/import/comtrade", post(import::comtrade_import))
        .layer(middleware::from_fn_with_state(state.clone(), import_timeout));
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphiql/{file}", get(graphiql::asset))
        .route("/explore", get(explore::page))
        .route("/explore/{*path}", get(explore::asset))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .layer(middleware::from_fn_with_state(state.clone(), timeout))
        .merge(imports)
        // Exports stream for as long as the table takes; rows flow the whole time.
        .route("/export/{file}", get(export::export))
        // The handlers read bodies under their own limits.
        .layer(DefaultBodyLimit::disable())
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(json_refusals))
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
