//! `partner_share`: a partner's share of a reporter's exports or imports as a source states it
//! (the partner may be a country or an organisation such as the EU).

use super::enums::{FlowKind, Qualifier};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_share")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reporter_id: i32,
    /// Exactly one of `partner_country_id` and `partner_organization_id` is set.
    pub partner_country_id: Option<i32>,
    pub partner_organization_id: Option<i32>,
    pub year: Option<i32>,
    pub flow: FlowKind,
    /// Fraction in 0..1.
    pub share: f64,
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
        from = "Column::PartnerCountryId",
        to = "super::country::Column::Id"
    )]
    PartnerCountry,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::PartnerOrganizationId",
        to = "super::organization::Column::Id"
    )]
    PartnerOrganization,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
