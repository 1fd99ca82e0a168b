//! Removes, from databases loaded by earlier versions, the bundled rows that no source
//! states: values typed from memory (population and GDP, exchange rates, Armenia's trade
//! totals) and the Armenia–Russia 2022 export/import split invented for a stated total.
//! `tradegraph load-reference` then loads their sourced replacements. On a fresh database
//! there is nothing to remove.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Sources whose bundled rows were recorded from memory, not from a file.
const RETIRED: &str = "'wb-wdi', 'armstat-2021', 'armstat-comtrade', 'ecb-eurofxref', 'convention-usd', \
                       'cba-exchange-rates', 'cbr-exchange-rates'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let retired = format!("SELECT id FROM source WHERE key IN ({RETIRED})");
        for table in ["trade_flow", "indicator", "exchange_rate"] {
            db.execute_unprepared(&format!("DELETE FROM {table} WHERE source_id IN ({retired})"))
                .await?;
        }
        // The split of the document's 2022 total (it states only US$5.3 billion).
        db.execute_unprepared(
            "DELETE FROM trade_flow WHERE year = 2022 AND qualifier = 'ESTIMATE' \
               AND reporter_id IN (SELECT id FROM country WHERE iso3 = 'ARM') \
               AND partner_id IN (SELECT id FROM country WHERE iso3 = 'RUS') \
               AND source_id IN (SELECT id FROM source WHERE key = 'rb-russia-armenia-2024')",
        )
        .await?;
        db.execute_unprepared(&format!("DELETE FROM source WHERE key IN ({RETIRED})"))
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Values no source states are not put back.
        Ok(())
    }
}
