//! `import comtrade` and `generate`: a real-format file through the API, upserts, every
//! validation error (naming line and column, leaving nothing behind), `.gz` and stdin through
//! the binary, the generator's determinism, and an import while the server answers.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use entity::commodity;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use tradegraph::service::comtrade::{self, ImportOptions, ImportReport, Method};

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/comtrade_real_format.csv");
const FIXTURE_NAME: &str = "comtrade_real_format.csv";
/// Trade flows in the bundled data.
const BUNDLED_FLOWS: i64 = 11;

async fn import_text(app: &TestApp, text: impl AsRef<[u8]>, name: &str) -> tradegraph::error::Result<ImportReport> {
    comtrade::import(&app.db, std::io::Cursor::new(text.as_ref().to_vec()), name, None).await
}

async fn import_fixture(app: &TestApp, method: Method) -> ImportReport {
    let file = std::fs::File::open(FIXTURE).expect("fixture");
    let options = ImportOptions {
        method,
        ..ImportOptions::default()
    };
    comtrade::import_with(&app.db, file, FIXTURE_NAME, options)
        .await
        .expect("the fixture loads")
}

/// The nodes of a connection sorted by their JSON text (the import's id order differs by
/// backend: file order with INSERT, key order with COPY).
fn sorted(connection: &Value) -> Value {
    let mut nodes = connection["nodes"].as_array().cloned().unwrap_or_default();
    nodes.sort_by_key(|n| n.to_string());
    json!({ "totalCount": connection["totalCount"], "nodes": nodes })
}

/// Every flow, in a stable order, with every field the import sets.
async fn all_flows(app: &TestApp) -> Value {
    let data = app
        .data(
            r#"{ tradeFlows(first: 1000) { totalCount nodes { reporter { iso3 } partner { iso3 } year commodity flow
                 valueUsd quantity quantityUnit qualifier note source { title publisher } } } }"#,
        )
        .await;
    data["tradeFlows"].clone()
}

