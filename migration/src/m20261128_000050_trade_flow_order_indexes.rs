//! Indexes for `tradeFlows(orderBy:)`: each order reads an index in its (key, id) order and
//! stops after one page, with or without a reporter filter, instead of sorting every
//! matching flow. The storage order (`id`) is the primary key.

use sea_orm_migration::prelude::*;

use crate::helpers::index;
use crate::m20261128_000006_create_trade_flow::TradeFlow;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, columns) of each index.
fn indexes() -> Vec<(&'static str, Vec<TradeFlow>)> {
    use TradeFlow::{Id, ReporterId, ValueUsd, Year};
    vec![
        ("ix_trade_flow_value_id", vec![ValueUsd, Id]),
        ("ix_trade_flow_year_id", vec![Year, Id]),
        ("ix_trade_flow_reporter_value_id", vec![ReporterId, ValueUsd, Id]),
        ("ix_trade_flow_reporter_year_id", vec![ReporterId, Year, Id]),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in indexes() {
            let mut idx = index(name, TradeFlow::Table, columns, false);
            manager.create_index(idx.if_not_exists().to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in indexes() {
            manager
                .drop_index(Index::drop().name(name).table(TradeFlow::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}
