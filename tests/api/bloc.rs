//! `Organization.trade`: bloc aggregates against a fixture written through the API's
//! mutations (organisation `TBLOC`, citing a source of its own), every value exact to 1e-9
//! relative, on both databases; and the bundled EAEU.
//!
//! Memberships of `TBLOC`: FRA, DEU `MEMBER` since 1990; ITA `MEMBER` 1990 until 1996-07-01
//! (left mid-year); ESP `MEMBER` since 1996-03-01 (joined mid-year); BEL `SUSPENDED` since
//! 1995 (counts by default, has no data); NLD `OBSERVER` (never counts by default).
//!
//! Exports of 1996 (USD; `(row)`: the `W00` row wins over the sum; `*`: `AT_LEAST`, every
//! other row `EXACT`; `XAK` is an aggregate partner, never summed):
//!
//! | reporter | W00 | FRA | DEU | ITA | ESP | BEL | NLD | USA | XAK |
//! |---|---|---|---|---|---|---|---|---|---|
//! | FRA | 1000 (row) | · | 300 | 100 | 50 | 20 | 40 | 200 | · |
//! | DEU | · (sum 750) | 250 | · | 60 | 30* | 10 | · | 400 | 999 |
//! | ITA | 500 (row) | 150 | · | · | · | · | · | · | · |
//! | ESP | 200 (row) | 80 | 20 | · | · | · | · | · | · |
//! | NLD | 300 (row) | · | · | · | · | · | · | · | · |
//!
//! On 1996-12-31 (the default) the members are FRA, DEU, ESP, BEL:
//! FRA intra 300 + 50 + 20 = 370 (every fellow has a row: `EXACT`), extra 630;
//! DEU world 750 (`AT_LEAST`), intra 250 + 30 + 10 = 290 (`AT_LEAST`), extra 460
//! (`AT_LEAST` − `AT_LEAST`: `APPROXIMATE`); ESP intra 80 + 20 = 100 (no row with BEL:
//! `AT_LEAST`), extra 100 (`AT_MOST`); BEL no data. Bloc: world 1950, intra 760, extra 1190.
//!
//! On 1996-06-30 ITA is still a member: FRA intra 470 (extra 530), DEU intra 350 (extra
//! 400), ITA intra 150 (extra 350), ESP 100 (100). Bloc: world 2450, intra 1070, extra 1380.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

