//! `trade_total`: a reporter's total trade (exports + imports) with a partner in a year, as a
//! source states it without the split. `tradeWith` answers it when the flows do not give
//! both sides.

use super::enums::Qualifier;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trade_total")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reporter_id: i32,
    pub partner_id: i32,
    pub year: i32,
    pub commodity_id: i32,
    pub value_usd: f64,
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
