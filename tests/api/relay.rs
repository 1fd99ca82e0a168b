//! Relay: global ids on every type with an identity, `node`/`nodes` (one statement per
//! type, however many ids), and `last`/`before` on every connection.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::mutations::code;
use crate::on_both_backends;

/// One object of every type with an identity, each with its `id` and `__typename`.
const EVERY_KIND: &str = r#"{
  country(code: "ARM") {
    id __typename
    memberships { id __typename organization { id __typename } source { id __typename } }
    importDependencies { id __typename }
    aidReceived { id __typename }
    indicatorValue(code: "POPULATION", year: 2023) { id __typename }
    statedPartnerShares { id __typename }
    statedTradeTotals { id __typename }
  }
  commodity(code: "27") { id __typename }
  tradeFlows(reporter: "ARM", first: 3) { nodes { id __typename } }
}"#;

/// Every `{id, __typename}` object in `v`.
fn identities(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(id)), Some(Value::String(t))) = (map.get("id"), map.get("__typename")) {
                out.push((id.clone(), t.clone()));
            }
            map.values().for_each(|x| identities(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| identities(x, out)),
        _ => {}
    }
}

async fn every_identity_is_refetched_by_node(app: TestApp) {
    let data = app.data(EVERY_KIND).await;
    let mut found = Vec::new();
    identities(&data, &mut found);
    found.sort();
    found.dedup();
    let kinds: std::collections::BTreeSet<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    for kind in [
        "Country",
        "Organization",
        "Commodity",
        "Source",
        "TradeFlow",
        "AidPledge",
        "Membership",
        "ImportDependency",
        "IndicatorValue",
        "StatedPartnerShare",
        "StatedTradeTotal",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {data}");
    }
    // Each id alone, then all at once.
    for (id, typename) in &found {
        let a = app
            .gql_vars(
                "query($id: ID!) { node(id: $id) { id __typename } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(a["data"]["node"], json!({ "id": id, "__typename": typename }), "{a}");
    }
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    app.take_statement_count();
    let a = app
        .gql_vars(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }",
            json!({ "ids": ids }),
        )
        .await;
    let statements = app.take_statement_count();
    let nodes = a["data"]["nodes"].as_array().unwrap_or_else(|| panic!("{a}"));
    assert_eq!(nodes.len(), found.len());
    for (node, (id, typename)) in nodes.iter().zip(&found) {
        assert_eq!(node, &json!({ "id": id, "__typename": typename }));
    }
    // Seven kinds of stored facts (reference data is in memory): one statement each.
    assert_eq!(statements, 7, "{a}");
    // Stable: the same id on every read, and opaque but decodable as Relay's convention.
    assert_eq!(
        app.data(r#"{ country(code: "am") { id } }"#).await["country"]["id"],
        "Q291bnRyeTpBUk0"
    );
}

async fn nodes_batch_one_statement_per_type(app: TestApp) {
    let page = app.data("{ tradeFlows(first: 500) { nodes { id } } }").await;
    let ids: Vec<Value> = page["tradeFlows"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert!(ids.len() >= 10, "{page}");
    app.take_statement_count();
    let a = app
        .gql_vars(
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on TradeFlow { year reporter { iso3 } } } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(app.take_statement_count(), 1, "{a}");
    assert_eq!(a["data"]["nodes"].as_array().unwrap().len(), ids.len());
}

async fn unknown_and_malformed_ids(app: TestApp) {
    // Well-formed, nothing there: null.
    let gone = "VHJhZGVGbG93Ojk5OTk5OTk5"; // TradeFlow:99999999
    let a = app
        .gql_vars("query($id: ID!) { node(id: $id) { id } }", json!({ "id": gone }))
        .await;
    assert_eq!(a["data"]["node"], Value::Null);
    assert!(a.get("errors").is_none(), "{a}");
    // Not an id: BAD_USER_INPUT naming the place.
    let a = app
        .gql_vars(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [gone, "ARM"] }),
        )
        .await;
    assert_eq!(code(&a), "BAD_USER_INPUT");
    assert!(
        a["errors"][0]["message"].as_str().unwrap().starts_with("`ids[1]`"),
        "{a}"
    );
    // Audit entries need an admin key, by node as by auditLog.
    let a = app
        .gql_vars(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": "QXVkaXRFbnRyeTox" }),
        )
        .await;
    assert_eq!(code(&a), "UNAUTHENTICATED", "{a}");
}

