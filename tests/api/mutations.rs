//! The write path: every mutation's scope, upsert counts, validation naming row and field,
//! all-or-nothing batches, the batch limit, and the audit log.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

pub const UPSERT_FLOWS: &str =
    "mutation($flows: [TradeFlowInput!]!) { upsertTradeFlows(flows: $flows) { inserted updated } }";
const UPSERT_AID: &str =
    "mutation($pledges: [AidPledgeInput!]!) { upsertAidPledges(pledges: $pledges) { inserted updated } }";
const UPSERT_MEMBERSHIPS: &str =
    "mutation($memberships: [MembershipInput!]!) { upsertMemberships(memberships: $memberships) { inserted updated } }";
const UPSERT_DEPENDENCIES: &str = "mutation($dependencies: [ImportDependencyInput!]!) { \
     upsertImportDependencies(dependencies: $dependencies) { inserted updated } }";
const UPSERT_INDICATORS: &str =
    "mutation($indicators: [IndicatorInput!]!) { upsertIndicators(indicators: $indicators) { inserted updated } }";
const UPSERT_ORGANIZATIONS: &str = "mutation($organizations: [OrganizationInput!]!) { \
     upsertOrganizations(organizations: $organizations) { inserted updated } }";
const CREATE_SOURCE: &str = "mutation($source: SourceInput!) { createSource(source: $source) { id key title } }";

pub fn flow(partner: &str, year: i64, value: f64) -> Value {
    json!({ "reporter": "ARM", "partner": partner, "year": year, "commodity": "TOTAL", "flow": "EXPORT",
            "valueUsd": value, "qualifier": "ESTIMATE", "sourceId": "rb-russia-armenia-2024" })
}

fn pledge(amount: f64) -> Value {
    json!({ "donor": "EU", "recipient": "ARM", "amount": amount, "currency": "eur", "kind": "COMMITMENT",
            "announcedOn": "2025-01-15", "periodStartYear": 2025, "periodEndYear": 2026,
            "purpose": "Test programme" })
}

fn membership(status: &str) -> Value {
    json!({ "organization": "EAEU", "country": "GEO", "status": status, "since": "2025-02-01" })
}

fn dependency(share: f64) -> Value {
    json!({ "importer": "GEO", "supplier": "RUS", "sector": "ENERGY", "product": "Natural gas", "year": 2023,
            "share": share, "basis": "BY_VOLUME" })
}

fn indicator(value: f64) -> Value {
    json!({ "country": "ARM", "code": "population", "year": 1999, "value": value })
}

/// One case per mutation: (field, document, variables, scope it needs).
fn cases() -> Vec<(&'static str, &'static str, Value, &'static str)> {
    vec![
        (
            "upsertTradeFlows",
            UPSERT_FLOWS,
            json!({ "flows": [flow("GEO", 2023, 1.5e8)] }),
            "write",
        ),
        (
            "upsertAidPledges",
            UPSERT_AID,
            json!({ "pledges": [pledge(1e7)] }),
            "write",
        ),
        (
            "upsertMemberships",
            UPSERT_MEMBERSHIPS,
            json!({ "memberships": [membership("OBSERVER")] }),
            "write",
        ),
        (
            "upsertImportDependencies",
            UPSERT_DEPENDENCIES,
            json!({ "dependencies": [dependency(0.4)] }),
            "write",
        ),
        (
            "upsertIndicators",
            UPSERT_INDICATORS,
            json!({ "indicators": [indicator(3.1e6)] }),
            "write",
        ),
        (
            "createSource",
            CREATE_SOURCE,
            json!({ "source": { "key": "test-source", "publisher": "Test", "title": "A test source",
                                "year": 2025, "url": "https://example.org/test" } }),
            "admin",
        ),
        (
            "upsertOrganizations",
            UPSERT_ORGANIZATIONS,
            json!({ "organizations": [{ "code": "gcc", "name": "Gulf Cooperation Council",
                                        "founded": "1981-05-25", "url": "https://www.gcc-sg.org" }] }),
            "admin",
        ),
    ]
}

/// The `extensions.code` of the first error of an answer.
pub fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error with a code: {answer}"))
}

