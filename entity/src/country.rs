//! `country`: ISO 3166-1 countries, plus aggregates such as `W00` World.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub iso3: String,
    #[sea_orm(unique)]
    pub iso2: String,
    /// ISO 3166-1 numeric code, three digits.
    pub numeric_code: String,
    pub name: String,
    pub official_name: Option<String>,
    pub region: Option<String>,
    pub subregion: Option<String>,
    pub landlocked: bool,
    /// True for pseudo-countries such as `W00` (World); they are not listed by `countries`.
    pub is_aggregate: bool,
    pub source_id: Option<i32>,
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

impl Related<super::source::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Source.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
