//! The answer cache: the JSON answers of read operations, kept in memory by what decides them
//! — the normalised document (or the persisted query's hash), the operation name, the
//! variables and the caller's scope — and stamped with the data version they were computed at.
//!
//! Each request reads the data version once (`service::version::data_version`, one statement
//! on the shared database), so an entry is served only while no write has committed since it
//! was computed, whichever process wrote: no process serves an answer older than a write it
//! could see. The version also makes the `ETag` of a GET answer (`W/"<key>-<version>-<media>"`),
//! so an `If-None-Match` that names the current one is answered 304 without running anything.
//!
//! When the version moves, the reference tables in memory (`RefCache`) are reloaded before the
//! request runs, so an answer computed after a write to a country or a source reflects it.
//!
//! Memory is bounded by the answers' bytes (`TRADEGRAPH_CACHE_MAX_MB`); only answers without
//! errors are kept.

mod normalise;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, VARY};
use axum::http::{HeaderMap, HeaderValue};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

pub use normalise::normalise;

use super::graphql_request::Media;
use crate::reference::RefCache;
use crate::service::keys::Caller;
use crate::service::version::data_version;

/// What decides an answer, hashed (SHA-256, first 128 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u128);

/// A cached answer.
struct Entry {
    version: i64,
    body: Bytes,
}

/// Weighs an entry by its bytes (plus the bookkeeping of one entry).
#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<Key, Arc<Entry>> for ByBytes {
    fn weight(&self, _key: &Key, entry: &Arc<Entry>) -> u64 {
        entry.body.len() as u64 + 96
    }
}

/// The answers of this process.
pub struct AnswerCache {
    entries: quick_cache::sync::Cache<Key, Arc<Entry>, ByBytes>,
    /// `Cache-Control: max-age` of a cacheable GET answer, in seconds.
    max_age_s: u64,
    /// The data version the reference tables in memory were last reloaded at.
    refs_version: AtomicI64,
    refresh: tokio::sync::Mutex<()>,
}

impl AnswerCache {
    /// A cache of at most `max_bytes` of answers; `None` when 0 (no cache).
    pub fn new(max_bytes: u64, max_age_s: u64) -> Option<Self> {
        (max_bytes > 0).then(|| Self {
            // Q1's answer is about 20 kB; the estimate only sizes the hash table.
            entries: quick_cache::sync::Cache::with_weighter(
                usize::try_from(max_bytes / 4096).unwrap_or(1024).max(16),
                max_bytes,
                ByBytes,
            ),
            max_age_s,
            refs_version: AtomicI64::new(i64::MIN),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    /// The key of a request, from what decides its answer.
    pub fn key(request: &async_graphql::Request, caller: &Caller) -> Key {
        let mut h = Sha256::new();
        if request.query.is_empty() {
            // A persisted query by hash alone: the hash names the document.
            h.update(b"apq\0");
            if let Some(p) = request.extensions.get("persistedQuery") {
                h.update(p.to_string().as_bytes());
            }
        } else {
            h.update(b"doc\0");
            h.update(normalise(&request.query).as_bytes());
        }
        h.update(b"\0op\0");
        h.update(request.operation_name.as_deref().unwrap_or("").as_bytes());
        h.update(b"\0vars\0");
        h.update(serde_json::to_string(&request.variables).unwrap_or_default().as_bytes());
        h.update(b"\0scope\0");
        h.update(match caller {
            Caller::Key(k) => k.scope.as_str().as_bytes(),
            _ => b"anonymous",
        });
        let digest = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        Key(u128::from_be_bytes(first))
    }

    /// The current data version of `db` (the primary, or the replica that will answer);
    /// when it moved since the reference tables were last loaded, reloads them from the
    /// primary first (one request reloads, the others wait for it).
    pub async fn version(
        &self,
        db: &DatabaseConnection,
        primary: &DatabaseConnection,
        refs: &RefCache,
    ) -> crate::error::Result<i64> {
        let version = data_version(db).await?;
        if self.refs_version.load(Ordering::Acquire) < version {
            let _one = self.refresh.lock().await;
            if self.refs_version.load(Ordering::Acquire) < version {
                refs.refresh(primary).await?;
                self.refs_version.fetch_max(version, Ordering::AcqRel);
            }
        }
        Ok(version)
    }

    /// The answer of `key` computed at `version`, if kept.
    pub fn get(&self, key: Key, version: i64) -> Option<Bytes> {
        self.entries
            .get(&key)
            .filter(|e| e.version == version)
            .map(|e| e.body.clone())
    }

    /// Keeps the answer of `key` computed at `version`.
    pub fn insert(&self, key: Key, version: i64, body: Bytes) {
        self.entries.insert(key, Arc::new(Entry { version, body }));
    }

    /// Bytes of answers kept.
    pub fn weight(&self) -> u64 {
        self.entries.weight()
    }

    /// The validator of an answer: its key, the data version and the media type.
    pub fn etag(key: Key, version: i64, media: Media) -> HeaderValue {
        let media = match media {
            Media::GraphqlResponse => 'g',
            Media::Json => 'j',
        };
        HeaderValue::from_str(&format!("W/\"{:032x}-{version}-{media}\"", key.0))
            .unwrap_or_else(|_| HeaderValue::from_static("W/\"\""))
    }

    /// Whether `If-None-Match` names `etag` (or is `*`), compared weakly as RFC 9110 asks.
    pub fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
        let strip = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        let Ok(ours) = etag.to_str().map(strip) else {
            return false;
        };
        headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim() == "*" || strip(t) == ours)
    }

    /// The caching headers of a cacheable GET answer: `ETag`, `Cache-Control` (`private`
    /// when the request presented a key, whose answers no shared cache may keep) and `Vary`.
    pub fn headers(&self, headers: &mut HeaderMap, etag: HeaderValue, keyed: bool) {
        let visibility = if keyed { "private" } else { "public" };
        if let Ok(v) = HeaderValue::from_str(&format!("{visibility}, max-age={}", self.max_age_s)) {
            headers.insert(CACHE_CONTROL, v);
        }
        headers.insert(ETAG, etag);
        headers.append(VARY, HeaderValue::from_static("Accept, Authorization"));
    }
}
