//! `audit_log`: one row per write through the API.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Name of the API key that wrote.
    pub key_name: String,
    /// The mutation field, e.g. `upsertTradeFlows`.
    pub mutation: String,
    pub inserted: i32,
    pub updated: i32,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
