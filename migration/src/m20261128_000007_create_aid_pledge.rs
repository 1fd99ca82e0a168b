use sea_orm_migration::sea_orm::sea_query::{Check, ExprTrait};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{QUALIFIERS, fk, index, not_negative, one_of, sane_year};
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
                    .table(AidPledge::Table)
                    .if_not_exists()
                    .col(pk_auto(AidPledge::Id))
                    .col(integer_null(AidPledge::DonorCountryId))
                    .col(integer_null(AidPledge::DonorOrganizationId))
                    .col(integer(AidPledge::RecipientId))
                    .col(double(AidPledge::Amount))
                    .col(string_len(AidPledge::Currency, 3))
                    .col(string_len(AidPledge::Kind, 12))
                    .col(date_null(AidPledge::AnnouncedOn))
                    .col(integer_null(AidPledge::PeriodStartYear))
                    .col(integer_null(AidPledge::PeriodEndYear))
                    .col(text_null(AidPledge::Purpose))
                    .col(string_len(AidPledge::Qualifier, 11).default("EXACT"))
                    .col(integer_null(AidPledge::SourceId))
                    .col(text_null(AidPledge::Note))
                    .foreign_key(&mut fk(
                        "fk_aid_pledge_donor_country",
                        AidPledge::Table,
                        AidPledge::DonorCountryId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_aid_pledge_donor_organization",
                        AidPledge::Table,
                        AidPledge::DonorOrganizationId,
                        Organization::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_aid_pledge_recipient",
                        AidPledge::Table,
                        AidPledge::RecipientId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_aid_pledge_source",
                        AidPledge::Table,
                        AidPledge::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Check::named(
                        "ck_aid_pledge_one_donor",
                        Expr::col(AidPledge::DonorCountryId)
                            .is_null()
                            .ne(Expr::col(AidPledge::DonorOrganizationId).is_null()),
                    ))
                    .check(not_negative("ck_aid_pledge_amount", AidPledge::Amount))
                    .check(one_of(
                        "ck_aid_pledge_kind",
                        AidPledge::Kind,
                        &["PLEDGE", "COMMITMENT", "DISBURSEMENT"],
                    ))
                    .check(one_of("ck_aid_pledge_qualifier", AidPledge::Qualifier, QUALIFIERS))
                    .check(sane_year("ck_aid_pledge_start_year", AidPledge::PeriodStartYear))
                    .check(sane_year("ck_aid_pledge_end_year", AidPledge::PeriodEndYear))
                    .check(Check::named(
                        "ck_aid_pledge_period",
                        Expr::col(AidPledge::PeriodEndYear).gte(Expr::col(AidPledge::PeriodStartYear)),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_aid_pledge_recipient",
                AidPledge::Table,
                [AidPledge::RecipientId, AidPledge::PeriodStartYear],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_aid_pledge_donor_country",
                AidPledge::Table,
                [AidPledge::DonorCountryId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_aid_pledge_donor_organization",
                AidPledge::Table,
                [AidPledge::DonorOrganizationId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_aid_pledge_source",
                AidPledge::Table,
                [AidPledge::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AidPledge::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum AidPledge {
    Table,
    Id,
    DonorCountryId,
    DonorOrganizationId,
    RecipientId,
    Amount,
    Currency,
    Kind,
    AnnouncedOn,
    PeriodStartYear,
    PeriodEndYear,
    Purpose,
    Qualifier,
    SourceId,
    Note,
}
