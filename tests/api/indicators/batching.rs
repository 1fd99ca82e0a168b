//! One statement per indicator for a page of countries; the world totals' cache never
//! serves stale totals; the printed SQL gives the API's answers.

use serde_json::{Value, json};

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::{assert_ranked, country, load};
use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

/// Every indicator asked on every country of a page: one statement per indicator, and the
/// same answers as asked one country at a time.
async fn all_countries_in_one_query(app: TestApp) {
    load(&app).await;
    let fields = r#"iso3
        rca(year: 1995, limit: 5) { commodity { code } value }
        tradeIntensity(partner: "FRA", year: 1995)
        tradeComplementarity(partner: "DEU", year: 1995)
        intraIndustryTrade(year: 1995)
        intraIndustryTradeByCode(year: 1995, limit: 5) { value }
        exportDiversification(year: 1995) { hhi products }
        marketPenetration(year: 1995, limit: 5) { value }
        openness(year: 1995)
        exportsPerCapita(year: 1995)
        unitValues(commodity: "01", flow: EXPORT) { unitValue }
        relativeTradeBalance(year: 1995, limit: 5) { value }"#;
    // Warm the world totals, then count.
    app.data(&format!("{{ countries(first: 250) {{ nodes {{ {fields} }} }} }}"))
        .await;
    app.take_statement_count();
    let all = app
        .data(&format!("{{ countries(first: 250) {{ nodes {{ {fields} }} }} }}"))
        .await;
    let statements = app.take_statement_count();
    // One per indicator (openness and exportsPerCapita are two loaders keys of one figure).
    assert_eq!(statements, 11, "one statement per indicator for 250 countries");
    let nodes = all["countries"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 249);
    for code in ["FRA", "DEU", "TWN", "ESP", "NOR", "USA"] {
        let from_page = nodes.iter().find(|n| n["iso3"] == code).unwrap().clone();
        let alone = country(&app, code, fields).await;
        assert_eq!(from_page, alone, "{code}");
    }
}

/// The world totals are cached; a write of flows, through the API, changes the answers at once.
async fn writes_invalidate_the_world_totals(app: TestApp) {
    load(&app).await;
    let q = r#"{ country(code: "FRA") { rca(year: 1995) { commodity { code } value worldTotalExportsUsd } } }"#;
    let before = app.data(q).await;
    assert_close(&before["country"]["rca"][0]["worldTotalExportsUsd"], 2700.0);
    // USA starts reporting: 300 of TOTAL exports and 300 of chapter 03.
    let key = app.key("flow-writer", "write").await;
    let flows: Vec<Value> = [("TOTAL", 300.0), ("03", 300.0)]
        .into_iter()
        .map(|(c, v)| {
            json!({ "reporter": "USA", "partner": "W00", "year": 1995, "commodity": c, "flow": "EXPORT",
                    "valueUsd": v, "sourceId": "indicators-fixture" })
        })
        .collect();
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted } }",
            json!({ "f": flows }),
        )
        .await;
    assert_eq!(answer["data"]["upsertTradeFlows"]["inserted"], 2, "{answer}");
    let after = app.data(q).await;
    let rca = &after["country"]["rca"];
    assert_close(&rca[0]["worldTotalExportsUsd"], 3000.0);
    // 01 is now first: (500/1000)/(800/3000) = 1.875; 03: (50/1000)/(350/3000).
    assert_ranked(
        rca,
        &[
            ("01", Some(0.5 / (800.0 / 3000.0))),
            ("02", Some(0.3 / (1600.0 / 3000.0))),
            ("03", Some(0.05 / (350.0 / 3000.0))),
        ],
    );
}

