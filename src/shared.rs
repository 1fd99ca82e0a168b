//! State shared by every server process through Redis (`TRADEGRAPH_REDIS_URL`): the
//! rate-limit buckets and the persisted queries. Without it each process keeps its own.
//!
//! Redis failing (refused, or no answer within [`TIMEOUT`]) never fails a request: each
//! process falls back to what it keeps itself — its own rate-limit buckets, its own persisted
//! queries — and tries Redis again after [`RETRY`]. Rate limiting stays on (per process, as
//! without Redis) rather than failing open for everyone or closed for everyone: an outage of
//! the limiter's store should neither take the API down nor lift every budget.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, FromRedisValue, Script};

/// Longest wait for Redis before a request goes on without it (a loopback round trip is
/// about 0.1 ms).
pub const TIMEOUT: Duration = Duration::from_millis(250);
/// How long Redis is left alone after a failure.
pub const RETRY: Duration = Duration::from_secs(5);

/// A connection to Redis, made on first use, with the key prefix of this deployment.
pub struct Shared {
    client: redis::Client,
    prefix: String,
    conn: tokio::sync::OnceCell<ConnectionManager>,
    down_until: Mutex<Option<Instant>>,
}

impl Shared {
    /// Redis at `url`; every key starts with `prefix`. Connects on first use.
    pub fn new(url: &str, prefix: &str) -> Result<Self, String> {
        Ok(Self {
            client: redis::Client::open(url).map_err(|e| format!("{url:?} is not a Redis URL: {e}"))?,
            prefix: prefix.to_owned(),
            conn: tokio::sync::OnceCell::new(),
            down_until: Mutex::new(None),
        })
    }

    /// The full name of `key`.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Runs a script; `None` when Redis is not answering.
    pub async fn script<T: FromRedisValue>(&self, script: &Script, keys: &[String], args: &[i64]) -> Option<T> {
        let mut conn = self.conn().await?;
        let mut invocation = script.prepare_invoke();
        for k in keys {
            invocation.key(k);
        }
        for a in args {
            invocation.arg(*a);
        }
        self.settle(tokio::time::timeout(TIMEOUT, invocation.invoke_async(&mut conn)).await)
    }

    /// The value of `key`; `None` when Redis is not answering, `Some(None)` when unset.
    pub async fn get(&self, key: &str) -> Option<Option<Vec<u8>>> {
        let mut conn = self.conn().await?;
        self.settle(tokio::time::timeout(TIMEOUT, conn.get(key)).await)
    }

    /// Sets `key` for `ttl`; false when Redis is not answering.
    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> bool {
        let Some(mut conn) = self.conn().await else {
            return false;
        };
        self.settle::<()>(tokio::time::timeout(TIMEOUT, conn.set_ex(key, value, ttl.as_secs().max(1))).await)
            .is_some()
    }

    async fn conn(&self) -> Option<ConnectionManager> {
        let down = *self.down_until.lock().unwrap_or_else(|e| e.into_inner());
        if down.is_some_and(|t| Instant::now() < t) {
            return None;
        }
        let made = tokio::time::timeout(
            TIMEOUT,
            self.conn
                .get_or_try_init(|| ConnectionManager::new(self.client.clone())),
        )
        .await;
        self.settle(made.map(|r| r.cloned()))
    }

    /// The value of a bounded call; on failure logs it and leaves Redis alone for [`RETRY`].
    fn settle<T>(&self, result: Result<redis::RedisResult<T>, tokio::time::error::Elapsed>) -> Option<T> {
        let error = match result {
            Ok(Ok(v)) => return Some(v),
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {} ms", TIMEOUT.as_millis()),
        };
        let mut down = self.down_until.lock().unwrap_or_else(|e| e.into_inner());
        if down.is_none_or(|t| Instant::now() >= t) {
            tracing::warn!(%error, retry_s = RETRY.as_secs(), "Redis is not answering: limits and persisted queries are per process until it does");
        }
        *down = Some(Instant::now() + RETRY);
        None
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}