/// Pages a connection backwards with `last`/`before` to its start; returns the cursors in
/// list order.
async fn backwards(app: &TestApp, field: &str, args: &str, key: Option<&str>) -> Vec<String> {
    let mut before: Option<String> = None;
    let mut all = Vec::new();
    loop {
        let q = format!(
            "query($b: String) {{ {field}({args} last: 2, before: $b) {{ pageInfo {{ hasPreviousPage startCursor }} edges {{ cursor }} }} }}"
        );
        let (_, a) = app.post_as(key, &q, json!({ "b": before })).await;
        let conn = &a["data"][field];
        let mut cursors: Vec<String> = conn["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{a}"))
            .iter()
            .map(|e| e["cursor"].as_str().unwrap().to_owned())
            .collect();
        cursors.extend(all);
        all = cursors;
        if conn["pageInfo"]["hasPreviousPage"] != true {
            return all;
        }
        before = conn["pageInfo"]["startCursor"].as_str().map(str::to_owned);
    }
}

/// The cursors of a connection read forwards in one page.
async fn forwards(app: &TestApp, field: &str, args: &str, key: Option<&str>) -> Vec<String> {
    let q = format!("{{ {field}({args} first: 1000) {{ pageInfo {{ hasNextPage }} edges {{ cursor }} }} }}");
    let (_, a) = app.post_as(key, &q, json!({})).await;
    assert_eq!(a["data"][field]["pageInfo"]["hasNextPage"], false, "{a}");
    a["data"][field]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{a}"))
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().to_owned())
        .collect()
}

async fn every_connection_pages_backwards(app: TestApp) {
    let admin = app.key("root", "admin").await;
    // Some audit entries to page through.
    for year in 2001..2006 {
        let (_, a) = app
            .post_as(
                Some(&admin),
                crate::mutations::UPSERT_FLOWS,
                json!({ "flows": [crate::mutations::flow("GEO", year, 1.0)] }),
            )
            .await;
        assert!(a.get("errors").is_none(), "{a}");
    }
    for (field, args, key) in [
        ("countries", r#"region: "Asia","#, None),
        ("tradeFlows", r#"reporter: "ARM","#, None),
        ("auditLog", "", Some(admin.as_str())),
    ] {
        let forward = forwards(&app, field, args, key).await;
        assert!(forward.len() >= 5, "{field}: {forward:?}");
        assert_eq!(backwards(&app, field, args, key).await, forward, "{field}");
    }
    // `first` and `last` together are refused.
    let a = app.gql("{ countries(first: 2, last: 2) { totalCount } }").await;
    assert_eq!(code(&a), "BAD_USER_INPUT");
    let a = app.gql("{ countries(last: 1001) { totalCount } }").await;
    assert_eq!(code(&a), "TOO_COMPLEX");
    // `last` is costed like `first`: 1000 rows of a heavy selection pass no limit.
    let rows = |arg: &str| {
        format!(
            "{{ countries({arg}) {{ nodes {{ iso3 name memberships {{ status since until organization {{ code name }} source {{ title }} }} }} }} }}"
        )
    };
    let (_, a) = app.post_as(None, &rows("last: 100"), json!({})).await;
    assert!(a.get("errors").is_none(), "{a}");
    let (_, a) = app.post_as(None, &rows("last: 1000"), json!({})).await;
    assert_eq!(code(&a), "TOO_COMPLEX", "{a}");
    assert!(
        a["errors"][0]["message"].as_str().unwrap().contains("complexity"),
        "{a}"
    );
}

async fn source_ids_cite_sources_in_writes(app: TestApp) {
    let key = app.key("writer", "write").await;
    let id = app.data(r#"{ sources { id key } }"#).await["sources"][0]["id"].clone();
    let mut row = crate::mutations::flow("GEO", 2019, 5.0);
    row["sourceId"] = id.clone();
    let (_, a) = app
        .post_as(Some(&key), crate::mutations::UPSERT_FLOWS, json!({ "flows": [row] }))
        .await;
    assert!(a.get("errors").is_none(), "{a}");
    let a = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2019) { nodes { source { id } } } }"#)
        .await;
    assert_eq!(a["tradeFlows"]["nodes"][0]["source"]["id"], id);
}

on_both_backends!(
    every_identity_is_refetched_by_node,
    nodes_batch_one_statement_per_type,
    unknown_and_malformed_ids,
    every_connection_pages_backwards,
    source_ids_cite_sources_in_writes,
);
