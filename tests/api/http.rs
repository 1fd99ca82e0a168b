//! The HTTP surface around `/graphql`.

use axum::body::Body;
use axum::http::{Request, StatusCode};

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

on_both_backends!(health_readiness_and_graphiql, oversized_body_is_refused);
