//! Bulk export of aid and stated import dependencies (issue 10.1): exact rows on the bundled
//! data, the filters of `Country.aidReceived` and `Country.importDependencies`.

use axum::http::StatusCode;
use serde_json::Value;

use crate::export::{get, rows};
use crate::helpers::TestApp;
use crate::on_both_backends;

const RB: [&str; 3] = [
    "rb-russia-armenia-2024",
    "Russia Briefing (Dezan Shira & Associates)",
    "Russia – Armenia 2024 Bilateral Relations: Update",
];

/// `row` has exactly these fields (every column named, none left out).
fn assert_row(row: &std::collections::HashMap<String, String>, expected: &[(&str, &str)]) {
    let mut names: Vec<&str> = row.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut wanted: Vec<&str> = expected.iter().map(|(k, _)| *k).collect();
    wanted.sort_unstable();
    assert_eq!(names, wanted);
    for (k, v) in expected {
        assert_eq!(row[*k], *v, "{k}");
    }
}

async fn aid_pledges_exact_rows(app: TestApp) {
    let (status, media, text) = get(&app, "/export/aid-pledges.csv?recipient=ARM", None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(media, "text/csv; charset=utf-8");
    let all = rows(&text);
    assert_eq!(all.len(), 3);
    // EU's €270 million over 2024–2027 at 2024's rate (1.0823804687499998 US$ per euro), per
    // year and per Armenian (3,033,500 in 2024): the same arithmetic as the database's.
    let usd = 270_000_000.0 * 1.082_380_468_749_999_8;
    let (usd, annual, per_capita) = (
        usd.to_string(),
        (usd / 4.0).to_string(),
        (usd / 3_033_500.0).to_string(),
    );
    assert_row(
        &all[0],
        &[
            ("id", &all[0]["id"]),
            ("donor", "EU"),
            ("donor_name", "European Union"),
            ("recipient", "ARM"),
            ("recipient_name", "Armenia"),
            ("kind", "PLEDGE"),
            ("amount", "270000000"),
            ("currency", "EUR"),
            ("amount_usd", &usd),
            ("annual_amount_usd", &annual),
            ("per_capita_usd", &per_capita),
            ("amount_usd_qualifier", "EXACT"),
            ("reference_year", "2024"),
            ("announced_on", "2024-04-05"),
            ("period_start_year", "2024"),
            ("period_end_year", "2027"),
            (
                "purpose",
                "Additional financial assistance announced at the Brussels high-level meeting",
            ),
            ("fulfils_id", ""),
            ("qualifier", "EXACT"),
            ("source_key", RB[0]),
            ("source_publisher", RB[1]),
            ("source_title", RB[2]),
            (
                "note",
                "Conundrum section: 'an additional €270 million over four years' (2024-04-05, Brussels); period 2024–2027 read from 'over four years' (SEED.md #10)",
            ),
        ],
    );
    // US$87 million provided in 2023: no day, a one-year period, population of 2023.
    let us = &all[2];
    assert_eq!(
        [
            &us["donor"],
            &us["donor_name"],
            &us["kind"],
            &us["amount"],
            &us["currency"]
        ],
        ["USA", "United States", "DISBURSEMENT", "87000000", "USD"]
    );
    assert_eq!(
        [
            &us["amount_usd"],
            &us["annual_amount_usd"],
            &us["reference_year"],
            &us["announced_on"]
        ],
        ["87000000", "87000000", "2023", ""]
    );
    assert_eq!(us["per_capita_usd"], (87_000_000.0_f64 / 2_964_300.0).to_string());
    assert_eq!(all[1]["amount"], "65000000");
    assert_eq!(all[1]["period_start_year"], "");

    // As many rows as `aidReceived` lists, with the same figures, under each filter.
    for (params, args) in [
        ("recipient=ARM", ""),
        ("recipient=ARM&fromYear=2024", "fromYear: 2024"),
        ("recipient=ARM&toYear=2023", "toYear: 2023"),
        ("recipient=am&fromYear=2025&toYear=2026", "fromYear: 2025, toYear: 2026"),
    ] {
        let (_, _, text) = get(&app, &format!("/export/aid-pledges.csv?{params}"), None).await;
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({args})")
        };
        let graph = app
            .data(&format!(
                r#"{{ country(code: "ARM") {{ aidReceived{args} {{ amount amountUsd }} }} }}"#
            ))
            .await;
        let mut listed: Vec<(f64, Option<f64>)> = graph["country"]["aidReceived"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["amount"].as_f64().unwrap(), a["amountUsd"].as_f64()))
            .collect();
        let mut exported: Vec<(f64, Option<f64>)> = rows(&text)
            .iter()
            .map(|r| (r["amount"].parse().unwrap(), r["amount_usd"].parse().ok()))
            .collect();
        listed.sort_by(|a, b| a.0.total_cmp(&b.0));
        exported.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(exported, listed, "{params}");
    }
    let (_, _, two) = get(&app, "/export/aid-pledges.csv?recipient=ARM&toYear=2023", None).await;
    assert_eq!(rows(&two).len(), 1);
    // Every recipient: the bundled file's six rows; a list of recipients.
    let (_, _, every) = get(&app, "/export/aid-pledges.csv", None).await;
    assert_eq!(rows(&every).len(), 6);
    let (_, _, some) = get(&app, "/export/aid-pledges.csv?recipients=GEO,MDA", None).await;
    let amounts: Vec<String> = rows(&some).iter().map(|r| r["amount"].clone()).collect();
    assert_eq!(amounts, ["135000000", "265000000"]);
}

