use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use entity::enums::FlowKind;
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::graphql::types::StatedPartnerShare;
use crate::service::partner_share;

type Key = Keyed<(Option<FlowKind>, Option<i32>)>;

/// `Country.statedPartnerShares(flow, year)`: stated shares by reporter.
pub struct StatedShares(pub DatabaseConnection);

impl Loader<Key> for StatedShares {
    type Value = Vec<StatedPartnerShare>;
    type Error = Error;

    async fn load(&self, keys: &[Key]) -> Result<HashMap<Key, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (filter, ids) in by_filter(keys) {
            for row in partner_share::of_reporters(&self.0, &ids, filter.0, filter.1).await? {
                out.entry(Keyed {
                    id: row.reporter_id,
                    filter,
                })
                .or_insert_with(Vec::new)
                .push(StatedPartnerShare(row));
            }
        }
        Ok(out)
    }
}

impl StatedShares {
    pub async fn load(
        ctx: &Context<'_>,
        reporter_id: i32,
        flow: Option<FlowKind>,
        year: Option<i32>,
    ) -> Result<Vec<StatedPartnerShare>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: reporter_id,
                filter: (flow, year),
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}
