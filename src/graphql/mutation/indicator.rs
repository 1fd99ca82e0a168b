use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::Qualifier;
use crate::graphql::{db, refs, writer};
use crate::service::indicator::{self, IndicatorWrite};

/// A yearly indicator value to write; its key is (country, code, year).
#[derive(InputObject)]
pub struct IndicatorInput {
    /// Country, ISO alpha-3 or alpha-2.
    country: String,
    /// Indicator code (`POPULATION`, `GDP_USD`, …), case-insensitive: letters, digits, `_`.
    code: String,
    /// Calendar year, 1800–2100.
    year: i32,
    /// The value; finite, not negative.
    value: f64,
    /// `EXACT` when omitted.
    qualifier: Option<Qualifier>,
    /// `Source.id` (or key).
    source_id: Option<ID>,
    /// Remarks.
    note: Option<String>,
}

impl From<IndicatorInput> for IndicatorWrite {
    fn from(i: IndicatorInput) -> Self {
        Self {
            country: i.country,
            code: i.code,
            year: i.year,
            value: i.value,
            qualifier: i.qualifier.map(Into::into),
            source_id: i.source_id.map(|id| id.0),
            note: i.note,
        }
    }
}

#[derive(Default)]
pub struct IndicatorMutation;

#[Object]
impl IndicatorMutation {
    /// Inserts or replaces indicator values (key: country, code, year); all or nothing; at
    /// most 10 000 rows. Needs a `write` key.
    async fn upsert_indicators(&self, ctx: &Context<'_>, indicators: Vec<IndicatorInput>) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Write)?;
        let rows = indicators.into_iter().map(Into::into).collect();
        let counts = indicator::upsert(db(ctx)?, &*refs(ctx)?, &key.name, rows).await.gql()?;
        Ok(counts.into())
    }
}
