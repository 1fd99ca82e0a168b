use sea_orm_migration::sea_orm::sea_query::{Check, ExprTrait};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, one_of};
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
                    .table(Membership::Table)
                    .if_not_exists()
                    .col(pk_auto(Membership::Id))
                    .col(integer(Membership::OrganizationId))
                    .col(integer(Membership::CountryId))
                    .col(string_len(Membership::Status, 10))
                    .col(date_null(Membership::Since))
                    .col(date_null(Membership::Until))
                    .col(integer_null(Membership::SourceId))
                    .col(text_null(Membership::Note))
                    .foreign_key(&mut fk(
                        "fk_membership_organization",
                        Membership::Table,
                        Membership::OrganizationId,
                        Organization::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_membership_country",
                        Membership::Table,
                        Membership::CountryId,
                        Country::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_membership_source",
                        Membership::Table,
                        Membership::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of(
                        "ck_membership_status",
                        Membership::Status,
                        &["MEMBER", "OBSERVER", "CANDIDATE", "APPLICANT", "SUSPENDED", "FORMER"],
                    ))
                    .check(Check::named(
                        "ck_membership_period",
                        Expr::col(Membership::Until).gt(Expr::col(Membership::Since)),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_membership_org_country_since",
                Membership::Table,
                [Membership::OrganizationId, Membership::CountryId, Membership::Since],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_membership_country",
                Membership::Table,
                [Membership::CountryId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_membership_source",
                Membership::Table,
                [Membership::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Membership::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Membership {
    Table,
    Id,
    OrganizationId,
    CountryId,
    Status,
    Since,
    Until,
    SourceId,
    Note,
}
