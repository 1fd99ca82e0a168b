use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::{Qualifier, TradeFlowKind};
use crate::graphql::{db, refs, writer};
use crate::service::trade::{self, TradeFlowWrite};

/// A trade flow to write; its key is (reporter, partner, year, commodity, flow).
#[derive(InputObject)]
pub struct TradeFlowInput {
    /// Reporting country, ISO alpha-3 or alpha-2.
    reporter: String,
    /// Partner country, or `W00` for the World.
    partner: String,
    /// Calendar year, 1800–2100.
    year: i32,
    /// `TOTAL`, an HS section or an HS code known to tradegraph.
    commodity: String,
    /// Direction, seen from the reporter.
    flow: TradeFlowKind,
    /// Value in US dollars; finite, not negative.
    value_usd: f64,
    /// How exactly the value is known; `EXACT` when omitted.
    qualifier: Option<Qualifier>,
    /// `Source.id` (or the source's key) of the figure.
    source_id: Option<ID>,
    /// Quantity, not negative.
    quantity: Option<f64>,
    /// Unit of `quantity` (Comtrade abbreviation, e.g. `kg`).
    quantity_unit: Option<String>,
    /// Remarks.
    note: Option<String>,
}

impl From<TradeFlowInput> for TradeFlowWrite {
    fn from(i: TradeFlowInput) -> Self {
        Self {
            reporter: i.reporter,
            partner: i.partner,
            year: i.year,
            commodity: i.commodity,
            flow: i.flow.into(),
            value_usd: i.value_usd,
            quantity: i.quantity,
            quantity_unit: i.quantity_unit,
            qualifier: i.qualifier.map(Into::into),
            source_id: i.source_id.map(|id| id.0),
            note: i.note,
        }
    }
}

#[derive(Default)]
pub struct TradeMutation;

#[Object]
impl TradeMutation {
    /// Inserts or replaces trade flows (key: reporter, partner, year, commodity, flow); all
    /// or nothing; at most 10 000 rows. Needs a `write` key.
    async fn upsert_trade_flows(&self, ctx: &Context<'_>, flows: Vec<TradeFlowInput>) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Write)?;
        let rows = flows.into_iter().map(Into::into).collect();
        let counts = trade::upsert(db(ctx)?, &*refs(ctx)?, &key.name, rows).await.gql()?;
        Ok(counts.into())
    }
}
