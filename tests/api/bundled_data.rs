//! The bundled numbers are the numbers of the files they cite: World Bank WDI values exactly as
//! the release (download of 2026-07-01, `data/sources.csv` key `wb-wdi-2026-07-01`) states them,
//! every figure row with a source, nothing typed from memory left, and databases loaded by
//! earlier versions cleaned on upgrade.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;

const WDI: &str = "wb-wdi-2026-07-01";

/// One number of a query, read with `SELECT … AS v`.
async fn number(app: &TestApp, sql: &str) -> f64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<f64>("", "v")
        .or_else(|_| row.try_get::<i64>("", "v").map(|n| n as f64))
        .or_else(|_| row.try_get::<i32>("", "v").map(f64::from))
        .expect("v")
}

async fn population_and_gdp_are_the_release_values(app: TestApp) {
    // (country, code, year, value written as the WDI file writes it)
    let cases: [(&str, &str, i32, f64); 12] = [
        // Armenia after its 2022 census revision.
        ("ARM", "POPULATION", 2021, 2962300.0),
        ("ARM", "POPULATION", 2024, 3033500.0),
        ("ARM", "GDP_USD", 2023, 24185982215.6543),
        ("ARM", "GDP_USD", 2024, 25955275380.0321),
        ("UKR", "POPULATION", 2022, 41048766.0),
        ("GEO", "POPULATION", 2024, 3812518.0),
        ("IRN", "GDP_USD", 2021, 407350685583.335),
        ("RUS", "GDP_USD", 2023, 2046284838151.09),
        ("BLR", "GDP_USD", 2021, 69673747131.87),
        ("USA", "POPULATION", 2000, 282162411.0),
        ("USA", "GDP_USD", 2025, 30769700000000.0),
        ("CHN", "GDP_USD", 2000, 1223754919971.05),
    ];
    for (country, code, year, value) in cases {
        let data = app
            .data(&format!(
                r#"{{ country(code: "{country}") {{ indicatorValue(code: "{code}", year: {year}) {{
                       value qualifier source {{ key publisher year url }} }} }} }}"#
            ))
            .await;
        let v = &data["country"]["indicatorValue"];
        assert_eq!(v["value"].as_f64(), Some(value), "{country} {code} {year}");
        assert_eq!(v["qualifier"], "EXACT");
        assert_eq!(v["source"]["key"], WDI);
        assert_eq!(v["source"]["publisher"], "World Bank");
        assert_eq!(v["source"]["year"], 2026);
    }

    // Every country of data/countries.csv that WDI covers (215; Taiwan and 33 territories
    // have no WDI series), from 2000; WDI aggregates (WLD, EUU, income groups) are not
    // countries and are left out.
    let rows = |code: &str| {
        format!(
            "SELECT COUNT(*) AS v FROM indicator i JOIN source s ON s.id = i.source_id WHERE s.key = '{WDI}' AND i.code = '{code}'"
        )
    };
    assert_eq!(number(&app, &rows("POPULATION")).await, 5_590.0);
    assert_eq!(number(&app, &rows("GDP_USD")).await, 5_385.0);
    assert_eq!(
        number(
            &app,
            "SELECT COUNT(DISTINCT country_id) AS v FROM indicator WHERE code IN ('POPULATION', 'GDP_USD')"
        )
        .await,
        215.0
    );
    assert_eq!(
        number(&app, "SELECT MIN(year) AS v FROM indicator WHERE code = 'POPULATION'").await,
        2000.0
    );
    assert_eq!(
        number(
            &app,
            "SELECT COUNT(*) AS v FROM indicator i JOIN country c ON c.id = i.country_id WHERE c.is_aggregate"
        )
        .await,
        0.0
    );
    let twn = app
        .data(r#"{ country(code: "TWN") { indicator(code: "POPULATION", year: 2020) } }"#)
        .await;
    assert_eq!(twn["country"]["indicator"], Value::Null, "no value is made up");
}

async fn exchange_rates_are_the_release_values(app: TestApp) {
    // WDI PA.NUS.FCRF: local currency per US$, yearly average; stored as US$ per unit.
    for (currency, year, per_usd) in [
        ("EUR", 2024, 0.923889546117607),
        ("EUR", 2000, 1.08270508132602),
        ("AMD", 2023, 392.476302158971),
        ("RUB", 2024, 92.5524),
    ] {
        let v = number(
            &app,
            &format!(
                "SELECT x.usd_per_unit AS v FROM exchange_rate x JOIN source s ON s.id = x.source_id \
                 WHERE x.currency = '{currency}' AND x.year = {year} AND s.key = '{WDI}' AND x.qualifier = 'EXACT'"
            ),
        )
        .await;
        assert_eq!(v, 1.0 / per_usd, "{currency} {year}");
    }
    // 2000–2025 for EUR and AMD, 2000–2024 for RUB (WDI has no 2025 rate yet); USD needs no row.
    assert_eq!(number(&app, "SELECT COUNT(*) AS v FROM exchange_rate").await, 77.0);
    assert_eq!(
        number(&app, "SELECT COUNT(*) AS v FROM exchange_rate WHERE currency = 'USD'").await,
        0.0
    );
}