async fn real_format_file_loads_unchanged(app: TestApp) {
    let report = import_fixture(&app, Method::Auto).await;
    // 12 rows; ARM's 2022 World exports and imports were bundled (WDI).
    assert_eq!(
        report,
        ImportReport {
            rows: 12,
            inserted: 10,
            updated: 2,
            commodities_added: 4,
            ..ImportReport::default()
        }
    );
    assert_eq!(app.count("trade_flow").await, BUNDLED_FLOWS + 10);

    // Rows citing commodities the server's cache does not know yet refresh it by themselves.
    let geo = app
        .data(
            r#"{ tradeFlows(reporter: "GEO") { totalCount nodes { partner { iso3 } commodity flow valueUsd quantity
                 quantityUnit qualifier source { title publisher } } } }"#,
        )
        .await;
    assert_eq!(geo["tradeFlows"]["totalCount"], 3);
    let nodes = geo["tradeFlows"]["nodes"].as_array().unwrap();
    let oil = nodes.iter().find(|n| n["commodity"] == "2709").expect("2709");
    assert_eq!(oil["partner"]["iso3"], "AZE");
    assert_eq!(oil["flow"], "IMPORT");
    assert_close(&oil["valueUsd"], 45_000_000.25);
    assert_close(&oil["quantity"], 60_000_000.0);
    assert_eq!(oil["quantityUnit"], "kg");
    assert_eq!(oil["qualifier"], "ESTIMATE", "isReported false");
    assert_eq!(
        oil["source"],
        json!({ "title": "UN Comtrade-format data loaded from comtrade_real_format.csv",
                "publisher": "United Nations Statistics Division (UN Comtrade)" })
    );
    let wheat = nodes.iter().find(|n| n["commodity"] == "100199").expect("100199");
    assert_eq!(wheat["qualifier"], "EXACT");
    assert_close(&wheat["valueUsd"], 150_000_000.0);

    // A bundled flow replaced: the new value, qualifier and source; the curator's note is gone.
    let arm = app
        .data(
            r#"{ tradeFlows(reporter: "ARM", partner: "RUS", year: 2022, flow: EXPORT, commodity: "TOTAL") {
                 nodes { valueUsd qualifier note quantity source { title } } } }"#,
        )
        .await;
    assert_eq!(
        arm["tradeFlows"]["nodes"],
        json!([{ "valueUsd": 2_383_690_000.5, "qualifier": "EXACT", "note": null, "quantity": null,
                 "source": { "title": "UN Comtrade-format data loaded from comtrade_real_format.csv" } }])
    );
    // `N/A` quantities are not stored; the World row is a partner like any other.
    let world = app
        .data(r#"{ tradeFlows(reporter: "ARM", partner: "W00", year: 2022, flow: EXPORT) { nodes { valueUsd quantity quantityUnit } } }"#)
        .await;
    assert_eq!(
        world["tradeFlows"]["nodes"],
        json!([{ "valueUsd": 5_361_540_000.123, "quantity": null, "quantityUnit": null }])
    );
    let kaz = app
        .data(r#"{ tradeFlows(reporter: "KAZ") { totalCount nodes { partner { iso3 } commodity flow valueUsd } } }"#)
        .await;
    assert_eq!(
        sorted(&kaz["tradeFlows"]),
        sorted(&json!({ "totalCount": 4, "nodes": [
            { "partner": { "iso3": "W00" }, "commodity": "TOTAL", "flow": "EXPORT", "valueUsd": 60_321_000_000.0 },
            { "partner": { "iso3": "CHN" }, "commodity": "TOTAL", "flow": "EXPORT", "valueUsd": 13_234_000_000.75 },
            { "partner": { "iso3": "DEU" }, "commodity": "27", "flow": "RE_EXPORT", "valueUsd": 1_500_000.0 },
            { "partner": { "iso3": "CHN" }, "commodity": "84", "flow": "IMPORT", "valueUsd": 4_100_000_000.0 },
        ]}))
    );

    // The new codes, under the right parents: 847130 came before 8471 in the file, and still
    // ends up under it; 100199's heading is unknown, so it hangs under its chapter.
    let parent_of = |code: &'static str| {
        let db = app.db.clone();
        async move {
            let c = commodity::Entity::find()
                .filter(commodity::Column::Code.eq(code))
                .one(&db)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("commodity {code}"));
            let parent = commodity::Entity::find_by_id(c.parent_id.expect("a parent"))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            (format!("{:?}", c.kind), parent.code, c.name)
        }
    };
    let (kind, parent, name) = parent_of("847130").await;
    assert_eq!((kind.as_str(), parent.as_str()), ("Subheading", "8471"));
    assert!(
        name.starts_with("Automatic data processing machines; portable"),
        "{name}"
    );
    assert_eq!(parent_of("8471").await.1, "84");
    assert_eq!(parent_of("8471").await.0, "Heading");
    assert_eq!(parent_of("2709").await.1, "27");
    // The bundled data knows heading 1001 (wheat), so the new subheading goes under it.
    assert_eq!(parent_of("100199").await.1, "1001");
    assert_eq!(
        parent_of("100199").await.2,
        "Cereals; wheat and meslin, other than durum wheat, other than seed"
    );

    // Loading twice (the second time through the portable path, which on PostgreSQL is the
    // multi-row INSERT rather than COPY) leaves the same data.
    let before = all_flows(&app).await;
    let commodities = app.count("commodity").await;
    let again = import_fixture(&app, Method::Portable).await;
    assert_eq!(
        again,
        ImportReport {
            rows: 12,
            inserted: 0,
            updated: 12,
            commodities_added: 0,
            ..ImportReport::default()
        }
    );
    assert_eq!(all_flows(&app).await, before);
    assert_eq!(before["totalCount"], BUNDLED_FLOWS + 10);
    assert_eq!(app.count("commodity").await, commodities);
    let sources = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM source WHERE key = 'comtrade-import:comtrade_real_format.csv'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(sources, 1, "one source row per file name, reused");
}

