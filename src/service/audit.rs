//! Reading the audit log.

use entity::audit_log;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use super::page::Window;
use crate::error::Result;

/// The entries in `window` of the log, newest first.
pub async fn list(db: &DatabaseConnection, window: &Window) -> Result<Vec<audit_log::Model>> {
    Ok(window
        .apply(audit_log::Entity::find(), audit_log::Column::Id, true)
        .all(db)
        .await?)
}

/// Number of entries.
pub async fn count(db: &DatabaseConnection) -> Result<u64> {
    Ok(audit_log::Entity::find().count(db).await?)
}
