//! `exchange_rate`: yearly average USD value of one unit of a currency.

use super::enums::Qualifier;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_rate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// ISO 4217 code.
    pub currency: String,
    pub year: i32,
    pub usd_per_unit: f64,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
