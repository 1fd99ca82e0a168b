//! `dependency_commodity`: the HS codes a stated import dependency's product corresponds to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dependency_commodity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_dependency_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub commodity_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::import_dependency::Entity",
        from = "Column::ImportDependencyId",
        to = "super::import_dependency::Column::Id"
    )]
    ImportDependency,
    #[sea_orm(
        belongs_to = "super::commodity::Entity",
        from = "Column::CommodityId",
        to = "super::commodity::Column::Id"
    )]
    Commodity,
}

impl ActiveModelBehavior for ActiveModel {}
