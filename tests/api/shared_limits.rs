//! Limits shared through Redis (`TEST_REDIS_URL`): two apps — as two server processes — spend
//! one key's budget once, and know each other's persisted queries; with Redis unreachable
//! each app limits alone and still answers.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, send};
use crate::on_both_backends;

static SEQ: AtomicU64 = AtomicU64::new(0);

const QUERY: &str = r#"{ country(code: "ARM") { iso3 } }"#;

fn redis_url() -> Option<String> {
    let url = std::env::var("TEST_REDIS_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped: TEST_REDIS_URL is not set");
    }
    url
}

/// A prefix no other test uses.
fn prefix() -> String {
    format!(
        "tg_test_{}_{}:",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

async fn post(router: &Router, key: Option<&str>, body: Value) -> (StatusCode, String) {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    send(router, req.body(Body::from(body.to_string())).unwrap()).await
}

/// Two apps over one database and one Redis prefix, 4 requests a minute each.
async fn pair(app: &TestApp, url: &str, prefix: &str) -> (Router, Router) {
    let settings = |s: &mut tradegraph::config::Settings| {
        s.rate_limit_per_minute = 4;
        s.redis_url = Some(url.to_owned());
        s.redis_prefix = prefix.to_owned();
    };
    (app.peer(settings).await, app.peer(settings).await)
}

async fn one_budget_across_two_processes(app: TestApp) {
    let Some(url) = redis_url() else { return };
    let (a, b) = pair(&app, &url, &prefix()).await;
    let key = app.key("shared-budget", "read").await;
    for router in [&a, &b, &a, &b] {
        let (status, text) = post(router, Some(&key), json!({ "query": QUERY })).await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }
    // The budget of 4 is spent, whichever process is asked next.
    for router in [&a, &b] {
        let (status, text) = post(router, Some(&key), json!({ "query": QUERY })).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    }
    // Another key has its own budget.
    let other = app.key("shared-budget-2", "read").await;
    assert_eq!(
        post(&b, Some(&other), json!({ "query": QUERY })).await.0,
        StatusCode::OK
    );
}

async fn persisted_queries_are_shared(app: TestApp) {
    let Some(url) = redis_url() else { return };
    let (a, b) = pair(&app, &url, &prefix()).await;
    let hash = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(QUERY.as_bytes()));
    let by_hash = json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let (_, text) = post(&b, None, by_hash.clone()).await;
    assert!(text.contains("PERSISTED_QUERY_NOT_FOUND"), "{text}");
    // Registered through `a`, known to `b`.
    let mut register = by_hash.clone();
    register["query"] = json!(QUERY);
    let (status, text) = post(&a, None, register).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, text) = post(&b, None, by_hash).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["data"],
        json!({ "country": { "iso3": "ARM" } })
    );
}

/// Redis refusing connections: every app answers, each with its own budget.
async fn without_redis_each_process_limits_alone(app: TestApp) {
    let (a, b) = pair(&app, "redis://127.0.0.1:1", &prefix()).await;
    let key = app.key("no-redis", "read").await;
    for router in [&a, &b] {
        for _ in 0..4 {
            let (status, text) = post(router, Some(&key), json!({ "query": QUERY })).await;
            assert_eq!(status, StatusCode::OK, "{text}");
        }
        let (status, _) = post(router, Some(&key), json!({ "query": QUERY })).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
}

on_both_backends!(
    one_budget_across_two_processes,
    persisted_queries_are_shared,
    without_redis_each_process_limits_alone,
);
