//! The store of Apollo persisted queries: an LRU in this process, and with Redis
//! (`crate::shared`) a store every process shares, so a query registered through one server
//! is known to all. Documents are kept as parsed (JSON of the parsed document), under their
//! SHA-256, for [`SHARED_TTL`]; only documents that passed the limits reach the store.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::parser::types::ExecutableDocument;

use super::PERSISTED_QUERIES;
use crate::shared::Shared;

/// How long a persisted query stays in Redis after it was last registered.
pub const SHARED_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Persisted queries: this process's, then the shared ones.
#[derive(Clone)]
pub struct PersistedQueries {
    local: LruCacheStorage,
    shared: Option<Arc<Shared>>,
}

impl PersistedQueries {
    pub fn new(shared: Option<Arc<Shared>>) -> Self {
        Self {
            local: LruCacheStorage::new(PERSISTED_QUERIES),
            shared,
        }
    }
}

#[async_trait::async_trait]
impl CacheStorage for PersistedQueries {
    async fn get(&self, key: String) -> Option<ExecutableDocument> {
        if let Some(doc) = self.local.get(key.clone()).await {
            return Some(doc);
        }
        let shared = self.shared.as_ref()?;
        let bytes = shared.get(&shared.key(&format!("apq:{key}"))).await??;
        let doc: ExecutableDocument = serde_json::from_slice(&bytes).ok()?;
        self.local.set(key, doc.clone()).await;
        Some(doc)
    }

    async fn set(&self, key: String, doc: ExecutableDocument) {
        if let Some(shared) = &self.shared
            && let Ok(json) = serde_json::to_vec(&doc)
        {
            shared.set(&shared.key(&format!("apq:{key}")), &json, SHARED_TTL).await;
        }
        self.local.set(key, doc).await;
    }
}
