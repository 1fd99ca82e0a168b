use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{QUALIFIERS, fk, index, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;
use crate::m20261128_000002_create_country::Country;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Indicator::Table)
                    .if_not_exists()
                    .col(pk_auto(Indicator::Id))
                    .col(integer(Indicator::CountryId))
                    .col(integer(Indicator::Year))
                    .col(string_len(Indicator::Code, 40))
                    .col(double(Indicator::Value))
                    .col(string_len(Indicator::Qualifier, 11).default("EXACT"))
                    .col(integer_null(Indicator::SourceId))
                    .col(text_null(Indicator::Note))
                    .foreign_key(&mut fk(
                        "fk_indicator_country",
                        Indicator::Table,
                        Indicator::CountryId,
                        Country::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_indicator_source",
                        Indicator::Table,
                        Indicator::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of("ck_indicator_qualifier", Indicator::Qualifier, QUALIFIERS))
                    .check(sane_year("ck_indicator_year", Indicator::Year))
                    .to_owned(),
            )
            .await?;
        // Natural key; also the lookup path (country, code, year) and "latest year before".
        manager
            .create_index(index(
                "ux_indicator_key",
                Indicator::Table,
                [Indicator::CountryId, Indicator::Code, Indicator::Year],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_indicator_source",
                Indicator::Table,
                [Indicator::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Indicator::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Indicator {
    Table,
    Id,
    CountryId,
    Year,
    Code,
    Value,
    Qualifier,
    SourceId,
    Note,
}
