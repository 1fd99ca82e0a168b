//! Bulk export (issue 10.1): `GET /export/{table}.csv` gives one flat row per stored figure,
//! as many as the GraphQL list counts, filtered by the same parameters; bad parameters are
//! 400 with the GraphQL error body; an export counts once against the rate limit.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::trade_flows::add_exports;

/// GETs `uri` (with `accept`); status, content type and body.
pub(crate) async fn get_bytes(
    app: &TestApp,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, String, axum::body::Bytes) {
    let mut req = Request::get(uri);
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    let resp = tower::ServiceExt::oneshot(app.router.clone(), req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let media = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, media, bytes)
}

/// GETs `uri` (with `accept`); status, content type and body as text.
pub(crate) async fn get(app: &TestApp, uri: &str, accept: Option<&str>) -> (StatusCode, String, String) {
    let (status, media, bytes) = get_bytes(app, uri, accept).await;
    (status, media, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The rows of a CSV text, as header → value maps.
pub(crate) fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

async fn flows_export_as_many_rows_as_the_list_counts(app: TestApp) {
    const TEN: [&str; 10] = ["AFG", "ALB", "DZA", "AND", "AGO", "ARG", "AUS", "AUT", "AZE", "BHR"];
    let extra: Vec<(&str, i32, f64)> = (0..3000)
        .map(|i| (TEN[i % 10], 1800 + (i / 10) as i32, 1.5 * i as f64))
        .collect();
    add_exports(&app, &extra).await;
    for (params, args) in [
        ("reporter=ARM", r#"reporter: "ARM""#),
        ("partner=RUS", r#"partner: "RUS""#),
        (
            "reporters=ARM,USA&flows=EXPORT,IMPORT&fromYear=1500",
            r#"reporters: ["ARM", "USA"], flows: [EXPORT, IMPORT], fromYear: 1500"#,
        ),
        ("commodity=XVI", r#"commodity: "XVI""#),
        ("minValueUsd=4000", r#"minValueUsd: 4000"#),
    ] {
        let (status, media, text) = get(&app, &format!("/export/trade-flows.csv?{params}"), None).await;
        assert_eq!(status, StatusCode::OK, "{params}: {text}");
        assert_eq!(media, "text/csv; charset=utf-8");
        let total = app.data(&format!("{{ tradeFlows({args}) {{ totalCount }} }}")).await["tradeFlows"]["totalCount"]
            .as_u64()
            .unwrap();
        assert!(total > 0, "{params}");
        assert_eq!(rows(&text).len() as u64, total, "{params}");
    }
    // Larger than one chunk of the stream (64 KiB): every row arrives, in id order.
    let (_, _, text) = get(&app, "/export/trade-flows.csv?reporter=ARM&toYear=1999", None).await;
    assert!(text.len() > 200 * 1024, "{} bytes", text.len());
    let all = rows(&text);
    assert_eq!(all.len(), 2000); // 1800–1999
    let values: Vec<f64> = all.iter().map(|r| r["value_usd"].parse().unwrap()).collect();
    assert_eq!(values, (0..2000).map(|i| 1.5 * f64::from(i)).collect::<Vec<_>>());

    // Flat columns: codes and names, qualifier, source.
    let (_, _, text) = get(
        &app,
        "/export/trade-flows.csv?reporter=ARM&partner=RUS&year=2023&flow=IMPORT",
        None,
    )
    .await;
    let row = &rows(&text)[0];
    let graph = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "RUS", year: 2023, flow: IMPORT) { nodes { valueUsd qualifier reporter { name } partner { name } source { key publisher title } } } }"#)
        .await;
    let node = &graph["tradeFlows"]["nodes"][0];
    assert_eq!(row["reporter"], "ARM");
    assert_eq!(row["reporter_name"], node["reporter"]["name"].as_str().unwrap());
    assert_eq!(row["partner_name"], node["partner"]["name"].as_str().unwrap());
    assert_eq!(row["flow"], "IMPORT");
    assert_eq!(row["commodity"], "TOTAL");
    assert_eq!(
        row["value_usd"].parse::<f64>().unwrap(),
        node["valueUsd"].as_f64().unwrap()
    );
    assert_eq!(row["qualifier"], node["qualifier"].as_str().unwrap());
    assert_eq!(row["source_key"], node["source"]["key"].as_str().unwrap());
    assert_eq!(row["source_title"], node["source"]["title"].as_str().unwrap());

    // The extension-less URL with Accept: text/csv is the same file.
    let (status, _, same) = get(
        &app,
        "/export/trade-flows?reporter=ARM&partner=RUS&year=2023&flow=IMPORT",
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(same, text);
}

async fn other_tables_and_refusals(app: TestApp) {
    let countries = app.data("{ countries(first: 1000) { totalCount } }").await["countries"]["totalCount"]
        .as_u64()
        .unwrap();
    let (_, _, text) = get(&app, "/export/countries.csv", None).await;
    assert_eq!(rows(&text).len() as u64, countries);
    let rates = app.data(r#"{ exchangeRates(currency: "EUR") { year } }"#).await["exchangeRates"]
        .as_array()
        .unwrap()
        .len();
    let (_, _, text) = get(&app, "/export/exchange-rates.csv?currency=EUR", None).await;
    assert_eq!(rows(&text).len(), rates);
    let (_, _, text) = get(
        &app,
        "/export/indicators.csv?country=ARM&fromYear=2020&toYear=2021",
        None,
    )
    .await;
    let indicators = rows(&text);
    let series = app
        .data(r#"{ country(code: "ARM") { indicators(codes: ["POPULATION", "GDP_USD", "REMITTANCES_USD"], fromYear: 2020, toYear: 2021) { values { year } } } }"#)
        .await;
    let in_series: usize = series["country"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["values"].as_array().unwrap().len())
        .sum();
    assert_eq!(indicators.len(), in_series);
    let (_, _, text) = get(&app, "/export/memberships.csv?country=ARM", None).await;
    let memberships = app.data(r#"{ country(code: "ARM") { memberships { status } } }"#).await;
    assert_eq!(
        rows(&text).len(),
        memberships["country"]["memberships"].as_array().unwrap().len()
    );

    for uri in [
        "/export/trade-flows.csv?reporter=XXX",
        "/export/trade-flows.csv?reporter=ARM&reporters=RUS",
        "/export/trade-flows.csv?year=twenty",
        "/export/trade-flows.csv?colour=red",
        "/export/trade-flows.xlsx",
        "/export/trade-flows",
        "/export/nothing.csv",
    ] {
        let (status, media, text) = get(&app, uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(media.starts_with("application/json"), "{uri}: {media}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{uri}");
        assert!(body["errors"][0]["extensions"]["requestId"].is_string());
    }
}

async fn an_export_counts_once(app: TestApp) {
    let app = app.with_settings(|s| s.rate_limit_per_minute = 2).await;
    let (first, _, _) = get(&app, "/export/countries.csv", None).await;
    let (second, _, _) = get(&app, "/export/trade-flows.csv", None).await;
    let (third, _, text) = get(&app, "/export/countries.csv", None).await;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK));
    assert_eq!(third, StatusCode::TOO_MANY_REQUESTS, "{text}");
}

on_both_backends!(
    flows_export_as_many_rows_as_the_list_counts,
    other_tables_and_refusals,
    an_export_counts_once,
);
