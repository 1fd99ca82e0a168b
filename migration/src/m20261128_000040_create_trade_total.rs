use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{QUALIFIERS, fk, index, not_negative, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;
use crate::m20261128_000002_create_country::Country;
use crate::m20261128_000005_create_commodity::Commodity;

/// A reporter's total trade (exports + imports) with a partner in a year, as a source states
/// it when it gives no split ("trade between Armenia and Russia reached US$5.3 billion").
/// Natural key: reporter, partner, year, commodity.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TradeTotal::Table)
                    .if_not_exists()
                    .col(pk_auto(TradeTotal::Id))
                    .col(integer(TradeTotal::ReporterId))
                    .col(integer(TradeTotal::PartnerId))
                    .col(integer(TradeTotal::Year))
                    .col(integer(TradeTotal::CommodityId))
                    .col(double(TradeTotal::ValueUsd))
                    .col(string_len(TradeTotal::Qualifier, 11).default("EXACT"))
                    .col(integer_null(TradeTotal::SourceId))
                    .col(text_null(TradeTotal::Note))
                    .foreign_key(&mut fk(
                        "fk_trade_total_reporter",
                        TradeTotal::Table,
                        TradeTotal::ReporterId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_total_partner",
                        TradeTotal::Table,
                        TradeTotal::PartnerId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_total_commodity",
                        TradeTotal::Table,
                        TradeTotal::CommodityId,
                        Commodity::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_total_source",
                        TradeTotal::Table,
                        TradeTotal::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of("ck_trade_total_qualifier", TradeTotal::Qualifier, QUALIFIERS))
                    .check(sane_year("ck_trade_total_year", TradeTotal::Year))
                    .check(not_negative("ck_trade_total_value", TradeTotal::ValueUsd))
                    .to_owned(),
            )
            .await?;
        // The natural key; also serves `tradeWith`, which reads by reporter and partner.
        manager
            .create_index(index(
                "ux_trade_total_key",
                TradeTotal::Table,
                [
                    TradeTotal::ReporterId,
                    TradeTotal::PartnerId,
                    TradeTotal::CommodityId,
                    TradeTotal::Year,
                ],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_trade_total_source",
                TradeTotal::Table,
                [TradeTotal::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TradeTotal::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum TradeTotal {
    Table,
    Id,
    ReporterId,
    PartnerId,
    Year,
    CommodityId,
    ValueUsd,
    Qualifier,
    SourceId,
    Note,
}
