use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::graphql::types::StatedTradeTotal;
use crate::service::trade_total;

type Key = Keyed<(Option<i32>, Option<i32>)>;

/// `Country.statedTradeTotals(partner, year)`: stated totals by reporter.
pub struct StatedTotals(pub DatabaseConnection);

impl Loader<Key> for StatedTotals {
    type Value = Vec<StatedTradeTotal>;
    type Error = Error;

    async fn load(&self, keys: &[Key]) -> Result<HashMap<Key, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (filter, ids) in by_filter(keys) {
            for row in trade_total::of_reporters(&self.0, &ids, filter.0, filter.1).await? {
                out.entry(Keyed {
                    id: row.reporter_id,
                    filter,
                })
                .or_insert_with(Vec::new)
                .push(StatedTradeTotal(row));
            }
        }
        Ok(out)
    }
}

impl StatedTotals {
    pub async fn load(
        ctx: &Context<'_>,
        reporter_id: i32,
        partner_id: Option<i32>,
        year: Option<i32>,
    ) -> Result<Vec<StatedTradeTotal>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: reporter_id,
                filter: (partner_id, year),
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}
