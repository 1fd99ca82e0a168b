use async_graphql::connection::{CursorType, Edge};
use async_graphql::{Context, Object, Result};
use entity::enums::KeyScope;

use crate::error::{Error, GqlResult};
use crate::graphql::types::{AuditCursor, AuditEntry, AuditLogConnection, AuditTotal};
use crate::graphql::{caller, db, page_size};
use crate::service::audit;

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every write through the API, newest first. Needs an `admin` key.
    #[graphql(complexity = "crate::graphql::list_cost(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last entry of the previous page.")] after: Option<String>,
    ) -> Result<AuditLogConnection> {
        caller(ctx).require(KeyScope::Admin).gql()?;
        let first = page_size(first)?;
        let after = after
            .map(|c| AuditCursor::decode_cursor(&c).map_err(|_| Error::bad_input("invalid `after` cursor")))
            .transpose()
            .gql()?;
        let mut rows = audit::list(db(ctx)?, after.as_ref().map(|a| a.0), first as u64 + 1)
            .await
            .gql()?;
        let has_next = rows.len() > first;
        rows.truncate(first);
        let mut conn = AuditLogConnection::with_additional_fields(after.is_some(), has_next, AuditTotal);
        conn.edges = rows
            .into_iter()
            .map(|row| Edge::new(AuditCursor(row.id), AuditEntry(row)))
            .collect();
        Ok(conn)
    }
}
