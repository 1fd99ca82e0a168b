//! `TestApp`: the router over a fresh database (SQLite in memory, or a fresh PostgreSQL
//! schema when `TEST_DATABASE_URL` is set), driven in-process with `oneshot`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;
use tradegraph::config::Settings;
use tradegraph::service::bundled::{self, DataSet};
use tradegraph::{AppState, app};

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL (the latter
/// only when `TEST_DATABASE_URL` is set).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::helpers::TestApp::postgres().await {
                    Some(app) => super::$name(app).await,
                    None => eprintln!("skipped: TEST_DATABASE_URL is not set"),
                }
            }
        }
    )*};
}

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    /// The settings the router was built with.
    pub settings: Settings,
    /// SQL statements executed through `db` so far, data-version checks aside.
    pub statements: Arc<AtomicUsize>,
    /// Data-version checks executed through `db` so far.
    pub version_checks: Arc<AtomicUsize>,
    pub refs: Arc<tradegraph::reference::RefCache>,
    /// The PostgreSQL schema to drop when the test ends.
    pg_schema: Option<(String, String)>,
    /// The directory of an SQLite file database, removed when the test ends.
    _dir: Option<tempfile::TempDir>,
}

static SCHEMA_SEQ: AtomicU64 = AtomicU64::new(0);

impl TestApp {
    /// The app over an in-memory SQLite database with the bundled data.
    pub async fn sqlite() -> Self {
        let mut opts = ConnectOptions::new("sqlite::memory:");
        opts.max_connections(1)
            .min_connections(1)
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .sqlx_logging(false);
        let db = Database::connect(opts).await.expect("open sqlite");
        Self::build(db, None).await
    }

