//! Real UN Comtrade files, one of each format, taken unchanged from public repositories
//! (origins and licences in `tests/fixtures/comtrade/README.md`): each loads and answers
//! exactly the figures its rows state, on both databases. And Comtrade's special areas are
//! stored as aggregates: never ranked as partners, never summed into a world total.

use serde_json::{Value, json};
use tradegraph::service::comtrade::{self, ImportReport};

use crate::helpers::TestApp;
use crate::on_both_backends;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/comtrade/");

async fn load(app: &TestApp, file: &str) -> ImportReport {
    let reader = std::fs::File::open(format!("{DIR}{file}")).expect("fixture");
    let report = comtrade::import(&app.db, reader, file, None)
        .await
        .unwrap_or_else(|e| panic!("{file} loads: {e}"));
    // As the server does after an HTTP import (the file adds areas and HS codes).
    app.refs.refresh(&app.db).await.expect("refresh");
    report
}

/// The one flow of a reporter, partner, year, flow and commodity.
async fn flow(app: &TestApp, reporter: &str, partner: &str, year: i32, flow: &str, commodity: &str) -> Value {
    let data = app
        .data(&format!(
            r#"{{ tradeFlows(reporter: "{reporter}", partner: "{partner}", year: {year}, flow: {flow}, commodity: "{commodity}")
                 {{ nodes {{ valueUsd quantity quantityUnit qualifier }} }} }}"#
        ))
        .await;
    let nodes = data["tradeFlows"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.len(), 1, "{reporter} {partner} {year} {flow} {commodity}: {data}");
    nodes[0].clone()
}

fn stored(value: f64, quantity: Option<f64>, unit: Option<&str>, qualifier: &str) -> Value {
    json!({ "valueUsd": value, "quantity": quantity, "quantityUnit": unit, "qualifier": qualifier })
}

