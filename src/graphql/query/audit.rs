use async_graphql::connection::Edge;
use async_graphql::{Context, Object, Result};
use entity::enums::KeyScope;

use crate::error::GqlResult;
use crate::graphql::paging::paging;
use crate::graphql::types::{AuditCursor, AuditEntry, AuditLogConnection, AuditTotal};
use crate::graphql::{caller, db};
use crate::service::audit;

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every write through the API, newest first. Needs an `admin` key.
    #[graphql(complexity = "crate::graphql::list_cost(first.or(last), child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (newest): default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Only entries after (older than) this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (oldest), instead of `first`; at most 1000.")] last: Option<i32>,
        #[graphql(desc = "Only entries before (newer than) this cursor.")] before: Option<String>,
    ) -> Result<AuditLogConnection> {
        caller(ctx).require(KeyScope::Admin).gql()?;
        let paging = paging::<AuditCursor>(first, after, last, before)?;
        let rows = audit::list(db(ctx)?, &paging.window(|c| c.0)).await.gql()?;
        let (rows, has_previous, has_next) = paging.finish(rows);
        let mut conn = AuditLogConnection::with_additional_fields(has_previous, has_next, AuditTotal);
        conn.edges = rows
            .into_iter()
            .map(|row| Edge::new(AuditCursor(row.id), AuditEntry(row)))
            .collect();
        Ok(conn)
    }
}
