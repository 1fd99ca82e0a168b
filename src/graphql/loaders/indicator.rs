use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Result};
use sea_orm::DatabaseConnection;

use super::{gql_err, loader};
use crate::error::Error;
use crate::graphql::types::IndicatorValue;
use crate::service::indicator;

/// (country id, upper-case code, year).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndicatorKey(pub i32, pub String, pub i32);

/// `Country.indicator(code, year)`: indicator rows by (country, code, year).
pub struct IndicatorLoader(pub DatabaseConnection);

impl Loader<IndicatorKey> for IndicatorLoader {
    type Value = IndicatorValue;
    type Error = Error;

    async fn load(&self, keys: &[IndicatorKey]) -> Result<HashMap<IndicatorKey, Self::Value>, Self::Error> {
        let wanted: Vec<(i32, &str, i32)> = keys.iter().map(|k| (k.0, k.1.as_str(), k.2)).collect();
        Ok(indicator::lookup(&self.0, &wanted)
            .await?
            .into_iter()
            .map(|row| {
                (
                    IndicatorKey(row.country_id, row.code.clone(), row.year),
                    IndicatorValue(row),
                )
            })
            .collect())
    }
}

impl IndicatorLoader {
    /// The value of `code` in `year`; null for a code of no valid shape, which is never sent
    /// to the database.
    pub async fn load(ctx: &Context<'_>, country_id: i32, code: String, year: i32) -> Result<Option<IndicatorValue>> {
        let code = code.to_ascii_uppercase();
        if !indicator::is_code(&code) {
            return Ok(None);
        }
        loader::<Self>(ctx)?
            .load_one(IndicatorKey(country_id, code, year))
            .await
            .map_err(gql_err)
    }
}
