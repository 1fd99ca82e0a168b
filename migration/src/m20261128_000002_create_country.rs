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
                    .table(Country::Table)
                    .if_not_exists()
                    .col(pk_auto(Country::Id))
                    .col(string_len_uniq(Country::Iso3, 3))
                    .col(string_len_uniq(Country::Iso2, 2))
                    .col(string_len(Country::NumericCode, 3))
                    .col(string(Country::Name))
                    .col(string_null(Country::OfficialName))
                    .col(string_null(Country::Region))
                    .col(string_null(Country::Subregion))
                    .col(boolean(Country::Landlocked).default(false))
                    .col(boolean(Country::IsAggregate).default(false))
                    .col(integer_null(Country::SourceId))
                    .foreign_key(&mut fk(
                        "fk_country_source",
                        Country::Table,
                        Country::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_country_region", Country::Table, [Country::Region], false))
            .await?;
        manager
            .create_index(index("ix_country_source", Country::Table, [Country::SourceId], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Country::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Country {
    Table,
    Id,
    Iso3,
    Iso2,
    NumericCode,
    Name,
    OfficialName,
    Region,
    Subregion,
    Landlocked,
    IsAggregate,
    SourceId,
}
