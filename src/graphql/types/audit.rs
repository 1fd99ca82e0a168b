use async_graphql::connection::{Connection, CursorType, EmptyFields};
use async_graphql::{Context, Object, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::audit_log;

use crate::error::GqlResult;
use crate::graphql::db;

/// One write through the API.
pub struct AuditEntry(pub audit_log::Model);

/// Relay connection over the audit log, newest first.
pub type AuditLogConnection = Connection<AuditCursor, AuditEntry, AuditTotal, EmptyFields>;

/// Opaque cursor of an audit entry.
pub struct AuditCursor(pub i64);

impl CursorType for AuditCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| "invalid cursor")?;
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| t.strip_prefix("audit:"))
            .and_then(|n| n.parse().ok())
            .map(Self)
            .ok_or("invalid cursor")
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("audit:{}", self.0))
    }
}

/// Extra fields of the audit-log connection.
pub struct AuditTotal;

#[Object]
impl AuditTotal {
    /// Number of entries, over all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<u64> {
        crate::service::audit::count(db(ctx)?).await.gql()
    }
}

#[Object]
impl AuditEntry {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::AuditEntry, self.0.id)
    }
    /// Name of the API key that wrote.
    async fn key_name(&self) -> &str {
        &self.0.key_name
    }
    /// The mutation, e.g. `upsertTradeFlows`.
    async fn mutation(&self) -> &str {
        &self.0.mutation
    }
    /// Rows inserted.
    async fn inserted(&self) -> i32 {
        self.0.inserted
    }
    /// Rows updated.
    async fn updated(&self) -> i32 {
        self.0.updated
    }
    /// When the write was committed (UTC).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}