async fn todays_format_api_extract(app: TestApp) {
    let report = load(&app, "today_api_imports_from_china_2014.csv").await;
    assert_eq!(
        report,
        ImportReport {
            rows: 40,
            inserted: 40,
            // 0101, 010121, 0106, 010613, 010619, 010620, 010690 (the bundled data has chapters).
            commodities_added: 7,
            ..ImportReport::default()
        }
    );
    // Reported, no quantity (`N/A`, empty): EXACT, quantity none.
    assert_eq!(
        flow(&app, "AGO", "CHN", 2014, "IMPORT", "01").await,
        stored(17116.0, None, None, "EXACT")
    );
    // `isReported` False: ESTIMATE; `N/A` with qty 0.0 is no quantity, not 0.
    assert_eq!(
        flow(&app, "ARG", "CHN", 2014, "IMPORT", "01").await,
        stored(1589.39, None, None, "ESTIMATE")
    );
    assert_eq!(
        flow(&app, "BEL", "CHN", 2014, "IMPORT", "0106").await,
        stored(195_906.867, None, None, "ESTIMATE")
    );
    // A quantity in units; the net weight's estimation does not touch what is stored.
    assert_eq!(
        flow(&app, "BMU", "CHN", 2014, "IMPORT", "0101").await,
        stored(1.0, Some(1.0), Some("u"), "EXACT")
    );
    assert_eq!(
        flow(&app, "BHR", "CHN", 2014, "IMPORT", "0106").await,
        stored(3049.0, Some(4.0), Some("u"), "EXACT")
    );
    // A new subheading under its new heading, named as the file names it.
    let c = app
        .data(r#"{ commodity(code: "010121") { code name kind parent { code } } }"#)
        .await;
    assert_eq!(
        c["commodity"],
        json!({ "code": "010121", "name": "Horses; live, pure-bred breeding animals", "kind": "SUBHEADING",
                "parent": { "code": "0101" } })
    );
}

async fn legacy_long_export(app: TestApp) {
    let report = load(&app, "legacy_long_bicycles_2017.csv").await;
    assert_eq!(
        report,
        ImportReport {
            rows: 42,
            inserted: 42,
            // 871200, under chapter 87 (heading 8712 is not in the file).
            commodities_added: 1,
            ..ImportReport::default()
        }
    );
    // World written `WLD`; "No Quantity" with Qty 0 is no quantity; Flag 2 (quantity
    // estimated) then concerns nothing stored.
    assert_eq!(
        flow(&app, "DZA", "W00", 2017, "IMPORT", "871200").await,
        stored(9_113_970.0, None, None, "EXACT")
    );
    // Flag 4: net weight estimated (not stored): EXACT. Flag 6: quantity estimated: ESTIMATE.
    assert_eq!(
        flow(&app, "AUS", "W00", 2017, "IMPORT", "871200").await,
        stored(202_847_879.0, Some(1_413_109.0), Some("Number of items"), "EXACT")
    );
    assert_eq!(
        flow(&app, "MMR", "W00", 2017, "IMPORT", "871200").await,
        stored(16_688_952.0, Some(843_356.0), Some("Number of items"), "ESTIMATE")
    );
    assert_eq!(
        flow(&app, "AUS", "W00", 2017, "RE_IMPORT", "871200").await,
        stored(54198.0, Some(539.0), Some("Number of items"), "EXACT")
    );
    assert_eq!(
        flow(&app, "BHR", "W00", 2017, "RE_EXPORT", "871200").await,
        stored(360_780.0, Some(37712.0), Some("Number of items"), "EXACT")
    );
    // "Other Asia, nes" (code 490, no ISO code): a pseudo-country of its own.
    let other_asia = app
        .data(r#"{ country(code: "XAK") { name numeric isAggregate } }"#)
        .await;
    assert_eq!(
        other_asia["country"],
        json!({ "name": "Other Asia, nes", "numeric": "490", "isAggregate": true })
    );
    assert_eq!(
        flow(&app, "XAK", "W00", 2017, "EXPORT", "871200").await,
        stored(1_350_234_703.0, Some(2_503_288.0), Some("Number of items"), "EXACT")
    );
}

async fn legacy_long_export_with_breakdowns(app: TestApp) {
    // Comtrade Plus in the legacy layout: flows written `M`/`X`/`FM` with code 0, World
    // `W00`, and for 2017 one total row among 21 rows breaking it down by second partner,
    // mode of transport and foreign imports (FM).
    let report = load(&app, "legacy_long_plus_cement_armenia_2016_2017.csv").await;
    assert_eq!(
        report,
        ImportReport {
            rows: 24,
            inserted: 3,
            commodities_added: 1,
            breakdown_skipped: 21,
            ..ImportReport::default()
        }
    );
    assert_eq!(
        flow(&app, "ARM", "W00", 2017, "IMPORT", "252310").await,
        stored(1_239_857.0, Some(27_110_990.0), Some("kg"), "EXACT"),
        "the total, not the last breakdown row"
    );
    assert_eq!(
        flow(&app, "ARM", "W00", 2016, "IMPORT", "252310").await,
        stored(355_126.0, Some(10_090_800.0), Some("kg"), "EXACT")
    );
    assert_eq!(
        flow(&app, "ARM", "W00", 2016, "EXPORT", "252310").await,
        stored(76.0, Some(5.0), Some("kg"), "EXACT")
    );
}

async fn legacy_short_export(app: TestApp) {
    let report = load(&app, "legacy_short_usa_china_2017.csv").await;
    assert_eq!(
        report,
        ImportReport {
            rows: 290,
            inserted: 290,
            commodities_added: 1,
            ..ImportReport::default()
        }
    );
    // Reporter 842 is the USA, partner 156 China; chapter `1` is `01`.
    assert_eq!(
        flow(&app, "USA", "CHN", 2017, "IMPORT", "01").await,
        stored(36_327_640.0, None, None, "EXACT")
    );
    assert_eq!(
        flow(&app, "USA", "CHN", 2017, "RE_EXPORT", "03").await,
        stored(4_952_891.0, None, None, "EXACT")
    );
    // Chapter 99, added under TOTAL with the file's name for it.
    assert_eq!(
        flow(&app, "USA", "CHN", 2017, "IMPORT", "99").await,
        stored(6_219_818_322.0, None, None, "EXACT")
    );
    let c = app
        .data(r#"{ commodity(code: "99") { name kind parent { code } } }"#)
        .await;
    assert_eq!(
        c["commodity"],
        json!({ "name": "Commodities not specified according to kind", "kind": "CHAPTER", "parent": { "code": "TOTAL" } })
    );
    // The largest export chapters to China, from the file's rows.
    let top = app
        .data(
            r#"{ country(code: "USA") { tradeByCommodity(partner: "CHN", year: 2017, flow: EXPORT, level: 2, limit: 3)
                 { rank commodity valueUsd } } }"#,
        )
        .await;
    assert_eq!(
        top["country"]["tradeByCommodity"],
        json!([
            { "rank": 1, "commodity": "88", "valueUsd": 16_265_664_020.0 },
            { "rank": 2, "commodity": "84", "valueUsd": 12_887_689_205.0 },
            { "rank": 3, "commodity": "12", "valueUsd": 12_868_864_649.0 },
        ])
    );
}

async fn special_areas_are_never_partners(app: TestApp) {
    // Georgia's 2021 exports by partner code only: China, Armenia, and three of Comtrade's
    // special areas (Other Asia nes, Bunkers, Areas nes); no World row.
    let text = "Classification,Year,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Partner Code,Partner,Commodity Code,Commodity,Trade Value (US$),Flag\n\
                H5,2021,2,Export,268,Georgia,156,China,TOTAL,All Commodities,600,0\n\
                H5,2021,2,Export,268,Georgia,51,Armenia,TOTAL,All Commodities,400,0\n\
                H5,2021,2,Export,268,Georgia,490,\"Other Asia, nes\",TOTAL,All Commodities,5000,0\n\
                H5,2021,2,Export,268,Georgia,837,Bunkers,TOTAL,All Commodities,7000,0\n\
                H5,2021,2,Export,268,Georgia,899,\"Areas, nes\",TOTAL,All Commodities,9000,0\n";
    let report = comtrade::import(&app.db, std::io::Cursor::new(text.as_bytes().to_vec()), "geo.csv", None)
        .await
        .expect("loads");
    assert_eq!(report.inserted, 5);
    let data = app
        .data(
            r#"{ country(code: "GEO") {
                   topPartners(year: 2021, flow: EXPORT) { rank partner { iso3 } valueUsd share }
                   concentration(year: 2021, flow: EXPORT)
                   tradeWith(partner: "CHN", fromYear: 2021, toYear: 2021) { exportsUsd exportShare } } }"#,
        )
        .await;
    // The world total is the sum over countries only: 1000.
    assert_eq!(
        data["country"],
        json!({
            "topPartners": [
                { "rank": 1, "partner": { "iso3": "CHN" }, "valueUsd": 600.0, "share": 0.6 },
                { "rank": 2, "partner": { "iso3": "ARM" }, "valueUsd": 400.0, "share": 0.4 },
            ],
            "concentration": 0.52,
            "tradeWith": [{ "exportsUsd": 600.0, "exportShare": 0.6 }],
        })
    );
}

on_both_backends!(
    todays_format_api_extract,
    legacy_long_export,
    legacy_long_export_with_breakdowns,
    legacy_short_export,
    special_areas_are_never_partners,
);
