//! No request's input can fail another request (issue 9.1): clients sending good and
//! poisonous requests side by side, and the good ones all answered right.

use axum::http::StatusCode;
use entity::indicator;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, post_to};
use crate::on_both_backends;

/// Requests each client sends.
const PER_CLIENT: usize = 60;

/// Six clients ask for Armenia's population while two ask for an indicator whose code holds a
/// NUL byte (which PostgreSQL refuses in any statement), in the query text or in a variable.
async fn poisonous_requests_fail_alone(app: TestApp) {
    let arm = app.refs.get().country("ARM").unwrap().id;
    let stored = indicator::Entity::find()
        .filter(indicator::Column::CountryId.eq(arm))
        .filter(indicator::Column::Code.eq("POPULATION"))
        .filter(indicator::Column::Year.eq(2023))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the bundled population of Armenia in 2023")
        .value;
    let good = json!({ "query": r#"{ country(code: "ARM") { indicator(code: "POPULATION", year: 2023) } }"# });
    let poisons = [
        json!({ "query": r#"{ country(code: "ARM") { indicator(code: "X\u0000", year: 2023) } }"# }),
        json!({
            "query": r#"query($c: String!) { country(code: "ARM") { indicator(code: $c, year: 2023) } }"#,
            "variables": { "c": "X\u{0}" }
        }),
    ];
    let mut clients = Vec::new();
    for client in 0..8 {
        let router = app.router.clone();
        let body = if client < 6 {
            good.clone()
        } else {
            poisons[client - 6].clone()
        };
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::with_capacity(PER_CLIENT);
            for _ in 0..PER_CLIENT {
                answers.push(post_to(router.clone(), None, &body).await);
            }
            answers
        }));
    }
    let mut good_right = 0;
    let mut poison_refused = 0;
    for (client, handle) in clients.into_iter().enumerate() {
        for (status, answer) in handle.await.unwrap() {
            if client < 6 {
                if status == StatusCode::OK
                    && answer.get("errors").is_none()
                    && answer["data"]["country"]["indicator"].as_f64() == Some(stored)
                {
                    good_right += 1;
                } else {
                    eprintln!("good request failed: {status} {answer}");
                }
            } else {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
                assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
                let message = answer["errors"][0]["message"].as_str().unwrap();
                assert!(message.contains("U+0000"), "{message}");
                poison_refused += 1;
            }
        }
    }
    assert_eq!(good_right, 6 * PER_CLIENT, "good requests answered right");
    assert_eq!(poison_refused, 2 * PER_CLIENT, "poisonous requests refused");
}

/// Bidirectional controls and other invisible format characters are refused in arguments
/// too, naming the argument; a code of no valid shape is never looked up.
async fn arguments_are_checked(app: TestApp) {
    let (status, answer) = app
        .post_as(None, r#"{ country(code: "ARM\u202E") { name } }"#, json!({}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(
        answer["errors"][0]["message"],
        "argument `code` of `country`: must not contain the invisible format character U+202E"
    );
    app.take_statement_count();
    let data = app
        .data(r#"{ country(code: "ARM") { indicator(code: "no-such shape", year: 2023) } }"#)
        .await;
    assert_eq!(data["country"]["indicator"], Value::Null);
    assert_eq!(app.take_statement_count(), 0, "a malformed code is not looked up");
}

on_both_backends!(poisonous_requests_fail_alone, arguments_are_checked);
