use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::graphql::types::AidPledge;
use crate::service::aid;
use crate::service::aid_ledger::{self, Fulfilment};

type Key = Keyed<(Option<i32>, Option<i32>)>;

/// `Country.aidReceived(fromYear, toYear)`: aid by recipient, USD figures computed in SQL.
pub struct AidReceived(pub DatabaseConnection);

impl Loader<Key> for AidReceived {
    type Value = Vec<AidPledge>;
    type Error = Error;

    async fn load(&self, keys: &[Key]) -> Result<HashMap<Key, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (filter, ids) in by_filter(keys) {
            for row in aid::received(&self.0, &ids, filter.0, filter.1).await? {
                out.entry(Keyed {
                    id: row.recipient_id,
                    filter,
                })
                .or_insert_with(Vec::new)
                .push(AidPledge(row));
            }
        }
        Ok(out)
    }
}

impl AidReceived {
    pub async fn load(
        ctx: &Context<'_>,
        recipient_id: i32,
        from_year: Option<i32>,
        to_year: Option<i32>,
    ) -> Result<Vec<AidPledge>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: recipient_id,
                filter: (from_year, to_year),
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}

/// `AidPledge.fulfilment(asOf)`: the ledger below each aid row, one statement per `asOf`.
pub struct AidFulfilment(pub DatabaseConnection);

impl Loader<Keyed<Option<NaiveDate>>> for AidFulfilment {
    type Value = Fulfilment;
    type Error = Error;

    async fn load(
        &self,
        keys: &[Keyed<Option<NaiveDate>>],
    ) -> Result<HashMap<Keyed<Option<NaiveDate>>, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (as_of, ids) in by_filter(keys) {
            for row in aid_ledger::fulfilment(&self.0, &ids, as_of).await? {
                out.insert(
                    Keyed {
                        id: row.pledge_id,
                        filter: as_of,
                    },
                    row,
                );
            }
        }
        Ok(out)
    }
}

impl AidFulfilment {
    pub async fn load(ctx: &Context<'_>, pledge_id: i32, as_of: Option<NaiveDate>) -> Result<Option<Fulfilment>> {
        loader::<Self>(ctx)?
            .load_one(Keyed {
                id: pledge_id,
                filter: as_of,
            })
            .await
            .map_err(gql_err)
    }
}
