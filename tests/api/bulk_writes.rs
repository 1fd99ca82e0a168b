//! The bulk writes go through the write pipeline (`service::pipeline::bulk`) as the upserts
//! do: the Comtrade import (both ways of storing) and the bundled data's load each leave one
//! audit entry, in the rows' transaction, whose counts are the database's; a file that fails
//! in the middle leaves neither rows nor audit entry; the bundled data refuses repeated keys.

use entity::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tradegraph::service::bundled::{self, DataSet};
use tradegraph::service::comtrade::{self, ImportOptions, Method};
use tradegraph::service::pipeline::{COMMAND_LINE, FIRST_START};

use crate::helpers::TestApp;
use crate::on_both_backends;

/// The audit entries of `mutation`, oldest first: key, inserted, updated.
async fn audited(app: &TestApp, mutation: &str) -> Vec<(String, i32, i32)> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Mutation.eq(mutation))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .expect("audit log")
        .into_iter()
        .map(|e| (e.key_name, e.inserted, e.updated))
        .collect()
}

/// A synthetic file of `flows` rows.
fn generated(flows: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    tradegraph::generate::generate(&mut out, flows, seed).expect("generate");
    out
}

/// Rows in the tables the bundled load writes.
async fn bundled_rows(app: &TestApp) -> i64 {
    let mut n = 0;
    for table in [
        "source",
        "country",
        "organization",
        "commodity",
        "membership",
        "trade_flow",
        "trade_total",
        "partner_share",
        "aid_pledge",
        "import_dependency",
        "dependency_commodity",
        "indicator",
        "exchange_rate",
    ] {
        n += app.count(table).await;
    }
    n
}

async fn imports_are_audited_with_the_database_counts(app: TestApp) {
    let flows = app.count("trade_flow").await;
    // Auto: COPY on PostgreSQL, INSERT on SQLite; then the other way on PostgreSQL.
    let first = comtrade::import(&app.db, std::io::Cursor::new(generated(3_000, 11)), "a.csv", None)
        .await
        .expect("imports");
    let stored = (first.rows - first.breakdown_skipped - first.repeats_skipped) as i64;
    assert_eq!(first.rows, 3_000);
    // Seed 11 hits no key of the bundled data.
    assert_eq!((first.inserted, first.updated), (3_000, 0), "{first:?}");
    assert_eq!(app.count("trade_flow").await, flows + first.inserted as i64);
    assert_eq!(stored, 3_000);
    let options = ImportOptions {
        method: Method::Portable,
        audit_key: Some("partner-x"),
        ..ImportOptions::default()
    };
    let again = comtrade::import_with(&app.db, std::io::Cursor::new(generated(3_000, 11)), "a.csv", options)
        .await
        .expect("imports again");
    assert_eq!((again.inserted, again.updated), (0, 3_000), "{again:?}");
    assert_eq!(
        audited(&app, comtrade::AUDIT_MUTATION).await,
        [(COMMAND_LINE.to_owned(), 3_000, 0), ("partner-x".to_owned(), 0, 3_000)]
    );
}

async fn a_bad_row_in_the_middle_leaves_neither_rows_nor_audit_entry(app: TestApp) {
    // 12,000 rows, the bad one after the 6,000th: on SQLite (and PostgreSQL's portable way)
    // two INSERT batches of 3,276 rows are written inside the transaction before it fails.
    let text = String::from_utf8(generated(12_000, 5)).expect("UTF-8");
    let mut lines: Vec<&str> = text.lines().collect();
    let bad = "C,A,20200101,2020,52,2020,51,ARM,Armenia,X,Export,643,RUS,Russia,0,W00,World,H6,HS,false,TOTAL,\
               \"All, really\",0,false,C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,false,,,,,,false,,false,,-7,-7,0,true,false";
    lines.insert(6_001, bad);
    let file = lines.join("\n") + "\n";
    let before = app.row_counts().await;
    for method in [Method::Auto, Method::Portable] {
        let options = ImportOptions {
            method,
            audit_key: Some("partner-x"),
            ..ImportOptions::default()
        };
        let err = comtrade::import_with(&app.db, std::io::Cursor::new(file.clone()), "mid.csv", options)
            .await
            .expect_err("a bad row")
            .to_string();
        assert_eq!(err, r#"mid.csv line 6002, column primaryValue: "-7" is negative"#);
        assert_eq!(
            app.row_counts().await,
            before,
            "{method:?}: nothing written, audit log included"
        );
    }
    assert_eq!(audited(&app, comtrade::AUDIT_MUTATION).await, []);
}

async fn bundled_loads_are_audited_with_the_database_counts(app: TestApp) {
    // The app's database was empty, so the first load inserted every row it holds now.
    let rows = bundled_rows(&app).await;
    assert_eq!(rows, 11_671);
    let first = audited(&app, bundled::AUDIT_MUTATION).await;
    assert_eq!(first, [(FIRST_START.to_owned(), 11_671, 0)]);
    // Again: every row is written again (upserted, or deleted and inserted), none is new.
    let report = bundled::load(&app.db, DataSet::Bundled, COMMAND_LINE)
        .await
        .expect("loads again");
    assert_eq!((report.written.inserted, report.written.updated), (0, 11_671));
    assert_eq!(bundled_rows(&app).await, rows);
    assert_eq!(
        audited(&app, bundled::AUDIT_MUTATION).await[1..],
        [(COMMAND_LINE.to_owned(), 0, 11_671)]
    );
}

async fn bundled_data_with_a_repeated_key_is_refused(app: TestApp) {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, text) in bundled::FILES {
        let mut text = (*text).to_owned();
        if *name == "exchange_rates.csv" {
            // The first record again, with another rate.
            let first = text.lines().nth(1).expect("a record").replacen(",0.", ",9.", 1);
            text.push_str(&first);
            text.push('\n');
        }
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let before = app.row_counts().await;
    let err = bundled::load(&app.db, DataSet::Dir(dir.path()), COMMAND_LINE)
        .await
        .expect_err("a repeated key")
        .to_string();
    let records = bundled::FILES
        .iter()
        .find(|(n, _)| *n == "exchange_rates.csv")
        .map(|(_, t)| t.lines().count() - 1)
        .expect("exchange rates");
    assert_eq!(
        err,
        format!("exchange_rates.csv[{records}].key: same key as exchange_rates.csv[0]")
    );
    assert_eq!(app.row_counts().await, before, "nothing written, audit log included");
}

on_both_backends!(
    imports_are_audited_with_the_database_counts,
    a_bad_row_in_the_middle_leaves_neither_rows_nor_audit_entry,
    bundled_loads_are_audited_with_the_database_counts,
    bundled_data_with_a_repeated_key_is_refused,
);
