use async_graphql::{Context, Object, Result};

use crate::error::GqlResult;
use crate::graphql::types::{Commodity, CommodityKind, ExchangeRate, Source};
use crate::graphql::{CodeShape, by_code, db, refs};
use crate::service::exchange_rate::{self, RateFilter};
use crate::service::suggest;

/// Reference lists held in memory: commodities and sources.
#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// A commodity by code (`TOTAL`, `XVI`, `84`, `8471`), case-insensitive; null when no
    /// commodity has that code. A description instead of a code (`"crude oil"`) is
    /// `BAD_USER_INPUT`, suggesting the closest codes.
    async fn commodity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code.")] code: String,
    ) -> Result<Option<Commodity>> {
        let refs = refs(ctx)?;
        let found = refs.commodities.by_code(&code).cloned().map(Commodity);
        by_code(found, &code, CodeShape::Commodity, || suggest::commodity(&refs, &code))
    }

    /// Commodity codes, by code; optionally only one kind or the children of one code.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::COMMODITIES, child_complexity)")]
    async fn commodities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only codes of this level.")] kind: Option<CommodityKind>,
        #[graphql(desc = "Only the codes directly under this one.")] parent: Option<String>,
    ) -> Result<Vec<Commodity>> {
        let refs = refs(ctx)?;
        let parent_id = match parent {
            Some(code) => match refs.commodities.by_code(&code) {
                Some(p) => Some(p.id),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        Ok(refs
            .commodities
            .all
            .iter()
            .filter(|c| kind.is_none_or(|k| entity::enums::CommodityKind::from(k) == c.kind))
            .filter(|c| parent_id.is_none_or(|p| c.parent_id == Some(p)))
            .cloned()
            .map(Commodity)
            .collect())
    }

    /// Yearly average exchange rates (USD per unit), by currency and year; the rates aid
    /// amounts are converted with.
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::year_count(None, from_year, to_year) * if currency.is_some() { 1 } else { crate::graphql::CURRENCIES }, child_complexity)"
    )]
    async fn exchange_rates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "ISO 4217 code (`EUR`), case-insensitive.")] currency: Option<String>,
        #[graphql(desc = "First year (inclusive).")] from_year: Option<i32>,
        #[graphql(desc = "Last year (inclusive).")] to_year: Option<i32>,
    ) -> Result<Vec<ExchangeRate>> {
        let filter = RateFilter {
            currency,
            from_year,
            to_year,
        };
        Ok(exchange_rate::list(db(ctx)?, &filter)
            .await
            .gql()?
            .into_iter()
            .map(ExchangeRate)
            .collect())
    }

    /// Every source a stored figure can cite, by key.
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::FACTS_PER_COUNTRY * 10, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        Ok(refs(ctx)?.sources.all.iter().cloned().map(Source).collect())
    }
}
