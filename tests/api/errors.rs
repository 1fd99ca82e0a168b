//! Errors a newcomer can act on: unknown codes suggest the closest ones (one rule for
//! arguments, filters and written rows), enum errors list the values, parse errors are one
//! line with a location, bad variables are named, one error per distinct problem.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::mutations::{UPSERT_FLOWS, code, flow};
use crate::on_both_backends;

fn message(answer: &Value) -> &str {
    answer["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error expected: {answer}"))
}

async fn unknown_codes_suggest_the_closest(app: TestApp) {
    // A name where a code belongs: an error that names the code.
    let a = app.gql(r#"{ country(code: "Armenia") { iso3 } }"#).await;
    assert_eq!(code(&a), "BAD_USER_INPUT");
    assert_eq!(
        message(&a),
        "`code`: unknown country \"Armenia\" — did you mean ARM (Armenia)?"
    );
    assert_eq!(a["data"]["country"], Value::Null);
    // A well-formed code that names nothing: null, no error.
    let a = app.gql(r#"{ country(code: "XYZ") { iso3 } }"#).await;
    assert_eq!(a, json!({ "data": { "country": null }, "extensions": a["extensions"] }));
    // The same rule for filters, arguments of figures and organisations.
    let a = app.gql(r#"{ tradeFlows(reporter: "Armenia") { totalCount } }"#).await;
    assert_eq!(
        message(&a),
        "`reporter`: unknown country \"Armenia\" — did you mean ARM (Armenia)?"
    );
    let a = app
        .gql(r#"{ country(code: "ARM") { tradeWith(partner: "Rusia") { year } } }"#)
        .await;
    assert!(message(&a).contains("did you mean RUS (Russia)?"), "{a}");
    let a = app.gql(r#"{ organization(code: "Eurasian Economic") { code } }"#).await;
    assert!(message(&a).contains("did you mean EAEU"), "{a}");
    // Nothing close: how codes are written instead.
    let a = app.gql(r#"{ tradeFlows(partner: "Atlantis") { totalCount } }"#).await;
    assert!(message(&a).contains("ISO 3166-1 alpha-3 or alpha-2"), "{a}");
    // And in rows written.
    let key = app.key("writer", "write").await;
    let mut row = flow("GEO", 2023, 1.0);
    row["reporter"] = json!("Armenia");
    let (_, a) = app.post_as(Some(&key), UPSERT_FLOWS, json!({ "flows": [row] })).await;
    assert_eq!(
        message(&a),
        "flows[0].reporter: unknown country \"Armenia\" — did you mean ARM (Armenia)?"
    );
}

async fn enum_errors_list_the_values(app: TestApp) {
    let a = app
        .gql(r#"{ country(code: "ARM") { topPartners(year: 2023, flow: exports) { rank } } }"#)
        .await;
    assert_eq!(code(&a), "GRAPHQL_VALIDATION_FAILED");
    assert!(
        message(&a).ends_with("the values are EXPORT, IMPORT, RE_EXPORT, RE_IMPORT"),
        "{a}"
    );
    // As a variable: named, listing the values too.
    let a = app
        .gql_vars(
            r#"query($f: TradeFlowKind!) { country(code: "ARM") { topPartners(year: 2023, flow: $f) { rank } } }"#,
            json!({ "f": "exports" }),
        )
        .await;
    assert_eq!(code(&a), "BAD_USER_INPUT");
    assert_eq!(
        message(&a),
        "Variable \"$f\" got an invalid value: \"exports\" is not a value of TradeFlowKind; the values are EXPORT, IMPORT, RE_EXPORT, RE_IMPORT."
    );
}

async fn parse_errors_are_one_line_with_a_location(app: TestApp) {
    let a = app.gql("{ country(code: \"ARM\") { name }").await;
    assert_eq!(code(&a), "GRAPHQL_PARSE_FAILED");
    assert!(!message(&a).contains('\n'), "{a}");
    assert!(message(&a).starts_with("Syntax error: expected"), "{a}");
    assert_eq!(a["errors"][0]["locations"], json!([{ "line": 1, "column": 32 }]));
}

async fn bad_variables_are_named(app: TestApp) {
    let q =
        r#"query($year: Int!, $code: String!) { country(code: $code) { concentration(year: $year, flow: EXPORT) } }"#;
    let a = app.gql_vars(q, json!({ "year": "2023", "code": "ARM" })).await;
    assert_eq!(code(&a), "BAD_USER_INPUT", "{a}");
    assert_eq!(a["errors"][0]["extensions"]["variable"], "year");
    assert!(
        message(&a).starts_with("Variable \"$year\" got an invalid value: Int cannot represent \"2023\""),
        "{a}"
    );
    assert_eq!(a["errors"][0]["locations"], json!([{ "line": 1, "column": 7 }]));
    assert!(a.get("data").is_none(), "{a}");
    // Missing and null, each its own error.
    let a = app.gql_vars(q, json!({ "code": null })).await;
    let messages: Vec<&str> = a["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "Variable \"$year\" of required type \"Int!\" was not provided.",
            "Variable \"$code\" got an invalid value: null where a non-null \"String!\" is expected."
        ]
    );
    // Inside an input object: the place is named.
    let mut row = flow("GEO", 2023, 1.0);
    row["year"] = json!("x");
    let key = app.key("writer", "write").await;
    let (_, a) = app
        .post_as(
            Some(&key),
            UPSERT_FLOWS,
            json!({ "flows": [flow("GEO", 2022, 1.0), row] }),
        )
        .await;
    assert_eq!(
        message(&a),
        "Variable \"$flows\" got an invalid value at \"flows[1].year\": Int cannot represent \"x\" (a whole number from -2^31 to 2^31-1 is expected)."
    );
}

async fn one_error_per_distinct_problem(app: TestApp) {
    let query = format!(
        "{{ country(code: \"ARM\") {{ name {} }} }}",
        "@include(if: true) ".repeat(1000)
    );
    let (_, a) = app.post_as(None, &query, json!({})).await;
    let errors = a["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{a}");
    assert!(a.to_string().len() < 4000, "{} bytes", a.to_string().len());
}

on_both_backends!(
    unknown_codes_suggest_the_closest,
    enum_errors_list_the_values,
    parse_errors_are_one_line_with_a_location,
    bad_variables_are_named,
    one_error_per_distinct_problem,
);
