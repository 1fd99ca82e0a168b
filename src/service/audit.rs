//! Reading the audit log.

use entity::audit_log;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::Result;

/// Up to `limit` entries older than `before` (an id), newest first.
pub async fn list(db: &DatabaseConnection, before: Option<i64>, limit: u64) -> Result<Vec<audit_log::Model>> {
    let mut q = audit_log::Entity::find();
    if let Some(id) = before {
        q = q.filter(audit_log::Column::Id.lt(id));
    }
    Ok(q.order_by_desc(audit_log::Column::Id).limit(limit).all(db).await?)
}

/// Number of entries.
pub async fn count(db: &DatabaseConnection) -> Result<u64> {
    Ok(audit_log::Entity::find().count(db).await?)
}