    /// The app over an SQLite file in a temporary directory, opened as the binary opens it
    /// (WAL mode, busy timeout, a pool of connections), so that readers and a writer can
    /// work at the same time.
    pub async fn sqlite_file() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("tradegraph.db").display());
        let db = tradegraph::db::connect(&tradegraph::config::DbArgs {
            database_url: url,
            db_max_connections: 4,
        })
        .await
        .expect("open sqlite file");
        let mut app = Self::build(db, None).await;
        app._dir = Some(dir);
        app
    }

    /// The app over a fresh schema of the PostgreSQL database at `TEST_DATABASE_URL`.
    pub async fn postgres() -> Option<Self> {
        let url = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
        let schema = format!(
            "tg_test_{}_{}_{}",
            std::process::id(),
            SCHEMA_SEQ.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let admin = Database::connect(url.as_str())
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create schema");
        admin.close().await.ok();
        // Named after the schema, so that a test can find (and kill) its own connections.
        let sep = if url.contains('?') { '&' } else { '?' };
        let mut opts = ConnectOptions::new(format!("{url}{sep}application_name={schema}"));
        opts.max_connections(8)
            .set_schema_search_path(schema.clone())
            .sqlx_logging(false);
        let db = Database::connect(opts).await.expect("connect to the test schema");
        Some(Self::build(db, Some((url, schema))).await)
    }

    async fn build(mut db: DatabaseConnection, pg_schema: Option<(String, String)>) -> Self {
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let version_checks = Arc::new(AtomicUsize::new(0));
        let probes = version_checks.clone();
        db.set_metric_callback(move |info| {
            if std::env::var_os("TG_PRINT_SQL").is_some() {
                eprintln!("SQL: {}", info.statement);
            }
            // The data-version check every request makes first (`service::version`) is
            // counted apart, so that counts say what a query itself costs.
            if info.statement.sql.contains("FROM reference_change") {
                probes.fetch_add(1, Ordering::SeqCst);
            } else {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        tradegraph::db::migrate(&db).await.expect("migrate");
        bundled::load(&db, DataSet::Bundled, tradegraph::service::pipeline::FIRST_START)
            .await
            .expect("load bundled data");
        let settings = Settings {
            // Tests count the statements a request runs and write behind the app's back; the
            // answer cache has its own tests (tests/api/cache.rs), which turn it on.
            cache_max_bytes: 0,
            ..Settings::default()
        };
        let state = AppState::new(db.clone(), &settings).await.expect("state");
        Self {
            refs: state.refs.clone(),
            router: app(state),
            db,
            settings,
            statements,
            version_checks,
            pg_schema,
            _dir: None,
        }
    }

    /// The same database behind a router built with other settings.
    pub async fn with_settings(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        change(&mut self.settings);
        let state = AppState::new(self.db.clone(), &self.settings).await.expect("state");
        self.router = app(state);
        self
    }

    /// A second app over the same database, as another server process would be: its own
    /// pool on PostgreSQL (the in-memory SQLite database has one connection to share), its
    /// own caches, and these settings' changes.
    pub async fn peer(&self, change: impl FnOnce(&mut Settings)) -> Router {
        let db = match &self.pg_schema {
            Some((url, schema)) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                let mut opts = ConnectOptions::new(format!("{url}{sep}application_name={schema}"));
                opts.max_connections(4)
                    .set_schema_search_path(schema.clone())
                    .sqlx_logging(false);
                Database::connect(opts).await.expect("connect a second pool")
            }
            None => self.db.clone(),
        };
        let mut settings = self.settings.clone();
        change(&mut settings);
        app(AppState::new(db, &settings).await.expect("state"))
    }

    /// Creates an API key; returns it.
    pub async fn key(&self, name: &str, scope: &str) -> String {
        let scope = entity::enums::KeyScope::parse(scope).expect("scope");
        tradegraph::service::keys::create(&self.db, name, scope)
            .await
            .expect("create key")
    }

    /// POSTs a GraphQL query with variables and an optional API key; returns status and JSON.
    pub async fn post_as(&self, key: Option<&str>, query: &str, variables: Value) -> (StatusCode, Value) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.post_raw(key, body).await
    }

    /// POSTs a raw body to `/graphql` as a current client does (accepting
    /// `application/graphql-response+json`, so that request errors are 4xx); returns status
    /// and the JSON answer.
    pub async fn post_raw(&self, key: Option<&str>, body: String) -> (StatusCode, Value) {
        let mut req = Request::post("/graphql")
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json, application/json;q=0.9");
        if let Some(key) = key {
            req = req.header("authorization", format!("Bearer {key}"));
        }
        let (status, text) = self.request(req.body(Body::from(body)).expect("request")).await;
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON answer expected ({status}): {text}"));
        (status, value)
    }

    /// Rows in each table that writes touch, to assert that nothing was written.
    pub async fn row_counts(&self) -> Vec<(&'static str, i64)> {
        let mut out = Vec::new();
        for table in [
            "trade_flow",
            "aid_pledge",
            "membership",
            "import_dependency",
            "indicator",
            "source",
            "organization",
            "country",
            "audit_log",
        ] {
            let row = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    self.db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await
                .expect("count")
                .expect("a row");
            out.push((table, row.try_get::<i64>("", "n").expect("n")));
        }
        out
    }

    /// The PostgreSQL schema (and `application_name`) of this app, if on PostgreSQL.
    pub fn pg_schema(&self) -> Option<&str> {
        self.pg_schema.as_ref().map(|(_, s)| s.as_str())
    }

    /// Number of rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }

    /// Statements executed since the last call.
    pub fn take_statement_count(&self) -> usize {
        self.statements.swap(0, Ordering::SeqCst)
    }

    /// Sends a raw HTTP request; returns status and body text.
    pub async fn request(&self, req: Request<Body>) -> (StatusCode, String) {
        send(&self.router, req).await
    }
}

/// Sends a raw HTTP request to `router`; returns status and body text.
pub async fn send(router: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = router.clone().oneshot(req).await.expect("router answers");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

impl TestApp {
    /// POSTs a GraphQL query with variables; returns the whole JSON answer.
    pub async fn gql_vars(&self, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let req = Request::post("/graphql")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request");
        let (status, text) = self.request(req).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        serde_json::from_str(&text).expect("JSON answer")
    }

    /// POSTs a GraphQL query; returns the whole JSON answer.
    pub async fn gql(&self, query: &str) -> Value {
        self.gql_vars(query, json!({})).await
    }

    /// POSTs a query that must succeed; returns its `data`.
    pub async fn data(&self, query: &str) -> Value {
        let answer = self.gql(query).await;
        assert!(answer.get("errors").is_none(), "unexpected errors: {answer}");
        answer["data"].clone()
    }

    /// POSTs a query that must fail; returns the `extensions.code` of its first error.
    pub async fn error_code(&self, query: &str) -> String {
        let answer = self.gql(query).await;
        answer["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code: {answer}"))
            .to_owned()
    }
}

impl TestApp {
    /// Imports `tests/fixtures/NAME` through the Comtrade importer, then refreshes the app's
    /// reference cache (as the server's periodic refresh would).
    pub async fn import_fixture(&self, name: &str) {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let file = std::fs::File::open(&path).expect("fixture");
        tradegraph::service::comtrade::import(&self.db, file, name, None)
            .await
            .expect("import fixture");
        self.refs.refresh(&self.db).await.expect("refresh");
    }

    /// Adds a stated import dependency linked to HS codes (as the bundled loader does).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_dependency(
        &self,
        importer: &str,
        supplier: &str,
        sector: &str,
        product: &str,
        year: i32,
        share: f64,
        hs_codes: &[&str],
    ) {
        use entity::enums::{DependencyBasis, Qualifier, Sector};
        use entity::{dependency_commodity, import_dependency};
        use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set};
        let refs = tradegraph::reference::RefData::load(&self.db).await.expect("refs");
        let row = import_dependency::ActiveModel {
            id: NotSet,
            importer_id: Set(refs.country(importer).expect("importer").id),
            supplier_id: Set(refs.country(supplier).expect("supplier").id),
            sector: Set(Sector::parse(sector).expect("sector")),
            product: Set(product.to_owned()),
            year: Set(Some(year)),
            share: Set(share),
            basis: Set(DependencyBasis::ByValue),
            qualifier: Set(Qualifier::Exact),
            source_id: Set(refs.sources.by_code("rb-russia-armenia-2024").map(|s| s.id)),
            note: Set(None),
        }
        .insert(&self.db)
        .await
        .expect("insert dependency");
        for code in hs_codes {
            dependency_commodity::ActiveModel {
                import_dependency_id: Set(row.id),
                commodity_id: Set(refs.commodities.by_code(code).expect("HS code").id),
            }
            .insert(&self.db)
            .await
            .expect("link HS code");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((url, schema)) = self.pg_schema.take() {
            run_sql_detached(&url, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Runs `sql` on the database at `url` from a thread of its own, for a `Drop` (which cannot
/// await); failures are ignored.
pub fn run_sql_detached(url: &str, sql: &str) {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let admin = Database::connect(url.as_str()).await.ok()?;
            admin.execute_unprepared(&sql).await.ok()?;
            admin.close().await.ok()
        })
    })
    .join();
}

/// POSTs a JSON body to `router`'s `/graphql`, with a key if given; returns status and text.
pub async fn post_json(router: &Router, key: Option<&str>, body: &Value) -> (StatusCode, String) {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    send(router, req.body(Body::from(body.to_string())).expect("request")).await
}

/// The row of `rows` (a JSON list) whose `year` is `y`.
#[track_caller]
pub fn year(rows: &Value, y: i64) -> &Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == y)
        .unwrap_or_else(|| panic!("no row for {y} in {rows}"))
}