/// Writes the fixture through the mutations.
async fn load(app: &TestApp) {
    let key = app.key("bloc-writer", "admin").await;
    let write = |query: &'static str, variables: Value| {
        let key = key.clone();
        async move {
            let (_, answer) = app.post_as(Some(&key), query, variables).await;
            assert!(answer.get("errors").is_none(), "{answer}");
        }
    };
    write(
        "mutation($s: SourceInput!) { createSource(source: $s) { key } }",
        json!({ "s": { "key": "bloc-fixture", "publisher": "tradegraph tests",
                       "title": "Hand-computed bloc fixture (tests/api/bloc.rs)" } }),
    )
    .await;
    write(
        "mutation($o: [OrganizationInput!]!) { upsertOrganizations(organizations: $o) { inserted } }",
        json!({ "o": [{ "code": "TBLOC", "name": "Test bloc", "sourceId": "bloc-fixture" }] }),
    )
    .await;
    let memberships: Vec<Value> = [
        ("FRA", "MEMBER", "1990-01-01", None),
        ("DEU", "MEMBER", "1990-01-01", None),
        ("ITA", "MEMBER", "1990-01-01", Some("1996-07-01")),
        ("ESP", "MEMBER", "1996-03-01", None),
        ("BEL", "SUSPENDED", "1995-01-01", None),
        ("NLD", "OBSERVER", "1995-01-01", None),
    ]
    .into_iter()
    .map(|(c, status, since, until)| {
        json!({ "organization": "TBLOC", "country": c, "status": status, "since": since,
                "until": until, "sourceId": "bloc-fixture" })
    })
    .collect();
    write(
        "mutation($m: [MembershipInput!]!) { upsertMemberships(memberships: $m) { inserted } }",
        json!({ "m": memberships }),
    )
    .await;
    let flows: Vec<Value> = [
        ("FRA", "W00", 1000.0, "EXACT"),
        ("FRA", "DEU", 300.0, "EXACT"),
        ("FRA", "ITA", 100.0, "EXACT"),
        ("FRA", "ESP", 50.0, "EXACT"),
        ("FRA", "BEL", 20.0, "EXACT"),
        ("FRA", "NLD", 40.0, "EXACT"),
        ("FRA", "USA", 200.0, "EXACT"),
        ("DEU", "FRA", 250.0, "EXACT"),
        ("DEU", "ITA", 60.0, "EXACT"),
        ("DEU", "ESP", 30.0, "AT_LEAST"),
        ("DEU", "BEL", 10.0, "EXACT"),
        ("DEU", "USA", 400.0, "EXACT"),
        ("DEU", "XAK", 999.0, "EXACT"),
        ("ITA", "W00", 500.0, "EXACT"),
        ("ITA", "FRA", 150.0, "EXACT"),
        ("ESP", "W00", 200.0, "EXACT"),
        ("ESP", "FRA", 80.0, "EXACT"),
        ("ESP", "DEU", 20.0, "EXACT"),
        ("NLD", "W00", 300.0, "EXACT"),
    ]
    .into_iter()
    .map(|(r, p, v, q)| {
        json!({ "reporter": r, "partner": p, "year": 1996, "commodity": "TOTAL", "flow": "EXPORT",
                "valueUsd": v, "qualifier": q, "sourceId": "bloc-fixture" })
    })
    .collect();
    write(
        "mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted } }",
        json!({ "f": flows }),
    )
    .await;
}

const FIELDS: &str = "year asOf statuses memberCount membersReporting worldUsd worldUsdQualifier \
    intraUsd intraUsdQualifier extraUsd extraUsdQualifier intraShare intraShareQualifier \
    members { country { iso3 } status valueUsd valueUsdQualifier share shareQualifier \
              intraUsd intraUsdQualifier extraUsd extraUsdQualifier }";