/// A write that does not go through this server (another process, `psql`) moves the data
/// version too: the next answer uses fresh world totals. On PostgreSQL the version's log is
/// folded every 1000 writing statements without moving the version.
async fn writes_outside_the_api_invalidate_the_world_totals(app: TestApp) {
    load(&app).await;
    let q =
        r#"{ country(code: "FRA") { rca(year: 1995, limit: 1) { commodity { code } value worldTotalExportsUsd } } }"#;
    assert_close(&app.data(q).await["country"]["rca"][0]["value"], 2.7);
    let version = || async {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS v, COUNT(*) AS rows FROM trade_flow_change",
            ))
            .await
            .expect("version")
            .expect("a row");
        (
            row.try_get::<i64>("", "v").unwrap(),
            row.try_get::<i64>("", "rows").unwrap(),
        )
    };
    let postgres = app.db.get_database_backend() == DbBackend::Postgres;
    if postgres {
        // The next writing statements take ids 1999, 2000, 2001: the one of 2000 folds.
        app.db
            .execute_unprepared("SELECT setval('trade_flow_change_id_seq', 1998)")
            .await
            .unwrap();
    }
    let (before, _) = version().await;
    // FRA's TOTAL exports 1000 → 1300: X_W = 3000, RCA of 03 = (50/1300) / (50/3000).
    let set_total = |value: i64| {
        format!(
            "UPDATE trade_flow SET value_usd = {value} WHERE year = 1995 AND flow = 'X' \
             AND reporter_id = (SELECT id FROM country WHERE iso3 = 'FRA') \
             AND partner_id = (SELECT id FROM country WHERE iso3 = 'W00') \
             AND commodity_id = (SELECT id FROM commodity WHERE code = 'TOTAL')"
        )
    };
    for value in [1100, 1200, 1300] {
        app.db.execute_unprepared(&set_total(value)).await.unwrap();
    }
    let (after, rows) = version().await;
    assert_eq!(
        after,
        before + 3,
        "one step per writing statement (SQLite: per row, one row each)"
    );
    if postgres {
        assert!(rows <= 3, "the log was folded: {rows} rows");
    }
    let rca = &app.data(q).await["country"]["rca"][0];
    assert_close(&rca["worldTotalExportsUsd"], 3000.0);
    assert_close(&rca["value"], (50.0 / 1300.0) / (50.0 / 3000.0));
    // A delete: FRA's exports of 03 go, and 03 with them; X_W is still 3000.
    app.db
        .execute_unprepared("DELETE FROM trade_flow WHERE reporter_id = (SELECT id FROM country WHERE iso3 = 'FRA') AND year = 1995 AND flow = 'X' AND commodity_id = (SELECT id FROM commodity WHERE code = '03')")
        .await
        .unwrap();
    let rca = app.data(q).await;
    assert_eq!(rca["country"]["rca"][0]["commodity"]["code"], "01", "03 is gone: {rca}");
    assert_close(&rca["country"]["rca"][0]["value"], (500.0 / 1300.0) / (800.0 / 3000.0));
}