/// Asserts that two floats agree to 1e-9 relative.
#[track_caller]
pub fn assert_close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {actual}"));
    let tolerance = 1e-9 * expected.abs().max(1e-300);
    assert!((a - expected).abs() <= tolerance, "expected {expected}, got {a}");
}

/// The binary serving on a free port of 127.0.0.1, started with `args` and `env` over a
/// fresh SQLite file; its log is drained in the background.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    pub log: Option<std::thread::JoinHandle<Vec<String>>>,
    dir: std::path::PathBuf,
}

impl Server {
    pub fn start(name: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        let dir = std::env::temp_dir().join(format!("tradegraph-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tradegraph"));
        command
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stderr(std::process::Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start the server");
        // The first start migrates, loads the bundled data, then says where it listens.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port: u16 = loop {
            let line = lines.next().expect("the server logs before it listens").unwrap();
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        let log = Some(std::thread::spawn(move || {
            lines.map_while(Result::ok).collect::<Vec<_>>()
        }));
        Self { child, port, log, dir }
    }

    /// Sends raw bytes, reads the whole answer (the request should close the connection).
    pub fn raw(&self, request: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// Stops the server with SIGTERM; returns whether it exited 0 and its log.
    pub fn stop(mut self) -> (bool, String) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        let log = self
            .log
            .take()
            .map(|h| h.join().unwrap().join("\n"))
            .unwrap_or_default();
        (exit.success(), log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// POSTs a GraphQL body to `router` as a current client does, from a task of its own;
/// returns status and JSON answer.
pub async fn post_to(router: Router, key: Option<&str>, body: &Value) -> (StatusCode, Value) {
    let mut req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json");
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    let resp = router
        .oneshot(req.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("router answers");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).expect("JSON answer"))
}
