use async_graphql::{Context, Object, Result};
use entity::trade_total;

use super::{Country, Qualifier, Source, commodity_code, country_of, source_of};
use crate::graphql::refs;

/// A reporter's total trade (exports + imports) with a partner in a year, as a source states
/// it without the split ("trade between Armenia and Russia reached US$5.3 billion in 2022").
#[derive(Clone)]
pub struct StatedTradeTotal(pub trade_total::Model);

#[Object]
impl StatedTradeTotal {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::StatedTradeTotal, self.0.id)
    }
    /// The reporting country.
    async fn reporter(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.reporter_id)
    }
    /// The partner country, or `W00` (World) for the reporter's total with all partners.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.partner_id)
    }
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// `TOTAL`, an HS section or an HS code.
    async fn commodity(&self, ctx: &Context<'_>) -> Result<String> {
        commodity_code(ctx, self.0.commodity_id)
    }
    /// Exports + imports in US dollars, as stated.
    async fn value_usd(&self) -> f64 {
        self.0.value_usd
    }
    /// How exactly the total is known ("over US$7 billion" is `AT_LEAST`).
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the figure comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (where the source states it).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
