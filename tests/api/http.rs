//! The HTTP surface around `/graphql`.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn health_readiness_and_graphiql(app: TestApp) {
    let (status, body) = app.request(Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    let (status, body) = app.request(Request::get("/readyz").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready"));
    let (status, body) = app.request(Request::get("/graphql").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("graphiql"), "GraphiQL page expected");
}

async fn oversized_body_is_refused(app: TestApp) {
    let query = format!(
        r#"{{"query":"{{ countries {{ totalCount }} }}","padding":"{}"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(query))
        .unwrap();
    let (status, _) = app.request(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Announced by Content-Length: refused before the body is read.
    let big = "x".repeat(2 * 1024 * 1024);
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("content-length", big.len())
        .body(Body::from(big))
        .unwrap();
    assert_eq!(app.request(req).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // Not JSON at all: 400 with a GraphQL error body.
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from("{nope"))
        .unwrap();
    let (status, body) = app.request(req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    // Still answering.
    assert_eq!(
        app.data("{ countries { totalCount } }").await["countries"]["totalCount"],
        249
    );
}

async fn metrics_are_exposed(app: TestApp) {
    app.data("{ countries(first: 1) { totalCount } }").await;
    let (status, _) = app.post_raw(None, "{nope".to_owned()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, text) = app.request(Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        r#"tradegraph_http_requests_total{method="POST",route="/graphql",status="200"} 1"#,
        r#"tradegraph_http_requests_total{method="POST",route="/graphql",status="400"} 1"#,
        "tradegraph_http_request_duration_seconds_bucket{",
        "tradegraph_http_request_duration_seconds_count{method=\"POST\",route=\"/graphql\"} 2",
        "tradegraph_db_pool_connections ",
        "tradegraph_db_pool_idle_connections ",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
}

async fn cors_is_configurable(app: TestApp) {
    let preflight = |origin: &str| {
        Request::options("/graphql")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .body(Body::empty())
            .unwrap()
    };
    let resp = app
        .router
        .clone()
        .oneshot(preflight("https://any.example"))
        .await
        .unwrap();
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    let app = app
        .with_settings(|s| s.cors_origins = vec!["https://ok.example".to_owned()])
        .await;
    let resp = app
        .router
        .clone()
        .oneshot(preflight("https://ok.example"))
        .await
        .unwrap();
    assert_eq!(resp.headers()["access-control-allow-origin"], "https://ok.example");
    let resp = app
        .router
        .clone()
        .oneshot(preflight("https://evil.example"))
        .await
        .unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

async fn persisted_queries_by_hash(app: TestApp) {
    use sha2::Digest;
    let query = r#"{ country(code: "ARM") { name } }"#;
    let hash = format!("{:x}", sha2::Sha256::digest(query.as_bytes()));
    let ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    // Unknown hash: the client is told to send the text.
    let (status, answer) = app.post_raw(None, json!({ "extensions": ext }).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound", "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
    // Text and hash: answered and remembered.
    let (_, answer) = app
        .post_raw(None, json!({ "query": query, "extensions": ext }).to_string())
        .await;
    assert_eq!(answer["data"]["country"]["name"], "Armenia", "{answer}");
    // Hash alone, over POST and over GET.
    let (_, answer) = app.post_raw(None, json!({ "extensions": ext }).to_string()).await;
    assert_eq!(answer["data"]["country"]["name"], "Armenia", "{answer}");
    let uri = format!(
        "/graphql?extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22{hash}%22%7D%7D"
    );
    let (status, text) = app.request(Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("Armenia"), "{text}");
    // A hostile text is checked before it is cached.
    let bad = format!("{{ {} }}", "__typename ".repeat(5000));
    let bad_hash = format!("{:x}", sha2::Sha256::digest(bad.as_bytes()));
    let bad_ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": bad_hash } });
    let (status, answer) = app
        .post_raw(None, json!({ "query": bad, "extensions": bad_ext }).to_string())
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["errors"][0]["extensions"]["code"], "TOO_COMPLEX");
    let (_, answer) = app.post_raw(None, json!({ "extensions": bad_ext }).to_string()).await;
    assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound", "{answer}");
}

async fn request_ids_are_echoed(app: TestApp) {
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("x-request-id", "abc-123")
        .body(Body::from(r#"{"query": "{ nosuchfield }"}"#))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.headers()["x-request-id"], "abc-123");
    let req = Request::get("/healthz").body(Body::empty()).unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let id = resp.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

on_both_backends!(
    health_readiness_and_graphiql,
    oversized_body_is_refused,
    metrics_are_exposed,
    cors_is_configurable,
    persisted_queries_by_hash,
    request_ids_are_echoed,
);