async fn every_figure_cites_a_source_and_none_is_from_memory(app: TestApp) {
    for table in [
        "trade_flow",
        "trade_total",
        "indicator",
        "exchange_rate",
        "partner_share",
        "import_dependency",
        "aid_pledge",
    ] {
        let sql = format!("SELECT COUNT(*) AS v FROM {table} WHERE source_id IS NULL");
        assert_eq!(number(&app, &sql).await, 0.0, "{table} rows without a source");
        let sql = format!(
            "SELECT COUNT(*) AS v FROM {table} WHERE LOWER(note) LIKE '%memory%' OR LOWER(note) LIKE '%best knowledge%'"
        );
        assert_eq!(number(&app, &sql).await, 0.0, "{table} notes");
    }
    assert_eq!(
        number(
            &app,
            "SELECT COUNT(*) AS v FROM source WHERE LOWER(note) LIKE '%memory%' OR LOWER(title) LIKE '%memory%'"
        )
        .await,
        0.0
    );
    // Notes cite their source briefly; none quotes an article at length.
    for (name, text) in tradegraph::service::bundled::FILES {
        if matches!(*name, "memberships.csv" | "sources.csv") {
            continue;
        }
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let Some(col) = reader.headers().unwrap().iter().position(|h| h == "note") else {
            continue;
        };
        for record in reader.records() {
            let note = record.unwrap()[col].to_owned();
            assert!(note.chars().count() <= 160, "{name}: {note}");
        }
    }
}

/// A database loaded by an earlier version holds values typed from memory and the invented
/// 2022 split; upgrading removes them and keeps the sourced rows.
async fn upgrading_removes_the_unsourced_rows(app: TestApp) {
    use migration::{Migrator, MigratorTrait};
    let wdi_rows = number(&app, "SELECT COUNT(*) AS v FROM indicator").await;
    // Back to the schema before `trade_total` (000040), whatever migrations follow it.
    let since_trade_total = Migrator::migrations()
        .iter()
        .filter(|m| m.name() >= "m20261128_000040")
        .count() as u32;
    Migrator::down(&app.db, Some(since_trade_total))
        .await
        .expect("down to the earlier schema");
    for sql in [
        "INSERT INTO source (key, publisher, title) VALUES ('wb-wdi', 'World Bank', 'WDI, from memory')",
        "INSERT INTO source (key, publisher, title) VALUES ('convention-usd', 'tradegraph', 'USD at 1')",
        "INSERT INTO indicator (country_id, year, code, value, qualifier, source_id) \
           SELECT c.id, 1999, 'POPULATION', 2790974, 'ESTIMATE', s.id FROM country c, source s \
           WHERE c.iso3 = 'ARM' AND s.key = 'wb-wdi'",
        "INSERT INTO exchange_rate (currency, year, usd_per_unit, qualifier, source_id) \
           SELECT 'USD', 2021, 1.0, 'EXACT', id FROM source WHERE key = 'convention-usd'",
        "INSERT INTO trade_flow (reporter_id, partner_id, year, commodity_id, flow, value_usd, qualifier, source_id) \
           SELECT r.id, p.id, 2022, k.id, 'X', 2400000000, 'ESTIMATE', s.id \
           FROM country r, country p, commodity k, source s \
           WHERE r.iso3 = 'ARM' AND p.iso3 = 'RUS' AND k.code = 'TOTAL' AND s.key = 'rb-russia-armenia-2024'",
    ] {
        app.db.execute_unprepared(sql).await.expect(sql);
    }
    Migrator::up(&app.db, None).await.expect("upgrade");
    assert_eq!(
        number(
            &app,
            "SELECT COUNT(*) AS v FROM source WHERE key IN ('wb-wdi', 'convention-usd')"
        )
        .await,
        0.0
    );
    assert_eq!(number(&app, "SELECT COUNT(*) AS v FROM indicator").await, wdi_rows);
    assert_eq!(
        number(&app, "SELECT COUNT(*) AS v FROM exchange_rate WHERE currency = 'USD'").await,
        0.0
    );
    assert_eq!(
        number(
            &app,
            "SELECT COUNT(*) AS v FROM trade_flow WHERE year = 2022 AND qualifier = 'ESTIMATE'"
        )
        .await,
        0.0
    );
    // The sourced rows are untouched, and the table the upgrade re-creates is there.
    assert_eq!(number(&app, "SELECT COUNT(*) AS v FROM trade_flow").await, 11.0);
    assert_eq!(number(&app, "SELECT COUNT(*) AS v FROM trade_total").await, 0.0);
}

on_both_backends!(
    population_and_gdp_are_the_release_values,
    exchange_rates_are_the_release_values,
    every_figure_cites_a_source_and_none_is_from_memory,
    upgrading_removes_the_unsourced_rows,
);
