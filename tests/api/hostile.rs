//! Hostile input: each case asserts the refusal (status and `extensions.code`), that the
//! server still answers afterwards, and that nothing was written.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::mutations::{UPSERT_FLOWS, code, flow};
use crate::on_both_backends;

/// The server answers a plain query, and the tables hold what they held.
async fn still_fine(app: &TestApp, before: &[(&'static str, i64)]) {
    assert_eq!(
        app.data("{ countries(first: 1) { totalCount } }").await["countries"]["totalCount"],
        249
    );
    assert_eq!(app.row_counts().await, before, "something was written");
}

/// A query nested `depth` fields deep: country → memberships → organization → members → …
fn nested(depth: usize) -> String {
    let cycle = ["memberships", "organization", "members", "country"];
    let mut q = String::from(r#"{ country(code: "ARM")"#);
    for i in 0..depth - 2 {
        q.push_str(" { ");
        q.push_str(cycle[i % cycle.len()]);
    }
    q.push_str(" { __typename }");
    q.push_str(&" }".repeat(depth - 2));
    q.push_str(" }");
    q
}

/// POSTs `query` and expects a refusal with `status` and `code`.
async fn refused(app: &TestApp, query: &str, status: StatusCode, expected: &str) -> Value {
    let (got, answer) = app.post_as(None, query, json!({})).await;
    assert_eq!(got, status, "{answer}");
    assert_eq!(code(&answer), expected, "{answer}");
    assert!(answer["errors"][0]["extensions"]["requestId"].is_string(), "{answer}");
    answer
}

async fn deep_queries_are_refused(app: TestApp) {
    let before = app.row_counts().await;
    // Within the limits: answered.
    let (status, answer) = app.post_as(None, &nested(8), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.get("errors").is_none(), "{answer}");
    // Deeper: the nested lists (memberships of members of organisations of …) multiply.
    let answer = refused(&app, &nested(12), StatusCode::BAD_REQUEST, "TOO_COMPLEX").await;
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("complexity"));
    for depth in [25, 100] {
        let answer = refused(&app, &nested(depth), StatusCode::BAD_REQUEST, "TOO_COMPLEX").await;
        assert!(answer["data"].is_null());
    }
    still_fine(&app, &before).await;
}

async fn many_aliases_are_refused(app: TestApp) {
    let before = app.row_counts().await;
    let aliases: Vec<String> = (0..500)
        .map(|i| format!(r#"a{i}: tradeFlows(reporter: "ARM") {{ totalCount }}"#))
        .collect();
    let answer = refused(
        &app,
        &format!("{{ {} }}", aliases.join(" ")),
        StatusCode::BAD_REQUEST,
        "TOO_COMPLEX",
    )
    .await;
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("aliases"));
    // A few aliases are fine.
    let data = app
        .data(r#"{ a: country(code: "ARM") { name } b: country(code: "RUS") { name } }"#)
        .await;
    assert_eq!(data["b"]["name"], "Russia");
    still_fine(&app, &before).await;
}

async fn fragment_cycles_and_bombs_are_refused(app: TestApp) {
    let before = app.row_counts().await;
    let cycle = r#"{ country(code: "ARM") { ...A } }
        fragment A on Country { memberships { country { ...B } } }
        fragment B on Country { name ...A }"#;
    refused(&app, cycle, StatusCode::BAD_REQUEST, "GRAPHQL_VALIDATION_FAILED").await;
    let itself = r#"{ country(code: "ARM") { ...A } } fragment A on Country { name ...A }"#;
    refused(&app, itself, StatusCode::BAD_REQUEST, "GRAPHQL_VALIDATION_FAILED").await;
    // Each fragment spreads the next twice: 2^30 fields once expanded.
    let mut bomb = String::from(r#"{ country(code: "ARM") { ...F0 } }"#);
    for i in 0..30 {
        bomb.push_str(&format!(" fragment F{i} on Country {{ ...F{} ...F{} }}", i + 1, i + 1));
    }
    bomb.push_str(" fragment F30 on Country { name }");
    let started = Instant::now();
    refused(&app, &bomb, StatusCode::BAD_REQUEST, "TOO_COMPLEX").await;
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    still_fine(&app, &before).await;
}

async fn ten_thousand_repeated_fields_are_refused_cheaply(app: TestApp) {
    let before = app.row_counts().await;
    for query in [
        format!("{{ countries(first: 1) {{ {} }} }}", "totalCount ".repeat(10_000)),
        format!("{{ {} }}", "__typename ".repeat(10_000)),
    ] {
        let started = Instant::now();
        let answer = refused(&app, &query, StatusCode::BAD_REQUEST, "TOO_COMPLEX").await;
        assert!(answer["errors"][0]["message"].as_str().unwrap().contains("fields"));
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "refusal took {:?}",
            started.elapsed()
        );
    }
    still_fine(&app, &before).await;
}

async fn huge_pages_are_refused(app: TestApp) {
    let before = app.row_counts().await;
    // Costed by `first`: refused by the complexity limit before execution.
    let answer = refused(
        &app,
        "{ countries(first: 100000) { nodes { iso3 } } }",
        StatusCode::BAD_REQUEST,
        "TOO_COMPLEX",
    )
    .await;
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("complexity"));
    // Cheap in complexity, but over the page size: refused by the field.
    let (status, answer) = app
        .post_as(None, "{ tradeFlows(first: 1001) { totalCount } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&answer), "TOO_COMPLEX", "{answer}");
    // The cost of an answer is reported.
    let (_, answer) = app
        .post_as(None, "{ countries(first: 10) { nodes { iso3 name } } }", json!({}))
        .await;
    let cost = &answer["extensions"]["cost"];
    assert_eq!(cost["complexity"], 10 * 3 + 1, "{answer}");
    assert_eq!(cost["limit"], 50_000);
    assert_eq!(cost["remaining"], 50_000 - 31);
    still_fine(&app, &before).await;
}

async fn broken_bodies_get_graphql_errors(app: TestApp) {
    let before = app.row_counts().await;
    let two_mib = json!({ "query": "{ __typename }", "pad": "x".repeat(2 * 1024 * 1024) }).to_string();
    let cases = [
        (two_mib, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE"),
        ("{nope".to_owned(), StatusCode::BAD_REQUEST, "BAD_REQUEST"),
        (String::new(), StatusCode::BAD_REQUEST, "BAD_REQUEST"),
        (r#"{"query": 5}"#.to_owned(), StatusCode::BAD_REQUEST, "BAD_REQUEST"),
        (
            r#"{"query": ["{ __typename }"]}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            r#"{"query": "{ __typename }", "variables": "x"}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            r#"{"query": "query A { __typename }", "operationName": "B"}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            r#"{"query": "query A { __typename } query B { __typename }"}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
        ),
        (
            r#"{"query": "{ country(code: "}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "GRAPHQL_PARSE_FAILED",
        ),
        (
            r#"{"query": "{ nosuchfield }"}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "GRAPHQL_VALIDATION_FAILED",
        ),
        ("[]".to_owned(), StatusCode::BAD_REQUEST, "BAD_REQUEST"),
    ];
    for (body, status, expected) in cases {
        let (got, answer) = app.post_raw(None, body.clone()).await;
        assert_eq!(got, status, "{}: {answer}", &body[..body.len().min(80)]);
        assert_eq!(code(&answer), expected, "{answer}");
    }
    // Announced by Content-Length.
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("content-length", 2 * 1024 * 1024)
        .body(Body::from(vec![b' '; 2 * 1024 * 1024]))
        .unwrap();
    let (status, body) = app.request(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer: Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(code(&answer), "PAYLOAD_TOO_LARGE");
    still_fine(&app, &before).await;
}

async fn big_batches_are_refused(app: TestApp) {
    let before = app.row_counts().await;
    let one = json!({ "query": "{ countries(first: 1) { totalCount } }" });
    let (status, answer) = app.post_raw(None, json!(vec![one.clone(); 1000]).to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&answer), "TOO_COMPLEX", "{answer}");
    // A small batch is answered, one answer per operation.
    let (status, answer) = app.post_raw(None, json!(vec![one; 3]).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer.as_array().map(Vec::len), Some(3), "{answer}");
    assert_eq!(answer[2]["data"]["countries"]["totalCount"], 249);
    still_fine(&app, &before).await;
}

const SQL: [&str; 4] = [
    "ARM'; DROP TABLE country; --",
    "' OR '1'='1",
    "\" UNION SELECT key_hash FROM api_key --",
    "1); DELETE FROM trade_flow WHERE (1=1",
];

/// No error message may show SQL or the driver.
fn no_leak(answer: &Value) {
    for e in answer["errors"].as_array().into_iter().flatten() {
        let message = e["message"].as_str().unwrap_or_default().to_lowercase();
        for word in [
            "syntax",
            "sqlx",
            "sqlite",
            "postgres",
            "relation",
            "constraint",
            "near \"",
        ] {
            assert!(!message.contains(word), "leak ({word}): {answer}");
        }
        assert_ne!(e["extensions"]["code"], "INTERNAL", "{answer}");
    }
}

async fn sql_looking_strings_are_plain_values(app: TestApp) {
    let before = app.row_counts().await;
    let reads = [
        "query($s: String!) { country(code: $s) { name } organization(code: $s) { name } }",
        "query($s: String!) { countries(region: $s) { totalCount } }",
        "query($s: String!) { country(code: \"ARM\") { indicator(code: $s, year: 2023) } }",
        "query($s: String!) { tradeFlows(reporter: $s) { totalCount } }",
        "query($s: String!) { tradeFlows(partner: $s) { totalCount } }",
        "query($s: String!) { tradeFlows(commodity: $s) { totalCount } }",
        "query($s: String!) { tradeFlows(after: $s) { totalCount } }",
        "query($s: String!) { countries(after: $s) { totalCount } }",
        "query($s: String!) { organization(code: \"EAEU\") { members { country { iso3 } } } country(code: $s) { iso3 } }",
    ];
    for s in SQL {
        for q in reads {
            let (status, answer) = app.post_as(None, q, json!({ "s": s })).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
            no_leak(&answer);
        }
        // Not a code: an error that shows the text as a value, and says how codes look.
        let answer = app
            .gql(&format!(
                "{{ country(code: {}) {{ name }} countries(region: {}) {{ totalCount }} }}",
                json!(s),
                json!(s)
            ))
            .await;
        assert!(answer["data"]["country"].is_null());
        assert_eq!(answer["data"]["countries"]["totalCount"], 0);
        assert_eq!(code(&answer), "BAD_USER_INPUT");
        no_leak(&answer);
        // In a date: a validation error, no leak.
        let (_, answer) = app
            .post_as(
                None,
                "query($d: Date) { country(code: \"ARM\") { memberships(asOf: $d) { status } } }",
                json!({ "d": s }),
            )
            .await;
        assert!(answer.get("errors").is_some());
        no_leak(&answer);
        // As a bearer key.
        let (status, answer) = app
            .post_as(Some(s), UPSERT_FLOWS, json!({ "flows": [flow("GEO", 2023, 1.0)] }))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert_eq!(code(&answer), "UNAUTHENTICATED");
    }
    still_fine(&app, &before).await;

    // Written through every string argument of a mutation: stored and read back verbatim.
    let key = app.key("writer", "write").await;
    let product = SQL.join(" | ");
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($d: [ImportDependencyInput!]!) { upsertImportDependencies(dependencies: $d) { inserted } }",
            json!({ "d": [{ "importer": "GEO", "supplier": "RUS", "sector": "FOOD", "product": product,
                            "share": 0.5, "note": SQL[0] }] }),
        )
        .await;
    assert_eq!(answer["data"]["upsertImportDependencies"]["inserted"], 1, "{answer}");
    for field in ["reporter", "partner", "commodity", "sourceId"] {
        let mut row = flow("GEO", 2023, 1.0);
        row[field] = json!(SQL[1]);
        let (_, answer) = app.post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": [row] })).await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{answer}");
        assert!(answer["errors"][0]["message"].as_str().unwrap().contains(field));
        no_leak(&answer);
    }
    let mut row = flow("GEO", 2023, 1.0);
    row["quantityUnit"] = json!(SQL[1]);
    row["note"] = json!(SQL[2]);
    let (_, answer) = app.post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": [row] })).await;
    assert_eq!(answer["data"]["upsertTradeFlows"]["inserted"], 1, "{answer}");
    let data = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2023) { nodes { quantityUnit note } } }"#)
        .await;
    assert_eq!(data["tradeFlows"]["nodes"][0]["quantityUnit"], SQL[1]);
    assert_eq!(data["tradeFlows"]["nodes"][0]["note"], SQL[2]);
    let data = app
        .data(r#"{ country(code: "GEO") { importDependencies(sector: FOOD) { product note } } }"#)
        .await;
    assert_eq!(data["country"]["importDependencies"][0]["product"], product.as_str());
    assert_eq!(data["country"]["importDependencies"][0]["note"], SQL[0]);
    assert_eq!(
        app.data("{ countries(first: 1) { totalCount } }").await["countries"]["totalCount"],
        249
    );
}

async fn mutations_over_get_are_refused(app: TestApp) {
    let key = app.key("writer", "write").await;
    let before = app.row_counts().await;
    let get = |query: &str, key: Option<&str>| {
        let uri = format!("/graphql?query={}", urlencode(query));
        let mut req = Request::get(uri);
        if let Some(key) = key {
            req = req.header("authorization", format!("Bearer {key}"));
        }
        req.body(Body::empty()).unwrap()
    };
    let mutation = r#"mutation { upsertTradeFlows(flows: [{reporter: "ARM", partner: "GEO", year: 2023,
        commodity: "TOTAL", flow: EXPORT, valueUsd: 1}]) { inserted } }"#;
    let (status, body) = app.request(get(mutation, Some(&key))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(code(&answer), "METHOD_NOT_ALLOWED");
    // Queries work over GET; a browser without `query` gets GraphiQL.
    let (status, body) = app.request(get("{ country(code: \"ARM\") { name } }", None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["data"]["country"]["name"], "Armenia");
    let (status, body) = app.request(Request::get("/graphql").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("graphiql"));
    still_fine(&app, &before).await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn forged_and_revoked_keys_are_refused(app: TestApp) {
    let key = app.key("partner", "write").await;
    let forged = tradegraph::service::keys::generate().unwrap();
    let before = app.row_counts().await;
    let vars = json!({ "flows": [flow("GEO", 2023, 1.0)] });
    // RFC 9110: invalid credentials are 401 UNAUTHENTICATED, whatever the request.
    let unauthenticated = |status: StatusCode, answer: &Value| {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert_eq!(code(answer), "UNAUTHENTICATED", "{answer}");
        assert!(answer.get("data").is_none(), "{answer}");
    };
    let (status, answer) = app.post_as(Some(&forged), UPSERT_FLOWS, vars.clone()).await;
    unauthenticated(status, &answer);
    let (status, answer) = app.post_as(Some(&forged), "{ __typename }", json!({})).await;
    unauthenticated(status, &answer);
    // A key one character off.
    let mut near = key.clone();
    near.pop();
    near.push(if key.ends_with('A') { 'B' } else { 'A' });
    let (status, answer) = app.post_as(Some(&near), UPSERT_FLOWS, vars.clone()).await;
    unauthenticated(status, &answer);
    // Malformed: not a bearer token.
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Basic {key}"))
        .body(Body::from(json!({ "query": "{ __typename }" }).to_string()))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()["www-authenticate"], "Bearer realm=\"tradegraph\"");
    // Two Authorization headers (a valid one, then a forged one): 400, nothing written.
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .header("authorization", format!("Bearer {forged}"))
        .body(Body::from(
            json!({ "query": UPSERT_FLOWS, "variables": vars }).to_string(),
        ))
        .unwrap();
    let (status, body) = app.request(req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(code(&answer), "BAD_REQUEST");
    // Revoked: refused from the next request on, without a restart.
    tradegraph::service::keys::revoke(&app.db, "partner").await.unwrap();
    let (status, answer) = app.post_as(Some(&key), UPSERT_FLOWS, vars).await;
    unauthenticated(status, &answer);
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("revoked"));
    still_fine(&app, &before).await;
}

async fn a_burst_is_rate_limited(app: TestApp) {
    let app = app.with_settings(|s| s.rate_limit_per_minute = 5).await;
    let key = app.key("partner", "write").await;
    let before = app.row_counts().await;
    for _ in 0..5 {
        let (status, _) = app.post_as(None, "{ __typename }", json!({})).await;
        assert_eq!(status, StatusCode::OK);
    }
    // The sixth request from the same client, a mutation with no key (refused anyway).
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "query": "{ __typename }" }).to_string()))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry), "Retry-After: {retry}");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(code(&answer), "RATE_LIMITED");
    let (status, _) = app
        .post_as(None, UPSERT_FLOWS, json!({ "flows": [flow("GEO", 2023, 1.0)] }))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // A key has a budget of its own; health checks are not limited.
    let (status, answer) = app
        .post_as(Some(&key), "{ country(code: \"ARM\") { name } }", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, _) = app.request(Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.row_counts().await, before);
}

