//! The derived figures of API.md against a fixture whose expected values are worked out by
//! hand (`tests/fixtures/derived_figures.csv`), exact to 1e-9 relative, on both databases.
//!
//! The fixture, for reporter FRA (values in USD):
//!
//! | year | flow | DEU | ITA | ESP | BEL | W00 row | world total |
//! |------|------|-----|-----|-----|-----|---------|-------------|
//! | 2019 | X    | 100 |  50 |  50 |  25 | 300     | 300 (row)   |
//! | 2019 | M    |  80 |  20 |     |     |         | 100 (sum)   |
//! | 2020 | X    | 120 |  60 |     |     |         | 180 (sum)   |
//! | 2020 | M    | 100 |     |     |     |         | 100 (sum)   |
//! | 2021 | —    |     |     |     |     |         | (no data)   |
//! | 2022 | X    | 150 |     |     |     |         | 150 (sum)   |
//! | 2023 | X    | 200 |     |     |     | 1000    | 1000 (row)  |
//! | 2023 | M    |  50 |     |     |     | 500     | 500 (row)   |
//!
//! plus, in 2023, FRA exports to DEU by HS code 84: 120, 85: 60, 8471: 30, and to W00
//! 84: 400, 85: 100; FRA imports of 2711 from DEU 45 and NOR 30, of 31 from DEU 0 and ITA
//! 10; and DEU's own declarations for 2019: imports from FRA 110, exports to FRA 75.

use serde_json::Value;

use crate::helpers::{TestApp, assert_close, year};
use crate::on_both_backends;

