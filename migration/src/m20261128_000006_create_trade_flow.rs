use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{FLOWS, QUALIFIERS, fk, index, not_negative, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;
use crate::m20261128_000002_create_country::Country;
use crate::m20261128_000005_create_commodity::Commodity;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TradeFlow::Table)
                    .if_not_exists()
                    .col(big_pk_auto(TradeFlow::Id))
                    .col(integer(TradeFlow::ReporterId))
                    .col(integer(TradeFlow::PartnerId))
                    .col(integer(TradeFlow::Year))
                    .col(integer(TradeFlow::CommodityId))
                    .col(string_len(TradeFlow::Flow, 2))
                    .col(double(TradeFlow::ValueUsd))
                    .col(double_null(TradeFlow::Quantity))
                    .col(string_null(TradeFlow::QuantityUnit))
                    .col(string_len(TradeFlow::Qualifier, 11).default("EXACT"))
                    .col(integer_null(TradeFlow::SourceId))
                    .col(text_null(TradeFlow::Note))
                    .foreign_key(&mut fk(
                        "fk_trade_flow_reporter",
                        TradeFlow::Table,
                        TradeFlow::ReporterId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_flow_partner",
                        TradeFlow::Table,
                        TradeFlow::PartnerId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_flow_commodity",
                        TradeFlow::Table,
                        TradeFlow::CommodityId,
                        Commodity::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_trade_flow_source",
                        TradeFlow::Table,
                        TradeFlow::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of("ck_trade_flow_flow", TradeFlow::Flow, FLOWS))
                    .check(one_of("ck_trade_flow_qualifier", TradeFlow::Qualifier, QUALIFIERS))
                    .check(sane_year("ck_trade_flow_year", TradeFlow::Year))
                    .check(not_negative("ck_trade_flow_value", TradeFlow::ValueUsd))
                    .check(not_negative("ck_trade_flow_quantity", TradeFlow::Quantity))
                    .to_owned(),
            )
            .await?;
        // The natural key; also serves every query that filters by reporter (and year).
        manager
            .create_index(index(
                "ux_trade_flow_key",
                TradeFlow::Table,
                [
                    TradeFlow::ReporterId,
                    TradeFlow::Year,
                    TradeFlow::CommodityId,
                    TradeFlow::Flow,
                    TradeFlow::PartnerId,
                ],
                true,
            ))
            .await?;
        // Queries by partner (mirror figures, "who trades with X").
        manager
            .create_index(index(
                "ix_trade_flow_partner_year",
                TradeFlow::Table,
                [TradeFlow::PartnerId, TradeFlow::Year],
                false,
            ))
            .await?;
        // Queries by year or commodity alone.
        manager
            .create_index(index(
                "ix_trade_flow_year_commodity",
                TradeFlow::Table,
                [TradeFlow::Year, TradeFlow::CommodityId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_trade_flow_commodity",
                TradeFlow::Table,
                [TradeFlow::CommodityId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_trade_flow_source",
                TradeFlow::Table,
                [TradeFlow::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TradeFlow::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum TradeFlow {
    Table,
    Id,
    ReporterId,
    PartnerId,
    Year,
    CommodityId,
    Flow,
    ValueUsd,
    Quantity,
    QuantityUnit,
    Qualifier,
    SourceId,
    Note,
}
