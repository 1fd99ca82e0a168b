//! Read replicas (`DATABASE_READ_URL`, one URL or a comma-separated list): requests that only
//! read run on a replica, taken in turn; a request with a mutation in it — everything it
//! reads included — runs on the primary, as do credentials and the reference tables.
//!
//! Each replica is pinged every [`CHECK_EVERY`]; one that fails (or takes longer than
//! [`CHECK_TIMEOUT`]) is skipped until a ping succeeds again, and with none answering reads
//! go to the primary. A replica replays the primary's writes a little later (milliseconds
//! on one machine): a read right after another request's write may not see it yet, and the
//! answer cache keys each answer by the data version of the replica that computed it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::graphql::AppSchema;

/// How often each replica is pinged.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);
/// A ping slower than this counts as a failure.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// One replica: its pool and the schema that reads through it.
pub struct Replica {
    /// The URL without credentials, for the logs.
    pub name: String,
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    up: AtomicBool,
}

/// The replicas, taken in turn.
#[derive(Default)]
pub struct Replicas {
    list: Vec<Replica>,
    next: AtomicUsize,
}

impl Replicas {
    /// Replicas over `pools` (name, pool, schema); each counts as down until its first ping.
    pub fn new(pools: Vec<(String, DatabaseConnection, AppSchema)>) -> Self {
        Self {
            list: pools
                .into_iter()
                .map(|(name, db, schema)| Replica {
                    name,
                    db,
                    schema,
                    up: AtomicBool::new(false),
                })
                .collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The next replica that answered its last ping, if any.
    pub fn pick(&self) -> Option<&Replica> {
        let n = self.list.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..n)
            .map(|i| &self.list[(start + i) % n])
            .find(|r| r.up.load(Ordering::Relaxed))
    }

    /// Pings every replica once, marking it up or down.
    pub async fn check(&self) {
        for r in &self.list {
            let ok = matches!(tokio::time::timeout(CHECK_TIMEOUT, r.db.ping()).await, Ok(Ok(())));
            if r.up.swap(ok, Ordering::Relaxed) != ok {
                if ok {
                    tracing::info!(replica = %r.name, "read replica answers: reads go to it");
                } else {
                    tracing::warn!(replica = %r.name, "read replica does not answer: skipped until it does");
                }
            }
        }
    }

    /// Pings the replicas every [`CHECK_EVERY`], for as long as the process runs.
    pub fn watch(self: &Arc<Self>) {
        let replicas = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECK_EVERY);
            loop {
                tick.tick().await;
                replicas.check().await;
            }
        });
    }
}

/// `url` without its password, for the logs.
pub fn display_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
