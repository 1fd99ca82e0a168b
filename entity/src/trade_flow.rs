//! `trade_flow`: value of goods a reporter traded with a partner in a year.

use super::enums::{FlowKind, Qualifier};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trade_flow")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reporter_id: i32,
    pub partner_id: i32,
    pub year: i32,
    pub commodity_id: i32,
    pub flow: FlowKind,
    pub value_usd: f64,
    pub quantity: Option<f64>,
    pub quantity_unit: Option<String>,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::ReporterId",
        to = "super::country::Column::Id"
    )]
    Reporter,
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::PartnerId",
        to = "super::country::Column::Id"
    )]
    Partner,
    #[sea_orm(
        belongs_to = "super::commodity::Entity",
        from = "Column::CommodityId",
        to = "super::commodity::Column::Id"
    )]
    Commodity,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
