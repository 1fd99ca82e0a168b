//! `tradeFlows`: filters, stable cursors, errors, and the statement count (no N+1).

use entity::enums::{FlowKind, Qualifier};
use entity::trade_flow;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// Adds `n` export flows ARM → each country in turn, commodity `TOTAL`, from 1990 on.
async fn add_flows(app: &TestApp, n: usize, first_year: i32) {
    let data = app.data(r#"{ countries(first: 1000) { nodes { iso3 } } }"#).await;
    let codes: Vec<&str> = data["countries"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["iso3"].as_str().unwrap())
        .collect();
    let rows: Vec<(&str, i32, f64)> = (0..n)
        .map(|i| {
            (
                codes[i % codes.len()],
                first_year + (i / codes.len()) as i32,
                1000.0 + i as f64,
            )
        })
        .collect();
    add_exports(app, &rows).await;
}

/// Adds export flows from ARM, commodity `TOTAL`: (partner, year, value), in this order.
pub(crate) async fn add_exports(app: &TestApp, rows: &[(&str, i32, f64)]) {
    let ids = tradegraph::reference::RefData::load(&app.db).await.unwrap();
    let reporter = ids.country("ARM").unwrap().id;
    let total = ids.commodities.by_code("TOTAL").unwrap().id;
    let source = ids.sources.by_code("rb-russia-armenia-2024").unwrap().id;
    let rows: Vec<trade_flow::ActiveModel> = rows
        .iter()
        .map(|&(partner, year, value)| trade_flow::ActiveModel {
            id: NotSet,
            reporter_id: Set(reporter),
            partner_id: Set(ids.country(partner).unwrap().id),
            year: Set(year),
            commodity_id: Set(total),
            flow: Set(FlowKind::Export),
            value_usd: Set(value),
            quantity: Set(None),
            quantity_unit: Set(None),
            qualifier: Set(Qualifier::Exact),
            source_id: Set(Some(source)),
            note: Set(None),
        })
        .collect();
    for chunk in rows.chunks(200) {
        trade_flow::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.db)
            .await
            .unwrap();
    }
}