async fn columns_by_name_and_one_row_per_key(app: TestApp) {
    // A byte-order mark, columns in another order, extra columns, lower-case codes, no
    // optional columns, the same row twice, and a blank line.
    let text = "\u{feff}extra,primaryValue,cmdCode,flowCode,partnerISO,reporterISO,refYear,comment\n\
                a,200.5,TOTAL,X,RUS,arm,2019,\"first, repeated\"\n\
                \n\
                b,200.5,TOTAL,X,ru,ARM,2019,second\n\
                c,7,TOTAL,M,RUS,ARM,2019,\n";
    let report = import_text(&app, text, "small.csv").await.expect("loads");
    assert_eq!(
        report,
        ImportReport {
            rows: 3,
            inserted: 2,
            updated: 0,
            repeats_skipped: 1,
            ..ImportReport::default()
        }
    );
    let data = app
        .data(r#"{ tradeFlows(reporter: "ARM", year: 2019) { totalCount nodes { flow valueUsd qualifier } } }"#)
        .await;
    assert_eq!(
        sorted(&data["tradeFlows"]),
        sorted(&json!({ "totalCount": 2, "nodes": [
            { "flow": "EXPORT", "valueUsd": 200.5, "qualifier": "EXACT" },
            { "flow": "IMPORT", "valueUsd": 7.0, "qualifier": "EXACT" },
        ]}))
    );
    // Two different values for one key: refused, naming both lines; nothing written.
    let flows = app.count("trade_flow").await;
    let err = import_text(&app, text.replace("b,200.5", "b,300"), "twice.csv")
        .await
        .expect_err("two values for one key")
        .to_string();
    assert!(
        err.starts_with(
            "twice.csv line 4: same reporter, partner, year, commodity and flow as line 2 but other figures"
        ),
        "{err}"
    );
    assert_eq!(app.count("trade_flow").await, flows);
    // A header and no rows is an empty file, not an error.
    let empty = import_text(
        &app,
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n",
        "e.csv",
    )
    .await
    .expect("loads");
    assert_eq!(empty.rows, 0);
}

const HEADER: &str = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,isReported,qty,qtyUnitAbbr";
/// Two valid rows (lines 2 and 3), the second adding a commodity.
const GOOD: &str = "2020,ARM,RUS,X,TOTAL,1000,true,,\n2020,ARM,RUS,X,8501,250,1,12,kg\n";

async fn bad_rows_fail_the_whole_file(app: TestApp) {
    let cases: &[(&str, &str, &str)] = &[
        // (last line, column, what the message says)
        (
            "2020,XXX,RUS,X,TOTAL,5,true,,",
            "reporterISO",
            r#""XXX" is not a known ISO country code"#,
        ),
        (
            "2020,ARM,ZZZ,X,TOTAL,5,true,,",
            "partnerISO",
            r#""ZZZ" is not a known ISO country code"#,
        ),
        ("2020,ARM,RUS,X,TOTAL,-5,true,,", "primaryValue", r#""-5" is negative"#),
        (
            "2020,ARM,RUS,X,TOTAL,12abc,true,,",
            "primaryValue",
            r#""12abc" is not a number"#,
        ),
        (
            "2020,ARM,RUS,X,TOTAL,inf,true,,",
            "primaryValue",
            r#""inf" is not a number"#,
        ),
        (
            "2020,ARM,RUS,X,TOTAL,NaN,true,,",
            "primaryValue",
            r#""NaN" is not a number"#,
        ),
        (
            "2020,ARM,RUS,X,TOTAL,1.2.3,true,,",
            "primaryValue",
            r#""1.2.3" is not a number"#,
        ),
        (
            "2020,ARM,R\u{0}US,X,TOTAL,5,true,,",
            "partnerISO",
            "the value contains a control character",
        ),
        ("2020,ARM,RUS,X,TOTAL,,true,,", "primaryValue", "the value is missing"),
        (
            "2020,ARM,RUS,Q,TOTAL,5,true,,",
            "flowCode",
            r#""Q" is not a known flow code"#,
        ),
        (
            "1850,ARM,RUS,X,TOTAL,5,true,,",
            "refYear",
            r#""1850" is not a year from 1900 to 2100"#,
        ),
        ("20x1,ARM,RUS,X,TOTAL,5,true,,", "refYear", r#""20x1" is not a year"#),
        (
            "2020,ARM,RUS,X,84X1,5,true,,",
            "cmdCode",
            r#""84X1" is not TOTAL or an HS code of 2, 4 or 6 digits"#,
        ),
        (
            "2020,ARM,RUS,X,9901,5,true,,",
            "cmdCode",
            "chapter 99, which is not known",
        ),
        (
            "2020,ARM,RUS,X,00,5,true,,",
            "cmdCode",
            r#""00" is not a known HS chapter"#,
        ),
        (
            "2020,ARM,RUS,X,TOTAL,5,maybe,,",
            "isReported",
            r#""maybe" is not true, false, 1 or 0"#,
        ),
        ("2020,ARM,RUS,X,TOTAL,5,true,-1,kg", "qty", r#""-1" is negative"#),
    ];
    let flows = app.count("trade_flow").await;
    let commodities = app.count("commodity").await;
    for (bad, column, what) in cases {
        let text = format!("{HEADER}\n{GOOD}{bad}\n");
        let err = import_text(&app, &text, "bad.csv").await.expect_err(bad).to_string();
        let expected = format!("bad.csv line 4, column {column}: ");
        assert!(err.starts_with(&expected), "{bad}: {err}");
        assert!(err.contains(what), "{bad}: {err}");
        assert_eq!(app.count("trade_flow").await, flows, "{bad}: flows written");
        assert_eq!(app.count("commodity").await, commodities, "{bad}: commodity 8501 kept");
    }

    // A required column missing from the header.
    let err = import_text(
        &app,
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,qty\n2020,ARM,RUS,X,TOTAL,1\n",
        "h.csv",
    )
    .await
    .expect_err("no primaryValue")
    .to_string();
    assert!(
        err.starts_with("h.csv line 1, column primaryValue: missing from the header"),
        "{err}"
    );
    // Column names are case-sensitive.
    let err = import_text(
        &app,
        &format!("{}\n{GOOD}", HEADER.replace("refYear", "RefYear")),
        "h.csv",
    )
    .await
    .expect_err("no refYear");
    assert!(matches!(err, tradegraph::error::Error::BadUserInput(_)), "{err}");
    assert!(err.to_string().starts_with("h.csv line 1, column refYear: "), "{err}");
    let err = import_text(&app, "", "empty.csv").await.expect_err("empty").to_string();
    assert!(err.contains("empty.csv line 1: a header row"), "{err}");
    // Bytes that are not UTF-8.
    let mut text = format!("{HEADER}\n{GOOD}2020,ARM,RUS,X,TOTAL,").into_bytes();
    text.extend_from_slice(b"5\xff,true,,\n");
    let err = import_text(&app, text, "u.csv")
        .await
        .expect_err("not UTF-8")
        .to_string();
    assert_eq!(err, "u.csv line 4, column primaryValue: the value is not valid UTF-8");

    assert_eq!(app.count("trade_flow").await, flows);
    assert_eq!(app.count("commodity").await, commodities);
}

/// A synthetic file of `flows` rows.
fn generated(flows: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    tradegraph::generate::generate(&mut out, flows, seed).expect("generate");
    out
}

async fn bad_row_at_the_end_of_a_long_file(app: TestApp) {
    // More rows than one COPY batch (20,000) and several INSERT batches, so rows have been
    // written inside the transaction when the last line fails.
    let mut text = generated(25_000, 5);
    text.extend_from_slice(b"C,A,20200101,2020,52,2020,51,ARM,Armenia,X,Export,643,RUS,Russia,0,W00,World,H6,HS,false,TOTAL,\"All, really\",0,false,C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,false,,,,,,false,,false,,-7,-7,0,true,false\n");
    let flows = app.count("trade_flow").await;
    let commodities = app.count("commodity").await;
    let sources = app.count("source").await;
    let rows_seen = Arc::new(AtomicU64::new(0));
    let seen = rows_seen.clone();
    let progress = move |rows: u64| seen.store(rows, Ordering::SeqCst);
    let options = ImportOptions {
        progress: Some(&progress),
        ..ImportOptions::default()
    };
    let err = comtrade::import_with(&app.db, std::io::Cursor::new(text), "long.csv", options)
        .await
        .expect_err("the last row is bad")
        .to_string();
    assert_eq!(err, r#"long.csv line 25002, column primaryValue: "-7" is negative"#);
    assert!(
        rows_seen.load(Ordering::SeqCst) >= 20_000,
        "batches were written before the error"
    );
    assert_eq!(app.count("trade_flow").await, flows);
    assert_eq!(app.count("commodity").await, commodities);
    assert_eq!(app.count("source").await, sources, "the source row rolled back too");
}

async fn generated_file_imports_with_consistent_world_rows(app: TestApp) {
    let report = comtrade::import(&app.db, std::io::Cursor::new(generated(2_000, 42)), "gen.csv", None)
        .await
        .expect("a generated file loads");
    assert_eq!(report.rows, 2_000);
    assert_eq!(report.commodities_added, 0);
    // The generator may hit a bundled key (ARM, W00, TOTAL…); everything else is new.
    assert_eq!(app.count("trade_flow").await, BUNDLED_FLOWS + report.inserted as i64);
    assert!(report.inserted >= 1_990, "{report:?}");

    // Every World row of the file equals the sum of its partner rows.
    let sql = "SELECT w.value_usd AS world, \
                 (SELECT SUM(p.value_usd) FROM trade_flow p WHERE p.reporter_id = w.reporter_id \
                    AND p.year = w.year AND p.commodity_id = w.commodity_id AND p.flow = w.flow \
                    AND p.partner_id <> w.partner_id) AS partners \
               FROM trade_flow w JOIN country c ON c.id = w.partner_id JOIN source s ON s.id = w.source_id \
               WHERE c.iso3 = 'W00' AND s.key = 'comtrade-import:gen.csv'";
    let rows = app
        .db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap();
    assert!(rows.len() > 50, "{} world rows", rows.len());
    for row in rows {
        let world: f64 = row.try_get("", "world").unwrap();
        let partners: Option<f64> = row.try_get("", "partners").unwrap();
        assert_eq!(Some(world), partners);
    }
}

on_both_backends!(
    real_format_file_loads_unchanged,
    columns_by_name_and_one_row_per_key,
    bad_rows_fail_the_whole_file,
    bad_row_at_the_end_of_a_long_file,
    generated_file_imports_with_consistent_world_rows,
);

// ------------------------------------------------------------------------------------------
// Through the binary.

fn tradegraph(args: &[&str], env_db: &str, stdin: Option<&[u8]>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(args)
        .env("DATABASE_URL", env_db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tradegraph");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("tradegraph ends")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn gzip_and_stdin_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let gz = dir.path().join("comtrade.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&std::fs::read(FIXTURE).unwrap()).unwrap();
    enc.finish().unwrap();

    let out = tradegraph(&["import", "comtrade", gz.to_str().unwrap()], &db, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stderr(&out);
    assert!(
        summary.contains("12 rows, 10 inserted, 2 updated, 4 commodities added"),
        "{summary}"
    );
    assert!(summary.contains("rows/s"), "{summary}");

    // The same file from standard input: nothing new.
    let out = tradegraph(
        &["import", "comtrade", "-"],
        &db,
        Some(&std::fs::read(FIXTURE).unwrap()),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("-: 12 rows, 0 inserted, 12 updated, 0 commodities added"),
        "{}",
        stderr(&out)
    );
    // Gzip on standard input is recognised too.
    let out = tradegraph(&["import", "comtrade", "-"], &db, Some(&std::fs::read(&gz).unwrap()));
    assert!(
        stderr(&out).contains("12 rows, 0 inserted, 12 updated"),
        "{}",
        stderr(&out)
    );

    // A bad file: a failure exit, the line and column on stderr.
    let out = tradegraph(
        &["import", "comtrade", "-"],
        &db,
        Some(b"refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n2020,ARM,RUS,X,TOTAL,-5\n"),
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(r#"- line 2, column primaryValue: "-5" is negative"#),
        "{}",
        stderr(&out)
    );
    let out = tradegraph(&["import", "comtrade", "/nonexistent/x.csv"], &db, None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("/nonexistent/x.csv"), "{}", stderr(&out));
}

#[test]
fn generate_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("unused.db").display());
    let run = |seed: &str| {
        let out = tradegraph(&["generate", "--flows", "2000", "--seed", seed], &db, None);
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let a = run("42");
    assert_eq!(a, run("42"), "same seed, same bytes");
    assert_ne!(a, run("43"), "another seed, another file");
    let text = String::from_utf8(a.clone()).unwrap();
    assert_eq!(text.lines().count(), 2_001);
    assert!(text.starts_with(tradegraph::generate::COMTRADE_HEADER));
    assert_eq!(a, generated(2_000, 42), "the binary writes what the library does");

    // --out FILE.gz writes the same text, gzipped.
    let gz = dir.path().join("g.csv.gz");
    let out = tradegraph(
        &[
            "generate",
            "--flows",
            "2000",
            "--seed",
            "42",
            "--out",
            gz.to_str().unwrap(),
        ],
        &db,
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, a);
}

// ------------------------------------------------------------------------------------------
// An import while the server answers.

/// Hands out `data`, but stops at byte `gate_at` until the gate opens.
struct GatedReader {
    data: std::io::Cursor<Vec<u8>>,
    gate_at: u64,
    gate: Option<std::sync::mpsc::Receiver<()>>,
}

impl Read for GatedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let pos = self.data.position();
        if pos >= self.gate_at
            && let Some(gate) = self.gate.take()
        {
            let _ = gate.recv();
        }
        let limit = if self.gate.is_some() {
            usize::try_from(self.gate_at - pos).unwrap_or(usize::MAX).min(buf.len())
        } else {
            buf.len()
        };
        self.data.read(&mut buf[..limit])
    }
}

async fn import_while_serving(app: TestApp) {
    let text = generated(30_000, 9);
    // Stop after about 25,000 rows: more than one COPY batch, many INSERT batches.
    let gate_at = text
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(25_000)
        .map(|(i, _)| i as u64 + 1)
        .unwrap();
    let (open, gate) = std::sync::mpsc::channel();
    let reader = GatedReader {
        data: std::io::Cursor::new(text),
        gate_at,
        gate: Some(gate),
    };
    let rows_seen = Arc::new(AtomicU64::new(0));
    let import = {
        let db = app.db.clone();
        let seen = rows_seen.clone();
        tokio::spawn(async move {
            let progress = move |rows: u64| seen.store(rows, Ordering::SeqCst);
            let options = ImportOptions {
                progress: Some(&progress),
                ..ImportOptions::default()
            };
            comtrade::import_with(&db, reader, "live.csv", options).await
        })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while rows_seen.load(Ordering::SeqCst) < 20_000 {
        assert!(std::time::Instant::now() < deadline, "the import did not get going");
        assert!(!import.is_finished(), "{:?}", import.await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The import's transaction is open and has written rows; the server answers, from the
    // data as it was.
    for _ in 0..3 {
        let answer = tokio::time::timeout(
            Duration::from_secs(10),
            app.gql(r#"{ tradeFlows { totalCount } country(code: "ARM") { name } }"#),
        )
        .await
        .expect("the server answers during an import");
        assert_eq!(
            answer["data"],
            json!({ "tradeFlows": { "totalCount": BUNDLED_FLOWS }, "country": { "name": "Armenia" } })
        );
    }
    assert!(!import.is_finished());

    open.send(()).unwrap();
    let report = import.await.unwrap().expect("the import finishes");
    assert_eq!(report.rows, 30_000);
    let after = app.data(r#"{ tradeFlows { totalCount } }"#).await;
    assert_eq!(
        after["tradeFlows"]["totalCount"],
        BUNDLED_FLOWS + report.inserted as i64
    );
}

mod import_while_serving {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_file() {
        super::import_while_serving(crate::helpers::TestApp::sqlite_file().await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        match crate::helpers::TestApp::postgres().await {
            Some(app) => super::import_while_serving(app).await,
            None => eprintln!("skipped: TEST_DATABASE_URL is not set"),
        }
    }
}