async fn bloc_trade(app: &TestApp, arguments: &str) -> Value {
    let q = format!(r#"{{ organization(code: "TBLOC") {{ trade({arguments}) {{ {FIELDS} }} }} }}"#);
    app.data(&q).await["organization"]["trade"].clone()
}

/// Asserts one member: ISO code, value, intra, extra (null as `None`) and their qualifiers.
#[track_caller]
fn member(m: &Value, iso3: &str, figures: [(Option<f64>, &str); 3]) {
    assert_eq!(m["country"]["iso3"], iso3, "{m}");
    for ((value, qualifier), field) in figures.into_iter().zip(["valueUsd", "intraUsd", "extraUsd"]) {
        match value {
            Some(v) => assert_close(&m[field], v),
            None => assert_eq!(m[field], Value::Null, "{iso3} {field}"),
        }
        let expected = if qualifier.is_empty() {
            Value::Null
        } else {
            json!(qualifier)
        };
        assert_eq!(m[&format!("{field}Qualifier")], expected, "{iso3} {field}Qualifier");
    }
}

async fn members_at_year_end(app: TestApp) {
    load(&app).await;
    let t = bloc_trade(&app, "year: 1996, flow: EXPORT").await;
    assert_eq!(t["asOf"], "1996-12-31");
    assert_eq!(t["statuses"], json!(["MEMBER", "SUSPENDED"]));
    assert_eq!(t["memberCount"], 4, "ITA left, NLD only observes: {t}");
    assert_eq!(t["membersReporting"], 3, "BEL has no data");
    assert_close(&t["worldUsd"], 1950.0);
    assert_eq!(t["worldUsdQualifier"], "AT_LEAST", "DEU's sum and BEL's missing data");
    assert_close(&t["intraUsd"], 760.0);
    assert_eq!(t["intraUsdQualifier"], "AT_LEAST");
    assert_close(&t["extraUsd"], 1190.0);
    assert_eq!(t["extraUsdQualifier"], "APPROXIMATE");
    assert_close(&t["intraShare"], 760.0 / 1950.0);
    assert_eq!(t["intraShareQualifier"], "APPROXIMATE");
    let m = t["members"].as_array().unwrap();
    member(
        &m[0],
        "FRA",
        [(Some(1000.0), "EXACT"), (Some(370.0), "EXACT"), (Some(630.0), "EXACT")],
    );
    member(
        &m[1],
        "DEU",
        [
            (Some(750.0), "AT_LEAST"),
            (Some(290.0), "AT_LEAST"),
            (Some(460.0), "APPROXIMATE"),
        ],
    );
    member(
        &m[2],
        "ESP",
        [
            (Some(200.0), "EXACT"),
            (Some(100.0), "AT_LEAST"),
            (Some(100.0), "AT_MOST"),
        ],
    );
    member(&m[3], "BEL", [(None, ""), (None, ""), (None, "")]);
    assert_eq!(m[3]["status"], "SUSPENDED");
    assert_close(&m[0]["share"], 1000.0 / 1950.0);
    assert_eq!(m[0]["shareQualifier"], "AT_MOST", "the bloc's total may be larger");
    assert_close(&m[1]["share"], 750.0 / 1950.0);
    assert_eq!(m[1]["shareQualifier"], "APPROXIMATE");
    assert_eq!(m[3]["share"], Value::Null);
}

async fn member_that_left_mid_year(app: TestApp) {
    load(&app).await;
    let t = bloc_trade(&app, r#"year: 1996, flow: EXPORT, asOf: "1996-06-30""#).await;
    assert_eq!(t["memberCount"], 5, "ITA is still a member, ESP already is: {t}");
    assert_close(&t["worldUsd"], 2450.0);
    assert_close(&t["intraUsd"], 1070.0);
    assert_close(&t["extraUsd"], 1380.0);
    let m = t["members"].as_array().unwrap();
    let isos: Vec<&str> = m.iter().map(|m| m["country"]["iso3"].as_str().unwrap()).collect();
    assert_eq!(isos, ["FRA", "DEU", "ITA", "ESP", "BEL"], "by value, no data last");
    member(
        &m[0],
        "FRA",
        [(Some(1000.0), "EXACT"), (Some(470.0), "EXACT"), (Some(530.0), "EXACT")],
    );
    member(
        &m[1],
        "DEU",
        [
            (Some(750.0), "AT_LEAST"),
            (Some(350.0), "AT_LEAST"),
            (Some(400.0), "APPROXIMATE"),
        ],
    );
    member(
        &m[2],
        "ITA",
        [
            (Some(500.0), "EXACT"),
            (Some(150.0), "AT_LEAST"),
            (Some(350.0), "AT_MOST"),
        ],
    );
    assert_close(&m[2]["share"], 500.0 / 2450.0);

    // Before ESP joined: its flows are outside the bloc's, and FRA's 50 to ESP is extra-bloc.
    let t = bloc_trade(&app, r#"year: 1996, flow: EXPORT, asOf: "1996-02-01""#).await;
    assert_eq!(t["memberCount"], 4);
    assert_close(&t["worldUsd"], 2250.0);
    // FRA 300 + 100 + 20, DEU 250 + 60 + 10, ITA 150.
    assert_close(&t["intraUsd"], 890.0);
    assert_close(&t["extraUsd"], 1000.0 - 420.0 + 750.0 - 320.0 + 500.0 - 150.0);

    // Observers counted when asked: NLD joins with its W00 row.
    let t = bloc_trade(&app, "year: 1996, flow: EXPORT, statuses: [MEMBER, OBSERVER]").await;
    assert_eq!(t["memberCount"], 4, "FRA, DEU, ESP, NLD: {t}");
    assert_close(&t["worldUsd"], 1000.0 + 750.0 + 200.0 + 300.0);
    // FRA 300 + 50 + 40; DEU 250 + 30; ESP 80 + 20; NLD none.
    assert_close(&t["intraUsd"], 390.0 + 280.0 + 100.0);
}

/// Every organisation of one query is answered by one statement.
async fn one_statement_for_many_organizations(app: TestApp) {
    load(&app).await;
    let q = r#"{ a: organization(code: "TBLOC") { trade(year: 1996, flow: EXPORT) { worldUsd } }
                b: organization(code: "EAEU") { trade(year: 1996, flow: EXPORT) { worldUsd } }
                c: organization(code: "CIS") { trade(year: 1996, flow: EXPORT) { worldUsd } } }"#;
    app.take_statement_count();
    let data = app.data(q).await;
    assert_close(&data["a"]["trade"]["worldUsd"], 1950.0);
    assert_eq!(
        data["b"]["trade"]["worldUsd"],
        Value::Null,
        "the EAEU did not exist in 1996"
    );
    assert_eq!(app.take_statement_count(), 1);
}

/// The bundled EAEU in 2023: Armenia's exports (WDI world total, Russia from the
/// Russia–Armenia brief) and Russia among the members, without data of its own.
async fn eaeu_2023(app: TestApp) {
    let q = r#"{ organization(code: "EAEU") { trade(year: 2023, flow: EXPORT) { memberCount membersReporting
                 worldUsd worldUsdQualifier intraUsd intraUsdQualifier extraUsd extraUsdQualifier
                 members { country { iso3 } status valueUsd share shareQualifier intraUsd intraUsdQualifier extraUsd } } } }"#;
    let t = app.data(q).await["organization"]["trade"].clone();
    assert_eq!(t["memberCount"], 5, "{t}");
    assert_eq!(t["membersReporting"], 1);
    let m = t["members"].as_array().unwrap();
    let isos: Vec<&str> = m.iter().map(|m| m["country"]["iso3"].as_str().unwrap()).collect();
    assert_eq!(isos, ["ARM", "BLR", "KAZ", "KGZ", "RUS"]);
    assert_close(&m[0]["valueUsd"], 8_552_000_000.0);
    assert_close(&m[0]["share"], 1.0);
    assert_eq!(m[0]["shareQualifier"], "AT_MOST", "four members have no data");
    assert_close(&m[0]["intraUsd"], 4_000_000_000.0);
    assert_eq!(m[0]["intraUsdQualifier"], "AT_LEAST", "no rows with BLR, KAZ, KGZ");
    assert_close(&m[0]["extraUsd"], 4_552_000_000.0);
    assert_eq!(m[4]["valueUsd"], Value::Null);
    assert_eq!(m[4]["status"], "MEMBER");
    assert_close(&t["worldUsd"], 8_552_000_000.0);
    assert_eq!(t["worldUsdQualifier"], "AT_LEAST");
    assert_close(&t["intraUsd"], 4_000_000_000.0);
    assert_eq!(t["extraUsdQualifier"], "APPROXIMATE");
}

async fn refusals(app: TestApp) {
    let q = r#"{ organization(code: "EAEU") { trade(year: 2023, flow: EXPORT, statuses: []) { worldUsd } } }"#;
    assert_eq!(app.error_code(q).await, "BAD_USER_INPUT");
    let q = r#"{ organization(code: "EAEU") { trade(year: 2023, flow: EXPORT, commodity: "9999999") { worldUsd } } }"#;
    assert_eq!(app.error_code(q).await, "BAD_USER_INPUT");
}

on_both_backends!(
    members_at_year_end,
    member_that_left_mid_year,
    one_statement_for_many_organizations,
    eaeu_2023,
    refusals
);
