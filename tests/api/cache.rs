//! The answer cache: answers served again only while the data version is unchanged, a
//! write (through another app on the same database, or straight into a table) visible to
//! the next request, ETag / 304 / Cache-Control on GET, private answers for keys, and
//! cached answers still counted by the rate limit.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{TestApp, send};
use crate::mutations::{UPSERT_FLOWS, flow};
use crate::on_both_backends;

const CACHE: u64 = 8 * 1024 * 1024;
const GEO_2023: &str =
    r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2023) { totalCount nodes { valueUsd } } }"#;

async fn post(router: &Router, query: &str) -> Value {
    let body = json!({ "query": query }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, text) = send(router, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A GET of `query` with extra headers; returns the whole answer.
async fn get(router: &Router, query: &str, headers: &[(&str, &str)]) -> axum::response::Response {
    let uri = format!("/graphql?query={}", urlencode(query));
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn header<'a>(resp: &'a axum::response::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

async fn cached(app: TestApp) -> TestApp {
    app.with_settings(|s| s.cache_max_bytes = CACHE).await
}

/// A repeated read runs only the version statement; a write through a second app on the
/// same database (another process, on PostgreSQL its own pool) is seen at once.
async fn a_write_elsewhere_is_seen_by_the_next_read(app: TestApp) {
    let app = cached(app).await;
    let writer = app.peer(|s| s.cache_max_bytes = CACHE).await;
    let before = post(&app.router, GEO_2023).await;
    assert_eq!(before["data"]["tradeFlows"]["totalCount"], 0, "{before}");
    app.take_statement_count();
    // The same query in another layout, with a comment: one entry, one statement (the version).
    let again = post(
        &app.router,
        "{tradeFlows(reporter:\"ARM\",partner:\"GEO\",year:2023){totalCount,nodes{valueUsd}}} # again",
    )
    .await;
    assert_eq!(again, before);
    assert_eq!(
        app.take_statement_count(),
        1,
        "a cached answer reads the data version only"
    );

    let key = app.key("cache-writer", "write").await;
    let body = json!({ "query": UPSERT_FLOWS, "variables": { "flows": [flow("GEO", 2023, 4.25e7)] } }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body))
        .unwrap();
    let (status, text) = send(&writer, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains(r#""inserted":1"#), "{text}");

    let after = post(&app.router, GEO_2023).await;
    assert_eq!(
        after["data"]["tradeFlows"],
        json!({ "totalCount": 1, "nodes": [{ "valueUsd": 4.25e7 }] }),
        "{after}"
    );
}

/// A write straight into a reference table (as `psql` would) moves the version too, and the
/// names the server holds in memory are reloaded before the next answer.
async fn a_write_to_a_reference_table_is_seen(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let app = cached(app).await;
    let name = r#"{ country(code: "ARM") { name } }"#;
    assert_eq!(post(&app.router, name).await["data"]["country"]["name"], "Armenia");
    app.db
        .execute_unprepared("UPDATE country SET name = 'Republic of Armenia' WHERE iso3 = 'ARM'")
        .await
        .unwrap();
    assert_eq!(
        post(&app.router, name).await["data"]["country"]["name"],
        "Republic of Armenia"
    );
}

/// GET answers carry ETag and Cache-Control; `If-None-Match` with the current tag is 304
/// with no body; after a write the tag changes and the old one gets the new answer.
async fn get_answers_revalidate_with_etags(app: TestApp) {
    let app = app
        .with_settings(|s| {
            s.cache_max_bytes = CACHE;
            s.cache_max_age_s = 30;
        })
        .await;
    let first = get(&app.router, GEO_2023, &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "cache-control"), "public, max-age=30");
    assert!(header(&first, "vary").contains("Authorization"));
    let etag = header(&first, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");

    let again = get(&app.router, GEO_2023, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    let body = http_body_util::BodyExt::collect(again.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(body.is_empty());

    // Another tag, or the other media type, is answered in full.
    let other = get(&app.router, GEO_2023, &[("if-none-match", "W/\"0-0-j\"")]).await;
    assert_eq!(other.status(), StatusCode::OK);
    let other_media = get(
        &app.router,
        GEO_2023,
        &[
            ("if-none-match", &etag),
            ("accept", "application/graphql-response+json"),
        ],
    )
    .await;
    assert_eq!(other_media.status(), StatusCode::OK);
    assert_ne!(header(&other_media, "etag"), etag);

    let key = app.key("etag-writer", "write").await;
    let (status, _) = app
        .post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": [flow("GEO", 2023, 9.0)] }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let changed = get(&app.router, GEO_2023, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(header(&changed, "etag"), etag);
    let body = http_body_util::BodyExt::collect(changed.into_body())
        .await
        .unwrap()
        .to_bytes();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["data"]["tradeFlows"]["totalCount"], 1, "{answer}");
}

/// A keyed GET is `private`; answers with errors and POST answers carry no caching headers.
async fn keyed_answers_are_private_errors_uncached(app: TestApp) {
    let app = cached(app).await;
    let key = app.key("cache-reader", "read").await;
    let bearer = format!("Bearer {key}");
    let keyed = get(&app.router, GEO_2023, &[("authorization", &bearer)]).await;
    assert_eq!(keyed.status(), StatusCode::OK);
    assert_eq!(header(&keyed, "cache-control"), "private, max-age=0");
    let anonymous = get(&app.router, GEO_2023, &[]).await;
    assert_eq!(header(&anonymous, "cache-control"), "public, max-age=0");

    let failing = r#"{ tradeFlows(reporter: "XXX") { totalCount } }"#;
    let resp = get(&app.router, failing, &[]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("etag").is_none());
    assert!(resp.headers().get("cache-control").is_none());
    // Errors are never served from the cache: each names its own request id.
    let a = post(&app.router, failing).await;
    let b = post(&app.router, failing).await;
    assert_eq!(a["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{a}");
    assert_ne!(
        a["errors"][0]["extensions"]["requestId"],
        b["errors"][0]["extensions"]["requestId"]
    );
}

/// A cached answer still spends the caller's budget, and keeps its cost extension.
async fn cached_answers_count_against_the_rate_limit(app: TestApp) {
    let app = app
        .with_settings(|s| {
            s.cache_max_bytes = CACHE;
            s.rate_limit_per_minute = 3;
        })
        .await;
    for _ in 0..3 {
        let answer = post(&app.router, GEO_2023).await;
        assert!(
            answer["extensions"]["cost"]["complexity"].as_u64().unwrap() > 0,
            "{answer}"
        );
    }
    let body = json!({ "query": GEO_2023 }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, text) = send(&app.router, req).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
}

on_both_backends!(
    a_write_elsewhere_is_seen_by_the_next_read,
    a_write_to_a_reference_table_is_seen,
    get_answers_revalidate_with_etags,
    keyed_answers_are_private_errors_uncached,
    cached_answers_count_against_the_rate_limit,
);
