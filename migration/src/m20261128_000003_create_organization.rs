use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};
use crate::m20261128_000001_create_source::Source;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .if_not_exists()
                    .col(pk_auto(Organization::Id))
                    .col(string_uniq(Organization::Code))
                    .col(string(Organization::Name))
                    .col(string_null(Organization::FullName))
                    .col(date_null(Organization::Founded))
                    .col(string_null(Organization::Url))
                    .col(integer_null(Organization::SourceId))
                    .foreign_key(&mut fk(
                        "fk_organization_source",
                        Organization::Table,
                        Organization::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_organization_source",
                Organization::Table,
                [Organization::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organization::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Organization {
    Table,
    Id,
    Code,
    Name,
    FullName,
    Founded,
    Url,
    SourceId,
}