/// The statement `tradegraph sql <indicator>` prints, values inlined, answers what the API
/// answers: for every indicator, with the world totals bound in and computed inline.
async fn printed_sql_gives_the_api_answers(app: TestApp) {
    use clap::Parser;
    use tradegraph::config::{Command, SqlCommand};
    load(&app).await;
    let refs = tradegraph::reference::RefData::load(&app.db).await.unwrap();
    let code = |id: i32| refs.commodities.by_id(id).map(|c| c.code.clone());
    // (commodity code, value) of each row the printed statement returns.
    let run = |args: &'static str, column: &'static str| {
        let refs = &refs;
        let app = &app;
        async move {
            let cli = tradegraph::Cli::try_parse_from(format!("tradegraph sql {args}").split_whitespace()).unwrap();
            let Some(Command::Sql(SqlCommand::Indicator(command))) = cli.command else {
                panic!("{args}: not an indicator")
            };
            let printed = tradegraph::sql_indicators::statement(&app.db, refs, command)
                .await
                .unwrap()
                .to_string();
            let rows = app
                .db
                .query_all_raw(Statement::from_string(app.db.get_database_backend(), printed))
                .await
                .unwrap_or_else(|e| panic!("{args}: {e}"));
            rows.iter()
                .map(|r| {
                    let id = r.try_get::<Option<i32>>("", "commodity_id").ok().flatten();
                    (id.and_then(code), r.try_get::<Option<f64>>("", column).unwrap())
                })
                .collect::<Vec<_>>()
        }
    };
    let close = |got: &[(Option<String>, Option<f64>)], want: &[(Option<&str>, Option<f64>)]| {
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((gc, gv), (wc, wv)) in got.iter().zip(want) {
            assert_eq!(gc.as_deref(), *wc);
            match (gv, wv) {
                (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-9 * w.abs(), "{g} vs {w}"),
                _ => assert_eq!(gv, wv),
            }
        }
    };
    let rca = [
        (Some("03"), Some(2.7)),
        (Some("01"), Some(1.6875)),
        (Some("02"), Some(0.50625)),
    ];
    close(&run("rca --reporter FRA --year 1995", "value").await, &rca);
    close(&run("rca --reporter FRA --year 1995 --inline", "value").await, &rca);
    let all = run("rca --reporter all --year 1995 --limit 1", "value").await;
    assert_eq!(all.len(), 5, "one row for each of the five reporters: {all:?}");
    let ti = [(None, Some(0.4 / (700.0 / 2700.0)))];
    close(
        &run("trade-intensity --reporter FRA --partner DEU --year 1995", "value").await,
        &ti,
    );
    close(
        &run(
            "trade-intensity --reporter FRA --partner DEU --year 1995 --inline",
            "value",
        )
        .await,
        &ti,
    );
    let tc = run(
        "trade-complementarity --reporter FRA --partner DEU --year 1995",
        "value",
    )
    .await;
    close(&tc, &[(None, Some(100.0 * 35.0 / 51.0))]);
    let gl = run("intra-industry-trade --reporter FRA --year 1995", "value").await;
    close(&gl, &[(None, Some(800.0 / 1350.0))]);
    let by_code = run("intra-industry-trade --reporter FRA --year 1995 --limit 1", "value").await;
    close(&by_code, &[(Some("02"), Some(6.0 / 7.0))]);
    let hhi = run("export-diversification --reporter TWN --year 1995", "hhi").await;
    close(&hhi, &[(None, Some(1.0))]);
    let pen = [(Some("01"), Some(0.5)), (Some("02"), Some(0.5)), (Some("03"), None)];
    close(
        &run("market-penetration --reporter FRA --year 1995", "value").await,
        &pen,
    );
    close(
        &run("market-penetration --reporter FRA --year 1995 --inline", "value").await,
        &pen,
    );
    close(
        &run("openness --reporter FRA --year 1995", "value").await,
        &[(None, Some(0.32))],
    );
    close(
        &run("exports-per-capita --reporter FRA --year 1995", "value").await,
        &[(None, Some(100.0))],
    );
    let uv = run("unit-values --reporter FRA --commodity 01 --flow X", "unit_value").await;
    close(&uv, &[(None, Some(2.5)), (None, Some(2.0))]);
    let rtb = run("relative-trade-balance --reporter FRA --year 1995 --limit 1", "value").await;
    close(&rtb, &[(Some("03"), Some(1.0))]);
    let world = run("world-totals --year 1995 --flow X", "value").await;
    let total = world.iter().find(|(c, _)| c.is_none()).expect("the world's total");
    assert_eq!(total.1, Some(2700.0));
    assert!(world.contains(&(Some("02".into()), Some(1600.0))), "{world:?}");
}

on_both_backends!(
    all_countries_in_one_query,
    writes_invalidate_the_world_totals,
    writes_outside_the_api_invalidate_the_world_totals,
    printed_sql_gives_the_api_answers,
);
