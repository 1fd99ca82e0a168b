//! `api_key`: a named key of a partner, stored as the SHA-256 of the key only.

use super::enums::KeyScope;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub scope: KeyScope,
    /// Lower-case hex SHA-256 of the key as the client sends it.
    #[sea_orm(unique)]
    pub key_hash: String,
    pub created_at: DateTimeUtc,
    /// Last request that presented the key (updated at most once a minute).
    pub last_used_at: Option<DateTimeUtc>,
    /// Set by `keys revoke`; a revoked key is refused.
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
