//! Execution as the GraphQL spec has it: a field error nulls the nearest nullable field
//! ("Errors and Non-Nullability"), and every object's keys come back in the order of its
//! selection (aliases, fragments and inline fragments included). The answers are compared
//! as text, so that key order is part of what is asserted.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// POSTs `query`; returns the raw answer text (200 expected) and its parsed `errors`.
async fn answer(app: &TestApp, query: &str) -> (String, Vec<Value>) {
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "query": query }).to_string()))
        .unwrap();
    let (status, text) = app.request(req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let value: Value = serde_json::from_str(&text).expect("JSON answer");
    let errors = value["errors"].as_array().cloned().unwrap_or_default();
    (text, errors)
}

/// The text of the `data` member of a raw answer (from `"data":` to the `extensions` or
/// `errors` member that follows it, or the end).
fn data_text(text: &str) -> &str {
    let start = text.find("\"data\":").expect("a data member") + "\"data\":".len();
    let rest = &text[start..];
    let end = [",\"extensions\":", ",\"errors\":"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .unwrap_or(rest.len() - 1);
    &rest[..end]
}

/// The paths of `errors`, each as a JSON array.
fn paths(errors: &[Value]) -> Vec<Value> {
    errors.iter().map(|e| e["path"].clone()).collect()
}

async fn non_null_field_error_nulls_the_nearest_nullable_parent(app: TestApp) {
    // `tradeWith` is `[BilateralTradeYear!]!`: its error nulls `country` (nullable).
    let (text, errors) = answer(
        &app,
        r#"{ country(code: "ARM") { name tradeWith(partner: "XXX") { year } } }"#,
    )
    .await;
    assert_eq!(data_text(&text), r#"{"country":null}"#);
    assert_eq!(paths(&errors), [json!(["country", "tradeWith"])]);
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(errors[0]["locations"], json!([{ "line": 1, "column": 31 }]));
}

async fn non_null_root_field_error_nulls_data(app: TestApp) {
    // `tradeFlows` is non-null, and so is every field up to the root: `data` is null.
    let (text, errors) = answer(
        &app,
        r#"{ tradeFlows(reporter: "ZZZ") { totalCount } country(code: "ARM") { name } }"#,
    )
    .await;
    assert_eq!(data_text(&text), "null");
    assert_eq!(paths(&errors), [json!(["tradeFlows"])]);
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
}

async fn nullable_field_error_nulls_only_that_field(app: TestApp) {
    // `concentration` is a nullable `Float`: its siblings stay.
    let (text, errors) = answer(
        &app,
        r#"{ country(code: "ARM") { name concentration(year: 2023, flow: EXPORT, commodity: "NOPE") iso3 } }"#,
    )
    .await;
    assert_eq!(
        data_text(&text),
        r#"{"country":{"name":"Armenia","concentration":null,"iso3":"ARM"}}"#
    );
    assert_eq!(paths(&errors), [json!(["country", "concentration"])]);
}

async fn error_inside_a_list_item_propagates_through_the_list(app: TestApp) {
    // tradeWith (non-null) → partner: Country! → PartnerShare! (a list item) →
    // [PartnerShare!]! → country (nullable): null. The sibling root field is untouched.
    let (text, errors) = answer(
        &app,
        r#"{
          country(code: "ARM") {
            iso3
            topPartners(year: 2023, flow: EXPORT, limit: 1) { rank partner { iso3 tradeWith(partner: "XXX") { year } } }
          }
          again: country(code: "am") { iso3 }
        }"#,
    )
    .await;
    assert_eq!(data_text(&text), r#"{"country":null,"again":{"iso3":"ARM"}}"#);
    assert_eq!(
        paths(&errors),
        [json!(["country", "topPartners", 0, "partner", "tradeWith"])]
    );
}

async fn nullable_fields_of_list_items_null_one_by_one(app: TestApp) {
    let (text, errors) = answer(
        &app,
        r#"{ countries(first: 2) { nodes { iso3 c: concentration(year: 2023, flow: EXPORT, commodity: "NOPE") } } }"#,
    )
    .await;
    assert_eq!(
        data_text(&text),
        r#"{"countries":{"nodes":[{"iso3":"ABW","c":null},{"iso3":"AFG","c":null}]}}"#
    );
    assert_eq!(
        paths(&errors),
        [
            json!(["countries", "nodes", 0, "c"]),
            json!(["countries", "nodes", 1, "c"])
        ]
    );
}

async fn keys_follow_the_selection_order(app: TestApp) {
    // Slow fields first (a COUNT, then a page; a batched relation before plain columns), so
    // that completion order and selection order differ.
    let (text, errors) = answer(
        &app,
        r#"
        query {
          zz: tradeFlows(reporter: "ARM", partner: "RUS", year: 2023, flow: EXPORT) {
            totalCount
            nodes { reporter { iso3 } ...Flow year }
          }
          aa: countries(first: 1) {
            ... on CountryConnection { totalCount }
            nodes { name iso3 ... { iso2 } }
          }
          __typename
        }
        fragment Flow on TradeFlow { partner { iso3 } flow commodity }
        "#,
    )
    .await;
    assert!(errors.is_empty(), "{text}");
    assert_eq!(
        data_text(&text),
        concat!(
            r#"{"zz":{"totalCount":1,"nodes":[{"reporter":{"iso3":"ARM"},"partner":{"iso3":"RUS"},"flow":"EXPORT","commodity":"TOTAL","year":2023}]},"#,
            r#""aa":{"totalCount":249,"nodes":[{"name":"Aruba","iso3":"ABW","iso2":"AW"}]},"#,
            r#""__typename":"QueryRoot"}"#
        )
    );
}

async fn a_field_selected_twice_keeps_its_first_place(app: TestApp) {
    let (text, errors) = answer(
        &app,
        r#"{ country(code: "ARM") { iso3 ...N name iso2 } } fragment N on Country { name iso3 }"#,
    )
    .await;
    assert!(errors.is_empty(), "{text}");
    assert_eq!(
        data_text(&text),
        r#"{"country":{"iso3":"ARM","name":"Armenia","iso2":"AM"}}"#
    );
}

async fn an_object_whose_fields_are_all_skipped_is_empty_not_null(app: TestApp) {
    let (text, _) = answer(&app, r#"{ country(code: "ARM") { name @skip(if: true) } }"#).await;
    assert_eq!(data_text(&text), r#"{"country":{}}"#);
}

on_both_backends!(
    non_null_field_error_nulls_the_nearest_nullable_parent,
    non_null_root_field_error_nulls_data,
    nullable_field_error_nulls_only_that_field,
    error_inside_a_list_item_propagates_through_the_list,
    nullable_fields_of_list_items_null_one_by_one,
    keys_follow_the_selection_order,
    a_field_selected_twice_keeps_its_first_place,
    an_object_whose_fields_are_all_skipped_is_empty_not_null,
);

/// The order test on an SQLite file with a pool of connections, as the server runs: there
/// the fields of one object complete out of order (an in-memory database with one
/// connection happens to finish them in order).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_follow_the_selection_order_with_a_pool() {
    keys_follow_the_selection_order(TestApp::sqlite_file().await).await
}