async fn slow_requests_time_out(app: TestApp) {
    // 1000 countries and their memberships take longer than 1 ms.
    let app = app
        .with_settings(|s| s.request_timeout = Duration::from_millis(1))
        .await;
    let before = app.row_counts().await;
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "query": "{ countries(first: 1000) { nodes { memberships { status } } } }" }).to_string(),
        ))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(code(&answer), "TIMEOUT", "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["requestId"], id.as_str());
    let app = app.with_settings(|s| s.request_timeout = Duration::from_secs(10)).await;
    still_fine(&app, &before).await;
}

async fn internal_errors_are_masked(app: TestApp) {
    // Break the database under the server: the exchange-rate table disappears.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("ALTER TABLE exchange_rate RENAME TO exchange_rate_gone")
        .await
        .unwrap();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("x-request-id", "test-request-42")
        .body(Body::from(
            json!({ "query": "{ country(code: \"ARM\") { name aidReceived { amountUsd } } }" }).to_string(),
        ))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-request-id"], "test-request-42");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(code(&answer), "INTERNAL", "{answer}");
    assert_eq!(answer["errors"][0]["message"], "internal error");
    assert_eq!(answer["errors"][0]["extensions"]["requestId"], "test-request-42");
    assert!(!answer.to_string().to_lowercase().contains("exchange_rate"), "{answer}");
    app.db
        .execute_unprepared("ALTER TABLE exchange_rate_gone RENAME TO exchange_rate")
        .await
        .unwrap();
    assert_eq!(
        app.data("{ country(code: \"ARM\") { name } }").await["country"]["name"],
        "Armenia"
    );
}

on_both_backends!(
    deep_queries_are_refused,
    many_aliases_are_refused,
    fragment_cycles_and_bombs_are_refused,
    ten_thousand_repeated_fields_are_refused_cheaply,
    huge_pages_are_refused,
    broken_bodies_get_graphql_errors,
    big_batches_are_refused,
    sql_looking_strings_are_plain_values,
    mutations_over_get_are_refused,
    forged_and_revoked_keys_are_refused,
    a_burst_is_rate_limited,
    slow_requests_time_out,
    internal_errors_are_masked,
);
