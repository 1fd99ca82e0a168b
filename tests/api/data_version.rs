//! The data version moves on every committed write to any stored table, by any process, and
//! a server answers rows another process committed from the first request after the commit
//! (issue 7.1, 9 point 5 of the brief).

use std::sync::atomic::Ordering;

use entity::country;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ConnectionTrait, EntityTrait};
use tradegraph::service::data_version;

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn every_write_moves_the_version(app: TestApp) {
    let v0 = data_version(&app.db).await.unwrap();
    // A table the API writes and one only the loaders write, each as another process would.
    app.db
        .execute_unprepared("UPDATE exchange_rate SET note = 'checked' WHERE id = (SELECT MIN(id) FROM exchange_rate)")
        .await
        .unwrap();
    let v1 = data_version(&app.db).await.unwrap();
    assert!(v1 > v0, "{v1} after {v0}");
    app.db
        .execute_unprepared("DELETE FROM indicator WHERE id = (SELECT MAX(id) FROM indicator)")
        .await
        .unwrap();
    let v2 = data_version(&app.db).await.unwrap();
    assert!(v2 > v1, "{v2} after {v1}");
    // Reading moves nothing.
    app.data(r#"{ country(code: "ARM") { name } }"#).await;
    assert_eq!(data_version(&app.db).await.unwrap(), v2);
}

async fn rows_of_another_process_are_answered_at_once(app: TestApp) {
    let q = r#"{ country(code: "XQZ") { name } }"#;
    assert_eq!(app.data(q).await["country"], serde_json::Value::Null);
    // Another process (a `tradegraph import`, psql) commits a new country; no refresh is
    // asked of this server.
    country::Entity::insert(country::ActiveModel {
        id: NotSet,
        iso3: Set("XQZ".into()),
        iso2: Set("XQ".into()),
        numeric_code: Set("999".into()),
        name: Set("Testland".into()),
        official_name: Set(None),
        region: Set(None),
        subregion: Set(None),
        landlocked: Set(false),
        is_aggregate: Set(false),
        source_id: Set(None),
    })
    .exec(&app.db)
    .await
    .unwrap();
    app.version_checks.swap(0, Ordering::SeqCst);
    app.take_statement_count();
    assert_eq!(app.data(q).await["country"]["name"], "Testland");
    assert_eq!(
        app.version_checks.swap(0, Ordering::SeqCst),
        1,
        "one version check a request"
    );
    assert_eq!(app.take_statement_count(), 4, "the reference tables reloaded once");
    app.data(q).await;
    assert_eq!(app.version_checks.swap(0, Ordering::SeqCst), 1);
    assert_eq!(app.take_statement_count(), 0, "nothing moved: nothing reloaded");
}

on_both_backends!(
    every_write_moves_the_version,
    rows_of_another_process_are_answered_at_once
);
