//! `indicator`: a yearly country figure (POPULATION, GDP_USD, REMITTANCES_USD, …).

use super::enums::Qualifier;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_id: i32,
    pub year: i32,
    pub code: String,
    pub value: f64,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::CountryId",
        to = "super::country::Column::Id"
    )]
    Country,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
