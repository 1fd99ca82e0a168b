//! The binary's commands against an SQLite file.

use std::process::Command;

fn tradegraph(db: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run tradegraph");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn migrate_then_load_reference_twice_gives_the_same_data() {
    let dir = std::env::temp_dir().join(format!("tradegraph-cmd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    tradegraph(&url, &["migrate"]);
    let first = tradegraph(&url, &["load-reference"]);
    let second = tradegraph(&url, &["load-reference"]);
    assert_eq!(first, second);
    assert!(first.contains("country\t249"), "{first}");
    assert!(first.contains("commodity\t129"), "{first}");
    // The same answer from a directory of CSV files as from the built-in copies.
    let data_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    assert_eq!(tradegraph(&url, &["load-reference", "--data-dir", data_dir]), first);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_starts_on_an_empty_file_and_stops_on_sigterm() {
    let server = crate::helpers::Server::start("serve", &["serve", "--listen", "127.0.0.1:0"], &[]);
    let body = r#"{"query":"{ country(code: \"ARM\") { name } }"}"#;
    let answer = server.raw(
        format!(
            "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""name":"Armenia""#), "{answer}");
    let (ok, log) = server.stop();
    assert!(ok, "graceful shutdown exits 0");
    assert!(
        log.contains("finished processing request") || log.contains("latency"),
        "one log line per request: {log}"
    );
    assert!(log.contains("shut down"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_created_listed_and_revoked() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let dir = std::env::temp_dir().join(format!("tradegraph-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("k.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    tradegraph(&url, &["load-reference"]);

    let out = tradegraph(&url, &["keys", "create", "--name", "acme-stats", "--scope", "write"]);
    let key = out.lines().last().unwrap().to_owned();
    assert!(key.starts_with("tg_") && key.len() == 46, "{out}");
    assert!(
        !out.lines().rev().skip(1).any(|l| l.contains(&key)),
        "printed once: {out}"
    );
    // Names are unique; scopes are checked by the parser.
    let dup = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(["keys", "create", "--name", "acme-stats", "--scope", "read"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!dup.status.success());
    let bad = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(["keys", "create", "--name", "x", "--scope", "root"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!bad.status.success());

    let list = tradegraph(&url, &["keys", "list"]);
    let row = list.lines().find(|l| l.starts_with("acme-stats\t")).expect(&list);
    assert_eq!(row.split('\t').nth(1), Some("write"), "{list}");
    assert_eq!(row.split('\t').nth(4), Some("-"), "not revoked: {list}");
    // Only the hash is stored.
    let db = tradegraph::db::connect(&tradegraph::config::DbArgs {
        database_url: url.clone(),
        db_max_connections: 2,
    })
    .await
    .unwrap();
    let stored = tradegraph::service::keys::list(&db).await.unwrap();
    assert_eq!(stored[0].key_hash, tradegraph::service::keys::hash(&key));
    assert_ne!(stored[0].key_hash, key);

    // A server over that file accepts the key, and refuses it once the CLI revoked it.
    let state = tradegraph::AppState::new(db.clone(), &tradegraph::config::Settings::default())
        .await
        .unwrap();
    let router = tradegraph::app(state);
    let write = |key: &str| {
        Request::post("/graphql")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {key}"))
            .body(Body::from(
                serde_json::json!({ "query": r#"mutation { upsertIndicators(indicators: [{country: "ARM",
                    code: "TEST", year: 2024, value: 1}]) { inserted updated } }"# })
                .to_string(),
            ))
            .unwrap()
    };
    let answer = |resp: axum::response::Response| async move {
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    };
    let a = answer(router.clone().oneshot(write(&key)).await.unwrap()).await;
    assert_eq!(a["data"]["upsertIndicators"]["inserted"], 1, "{a}");
    let revoked = tradegraph(&url, &["keys", "revoke", "acme-stats"]);
    assert!(revoked.contains("revoked"), "{revoked}");
    let a = answer(router.clone().oneshot(write(&key)).await.unwrap()).await;
    assert_eq!(a["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{a}");
    let list = tradegraph(&url, &["keys", "list"]);
    let row = list.lines().find(|l| l.starts_with("acme-stats\t")).expect(&list);
    assert_ne!(row.split('\t').nth(4), Some("-"), "revoked: {list}");
    assert_ne!(row.split('\t').nth(3), Some("-"), "last used: {list}");
    db.close().await.ok();
    let _ = std::fs::remove_dir_all(&dir);
}
