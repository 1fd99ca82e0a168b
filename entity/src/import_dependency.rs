//! `import_dependency`: a stated share of an importer's imports (or supply) from one supplier.

use super::enums::{DependencyBasis, Qualifier, Sector};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_dependency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub importer_id: i32,
    pub supplier_id: i32,
    pub sector: Sector,
    pub product: String,
    pub year: Option<i32>,
    /// Fraction in 0..1.
    pub share: f64,
    pub basis: DependencyBasis,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::ImporterId",
        to = "super::country::Column::Id"
    )]
    Importer,
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::SupplierId",
        to = "super::country::Column::Id"
    )]
    Supplier,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
