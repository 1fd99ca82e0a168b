use sea_orm_migration::sea_orm::sea_query::{Check, ExprTrait};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{FLOWS, QUALIFIERS, fk, fraction, index, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;
use crate::m20261128_000002_create_country::Country;
use crate::m20261128_000003_create_organization::Organization;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PartnerShare::Table)
                    .if_not_exists()
                    .col(pk_auto(PartnerShare::Id))
                    .col(integer(PartnerShare::ReporterId))
                    .col(integer_null(PartnerShare::PartnerCountryId))
                    .col(integer_null(PartnerShare::PartnerOrganizationId))
                    .col(integer_null(PartnerShare::Year))
                    .col(string_len(PartnerShare::Flow, 2))
                    .col(double(PartnerShare::Share))
                    .col(string_len(PartnerShare::Qualifier, 11).default("EXACT"))
                    .col(integer_null(PartnerShare::SourceId))
                    .col(text_null(PartnerShare::Note))
                    .foreign_key(&mut fk(
                        "fk_partner_share_reporter",
                        PartnerShare::Table,
                        PartnerShare::ReporterId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_partner_share_partner_country",
                        PartnerShare::Table,
                        PartnerShare::PartnerCountryId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_partner_share_partner_organization",
                        PartnerShare::Table,
                        PartnerShare::PartnerOrganizationId,
                        Organization::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_partner_share_source",
                        PartnerShare::Table,
                        PartnerShare::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Check::named(
                        "ck_partner_share_one_partner",
                        Expr::col(PartnerShare::PartnerCountryId)
                            .is_null()
                            .ne(Expr::col(PartnerShare::PartnerOrganizationId).is_null()),
                    ))
                    .check(one_of("ck_partner_share_flow", PartnerShare::Flow, FLOWS))
                    .check(one_of(
                        "ck_partner_share_qualifier",
                        PartnerShare::Qualifier,
                        QUALIFIERS,
                    ))
                    .check(fraction("ck_partner_share_share", PartnerShare::Share))
                    .check(sane_year("ck_partner_share_year", PartnerShare::Year))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_partner_share_reporter",
                PartnerShare::Table,
                [PartnerShare::ReporterId, PartnerShare::Year],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_partner_share_partner_country",
                PartnerShare::Table,
                [PartnerShare::PartnerCountryId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_partner_share_partner_organization",
                PartnerShare::Table,
                [PartnerShare::PartnerOrganizationId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_partner_share_source",
                PartnerShare::Table,
                [PartnerShare::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PartnerShare::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum PartnerShare {
    Table,
    Id,
    ReporterId,
    PartnerCountryId,
    PartnerOrganizationId,
    Year,
    Flow,
    Share,
    Qualifier,
    SourceId,
    Note,
}
