//! `aid_pledge`: aid announced, committed or disbursed by a country or an organisation.

use super::enums::{AidKind, Qualifier};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "aid_pledge")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Exactly one of `donor_country_id` and `donor_organization_id` is set.
    pub donor_country_id: Option<i32>,
    pub donor_organization_id: Option<i32>,
    pub recipient_id: i32,
    pub amount: f64,
    /// ISO 4217 code of `amount`.
    pub currency: String,
    pub kind: AidKind,
    pub announced_on: Option<Date>,
    pub period_start_year: Option<i32>,
    pub period_end_year: Option<i32>,
    pub purpose: Option<String>,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
    /// The aid row this one fulfils (a commitment or disbursement of a pledge); same donor and
    /// recipient, never a cycle.
    pub fulfils: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::DonorCountryId",
        to = "super::country::Column::Id"
    )]
    DonorCountry,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::DonorOrganizationId",
        to = "super::organization::Column::Id"
    )]
    DonorOrganization,
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::RecipientId",
        to = "super::country::Column::Id"
    )]
    Recipient,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id"
    )]
    Source,
}

impl ActiveModelBehavior for ActiveModel {}
