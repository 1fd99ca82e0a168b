//! `source`: where a stored figure comes from.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable textual key (`wb-wdi`, `rb-russia-armenia-2024`), used by the bundled CSVs.
    #[sea_orm(unique)]
    pub key: String,
    pub publisher: String,
    pub title: String,
    pub year: Option<i32>,
    pub url: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
