//! PostgreSQL faults: the server's connections are killed, or its database refuses
//! connections for a while. Requests fail cleanly (a masked `INTERNAL` error, never a panic)
//! or succeed by reconnecting; `/readyz` says 503 while the database is unreachable; and
//! everything works again afterwards without a restart. Only this test's own connections and
//! database are touched: the shared server keeps running for the other tests.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;
use tradegraph::config::{DbArgs, Settings};
use tradegraph::{AppState, app};

use crate::helpers::TestApp;

const QUERY: &str = r#"{ country(code: "ARM") { name memberships { organization { code } } } }"#;

/// Status and JSON answer of a query.
async fn ask(router: &Router) -> (StatusCode, Value) {
    let req = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "query": QUERY }).to_string()))
        .unwrap();
    let resp = router.clone().oneshot(req).await.expect("the router answers");
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&body).expect("a JSON answer, also on failure"),
    )
}

async fn ready(router: &Router) -> StatusCode {
    let req = Request::get("/readyz").body(Body::empty()).unwrap();
    router.clone().oneshot(req).await.unwrap().status()
}

/// A query that either succeeded or failed cleanly with a masked internal error.
fn clean(status: StatusCode, answer: &Value) -> bool {
    if answer.get("errors").is_none() {
        assert_eq!(answer["data"]["country"]["name"], "Armenia", "{answer}");
        return true;
    }
    let e = &answer["errors"][0];
    if e["extensions"]["code"] == "DATABASE_UNAVAILABLE" {
        assert_eq!(e["message"], "the database is not reachable; retry later", "{answer}");
    } else {
        assert_eq!(e["extensions"]["code"], "INTERNAL", "{status}: {answer}");
        assert_eq!(e["message"], "internal error", "{answer}");
    }
    assert!(e["extensions"]["requestId"].is_string(), "{answer}");
    false
}

async fn admin() -> Option<(String, DatabaseConnection)> {
    let url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    let db = Database::connect(url.as_str()).await.expect("connect");
    Some((url, db))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_connections_are_replaced() {
    let Some(app) = TestApp::postgres().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let (_, admin) = admin().await.unwrap();
    assert_eq!(app.data(QUERY).await["country"]["name"], "Armenia");
    let name = app.pg_schema().unwrap().to_owned();
    let killed = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!(
                "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = '{name}'"
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert!(killed >= 1, "the app had no connection to kill");
    // The pool pings a connection before lending it: the dead ones are replaced.
    for _ in 0..3 {
        let (status, answer) = ask(&app.router).await;
        clean(status, &answer);
    }
    let (status, answer) = ask(&app.router).await;
    assert!(clean(status, &answer), "{answer}");
    assert_eq!(ready(&app.router).await, StatusCode::OK);
    admin.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_is_survived() {
    let Some((url, admin)) = admin().await else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let backend = admin.get_database_backend();
    let exec = |sql: String| {
        let admin = &admin;
        async move {
            admin
                .execute_raw(Statement::from_string(backend, sql))
                .await
                .expect("admin statement")
        }
    };
    // A database of its own, so that refusing connections to it disturbs no other test.
    let name = format!(
        "tg_fault_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    exec(format!("CREATE DATABASE {name}")).await;
    let (base, params) = url.split_once('?').map_or((url.as_str(), ""), |(b, p)| (b, p));
    let db_url = format!(
        "{}/{name}{}{params}",
        &base[..base.rfind('/').unwrap()],
        if params.is_empty() { "" } else { "?" }
    );

    // The server as `serve` builds it (pool, statement timeout, migrations, bundled data).
    let args = DbArgs {
        database_url: db_url,
        db_max_connections: 4,
    };
    let db = tradegraph::prepare_with(&args, Some(Duration::from_secs(10)))
        .await
        .expect("prepare");
    let timeout = db
        .query_one_raw(Statement::from_string(backend, "SHOW statement_timeout"))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "statement_timeout")
        .unwrap();
    assert_eq!(timeout, "10s", "the pool sets statement_timeout");
    let router = app(AppState::new(db, &Settings::default()).await.expect("state"));
    let (status, answer) = ask(&router).await;
    assert!(clean(status, &answer), "{answer}");
    assert_eq!(ready(&router).await, StatusCode::OK);

    // Down: the database refuses connections and its sessions are killed.
    exec(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await;
    exec(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .await;
    // Termination is a signal: wait until the sessions are gone.
    for _ in 0..50 {
        let left = admin
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = '{name}'"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Every request is refused fast: 503, DATABASE_UNAVAILABLE and Retry-After, within 2 s
    // (not after the 10 s request timeout).
    for _ in 0..3 {
        let started = Instant::now();
        let req = Request::post("/graphql")
            .header("content-type", "application/json")
            .body(Body::from(json!({ "query": QUERY }).to_string()))
            .unwrap();
        let resp = router.clone().oneshot(req).await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()["retry-after"], "5");
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        let answer: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "DATABASE_UNAVAILABLE",
            "{answer}"
        );
        assert!(elapsed < Duration::from_secs(2), "answered after {elapsed:?}");
    }
    assert_eq!(ready(&router).await, StatusCode::SERVICE_UNAVAILABLE);

    // Up again: answered without a restart.
    exec(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await;
    let (status, answer) = ask(&router).await;
    assert!(clean(status, &answer), "{answer}");
    assert_eq!(ready(&router).await, StatusCode::OK);

    drop(router);
    exec(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
    admin.close().await.ok();
}
