//! `POST /import/comtrade`: partners push Comtrade CSV files with a `write` key.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

const FIXTURE: &[u8] = include_bytes!("../fixtures/comtrade_real_format.csv");

async fn push(app: &TestApp, key: Option<&str>, body: Vec<u8>, gzip: bool, name: &str) -> (StatusCode, Value) {
    let mut req = Request::post(format!("/import/comtrade?name={name}")).header("content-type", "text/csv");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    if gzip {
        req = req.header("content-encoding", "gzip");
    }
    let (status, text) = app.request(req.body(Body::from(body)).unwrap()).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON expected ({status}): {text}")),
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

async fn partners_push_comtrade_files(app: TestApp) {
    let read = app.key("reader", "read").await;
    let write = app.key("partner", "write").await;
    let admin = app.key("root", "admin").await;
    let before = app.row_counts().await;
    let (status, answer) = push(&app, None, FIXTURE.to_vec(), false, "a.csv").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (status, answer) = push(&app, Some(&read), FIXTURE.to_vec(), false, "a.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(app.row_counts().await, before);

    let (status, answer) = push(&app, Some(&write), FIXTURE.to_vec(), false, "a.csv").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let rows = answer["rows"].as_u64().unwrap();
    assert_eq!(rows, 12);
    assert_eq!(
        answer["inserted"].as_u64().unwrap() + answer["updated"].as_u64().unwrap(),
        rows
    );
    // The same file again, gzipped without saying so (recognised by its first bytes): the
    // same data; then announced as gzip.
    let (status, answer) = push(&app, Some(&write), gzip(FIXTURE), false, "a.csv").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["inserted"], 0, "{answer}");
    // The same file again, gzipped: every row replaces itself.
    let (status, answer) = push(&app, Some(&write), gzip(FIXTURE), true, "a.csv").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["inserted"], 0, "{answer}");
    assert_eq!(answer["updated"], rows);
    let data = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "W00", year: 2022, flow: EXPORT) { nodes { valueUsd source { title } } } }"#)
        .await;
    assert_eq!(
        data["tradeFlows"]["nodes"][0]["source"]["title"],
        "UN Comtrade-format data loaded from a.csv"
    );
    // Audited.
    let (_, answer) = app
        .post_as(
            Some(&admin),
            "{ auditLog(first: 5) { nodes { keyName mutation updated } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        answer["data"]["auditLog"]["nodes"][0],
        json!({ "keyName": "partner", "mutation": "importComtrade", "updated": rows })
    );
    let (_, answer) = app
        .post_as(Some(&admin), "{ auditLog(first: 5) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        answer["data"]["auditLog"]["totalCount"], 4,
        "one entry per import, written with it (after the bundled data's load)"
    );
}

async fn bad_files_write_nothing(app: TestApp) {
    let write = app.key("partner", "write").await;
    let before = app.row_counts().await;
    // The fixture's CRLF line ends: the physical line is named all the same.
    assert!(FIXTURE.windows(2).any(|w| w == b"\r\n"), "a CRLF fixture");
    let mut bad = String::from_utf8(FIXTURE.to_vec()).unwrap();
    bad.push_str("C,A,20220101,2022,52,2022,51,ARM,Armenia,X,Export,643,RUS,Russian Federation,0,W00,World,H6,HS,true,TOTAL,All Commodities,0,false,C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,false,-1,N/A,0,false,,,,false,,-5,-5,0,true,false\n");
    let (status, answer) = push(&app, Some(&write), bad.into_bytes(), false, "bad.csv").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("bad.csv line 14, column primaryValue"), "{message}");
    // Broken files are refused with a 400 naming line and column, never a 500 — a NUL byte
    // in a text field (PostgreSQL would refuse it with a database error), a last line cut
    // short, a number that is not one, a column named twice.
    let text = String::from_utf8(FIXTURE.to_vec()).unwrap();
    let first_row = text.lines().nth(1).unwrap().to_owned();
    let header = text.lines().next().unwrap().to_owned();
    let cases = [
        (
            format!("{header}\r\n{}\r\n", first_row.replace("Armenia", "Arm\u{0}enia")),
            "nul.csv line 2, column reporterDesc: the value contains a control character",
        ),
        (
            format!("{header}\r\n{first_row}\r\n{}", &first_row[..first_row.len() - 20]),
            "cut.csv line 3: line 3 has 44 fields; the header has 47",
        ),
        (
            format!(
                "{header}\r\n{}\r\n",
                first_row.replace("5361540000.123,5361540000.123", "5361540000.123,1.2.3")
            ),
            "num.csv line 2, column primaryValue: \"1.2.3\" is not a number",
        ),
        (
            format!("{header},primaryValue\r\n{first_row},1\r\n"),
            "dup.csv line 1, column primaryValue: named twice in the header row (columns 44 and 48)",
        ),
    ];
    for (body, expected) in cases {
        let name = expected.split(' ').next().unwrap();
        let (status, answer) = push(&app, Some(&write), body.into_bytes(), false, name).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["errors"][0]["message"], expected);
    }
    // Not gzip although announced; an odd name.
    let (status, _) = push(&app, Some(&write), FIXTURE.to_vec(), true, "x.csv").await;
    assert!(status.is_client_error(), "{status}");
    let (status, _) = push(&app, Some(&write), FIXTURE.to_vec(), false, "..%2F..%2Fetc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.row_counts().await, before);

    // Over the size limit: refused, nothing written.
    let app = app.with_settings(|s| s.import_max_bytes = 1000).await;
    let (status, answer) = push(&app, Some(&write), FIXTURE.to_vec(), false, "big.csv").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    let req = Request::post("/import/comtrade")
        .header("authorization", format!("Bearer {write}"))
        .body(Body::from_stream(futures_util::stream::iter(
            FIXTURE.chunks(100).map(|c| Ok::<_, std::io::Error>(c.to_vec())),
        )))
        .unwrap();
    let (status, text) = app.request(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert_eq!(app.row_counts().await, before);
}

on_both_backends!(partners_push_comtrade_files, bad_files_write_nothing);