async fn import_dependencies_exact_rows(app: TestApp) {
    let (status, _, text) = get(&app, "/export/import-dependencies.csv?importer=ARM&sector=ENERGY", None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let all = rows(&text);
    assert_eq!(all.len(), 2);
    assert_row(
        &all[0],
        &[
            ("id", &all[0]["id"]),
            ("importer", "ARM"),
            ("importer_name", "Armenia"),
            ("supplier", "RUS"),
            ("supplier_name", "Russia"),
            ("sector", "ENERGY"),
            ("product", "Natural gas"),
            ("year", ""),
            ("share", "0.85"),
            ("basis", "OF_SUPPLY"),
            ("qualifier", "EXACT"),
            ("source_key", "iea-armenia-2022"),
            ("source_publisher", "International Energy Agency"),
            ("source_title", "Armenia 2022 Energy Policy Review"),
            (
                "note",
                "Closing section citing the IEA (2022 report): '85%' of Armenia's gas imported from Russia; no year given",
            ),
        ],
    );
    assert_eq!(
        [&all[1]["product"], &all[1]["share"], &all[1]["qualifier"]],
        ["Electricity (generated from imported Russian fuel)", "0.7", "AT_MOST"]
    );

    // The filters of `importDependencies`: as many rows, the same shares.
    for (params, args) in [
        ("importer=ARM", ""),
        ("importer=ARM&sector=food", "(sector: FOOD)"),
        ("importer=ARM&year=2021", "(year: 2021)"),
        (
            "importers=ARM&sector=AGRICULTURAL_INPUTS",
            "(sector: AGRICULTURAL_INPUTS)",
        ),
    ] {
        let (_, _, text) = get(&app, &format!("/export/import-dependencies.csv?{params}"), None).await;
        let graph = app
            .data(&format!(
                r#"{{ country(code: "ARM") {{ importDependencies{args} {{ share }} }} }}"#
            ))
            .await;
        let mut listed: Vec<f64> = graph["country"]["importDependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["share"].as_f64().unwrap())
            .collect();
        let mut exported: Vec<f64> = rows(&text).iter().map(|r| r["share"].parse().unwrap()).collect();
        listed.sort_by(f64::total_cmp);
        exported.sort_by(f64::total_cmp);
        assert_eq!(exported, listed, "{params}");
    }
    let (_, _, text) = get(&app, "/export/import-dependencies.csv?year=2021", None).await;
    let shares: Vec<String> = rows(&text).iter().map(|r| r["share"].clone()).collect();
    assert_eq!(shares, ["0.98", "0.35", "0.39"]);

    for uri in [
        "/export/import-dependencies.csv?sector=WATER",
        "/export/import-dependencies.csv?importer=XXX",
        "/export/aid-pledges.csv?recipient=ARM&recipients=GEO",
        "/export/aid-pledges.csv?donor=EU",
        "/export/memberships.csv?fromYear=2000",
    ] {
        let (status, _, text) = get(&app, uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{uri}");
    }
}

on_both_backends!(aid_pledges_exact_rows, import_dependencies_exact_rows);
