use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use entity::enums::Sector;
use sea_orm::DatabaseConnection;

use super::{Keyed, by_filter, gql_err, loader};
use crate::error::Error;
use crate::graphql::types::ImportDependency;
use crate::service::dependency;

type Key = Keyed<(Option<Sector>, Option<i32>)>;

/// `Country.importDependencies(sector, year)`: stated dependencies by importer.
pub struct ImportDependencies(pub DatabaseConnection);

impl Loader<Key> for ImportDependencies {
    type Value = Vec<ImportDependency>;
    type Error = Error;

    async fn load(&self, keys: &[Key]) -> Result<HashMap<Key, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for (filter, ids) in by_filter(keys) {
            for row in dependency::of_importers(&self.0, &ids, filter.0, filter.1).await? {
                out.entry(Keyed {
                    id: row.importer_id,
                    filter,
                })
                .or_insert_with(Vec::new)
                .push(ImportDependency(row));
            }
        }
        Ok(out)
    }
}

impl ImportDependencies {
    pub async fn load(
        ctx: &Context<'_>,
        importer_id: i32,
        sector: Option<Sector>,
        year: Option<i32>,
    ) -> Result<Vec<ImportDependency>> {
        let found = loader::<Self>(ctx)?
            .load_one(Keyed {
                id: importer_id,
                filter: (sector, year),
            })
            .await
            .map_err(gql_err)?;
        Ok(found.unwrap_or_default())
    }
}

/// `DependencyComparison.computed…`: recomputed dependencies by dependency id.
pub struct ComputedDependencies(pub DatabaseConnection, pub std::sync::Arc<crate::reference::RefCache>);

impl Loader<i32> for ComputedDependencies {
    type Value = dependency::ComputedDependency;
    type Error = Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let world_id = self.1.get().world_id();
        Ok(dependency::computed(&self.0, keys, world_id)
            .await?
            .into_iter()
            .map(|c| (c.dependency_id, c))
            .collect())
    }
}

impl ComputedDependencies {
    pub async fn load(ctx: &Context<'_>, dependency_id: i32) -> Result<Option<dependency::ComputedDependency>> {
        loader::<Self>(ctx)?.load_one(dependency_id).await.map_err(gql_err)
    }
}
