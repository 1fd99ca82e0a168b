//! Read replicas, against a real streaming replica of the test database
//! (`TEST_READ_DATABASE_URL`, made by `scripts/replica.sh`): with the replica's replay paused,
//! a read through the app does not see a write the primary has — it was served by the
//! replica — while the write itself went to the primary; once replay resumes the read sees
//! it. A replica that does not answer (listed first) is skipped.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

use crate::helpers::{TestApp, send};
use crate::mutations::{UPSERT_FLOWS, flow};

const GEO_2023: &str = r#"{ tradeFlows(reporter: "ARM", partner: "GEO", year: 2023) { totalCount } }"#;

/// Resumes the replica's replay when the test ends, however it ends.
struct ResumeReplay(String);

impl Drop for ResumeReplay {
    fn drop(&mut self) {
        let url = self.0.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let db = Database::connect(url.as_str()).await.ok()?;
                db.execute_unprepared("SELECT pg_wal_replay_resume()").await.ok()
            })
        })
        .join();
    }
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> Option<bool> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await
        .ok()??;
    row.try_get::<bool>("", "b").ok()
}

async fn total(router: &axum::Router) -> Value {
    let body = json!({ "query": GEO_2023 }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, text) = send(router, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["data"]["tradeFlows"]["totalCount"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_a_streaming_replica() {
    let Some(replica_url) = std::env::var("TEST_READ_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: TEST_READ_DATABASE_URL is not set");
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let schema = app.pg_schema().unwrap().to_owned();
    let admin = Database::connect(replica_url.as_str())
        .await
        .expect("connect to the replica");
    assert_eq!(
        scalar(&admin, "SELECT pg_is_in_recovery() AS b").await,
        Some(true),
        "not a standby"
    );
    // The test's schema and its bundled data arrive by replication.
    let started = Instant::now();
    while scalar(
        &admin,
        &format!("SELECT EXISTS (SELECT 1 FROM {schema}.trade_flow_change) AS b"),
    )
    .await
        != Some(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the schema never reached the replica"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let sep = if replica_url.contains('?') { '&' } else { '?' };
    let read_url = format!("{replica_url}{sep}options=-c%20search_path%3D{schema}");
    let dead = "postgres://postgres@127.0.0.1:1/test".to_owned();
    let mut settings = app.settings.clone();
    settings.cache_max_bytes = 8 * 1024 * 1024;
    let state = tradegraph::AppState::new(app.db.clone(), &settings)
        .await
        .unwrap()
        .with_replicas(&[dead, read_url], 4, None)
        .await
        .unwrap();
    let router = tradegraph::app(state);
    assert_eq!(total(&router).await, 0);

    let _resume = ResumeReplay(replica_url.clone());
    admin.execute_unprepared("SELECT pg_wal_replay_pause()").await.unwrap();
    let key = app.key("replica-writer", "write").await;
    let body = json!({ "query": UPSERT_FLOWS, "variables": { "flows": [flow("GEO", 2023, 5.0)] } }).to_string();
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body))
        .unwrap();
    let (status, text) = send(&router, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(
        text.contains(r#""inserted":1"#),
        "the mutation ran on the primary: {text}"
    );

    // The primary has the row; the app's read, served by the paused replica, does not yet.
    assert_eq!(app.data(GEO_2023).await["tradeFlows"]["totalCount"], 1);
    assert_eq!(total(&router).await, 0, "a read went to the primary");

    admin.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    let started = Instant::now();
    while total(&router).await != 1 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the replica never replayed the write"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