async fn statements_do_not_grow_with_rows(app: TestApp) {
    add_flows(&app, 600, 1990).await;
    // Reporter, partner and source come from the in-memory reference cache: a page of 5 and a
    // page of 500 cost the same two statements (the page and its count).
    let query = |first: usize| {
        format!(
            r#"{{ tradeFlows(reporter: "ARM", first: {first}) {{ totalCount nodes {{ year valueUsd
                 reporter {{ iso3 name region }} partner {{ iso3 name }} source {{ title publisher }} }} }} }}"#
        )
    };
    app.take_statement_count();
    let small = app.data(&query(5)).await;
    let small_count = app.take_statement_count();
    let large = app.data(&query(500)).await;
    let large_count = app.take_statement_count();
    assert_eq!(small["tradeFlows"]["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(large["tradeFlows"]["nodes"].as_array().unwrap().len(), 500);
    assert!(large["tradeFlows"]["nodes"][499]["partner"]["name"].is_string());
    assert!(large["tradeFlows"]["nodes"][499]["source"]["title"].is_string());
    assert_eq!(small_count, 2, "statements for 5 rows");
    assert_eq!(
        large_count, small_count,
        "statements for 500 rows must equal those for 5"
    );

    // A relation served by a loader: the memberships of 500 partners (249 distinct) are
    // fetched by one statement for the whole level, not one per row.
    let nested = |first: usize| {
        format!(
            r#"{{ tradeFlows(reporter: "ARM", first: {first}) {{ nodes {{ partner {{ iso3 memberships {{ organization {{ code }} status }} }} }} }} }}"#
        )
    };
    app.data(&nested(5)).await;
    assert_eq!(app.take_statement_count(), 2, "page + one membership batch");
    let answer = app.data(&nested(500)).await;
    let with_loader = app.take_statement_count();
    assert_eq!(with_loader, 2, "page + one membership batch for 500 rows");
    let arm_rows: Vec<&Value> = answer["tradeFlows"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["partner"]["iso3"] == "RUS")
        .collect();
    assert!(arm_rows.iter().all(|n| {
        n["partner"]["memberships"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["organization"]["code"] == "EAEU")
    }));
}

async fn cursors_are_stable(app: TestApp) {
    add_flows(&app, 30, 2000).await;
    let page = |after: Value| {
        let app = &app;
        async move {
            app.gql_vars(
                r#"query($after: String) { tradeFlows(reporter: "ARM", year: 2000, first: 7, after: $after) {
                     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { partner { iso3 } valueUsd } } } }"#,
                json!({ "after": after }),
            )
            .await["data"]["tradeFlows"]
                .clone()
        }
    };
    let first = page(Value::Null).await;
    assert_eq!(first["totalCount"], 30);
    assert_eq!(first["edges"].as_array().unwrap().len(), 7);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let cursor = first["pageInfo"]["endCursor"].clone();
    assert_eq!(cursor, first["edges"][6]["cursor"]);
    let second = page(cursor.clone()).await;
    // New data arriving between two pages does not shift the next page.
    add_flows(&app, 1, 1980).await;
    let second_again = page(cursor).await;
    assert_eq!(second["edges"], second_again["edges"]);

    let mut values = Vec::new();
    let mut after = Value::Null;
    loop {
        let p = page(after).await;
        values.extend(
            p["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["valueUsd"].as_f64().unwrap()),
        );
        if p["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = p["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(values, (0..30).map(|i| 1000.0 + f64::from(i)).collect::<Vec<_>>());
}

async fn filters_and_errors(app: TestApp) {
    let by_flow = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "RUS", flow: IMPORT) { totalCount nodes { year } } }"#)
        .await;
    assert_eq!(by_flow["tradeFlows"]["totalCount"], 1); // 2023: the document gives no other year
    let by_year = app
        .data(r#"{ tradeFlows(reporter: "ARM", year: 2023) { totalCount } }"#)
        .await;
    assert_eq!(by_year["tradeFlows"]["totalCount"], 5); // RUS X/M, W00 X/M (WDI) and W00 XVI X
    let by_partner = app
        .data(r#"{ tradeFlows(partner: "w00", commodity: "TOTAL") { totalCount } }"#)
        .await;
    assert_eq!(by_partner["tradeFlows"]["totalCount"], 6);
    let none = app
        .data(r#"{ tradeFlows(reporter: "USA") { totalCount pageInfo { hasNextPage endCursor } nodes { year } } }"#)
        .await;
    assert_eq!(
        none["tradeFlows"],
        json!({ "totalCount": 0, "pageInfo": { "hasNextPage": false, "endCursor": null }, "nodes": [] })
    );

    assert_eq!(
        app.error_code(r#"{ tradeFlows(reporter: "XXX") { totalCount } }"#)
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(r#"{ tradeFlows(commodity: "9999999") { totalCount } }"#)
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(r#"{ tradeFlows(first: 1001) { totalCount } }"#).await,
        "TOO_COMPLEX"
    );
    assert_eq!(
        app.error_code(r#"{ tradeFlows(first: -1) { totalCount } }"#).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(r#"{ tradeFlows(after: "Zm9v") { totalCount } }"#).await,
        "BAD_USER_INPUT"
    );
    // A string that looks like SQL is only a code that does not exist.
    assert_eq!(
        app.error_code(r#"{ tradeFlows(reporter: "ARM'; DROP TABLE trade_flow; --") { totalCount } }"#)
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.data(r#"{ tradeFlows { totalCount } }"#).await["tradeFlows"]["totalCount"],
        11
    );
}

on_both_backends!(statements_do_not_grow_with_rows, cursors_are_stable, filters_and_errors);
