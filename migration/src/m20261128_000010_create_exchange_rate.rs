use sea_orm_migration::sea_orm::sea_query::{Check, ExprTrait};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{QUALIFIERS, fk, index, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExchangeRate::Table)
                    .if_not_exists()
                    .col(pk_auto(ExchangeRate::Id))
                    .col(string_len(ExchangeRate::Currency, 3))
                    .col(integer(ExchangeRate::Year))
                    .col(double(ExchangeRate::UsdPerUnit))
                    .col(string_len(ExchangeRate::Qualifier, 11).default("EXACT"))
                    .col(integer_null(ExchangeRate::SourceId))
                    .col(text_null(ExchangeRate::Note))
                    .foreign_key(&mut fk(
                        "fk_exchange_rate_source",
                        ExchangeRate::Table,
                        ExchangeRate::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of(
                        "ck_exchange_rate_qualifier",
                        ExchangeRate::Qualifier,
                        QUALIFIERS,
                    ))
                    .check(sane_year("ck_exchange_rate_year", ExchangeRate::Year))
                    .check(Check::named(
                        "ck_exchange_rate_positive",
                        Expr::col(ExchangeRate::UsdPerUnit).gt(0),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_exchange_rate_key",
                ExchangeRate::Table,
                [ExchangeRate::Currency, ExchangeRate::Year],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_exchange_rate_source",
                ExchangeRate::Table,
                [ExchangeRate::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExchangeRate::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum ExchangeRate {
    Table,
    Id,
    Currency,
    Year,
    UsdPerUnit,
    Qualifier,
    SourceId,
    Note,
}
