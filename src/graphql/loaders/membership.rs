use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::graphql::types::Membership;
use crate::service::membership;

/// `Country.memberships(asOf)`: memberships by country.
pub struct MembershipsOfCountry(pub DatabaseConnection);

/// `Organization.members(asOf)`: memberships by organisation.
pub struct MembersOfOrganization(pub DatabaseConnection);

impl Loader<Keyed<Option<NaiveDate>>> for MembershipsOfCountry {
    type Value = Vec<Membership>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[Keyed<Option<NaiveDate>>],
    ) -> Result<HashMap<Keyed<Option<NaiveDate>>, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (as_of, ids) in by_filter(keys) {
            for row in membership::of_countries(&self.0, &ids, as_of).await? {
                out.entry(Keyed {
                    id: row.country_id,
                    filter: as_of,
                })
                .or_insert_with(Vec::new)
                .push(Membership(row));
            }
        }
        Ok(out)
    }
}

impl Loader<Keyed<Option<NaiveDate>>> for MembersOfOrganization {
    type Value = Vec<Membership>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[Keyed<Option<NaiveDate>>],
    ) -> Result<HashMap<Keyed<Option<NaiveDate>>, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (as_of, ids) in by_filter(keys) {
            for row in membership::of_organizations(&self.0, &ids, as_of).await? {
                out.entry(Keyed {
                    id: row.organization_id,
                    filter: as_of,
                })
                .or_insert_with(Vec::new)
                .push(Membership(row));
            }
        }
        Ok(out)
    }
}

impl MembershipsOfCountry {
    pub async fn load(ctx: &Context<'_>, country_id: i32, as_of: Option<NaiveDate>) -> Result<Vec<Membership>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: country_id,
                filter: as_of,
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}

impl MembersOfOrganization {
    pub async fn load(ctx: &Context<'_>, organization_id: i32, as_of: Option<NaiveDate>) -> Result<Vec<Membership>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: organization_id,
                filter: as_of,
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}
