//! `/explore`: the page and its files answer with their media types, caching and security
//! headers; every committed query of the page (`assets/explore/queries/*.graphql`) is
//! served as it is on disk, validates against the schema and runs on the bundled data
//! without errors, with the figures the page shows for Armenia and Russia.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/explore/queries");

async fn get(app: &TestApp, path: &str, etag: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(tag) = etag {
        req = req.header(IF_NONE_MATCH, tag);
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .expect("router answers");
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn header<'a>(headers: &'a HeaderMap, name: &axum::http::HeaderName) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The committed queries, by file stem.
fn committed_queries() -> BTreeMap<String, String> {
    std::fs::read_dir(QUERIES)
        .expect("assets/explore/queries")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).expect("query file"))
        })
        .collect()
}

#[tokio::test]
async fn page_and_files_answer_with_their_types() {
    let app = TestApp::sqlite().await;
    let (status, headers, body) = get(&app, "/explore", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, &CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(header(&headers, &CACHE_CONTROL), "no-cache");
    let csp = header(&headers, &CONTENT_SECURITY_POLICY);
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    assert_eq!(header(&headers, &axum::http::header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"<script type="module" src="explore/app.js"></script>"#));
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline script or style"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no outside URL"
    );

    // Revalidation: the same ETag answers 304 without a body.
    let tag = header(&headers, &ETAG).to_owned();
    let (status, _, body) = get(&app, "/explore", Some(&tag)).await;
    assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0));

    for (path, media, cache) in [
        ("app.js", "text/javascript; charset=utf-8", "no-cache"),
        ("api.js", "text/javascript; charset=utf-8", "no-cache"),
        ("format.js", "text/javascript; charset=utf-8", "no-cache"),
        ("charts.js", "text/javascript; charset=utf-8", "no-cache"),
        ("sections.js", "text/javascript; charset=utf-8", "no-cache"),
        ("explore.css", "text/css; charset=utf-8", "no-cache"),
        (
            "vendor/uPlot.esm.js",
            "text/javascript; charset=utf-8",
            "public, max-age=86400",
        ),
        (
            "vendor/uPlot.min.css",
            "text/css; charset=utf-8",
            "public, max-age=86400",
        ),
        (
            "vendor/LICENSE-uplot",
            "text/plain; charset=utf-8",
            "public, max-age=86400",
        ),
    ] {
        let (status, headers, body) = get(&app, &format!("/explore/{path}"), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(header(&headers, &CONTENT_TYPE), media, "{path}");
        assert_eq!(header(&headers, &CACHE_CONTROL), cache, "{path}");
        let disk = std::fs::read(format!("{}/assets/explore/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(body, disk, "{path} is served as committed");
        let html_names_it = html.contains(&format!("explore/{path}"));
        let imported = path.ends_with(".js") && !path.starts_with("vendor/");
        assert!(html_names_it || imported, "{path} is used by the page");
    }

    // Every committed query is served as it is on disk.
    let queries = committed_queries();
    assert_eq!(queries.len(), 8);
    for (name, text) in &queries {
        let (status, headers, body) = get(&app, &format!("/explore/queries/{name}.graphql"), None).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(header(&headers, &CONTENT_TYPE), "application/graphql; charset=utf-8");
        assert_eq!(String::from_utf8(body).unwrap(), *text, "{name}");
    }

    // Anything else under /explore is a 404 with the usual JSON body.
    let (status, _, body) = get(&app, "/explore/../Cargo.toml", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

/// Runs the committed query `name` with `variables`; its data (no error allowed).
async fn run(app: &TestApp, queries: &BTreeMap<String, String>, name: &str, variables: Value) -> Value {
    let answer = app.gql_vars(&queries[name], variables).await;
    assert!(answer.get("errors").is_none(), "{name}: {answer}");
    answer["data"].clone()
}

/// The page's queries with the variables the page sends for Armenia and Russia, 2023.
async fn queries_run_on_the_bundled_data(app: TestApp) {
    let queries = committed_queries();
    let arm = json!({ "country": "ARM" });
    let mut ran = Vec::new();

    let data = run(&app, &queries, "countries", json!({})).await;
    let nodes = data["countries"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 249, "every country; the World (W00) is not one");
    ran.push("countries");

    let data = run(&app, &queries, "profile", json!({ "country": "ARM", "fromYear": 2000 })).await;
    let c = &data["country"];
    assert_eq!(c["name"], "Armenia");
    assert_eq!(c["memberships"].as_array().unwrap().len(), 6);
    let pop = &c["indicators"][0];
    assert_eq!(pop["code"], "POPULATION");
    let y2024 = pop["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["year"] == 2024)
        .unwrap();
    assert_close(&y2024["value"], 3_033_500.0);
    assert_eq!(y2024["qualifier"], "EXACT");
    ran.push("profile");

    let data = run(&app, &queries, "trade", json!({ "country": "ARM", "partner": "RUS" })).await;
    let rows = data["country"]["tradeWith"].as_array().unwrap();
    let years: Vec<&Value> = rows.iter().map(|r| &r["year"]).collect();
    assert_eq!(years, [2021, 2022, 2023]);
    assert_close(&rows[2]["exportsUsd"], 4e9);
    assert_close(&rows[2]["totalTradeUsd"], 7e9);
    assert_eq!(rows[2]["totalTradeUsdQualifier"], "AT_LEAST");
    assert_eq!(data["tradeFlows"]["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(data["country"]["statedTradeTotals"].as_array().unwrap().len(), 2);
    assert_eq!(
        data["world"]["nodes"].as_array().unwrap().len(),
        6,
        "WDI totals 2021–2023"
    );
    ran.push("trade");

    let data = run(
        &app,
        &queries,
        "partners",
        json!({ "country": "ARM", "fromYear": 1988, "toYear": 2026 }),
    )
    .await;
    let exports = data["country"]["exports"].as_array().unwrap();
    assert_eq!(exports.len(), 2, "Russia in 2021 and 2023");
    assert_eq!(
        (&exports[1]["year"], &exports[1]["partner"]["iso3"]),
        (&2023.into(), &"RUS".into())
    );
    assert_close(&exports[1]["share"], 4e9 / 8_552e6);
    assert_eq!(data["country"]["statedPartnerShares"].as_array().unwrap().len(), 5);
    ran.push("partners");

    let data = run(
        &app,
        &queries,
        "partner-flows",
        json!({ "country": "ARM", "partners": ["RUS"], "year": 2023 }),
    )
    .await;
    assert_eq!(data["tradeFlows"]["nodes"].as_array().unwrap().len(), 2);
    ran.push("partner-flows");

    let data = run(&app, &queries, "commodities", json!({ "country": "ARM", "year": 2023 })).await;
    assert_eq!(data["country"]["tradeByCommodity"], json!([]), "no chapter is bundled");
    let stored = data["tradeFlows"]["nodes"].as_array().unwrap();
    // TOTAL (WDI) and section XVI, machinery (the seed document), largest first.
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1]["commodity"], "XVI");
    assert_close(&stored[1]["valueUsd"], 1e9);
    ran.push("commodities");

    let data = run(&app, &queries, "dependencies", arm.clone()).await;
    let deps = data["country"]["dependencyComparison"].as_array().unwrap();
    assert_eq!(deps.len(), 7);
    let gas = deps.iter().find(|d| d["stated"]["product"] == "Natural gas").unwrap();
    assert_close(&gas["statedShare"], 0.85);
    assert_eq!(gas["computedShare"], Value::Null, "no HS 2711 flows are bundled");
    ran.push("dependencies");

    let data = run(&app, &queries, "aid", arm).await;
    let aid = data["country"]["aidReceived"].as_array().unwrap();
    assert_eq!(aid.len(), 3);
    let eu = aid.iter().find(|a| a["donorCode"] == "EU").unwrap();
    assert_close(&eu["amountUsd"], 270e6 / 0.923889546117607);
    ran.push("aid");

    let mut all: Vec<&str> = queries.keys().map(String::as_str).collect();
    all.sort_unstable();
    ran.sort_unstable();
    assert_eq!(ran, all, "every committed query is run here");
}

on_both_backends!(queries_run_on_the_bundled_data);
