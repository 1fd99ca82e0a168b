//! The pledge ledger (`AidPledge.fulfilment`, `AidPledgeInput.fulfils`) against a ledger
//! written through `upsertAidPledges`, on both databases.
//!
//! NOR → MDA (USD unless said; `*` `AT_LEAST`):
//!
//! | row | kind | announced | amount | fulfils |
//! |---|---|---|---|---|
//! | P | PLEDGE | 2023-03-01 | 1000 | · |
//! | C | COMMITMENT | 2023-06-01 | 600 | P (by key, same batch) |
//! | D1 | DISBURSEMENT | 2023-09-01 | 250 | C (through the commitment) |
//! | D2 | DISBURSEMENT | 2024-02-01 | 100* | P (by id, later batch) |
//! | D3 | DISBURSEMENT | 2024-04-01 | 70 GEL | P (no GEL rate: left out, sum `AT_LEAST`) |
//!
//! P: committed 600; disbursed 250 + 100 = 350 (`AT_LEAST`), ratio 0.35; as of 2023-12-31
//! disbursed 250 (`EXACT`), ratio 0.25. C: disbursed 250, ratio 250 / 600.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const UPSERT: &str = "mutation($p: [AidPledgeInput!]!) { upsertAidPledges(pledges: $p) { inserted updated } }";

fn row(kind: &str, day: &str, amount: f64, currency: &str, fulfils: Option<Value>) -> Value {
    json!({ "donor": "NOR", "recipient": "MDA", "kind": kind, "announcedOn": day, "amount": amount,
            "currency": currency, "fulfils": fulfils })
}

fn key(kind: &str, day: &str, currency: &str) -> Value {
    json!({ "key": { "donor": "NOR", "recipient": "MDA", "kind": kind, "announcedOn": day, "currency": currency } })
}

async fn write(app: &TestApp, key: &str, rows: Value) -> Value {
    app.post_as(Some(key), UPSERT, json!({ "p": rows })).await.1
}

const LEDGER: &str = r#"{ country(code: "MDA") { aidReceived(fromYear: 2023) { id donorCode kind amount fulfilsId
    all: fulfilment { committedUsd committedUsdQualifier disbursedUsd disbursedUsdQualifier ratio ratioQualifier rows asOf }
    y2023: fulfilment(asOf: "2023-12-31") { committedUsd disbursedUsd disbursedUsdQualifier ratio rows asOf } } } }"#;

/// NOR's rows of MDA's aid, by kind and amount.
fn nor(data: &Value, kind: &str, amount: f64) -> Value {
    data["country"]["aidReceived"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["donorCode"] == "NOR" && r["kind"] == kind && r["amount"] == amount)
        .unwrap_or_else(|| panic!("no {kind} {amount} in {data}"))
        .clone()
}

async fn load(app: &TestApp) -> String {
    let k = app.key("ledger-writer", "write").await;
    let answer = write(
        app,
        &k,
        json!([
            row("PLEDGE", "2023-03-01", 1000.0, "USD", None),
            row(
                "COMMITMENT",
                "2023-06-01",
                600.0,
                "USD",
                Some(key("PLEDGE", "2023-03-01", "USD"))
            ),
            row(
                "DISBURSEMENT",
                "2023-09-01",
                250.0,
                "USD",
                Some(key("COMMITMENT", "2023-06-01", "USD"))
            ),
        ]),
    )
    .await;
    assert_eq!(answer["data"]["upsertAidPledges"]["inserted"], 3, "{answer}");
    let data = app.data(LEDGER).await;
    let pledge_id = nor(&data, "PLEDGE", 1000.0)["id"].clone();
    let mut d2 = row(
        "DISBURSEMENT",
        "2024-02-01",
        100.0,
        "USD",
        Some(json!({ "id": pledge_id })),
    );
    d2["qualifier"] = json!("AT_LEAST");
    let d3 = row(
        "DISBURSEMENT",
        "2024-04-01",
        70.0,
        "GEL",
        Some(json!({ "id": pledge_id })),
    );
    let answer = write(app, &k, json!([d2, d3])).await;
    assert_eq!(answer["data"]["upsertAidPledges"]["inserted"], 2, "{answer}");
    k
}

