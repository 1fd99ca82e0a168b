//! Writes stay exact under concurrency (issue 9.3): identical upserts sent at once report,
//! in total, each new key inserted once, and the audit log says the same.

use entity::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, post_to};
use crate::on_both_backends;

/// Writers sending the same request at once.
const WRITERS: usize = 4;

/// Sends `body` from `WRITERS` tasks at once; returns the sums of `inserted` and `updated`.
async fn at_once(app: &TestApp, key: &str, field: &str, body: Value) -> (i64, i64) {
    let tasks: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (router, key, body) = (app.router.clone(), key.to_owned(), body.clone());
            tokio::spawn(async move { post_to(router, Some(&key), &body).await })
        })
        .collect();
    let (mut inserted, mut updated) = (0, 0);
    for task in tasks {
        let (status, answer) = task.await.unwrap();
        assert!(status.is_success() && answer.get("errors").is_none(), "{answer}");
        inserted += answer["data"][field]["inserted"].as_i64().unwrap();
        updated += answer["data"][field]["updated"].as_i64().unwrap();
    }
    (inserted, updated)
}

/// The audit log's sums of `inserted` and `updated` for `mutation`.
async fn audited(app: &TestApp, mutation: &str) -> (i64, i64) {
    audit_log::Entity::find()
        .filter(audit_log::Column::Mutation.eq(mutation))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .fold((0, 0), |(i, u), e| {
            (i + i64::from(e.inserted), u + i64::from(e.updated))
        })
}

async fn concurrent_identical_writes_count_exactly(app: TestApp) {
    let key = app.key("concurrent-writer", "write").await;
    // 20 new flows (no flow of the 1900s is bundled) and 5 new memberships (a table whose
    // key has a nullable part, written by id).
    let flows: Vec<Value> = (1901..=1920)
        .map(|year| {
            json!({ "reporter": "ARM", "partner": "GEO", "year": year, "commodity": "TOTAL",
                            "flow": "EXPORT", "valueUsd": 1000.0 + f64::from(year) })
        })
        .collect();
    let memberships: Vec<Value> = (1..=5)
        .map(|day| {
            json!({ "organization": "EAEU", "country": "GEO", "status": "OBSERVER",
                           "since": format!("1990-01-0{day}") })
        })
        .collect();
    let flows_before = app.count("trade_flow").await;
    let memberships_before = app.count("membership").await;

    let body = json!({
        "query": "mutation($flows: [TradeFlowInput!]!) { upsertTradeFlows(flows: $flows) { inserted updated } }",
        "variables": { "flows": flows },
    });
    let counts = at_once(&app, &key, "upsertTradeFlows", body).await;
    assert_eq!(counts, (20, 60), "inserted, updated over {WRITERS} writers");
    assert_eq!(audited(&app, "upsertTradeFlows").await, (20, 60));
    assert_eq!(app.count("trade_flow").await, flows_before + 20);

    let body = json!({
        "query": "mutation($m: [MembershipInput!]!) { upsertMemberships(memberships: $m) { inserted updated } }",
        "variables": { "m": memberships },
    });
    let counts = at_once(&app, &key, "upsertMemberships", body).await;
    assert_eq!(counts, (5, 15), "inserted, updated over {WRITERS} writers");
    assert_eq!(audited(&app, "upsertMemberships").await, (5, 15));
    assert_eq!(app.count("membership").await, memberships_before + 5);
}

on_both_backends!(concurrent_identical_writes_count_exactly);