async fn trade_with(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    let data = app
        .data(
            r#"{ country(code: "FRA") { tradeWith(partner: "DEU") {
                   year exportsUsd importsUsd totalTradeUsd balanceUsd totalTradeGrowth exportShare importShare } } }"#,
        )
        .await;
    let rows = &data["country"]["tradeWith"];
    let years: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["year"].as_i64().unwrap())
        .collect();
    assert_eq!(
        years,
        vec![2019, 2020, 2021, 2022, 2023],
        "one row per year from the first to the last with data, ascending"
    );
    // 2021 has no data: a row of nulls, so clients need not re-index the years.
    let r = year(rows, 2021);
    for field in [
        "exportsUsd",
        "importsUsd",
        "totalTradeUsd",
        "balanceUsd",
        "totalTradeGrowth",
        "exportShare",
    ] {
        assert_eq!(r[field], Value::Null, "{field}");
    }

    // 2019: the W00 row (300) is the export world total; imports have no W00 row: sum 100.
    let r = year(rows, 2019);
    assert_close(&r["exportsUsd"], 100.0);
    assert_close(&r["importsUsd"], 80.0);
    assert_close(&r["totalTradeUsd"], 180.0);
    assert_close(&r["balanceUsd"], 20.0);
    assert_eq!(r["totalTradeGrowth"], Value::Null, "no 2018");
    assert_close(&r["exportShare"], 100.0 / 300.0);
    assert_close(&r["importShare"], 80.0 / 100.0);
    // 2020: no W00 row at all: world totals are sums over partners (180, 100).
    let r = year(rows, 2020);
    assert_close(&r["totalTradeUsd"], 220.0);
    assert_close(&r["totalTradeGrowth"], 220.0 / 180.0 - 1.0);
    assert_close(&r["exportShare"], 120.0 / 180.0);
    assert_close(&r["importShare"], 1.0);
    // 2022: imports missing: total, balance and import share are null, not 0; growth across
    // the missing 2021 is null.
    let r = year(rows, 2022);
    assert_close(&r["exportsUsd"], 150.0);
    assert_eq!(r["importsUsd"], Value::Null);
    assert_eq!(r["totalTradeUsd"], Value::Null);
    assert_eq!(r["balanceUsd"], Value::Null);
    assert_eq!(r["totalTradeGrowth"], Value::Null);
    assert_close(&r["exportShare"], 1.0);
    assert_eq!(r["importShare"], Value::Null);
    // 2023: the previous year's total is null, so growth is null.
    let r = year(rows, 2023);
    assert_close(&r["totalTradeUsd"], 250.0);
    assert_close(&r["balanceUsd"], 150.0);
    assert_eq!(r["totalTradeGrowth"], Value::Null);
    assert_close(&r["exportShare"], 0.2);
    assert_close(&r["importShare"], 0.1);

    // A year range still reads the year before for the first growth.
    let data = app
        .data(r#"{ country(code: "FR") { tradeWith(partner: "de", fromYear: 2020, toYear: 2020) { year totalTradeGrowth } } }"#)
        .await;
    assert_eq!(data["country"]["tradeWith"].as_array().unwrap().len(), 1);
    assert_close(
        &data["country"]["tradeWith"][0]["totalTradeGrowth"],
        220.0 / 180.0 - 1.0,
    );

    // A commodity-level query: HS 84, exports only (no imports of 84 from DEU).
    let data = app
        .data(r#"{ country(code: "FRA") { tradeWith(partner: "DEU", commodity: "84") { year exportsUsd importsUsd totalTradeUsd exportShare } } }"#)
        .await;
    let r = &data["country"]["tradeWith"][0];
    assert_eq!(r["year"], 2023);
    assert_close(&r["exportsUsd"], 120.0);
    assert_eq!(r["totalTradeUsd"], Value::Null);
    assert_close(&r["exportShare"], 120.0 / 400.0);

    // No data at all: an empty list.
    let none = app
        .data(r#"{ country(code: "FRA") { tradeWith(partner: "USA") { year } } }"#)
        .await;
    assert_eq!(none["country"]["tradeWith"], serde_json::json!([]));
    assert_eq!(
        app.error_code(r#"{ country(code: "FRA") { tradeWith(partner: "ZZZ") { year } } }"#)
            .await,
        "BAD_USER_INPUT"
    );
}

async fn top_partners_and_concentration(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    let data = app
        .data(
            r#"{ country(code: "FRA") {
                   x2019: topPartners(year: 2019, flow: EXPORT) { rank partner { iso3 } valueUsd share }
                   two: topPartners(year: 2019, flow: EXPORT, limit: 2) { rank partner { iso3 } }
                   x2020: topPartners(year: 2020, flow: EXPORT) { rank partner { iso3 } share }
                   hhi2019: concentration(year: 2019, flow: EXPORT)
                   hhi2020m: concentration(year: 2020, flow: IMPORT)
                   hhi2021: concentration(year: 2021, flow: EXPORT)
                 } }"#,
        )
        .await;
    let c = &data["country"];
    // Ranked by value, ties (ESP 50, ITA 50) by ISO code; W00 is not a partner; shares of the
    // W00 row (300).
    let ranked: Vec<(i64, &str)> = c["x2019"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["rank"].as_i64().unwrap(), p["partner"]["iso3"].as_str().unwrap()))
        .collect();
    assert_eq!(ranked, vec![(1, "DEU"), (2, "ESP"), (3, "ITA"), (4, "BEL")]);
    for (i, share) in [100.0 / 300.0, 50.0 / 300.0, 50.0 / 300.0, 25.0 / 300.0]
        .into_iter()
        .enumerate()
    {
        assert_close(&c["x2019"][i]["share"], share);
    }
    assert_close(&c["x2019"][3]["valueUsd"], 25.0);
    assert_eq!(c["two"].as_array().unwrap().len(), 2);
    assert_eq!(c["two"][1]["partner"]["iso3"], "ESP");
    // 2020 has no W00 row: shares of the sum over partners (180).
    assert_close(&c["x2020"][0]["share"], 120.0 / 180.0);
    assert_close(&c["x2020"][1]["share"], 60.0 / 180.0);
    // HHI 2019 exports over partners only: (100² + 50² + 50² + 25²) / 225² = 25/81.
    assert_close(&c["hhi2019"], 25.0 / 81.0);
    assert_close(&c["hhi2020m"], 1.0);
    assert_eq!(c["hhi2021"], Value::Null);
    assert_eq!(
        app.error_code(r#"{ country(code: "FRA") { topPartners(year: 2019, flow: EXPORT, limit: 0) { rank } } }"#)
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(r#"{ country(code: "FRA") { topPartners(year: 2019, flow: EXPORT, limit: 5000) { rank } } }"#)
            .await,
        "TOO_COMPLEX"
    );
}

async fn by_commodity_cagr_and_mirror(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    let data = app
        .data(
            r#"{ country(code: "FRA") {
                   world: tradeByCommodity(year: 2023, flow: EXPORT) { rank commodity valueUsd share }
                   deu: tradeByCommodity(partner: "DEU", year: 2023, flow: EXPORT) { commodity valueUsd share }
                   headings: tradeByCommodity(year: 2023, flow: EXPORT, level: 4) { commodity valueUsd share }
                   toDeu: cagr(partner: "DEU", fromYear: 2019, toYear: 2023, flow: EXPORT) { fromValueUsd toValueUsd rate }
                   world1920: cagr(fromYear: 2019, toYear: 2020, flow: EXPORT) { fromValueUsd toValueUsd rate }
                   gap: cagr(partner: "DEU", fromYear: 2019, toYear: 2021, flow: EXPORT) { toValueUsd rate }
                   mirror(partner: "DEU") { year exportsUsd partnerImportsUsd exportGapUsd exportGapRatio
                                           importsUsd partnerExportsUsd importGapUsd importGapRatio }
                 } }"#,
        )
        .await;
    let c = &data["country"];
    // World by chapter: W00 rows 400 and 100 over the TOTAL W00 row 1000.
    assert_eq!(c["world"][0]["commodity"], "84");
    assert_close(&c["world"][0]["share"], 0.4);
    assert_eq!(c["world"][1]["commodity"], "85");
    assert_close(&c["world"][1]["share"], 0.1);
    assert_eq!(c["world"].as_array().unwrap().len(), 2);
    // With DEU: 120 and 60 over FRA's TOTAL exports to DEU (200).
    assert_close(&c["deu"][0]["share"], 0.6);
    assert_close(&c["deu"][1]["share"], 0.3);
    // Headings: 8471 has no W00 row, so its world value is the sum over partners (30).
    assert_eq!(c["headings"][0]["commodity"], "8471");
    assert_close(&c["headings"][0]["valueUsd"], 30.0);
    assert_close(&c["headings"][0]["share"], 0.03);
    // CAGR: (200 / 100)^(1/4) − 1; world 2019 → 2020: W00 row 300, then the sum 180.
    assert_close(&c["toDeu"]["rate"], 2f64.powf(0.25) - 1.0);
    assert_close(&c["world1920"]["fromValueUsd"], 300.0);
    assert_close(&c["world1920"]["toValueUsd"], 180.0);
    assert_close(&c["world1920"]["rate"], -0.4);
    assert_eq!(c["gap"]["toValueUsd"], Value::Null);
    assert_eq!(c["gap"]["rate"], Value::Null);
    // Mirror 2019: DEU declared imports from FRA of 110 against FRA's exports of 100, and
    // exports to FRA of 75 against FRA's imports of 80.
    let m = year(&c["mirror"], 2019);
    assert_close(&m["partnerImportsUsd"], 110.0);
    assert_close(&m["exportGapUsd"], 10.0);
    assert_close(&m["exportGapRatio"], 0.1);
    assert_close(&m["importGapUsd"], -5.0);
    assert_close(&m["importGapRatio"], -5.0 / 80.0);
    let m = year(&c["mirror"], 2020);
    assert_eq!(m["partnerImportsUsd"], Value::Null);
    assert_eq!(m["exportGapUsd"], Value::Null);
}