async fn fulfilment(app: TestApp) {
    load(&app).await;
    app.take_statement_count();
    let data = app.data(LEDGER).await;
    assert_eq!(
        app.take_statement_count(),
        3,
        "aid, then one fulfilment statement per asOf for every row"
    );
    let p = nor(&data, "PLEDGE", 1000.0);
    let c = nor(&data, "COMMITMENT", 600.0);
    assert_eq!(p["fulfilsId"], Value::Null);
    assert_eq!(c["fulfilsId"], p["id"]);
    assert_eq!(nor(&data, "DISBURSEMENT", 250.0)["fulfilsId"], c["id"]);

    let all = &p["all"];
    assert_close(&all["committedUsd"], 600.0);
    assert_eq!(all["committedUsdQualifier"], "EXACT");
    assert_close(&all["disbursedUsd"], 350.0);
    assert_eq!(
        all["disbursedUsdQualifier"], "AT_LEAST",
        "D2 is AT_LEAST, D3 has no USD amount"
    );
    assert_close(&all["ratio"], 0.35);
    assert_eq!(all["ratioQualifier"], "AT_LEAST");
    assert_eq!(all["rows"], 4);
    assert_eq!(all["asOf"], Value::Null);

    let y = &p["y2023"];
    assert_close(&y["committedUsd"], 600.0);
    assert_close(&y["disbursedUsd"], 250.0);
    assert_eq!(y["disbursedUsdQualifier"], "EXACT");
    assert_close(&y["ratio"], 0.25);
    assert_eq!(y["rows"], 2);
    assert_eq!(y["asOf"], "2023-12-31");

    // A commitment's own ledger: the disbursement through it.
    assert_close(&c["all"]["disbursedUsd"], 250.0);
    assert_close(&c["all"]["ratio"], 250.0 / 600.0);
    assert_close(&c["all"]["committedUsd"], 0.0);
    // A row nothing fulfils.
    let d1 = nor(&data, "DISBURSEMENT", 250.0);
    assert_close(&d1["all"]["disbursedUsd"], 0.0);
    assert_eq!(d1["all"]["rows"], 0);
}

/// Writes `rows` and asserts the write is refused with `needle` in its message.
async fn refuse(app: &TestApp, key: &str, rows: Value, needle: &str) {
    let answer = write(app, key, rows).await;
    let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(needle), "{needle:?} not in {answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

/// A NOR → MDA disbursement of 5 USD on 2023-10-01 fulfilling `fulfils`.
fn disbursement(fulfils: Value) -> Value {
    row("DISBURSEMENT", "2023-10-01", 5.0, "USD", Some(fulfils))
}

/// Every refused link names `pledges[i].fulfils` and writes nothing.
async fn refused_links(app: TestApp) {
    let k = load(&app).await;
    let before = app.count("aid_pledge").await;
    // The pledge made to fulfil its own commitment: P → C → P.
    let pledge = row(
        "PLEDGE",
        "2023-03-01",
        1000.0,
        "USD",
        Some(key("COMMITMENT", "2023-06-01", "USD")),
    );
    refuse(&app, &k, json!([pledge]), "pledges[0].fulfils: makes a cycle").await;
    // A row fulfilling itself.
    let own = row(
        "COMMITMENT",
        "2020-02-01",
        5.0,
        "USD",
        Some(key("COMMITMENT", "2020-02-01", "USD")),
    );
    let rows = json!([row("PLEDGE", "2020-01-01", 5.0, "USD", None), own]);
    refuse(&app, &k, rows, "pledges[1].fulfils: makes a cycle").await;
    // Across donor/recipient pairs: NOR → GEO fulfilling NOR → MDA's pledge, by key and by id.
    let mut other = disbursement(key("PLEDGE", "2023-03-01", "USD"));
    other["recipient"] = json!("GEO");
    let across = "pledges[0].fulfils: links across donor/recipient pairs";
    refuse(&app, &k, json!([other.clone()]), across).await;
    other["fulfils"] = json!({ "id": nor(&app.data(LEDGER).await, "PLEDGE", 1000.0)["id"] });
    refuse(&app, &k, json!([other]), across).await;
    // Unknown rows, by key and by id (base64url of `AidPledge:999999`), and an id of another type.
    let unknown = "pledges[0].fulfils: no aid row";
    refuse(
        &app,
        &k,
        json!([disbursement(key("PLEDGE", "2019-01-01", "USD"))]),
        unknown,
    )
    .await;
    let rows = json!([disbursement(json!({ "id": "QWlkUGxlZGdlOjk5OTk5OQ" }))]);
    refuse(&app, &k, rows, unknown).await;
    let rows = json!([disbursement(json!({ "id": "Q291bnRyeTpBUk0" }))]);
    refuse(
        &app,
        &k,
        rows,
        "pledges[0].fulfils.id: must be the `id` of an AidPledge",
    )
    .await;
    assert_eq!(app.count("aid_pledge").await, before, "nothing written");

    // Rewriting the commitment without `fulfils` unlinks it.
    let answer = write(&app, &k, json!([row("COMMITMENT", "2023-06-01", 600.0, "USD", None)])).await;
    assert_eq!(answer["data"]["upsertAidPledges"]["updated"], 1, "{answer}");
    let p = nor(&app.data(LEDGER).await, "PLEDGE", 1000.0);
    assert_close(&p["all"]["committedUsd"], 0.0);
    assert_close(&p["all"]["disbursedUsd"], 100.0);
}

on_both_backends!(fulfilment, refused_links);
