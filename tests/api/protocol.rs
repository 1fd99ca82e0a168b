//! GraphQL over HTTP and the HTTP layer around it: media types, request errors, body
//! limits by key, client addresses behind proxies, refusals with JSON bodies, CORS,
//! GraphiQL served offline, persisted mutations over GET.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use tradegraph::http::listener::Peer;

use crate::helpers::TestApp;
use crate::mutations::code;
use crate::on_both_backends;

/// POSTs `body` with `accept` (none when `None`); returns status, content type and JSON.
async fn post_accepting(app: &TestApp, accept: Option<&str>, body: Value) -> (StatusCode, String, Value) {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(accept) = accept {
        req = req.header("accept", accept);
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let media = resp.headers()["content-type"].to_str().unwrap().to_owned();
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, media, serde_json::from_slice(&bytes).expect("JSON"))
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn media_types_decide_the_status_of_request_errors(app: TestApp) {
    let ok = json!({ "query": "{ __typename }" });
    for (accept, media) in [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
    ] {
        let (status, got, answer) = post_accepting(&app, accept, ok.clone()).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert_eq!(got, format!("{media}; charset=utf-8"), "{accept:?}");
        assert_eq!(answer["data"], json!({ "__typename": "QueryRoot" }));
    }
    // Request errors: 400 without data to clients of the new media type, 200 (still
    // without data) to application/json clients.
    let request_errors = [
        (json!({ "query": "{" }), "GRAPHQL_PARSE_FAILED"),
        (json!({ "query": "{ nosuchfield }" }), "GRAPHQL_VALIDATION_FAILED"),
        (
            json!({ "query": "query Q($code: String!) { country(code: $code) { name } }", "variables": { "code": null } }),
            "BAD_USER_INPUT",
        ),
    ];
    for (body, expected) in request_errors {
        let (status, _, answer) = post_accepting(&app, Some(GRAPHQL_RESPONSE), body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(code(&answer), expected, "{answer}");
        assert!(answer.get("data").is_none(), "{answer}");
        let (status, _, answer) = post_accepting(&app, Some("application/json"), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}: {answer}");
        assert_eq!(code(&answer), expected, "{answer}");
        assert!(answer.get("data").is_none(), "{answer}");
    }
    // An execution error keeps `data` (null here: the root field is non-null) and 200.
    let (status, _, answer) = post_accepting(
        &app,
        Some(GRAPHQL_RESPONSE),
        json!({ "query": r#"{ tradeFlows(reporter: "ZZZ") { totalCount } }"# }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["data"], Value::Null);
    assert!(answer.as_object().unwrap().contains_key("data"), "{answer}");
    // Nothing acceptable: 406 with a JSON body.
    let (status, _, answer) = post_accepting(&app, Some("text/html"), ok).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(code(&answer), "NOT_ACCEPTABLE");
}

async fn bodies_must_be_json(app: TestApp) {
    let body = json!({ "query": "{ __typename }" }).to_string();
    for content_type in [None, Some("text/plain"), Some("application/json; charset=latin1")] {
        let mut req = Request::post("/graphql");
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let (status, text) = app.request(req.body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}: {text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(code(&answer), "UNSUPPORTED_MEDIA_TYPE");
    }
    // Parameters of the wrong type are 400, null ones are fine.
    for bad in [
        json!({ "query": { "obj": "ect" } }),
        json!({ "query": "{ __typename }", "operationName": 0 }),
        json!({ "query": "{ __typename }", "variables": ["array"] }),
        json!({ "query": "{ __typename }", "extensions": "string" }),
        json!({ "qeury": "{ __typename }" }),
    ] {
        let (status, answer) = app.post_raw(None, bad.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
        assert_eq!(code(&answer), "BAD_REQUEST");
    }
    let (status, answer) = app
        .post_raw(
            None,
            json!({ "query": "{ __typename }", "variables": null, "operationName": null, "extensions": null })
                .to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
}

/// `n` realistic rows of `upsertTradeFlows` (about 210 bytes each as JSON).
fn realistic_rows(n: usize) -> Vec<Value> {
    const PARTNERS: [&str; 20] = [
        "GEO", "IRN", "RUS", "CHN", "DEU", "FRA", "ITA", "USA", "IND", "TUR", "AZE", "BLR", "KAZ", "UKR", "GBR", "JPN",
        "KOR", "BRA", "CAN", "NLD",
    ];
    const COMMODITIES: [&str; 5] = ["TOTAL", "27", "71", "22", "26"];
    const FLOWS: [&str; 4] = ["EXPORT", "IMPORT", "RE_EXPORT", "RE_IMPORT"];
    (0..n)
        .map(|i| {
            // 20 partners × 35 years × 5 commodities × 4 flows: 14,000 distinct keys.
            let partner = PARTNERS[i % 20];
            let commodity = COMMODITIES[(i / 700) % 5];
            let flow = FLOWS[(i / 3500) % 4];
            json!({
                "reporter": "ARM",
                "partner": partner,
                "year": 1950 + (i / 20) % 35,
                "commodity": commodity,
                "flow": flow,
                "valueUsd": 1_000_000.0 + i as f64 * 17.25,
                "qualifier": "APPROXIMATE",
                "sourceId": "rb-russia-armenia-2024",
                "quantity": 250_000.5 + i as f64,
                "quantityUnit": "kg",
            })
        })
        .collect()
}

async fn writers_may_send_bulk_bodies(app: TestApp) {
    let write = app.key("bulk", "write").await;
    let read = app.key("reader", "read").await;
    let rows = realistic_rows(10_000);
    let body = json!({
        "query": "mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted updated } }",
        "variables": { "f": rows },
    })
    .to_string();
    assert!(body.len() > 2_000_000, "{} bytes", body.len());
    // Anonymous and read keys keep 1 MiB.
    for key in [None, Some(read.as_str())] {
        let (status, answer) = app.post_raw(key, body.clone()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
        assert_eq!(code(&answer), "PAYLOAD_TOO_LARGE");
    }
    let (status, answer) = app.post_raw(Some(&write), body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["data"]["upsertTradeFlows"],
        json!({ "inserted": 10_000, "updated": 0 }),
        "{answer}"
    );
    // Over the write limit too: refused.
    let app = app.with_settings(|s| s.write_max_bytes = 1024 * 1024).await;
    let body = json!({ "query": "mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted } }",
        "variables": { "f": realistic_rows(6000) } })
    .to_string();
    let (status, _) = app.post_raw(Some(&write), body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// A request from `peer` with forwarding `headers`; returns its status.
async fn from_peer(app: &TestApp, peer: &str, headers: &[(&str, &str)]) -> StatusCode {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let mut req = req
        .body(Body::from(json!({ "query": "{ __typename }" }).to_string()))
        .unwrap();
    let addr: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(Peer(addr)));
    app.router.clone().oneshot(req).await.unwrap().status()
}

async fn proxies_are_believed_only_when_trusted(app: TestApp) {
    // One request a minute per client, so that the bucket a request lands in shows.
    let app = app
        .with_settings(|s| {
            s.rate_limit_per_minute = 1;
            s.trusted_proxies = tradegraph::config::parse_networks("10.0.0.0/8, ::1").unwrap();
        })
        .await;
    let xff = |v: &'static str| [("x-forwarded-for", v)];
    // Trusted proxy: each forwarded client has its own budget.
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.1")).await,
        StatusCode::OK
    );
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.2")).await,
        StatusCode::OK
    );
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // `Forwarded` (RFC 7239) from a trusted IPv6 proxy, behind a second trusted proxy.
    let forwarded = [("forwarded", r#"for="[2001:db8::7]:4711", for=10.1.1.1"#)];
    assert_eq!(from_peer(&app, "[::1]:5000", &forwarded).await, StatusCode::OK);
    assert_eq!(
        from_peer(&app, "[::1]:5000", &forwarded).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Spoofed: a client behind the trusted proxy writes an address of its own in front; the
    // proxy appends the real one, which is what counts. 198.51.100.2 has spent its budget.
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.2, 203.0.113.5")).await,
        StatusCode::OK
    );
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("203.0.113.99, 203.0.113.5")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Untrusted peer: its headers are ignored, every request is the peer's.
    assert_eq!(
        from_peer(&app, "192.0.2.1:5000", &xff("198.51.100.50")).await,
        StatusCode::OK
    );
    assert_eq!(
        from_peer(&app, "192.0.2.1:5000", &xff("198.51.100.51")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // With no trusted proxy configured (the default), a proxy's headers change nothing.
    let app = app
        .with_settings(|s| {
            s.rate_limit_per_minute = 1;
            s.trusted_proxies.clear();
        })
        .await;
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.60")).await,
        StatusCode::OK
    );
    assert_eq!(
        from_peer(&app, "10.0.0.1:5000", &xff("198.51.100.61")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn every_refusal_has_a_json_body(app: TestApp) {
    let cases = [
        (Request::get("/nowhere"), StatusCode::NOT_FOUND, "NOT_FOUND"),
        (
            Request::put("/graphql"),
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
        ),
        (
            Request::delete("/healthz"),
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
        ),
        (Request::get("/graphiql/nope.js"), StatusCode::NOT_FOUND, "NOT_FOUND"),
    ];
    for (req, status, expected) in cases {
        let req = req.header("x-request-id", "r-1").body(Body::empty()).unwrap();
        let resp = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), status);
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(resp.headers().contains_key("allow"));
        }
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let bytes = http_body_util::BodyExt::collect(resp.into_body())
            .await
            .unwrap()
            .to_bytes();
        let answer: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(code(&answer), expected, "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["requestId"], "r-1");
    }
}

async fn cors_allows_the_headers_clients_send(app: TestApp) {
    let req = Request::options("/graphql")
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, x-request-id, apollographql-client-name, apollographql-client-version",
        )
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let allowed = resp.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for header in [
        "content-type",
        "authorization",
        "x-request-id",
        "apollographql-client-name",
        "apollographql-client-version",
    ] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }
}

async fn graphiql_is_served_whole_by_the_binary(app: TestApp) {
    let resp = app
        .router
        .clone()
        .oneshot(
            Request::get("/graphql")
                .header("accept", "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let policy = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let page = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        !page.contains("http://") && !page.contains("https://") && !page.contains("//unpkg"),
        "{page}"
    );
    let scripts: Vec<&str> = page
        .split("src=\"")
        .skip(1)
        .chain(page.split("href=\"").skip(1))
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(scripts.len(), 5, "{scripts:?}");
    for path in scripts {
        let (status, body) = app
            .request(Request::get(format!("/{path}")).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.len() > 200, "{path}: {} bytes", body.len());
    }
}

async fn persisted_mutations_over_get_are_refused_before_they_run(app: TestApp) {
    use sha2::Digest;
    let key = app.key("writer", "write").await;
    let mutation = r#"mutation { upsertTradeFlows(flows: [{reporter: "ARM", partner: "GEO", year: 2023,
        commodity: "TOTAL", flow: EXPORT, valueUsd: 1}]) { inserted } }"#;
    let hash = format!("{:x}", sha2::Sha256::digest(mutation.as_bytes()));
    let ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    // Persisted by a POST (which runs it).
    let (status, answer) = app
        .post_raw(Some(&key), json!({ "query": mutation, "extensions": ext }).to_string())
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let before = app.row_counts().await;
    let uri = format!(
        "/graphql?extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22{hash}%22%7D%7D"
    );
    let req = Request::get(uri)
        .header("authorization", format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "POST");
    assert_eq!(app.row_counts().await, before);
}

on_both_backends!(
    media_types_decide_the_status_of_request_errors,
    bodies_must_be_json,
    writers_may_send_bulk_bodies,
    proxies_are_believed_only_when_trusted,
    every_refusal_has_a_json_body,
    cors_allows_the_headers_clients_send,
    graphiql_is_served_whole_by_the_binary,
    persisted_mutations_over_get_are_refused_before_they_run,
);