async fn computed_dependencies(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    // A stated dependency of FRA on DEU for gas, mapped to HS 2711, and one for fertilisers
    // (HS 31) — written through the bundled loader's path, which links HS codes.
    app.add_dependency("FRA", "DEU", "ENERGY", "Natural gas", 2023, 0.5, &["2711"])
        .await;
    app.add_dependency("FRA", "DEU", "AGRICULTURAL_INPUTS", "Fertilisers", 2023, 0.2, &["31"])
        .await;
    app.add_dependency("FRA", "DEU", "FOOD", "Wheat", 2023, 0.1, &["1001"])
        .await;
    let data = app
        .data(r#"{ country(code: "FRA") { dependencyComparison { stated { product source { key } } statedShare hsCodes codesWithData
                     supplierImportsUsd worldImportsUsd computedShare difference computedSources { key } } } }"#)
        .await;
    let rows = data["country"]["dependencyComparison"].as_array().unwrap();
    let find = |p: &str| rows.iter().find(|r| r["stated"]["product"] == p).unwrap();
    // Gas: 45 from DEU of 75 in all (no W00 row).
    let gas = find("Natural gas");
    assert_eq!(gas["hsCodes"], serde_json::json!(["2711"]));
    assert_close(&gas["computedShare"], 45.0 / 75.0);
    assert_close(&gas["difference"], 45.0 / 75.0 - 0.5);
    assert_eq!(gas["computedSources"].as_array().unwrap().len(), 1);
    // Fertilisers: DEU's row is 0 — a stored zero, so the share is 0, not null.
    let fert = find("Fertilisers");
    assert_close(&fert["computedShare"], 0.0);
    // Wheat: no flows of 1001: null, not 0.
    let wheat = find("Wheat");
    assert_eq!(wheat["codesWithData"], 0);
    assert_eq!(wheat["computedShare"], Value::Null);
}

async fn figures_for_many_countries_batch(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.take_statement_count();
    let data = app
        .data(r#"{ countries(first: 1000) { nodes { iso3 concentration(year: 2019, flow: EXPORT) topPartners(year: 2019, flow: EXPORT, limit: 1) { partner { iso3 } } } } }"#)
        .await;
    let statements = app.take_statement_count();
    let nodes = data["countries"]["nodes"].as_array().unwrap();
    let fra = nodes.iter().find(|n| n["iso3"] == "FRA").unwrap();
    assert_close(&fra["concentration"], 25.0 / 81.0);
    let deu = nodes.iter().find(|n| n["iso3"] == "DEU").unwrap();
    assert_close(&deu["concentration"], 1.0);
    assert_eq!(deu["topPartners"][0]["partner"]["iso3"], "FRA");
    assert_eq!(nodes.iter().filter(|n| !n["concentration"].is_null()).count(), 2);
    // 249 countries, two figures: one statement per figure for the whole level (the page of
    // countries comes from the reference cache).
    assert_eq!(statements, 2, "one statement per figure for 249 countries");
}

on_both_backends!(
    trade_with,
    top_partners_and_concentration,
    by_commodity_cagr_and_mirror,
    computed_dependencies,
    figures_for_many_countries_batch
);
