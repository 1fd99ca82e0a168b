//! The trade indicators of `docs/indicators.md` against a fixture worked out by hand
//! (`tests/fixtures/indicators.csv`, imported; GDP and population written through
//! `upsertIndicators`), every value to 1e-9 relative, on both databases.
//!
//! Year 1995, HS chapters 01–03 (values in USD; `·` = no row; `(row)` = the `W00` row is
//! stored and wins, otherwise the world total is the sum over non-aggregate partners; `XAK`
//! is Comtrade's "Other Asia, nes", an aggregate partner, never summed):
//!
//! | reporter | X TOTAL | X 01 | X 02 | X 03 | M TOTAL | M 01 | M 02 |
//! |---|---|---|---|---|---|---|---|
//! | FRA | 1000 (row) | 500 (row) | 300 (row) | 50 (USA 50, ESP 0) | 600 (row) | 100 | 400 |
//! | DEU | 1000 (FRA 350, TWN 250, USA 400; XAK 777 not summed) | 200 | 800 (FRA 250, USA 550; XAK 999 not summed) | · | 900 | 300 | 600 |
//! | TWN | 500 | 0 | 400 | · (XAK only) | 500 | 200 (DEU 100, FRA 100) | 300 |
//! | ESP | · (no TOTAL: X = 100 + 100) | 100 | 100 | · | · (M = 50) | 50 | · |
//! | NOR | 0 | 0 | · | · | 100 | 0 | 100 |
//!
//! So `X_r` = 1000, 1000, 500, 200, 0 and the world's `X_W` = 2700; `X_Wk` = 800 (01),
//! 1600 (02), 50 (03). Chapter 03 is imported by no one. FRA's and DEU's partner rows (for
//! trade intensity, Grubel–Lloyd with a partner and market penetration) are in the CSV.

mod batching;
mod national;
mod pairs;
mod products;

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_close};

/// Imports the fixture and writes the indicators.
pub(super) async fn load(app: &TestApp) {
    app.import_fixture("indicators.csv").await;
    // The world of 1995 is the fixture's alone (bundled data must not reach into it).
    let flows = app.data("{ tradeFlows(year: 1995) { totalCount } }").await;
    assert_eq!(
        flows["tradeFlows"]["totalCount"], 67,
        "1995 holds only the fixture's rows"
    );

    // The fixture's GDP and population are made up for the hand computation: they cite a
    // source of their own, not the World Bank.
    let key = app.key("indicator-writer", "admin").await;
    let (_, created) = app
        .post_as(
            Some(&key),
            "mutation($s: SourceInput!) { createSource(source: $s) { key } }",
            json!({ "s": { "key": "indicators-fixture", "publisher": "tradegraph tests",
                           "title": "Hand-computed indicator fixture (tests/fixtures/indicators.csv)" } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let rows: Vec<Value> = [
        ("FRA", "GDP_USD", 5000.0),
        ("FRA", "POPULATION", 10.0),
        ("DEU", "GDP_USD", 0.0),
        ("DEU", "POPULATION", 20.0),
        ("ESP", "GDP_USD", 1000.0),
        ("NOR", "GDP_USD", 400.0),
        ("NOR", "POPULATION", 4.0),
    ]
    .into_iter()
    .map(|(c, code, v)| json!({ "country": c, "code": code, "year": 1995, "value": v, "sourceId": "indicators-fixture" }))
    .collect();
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($i: [IndicatorInput!]!) { upsertIndicators(indicators: $i) { inserted updated } }",
            json!({ "i": rows }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    for code in ["GDP_USD", "POPULATION"] {
        let q = format!(r#"{{ country(code: "TWN") {{ indicator(code: "{code}", year: 1995) }} }}"#);
        assert_eq!(
            app.data(&q).await["country"]["indicator"],
            Value::Null,
            "TWN has no {code}"
        );
    }
    let q = r#"{ country(code: "ESP") { indicator(code: "POPULATION", year: 1995) } }"#;
    assert_eq!(app.data(q).await["country"]["indicator"], Value::Null);
}

/// `(code, value)` of each row of a ranked list, in order; `None` for a null value.
pub(super) fn ranked(list: &Value) -> Vec<(String, Option<f64>)> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if !r["rank"].is_null() {
                assert_eq!(r["rank"], i as i64 + 1, "{list}");
            }
            (r["commodity"]["code"].as_str().unwrap().to_owned(), r["value"].as_f64())
        })
        .collect()
}

/// Asserts a ranked list's codes and values (to 1e-9 relative; `None` = null).
#[track_caller]
pub(super) fn assert_ranked(list: &Value, expected: &[(&str, Option<f64>)]) {
    let got = ranked(list);
    let codes: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(codes, want, "{list}");
    for (i, (_, value)) in expected.iter().enumerate() {
        match value {
            Some(v) => assert_close(&list[i]["value"], *v),
            None => assert_eq!(list[i]["value"], Value::Null, "{list}"),
        }
    }
}

/// `country(code) { … }` → the country object.
pub(super) async fn country(app: &TestApp, code: &str, fields: &str) -> Value {
    let data = app
        .data(&format!(r#"{{ country(code: "{code}") {{ {fields} }} }}"#))
        .await;
    data["country"].clone()
}