async fn every_mutation_checks_the_scope(app: TestApp) {
    let read = app.key("reader", "read").await;
    let write = app.key("writer", "write").await;
    let admin = app.key("admin", "admin").await;
    let revoked = app.key("gone", "admin").await;
    tradegraph::service::keys::revoke(&app.db, "gone").await.unwrap();
    let forged = tradegraph::service::keys::generate().unwrap();
    for (field, doc, vars, needs) in cases() {
        let before = app.row_counts().await;
        // RFC 9110: credentials that are no key at all are refused before the request runs
        // (401); no key, or a valid key of too small a scope, fail the mutation field.
        for (key, status_expected, expected) in [
            (None, StatusCode::OK, "UNAUTHENTICATED"),
            (Some(read.as_str()), StatusCode::OK, "FORBIDDEN"),
            (Some(forged.as_str()), StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
            (Some(revoked.as_str()), StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
            (Some("not-even-a-key"), StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
        ]
        .into_iter()
        .chain((needs == "admin").then_some((Some(write.as_str()), StatusCode::OK, "FORBIDDEN")))
        {
            let (status, answer) = app.post_as(key, doc, vars.clone()).await;
            assert_eq!(status, status_expected, "{field} with {key:?}: {answer}");
            assert_eq!(code(&answer), expected, "{field} with {key:?}: {answer}");
            assert!(answer["data"].is_null(), "{answer}");
            if expected == "UNAUTHENTICATED" {
                let message = answer["errors"][0]["message"].as_str().unwrap();
                assert!(message.contains("Authorization: Bearer <key>"), "says how: {message}");
            }
        }
        assert_eq!(app.row_counts().await, before, "{field}: a refused write wrote");
        // The scope it needs, and admin, which implies write.
        let key = if needs == "admin" { &admin } else { &write };
        let (_, answer) = app.post_as(Some(key), doc, vars.clone()).await;
        assert!(answer.get("errors").is_none(), "{field}: {answer}");
        if field != "createSource" {
            assert_eq!(answer["data"][field], json!({ "inserted": 1, "updated": 0 }), "{field}");
            let (_, answer) = app.post_as(Some(&admin), doc, vars.clone()).await;
            assert_eq!(
                answer["data"][field],
                json!({ "inserted": 0, "updated": 1 }),
                "{field}: {answer}"
            );
        } else {
            assert_eq!(answer["data"][field]["key"], "test-source");
        }
    }
}

async fn upserts_are_visible_and_counted(app: TestApp) {
    let key = app.key("writer", "write").await;
    // Insert, then replace the value of one and add another.
    let (_, a) = app
        .post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": [flow("GEO", 2023, 100.0)] }))
        .await;
    assert_eq!(
        a["data"]["upsertTradeFlows"],
        json!({ "inserted": 1, "updated": 0 }),
        "{a}"
    );
    let (_, a) = app
        .post_as(
            Some(&key),
            UPSERT_FLOWS,
            json!({ "flows": [flow("GEO", 2023, 250.0), flow("IRN", 2023, 7.0)] }),
        )
        .await;
    assert_eq!(
        a["data"]["upsertTradeFlows"],
        json!({ "inserted": 1, "updated": 1 }),
        "{a}"
    );
    let data = app
        .data(
            r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2023) { totalCount
                 nodes { valueUsd qualifier source { key } } } }"#,
        )
        .await;
    assert_eq!(data["tradeFlows"]["totalCount"], 1);
    assert_eq!(data["tradeFlows"]["nodes"][0]["valueUsd"], 250.0);
    assert_eq!(data["tradeFlows"]["nodes"][0]["qualifier"], "ESTIMATE");
    assert_eq!(
        data["tradeFlows"]["nodes"][0]["source"]["key"],
        "rb-russia-armenia-2024"
    );

    // Aid: the currency is upper-cased and the USD figures computed as for bundled aid.
    let (_, a) = app
        .post_as(Some(&key), UPSERT_AID, json!({ "pledges": [pledge(2e7)] }))
        .await;
    assert_eq!(
        a["data"]["upsertAidPledges"],
        json!({ "inserted": 1, "updated": 0 }),
        "{a}"
    );
    let data = app
        .data(r#"{ country(code: "ARM") { aidReceived(fromYear: 2025) { donorCode amount currency kind } } }"#)
        .await;
    let aid = &data["country"]["aidReceived"];
    assert!(
        aid.as_array().unwrap().iter().any(|p| p["donorCode"] == "EU"
            && p["amount"] == 2e7
            && p["currency"] == "EUR"
            && p["kind"] == "COMMITMENT"),
        "{aid}"
    );

    // Memberships: a period with an unknown start is one key too.
    let unknown_since = json!({ "organization": "CIS", "country": "GEO", "status": "FORMER" });
    for expected in [
        json!({ "inserted": 1, "updated": 0 }),
        json!({ "inserted": 0, "updated": 1 }),
    ] {
        let (_, a) = app
            .post_as(
                Some(&key),
                UPSERT_MEMBERSHIPS,
                json!({ "memberships": [unknown_since.clone()] }),
            )
            .await;
        assert_eq!(a["data"]["upsertMemberships"], expected, "{a}");
    }
    let data = app
        .data(r#"{ country(code: "GEO") { memberships { organization { code } status since } } }"#)
        .await;
    let cis: Vec<&Value> = data["country"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["organization"]["code"] == "CIS" && m["since"].is_null())
        .collect();
    assert_eq!(cis.len(), 1, "{data}");

    // Dependencies and indicators.
    let (_, a) = app
        .post_as(
            Some(&key),
            UPSERT_DEPENDENCIES,
            json!({ "dependencies": [dependency(0.25)] }),
        )
        .await;
    assert_eq!(a["data"]["upsertImportDependencies"]["inserted"], 1, "{a}");
    let data = app
        .data(r#"{ country(code: "GEO") { importDependencies(sector: ENERGY) { supplier { iso3 } share product } } }"#)
        .await;
    assert_eq!(data["country"]["importDependencies"][0]["share"], 0.25, "{data}");
    let (_, a) = app
        .post_as(
            Some(&key),
            UPSERT_INDICATORS,
            json!({ "indicators": [indicator(2.9e6)] }),
        )
        .await;
    assert_eq!(a["data"]["upsertIndicators"]["inserted"], 1, "{a}");
    let data = app
        .data(r#"{ country(code: "ARM") { indicator(code: "POPULATION", year: 1999) } }"#)
        .await;
    assert_eq!(data["country"]["indicator"], 2.9e6);
}

async fn a_new_organization_is_readable_at_once(app: TestApp) {
    let admin = app.key("admin", "admin").await;
    let (_, a) = app
        .post_as(
            Some(&admin),
            UPSERT_ORGANIZATIONS,
            json!({ "organizations": [{ "code": "GCC", "name": "GCC", "founded": "1981-05-25" },
                                      { "code": "eaeu", "name": "Eurasian Economic Union (renamed)" }] }),
        )
        .await;
    assert_eq!(
        a["data"]["upsertOrganizations"],
        json!({ "inserted": 1, "updated": 1 }),
        "{a}"
    );
    let data = app
        .data(r#"{ gcc: organization(code: "gcc") { name founded } eaeu: organization(code: "EAEU") { name members { country { iso3 } } } }"#)
        .await;
    assert_eq!(data["gcc"], json!({ "name": "GCC", "founded": "1981-05-25" }));
    assert_eq!(data["eaeu"]["name"], "Eurasian Economic Union (renamed)");
    assert!(
        !data["eaeu"]["members"].as_array().unwrap().is_empty(),
        "memberships kept"
    );
    // Memberships in the new organisation can be written right away.
    let (_, a) = app
        .post_as(
            Some(&admin),
            UPSERT_MEMBERSHIPS,
            json!({ "memberships": [{ "organization": "GCC", "country": "SAU", "status": "MEMBER", "since": "1981-05-25" }] }),
        )
        .await;
    assert_eq!(a["data"]["upsertMemberships"]["inserted"], 1, "{a}");
    let (_, a) = app
        .post_as(
            Some(&admin),
            UPSERT_ORGANIZATIONS,
            json!({ "organizations": [{ "code": "bad code", "name": "" }] }),
        )
        .await;
    assert_eq!(
        a["errors"][0]["message"],
        "organizations[0].code: must be 1 to 20 of A-Z, 0-9, '+', '-', '&', '.'; organizations[0].name: must not be empty"
    );
}

async fn a_new_source_can_be_cited_at_once(app: TestApp) {
    let admin = app.key("admin", "admin").await;
    let (_, a) = app
        .post_as(
            Some(&admin),
            CREATE_SOURCE,
            json!({ "source": { "key": "acme-2025", "publisher": "ACME", "title": "Trade 2025" } }),
        )
        .await;
    let id = a["data"]["createSource"]["id"].as_str().expect("an id").to_owned();
    // The same key again is refused.
    let (_, again) = app
        .post_as(
            Some(&admin),
            CREATE_SOURCE,
            json!({ "source": { "key": "acme-2025", "publisher": "ACME", "title": "Again" } }),
        )
        .await;
    assert_eq!(code(&again), "BAD_USER_INPUT", "{again}");
    let mut row = flow("GEO", 2022, 5.0);
    row["sourceId"] = json!(id);
    let (_, a) = app.post_as(Some(&admin), UPSERT_FLOWS, json!({ "flows": [row] })).await;
    assert!(a.get("errors").is_none(), "{a}");
    let data = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2022) { nodes { source { key publisher } } } }"#)
        .await;
    assert_eq!(data["tradeFlows"]["nodes"][0]["source"]["publisher"], "ACME");
}

/// Each mutation with a batch whose last row is bad: refused naming row and field, nothing written.
async fn a_bad_last_row_writes_nothing(app: TestApp) {
    let key = app.key("writer", "write").await;
    let mut bad_flow = flow("AZE", 2023, 1.0);
    bad_flow["valueUsd"] = json!(-5.0);
    let mut bad_pledge = pledge(1.0);
    bad_pledge["currency"] = json!("XYZ");
    let mut bad_membership = membership("MEMBER");
    bad_membership["since"] = json!("2025-03-01");
    bad_membership["until"] = json!("2020-01-01");
    let mut bad_indicator = indicator(1.0);
    bad_indicator["year"] = json!(1700);
    let batches = [
        (
            UPSERT_FLOWS,
            json!({ "flows": [flow("GEO", 2020, 1.0), flow("IRN", 2020, 2.0), flow("TUR", 2020, 3.0), bad_flow] }),
            "flows[3].valueUsd: must not be negative",
        ),
        (
            UPSERT_AID,
            json!({ "pledges": [pledge(5.0), bad_pledge] }),
            "pledges[1].currency: unknown currency \"XYZ\" (currencies are ISO 4217 alphabetic codes, e.g. USD or EUR)",
        ),
        (
            UPSERT_MEMBERSHIPS,
            json!({ "memberships": [membership("OBSERVER"), bad_membership] }),
            "memberships[1].until: must be after `since`",
        ),
        (
            UPSERT_DEPENDENCIES,
            json!({ "dependencies": [dependency(0.5), { "importer": "GEO", "supplier": "XXX", "sector": "FOOD",
                    "product": "Wheat", "share": 1.5 }] }),
            "dependencies[1].supplier: unknown country \"XXX\" (countries are named by ISO 3166-1 alpha-3 or alpha-2 code, e.g. ARM or AM, and W00 is the World); dependencies[1].share: must be a fraction between 0 and 1",
        ),
        (
            UPSERT_INDICATORS,
            json!({ "indicators": [indicator(1.0), bad_indicator] }),
            "indicators[1].year: 1700 is not a year between 1800 and 2100",
        ),
        (
            UPSERT_FLOWS,
            json!({ "flows": [flow("GEO", 2020, 1.0), flow("GEO", 2020, 2.0)] }),
            "flows[1].key: same key as flows[0]",
        ),
    ];
    let before = app.row_counts().await;
    for (doc, vars, message) in batches {
        let (status, answer) = app.post_as(Some(&key), doc, vars).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{answer}");
        assert_eq!(answer["errors"][0]["message"], message, "{answer}");
    }
    assert_eq!(app.row_counts().await, before, "a refused batch wrote");
}

async fn batches_are_chunked_and_limited(app: TestApp) {
    let key = app.key("writer", "write").await;
    let refs = tradegraph::reference::RefData::load(&app.db).await.unwrap();
    let partners: Vec<String> = refs
        .countries
        .all
        .iter()
        .filter(|c| !c.is_aggregate && c.iso3 != "ARM")
        .map(|c| c.iso3.clone())
        .collect();
    // 1 200 rows: more than two INSERT chunks.
    let rows: Vec<Value> = (0..1200)
        .map(|i| {
            flow(
                &partners[i % partners.len()],
                1990 + (i / partners.len()) as i64,
                i as f64,
            )
        })
        .collect();
    let (_, a) = app
        .post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": rows.clone() }))
        .await;
    assert_eq!(
        a["data"]["upsertTradeFlows"],
        json!({ "inserted": 1200, "updated": 0 }),
        "{a}"
    );
    let (_, a) = app.post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": rows })).await;
    assert_eq!(
        a["data"]["upsertTradeFlows"],
        json!({ "inserted": 0, "updated": 1200 }),
        "{a}"
    );

    // 10 001 rows are refused before anything is looked at.
    let before = app.row_counts().await;
    let row = r#"{reporter:"ARM",partner:"GEO",year:2023,commodity:"TOTAL",flow:EXPORT,valueUsd:1}"#;
    let query = format!(
        "mutation{{upsertTradeFlows(flows:[{}]){{inserted}}}}",
        vec![row; 10_001].join(",")
    );
    let (status, answer) = app.post_raw(Some(&key), json!({ "query": query }).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&answer), "TOO_COMPLEX", "{answer}");
    assert_eq!(app.row_counts().await, before);
}

async fn writes_are_audited(app: TestApp) {
    let write = app.key("partner-a", "write").await;
    let admin = app.key("root", "admin").await;
    app.post_as(
        Some(&write),
        UPSERT_FLOWS,
        json!({ "flows": [flow("GEO", 2021, 1.0), flow("IRN", 2021, 1.0)] }),
    )
    .await;
    app.post_as(Some(&write), UPSERT_FLOWS, json!({ "flows": [flow("GEO", 2021, 2.0)] }))
        .await;
    app.post_as(
        Some(&admin),
        UPSERT_INDICATORS,
        json!({ "indicators": [indicator(1.0)] }),
    )
    .await;
    // A refused write leaves no entry.
    app.post_as(Some(&write), UPSERT_FLOWS, json!({ "flows": [flow("XXX", 2021, 2.0)] }))
        .await;
    let query = "{ auditLog(first: 2) { totalCount pageInfo { hasNextPage endCursor } \
                 nodes { keyName mutation inserted updated at } } }";
    let (_, a) = app.post_as(Some(&admin), query, json!({})).await;
    let log = &a["data"]["auditLog"];
    // The bundled data's load into the empty database is the first entry.
    assert_eq!(log["totalCount"], 4, "{a}");
    assert_eq!(log["pageInfo"]["hasNextPage"], true);
    let nodes = &log["nodes"];
    assert_eq!(nodes[0]["keyName"], "root");
    assert_eq!(nodes[0]["mutation"], "upsertIndicators");
    assert_eq!(
        (nodes[0]["inserted"].clone(), nodes[0]["updated"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(nodes[1]["keyName"], "partner-a");
    assert_eq!(
        (nodes[1]["inserted"].clone(), nodes[1]["updated"].clone()),
        (json!(0), json!(1))
    );
    assert!(nodes[1]["at"].as_str().is_some_and(|t| t.starts_with("20")), "{a}");
    let cursor = log["pageInfo"]["endCursor"].as_str().unwrap();
    let (_, a) = app
        .post_as(
            Some(&admin),
            "query($after: String) { auditLog(first: 10, after: $after) { nodes { mutation inserted } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(
        a["data"]["auditLog"]["nodes"],
        json!([
            { "mutation": "upsertTradeFlows", "inserted": 2 },
            { "mutation": "loadReference", "inserted": 11_671 }
        ]),
        "{a}"
    );
    // Only an admin key reads it.
    let (_, a) = app.post_as(Some(&write), query, json!({})).await;
    assert_eq!(code(&a), "FORBIDDEN");
    let (_, a) = app.post_as(None, query, json!({})).await;
    assert_eq!(code(&a), "UNAUTHENTICATED");
}

on_both_backends!(
    every_mutation_checks_the_scope,
    upserts_are_visible_and_counted,
    a_new_source_can_be_cited_at_once,
    a_new_organization_is_readable_at_once,
    a_bad_last_row_writes_nothing,
    batches_are_chunked_and_limited,
    writes_are_audited,
);
