use async_graphql::{Context, Object, Result};
use entity::indicator;

use super::{Qualifier, Source, source_of};

/// A yearly country indicator with its provenance.
#[derive(Clone)]
pub struct IndicatorValue(pub indicator::Model);

#[Object]
impl IndicatorValue {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::IndicatorValue, self.0.id)
    }
    /// Indicator code, e.g. `POPULATION`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The value (USD for `*_USD` codes, persons for `POPULATION`).
    async fn value(&self) -> f64 {
        self.0.value
    }
    /// How exactly the value is known.
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the value comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// The stored values of one indicator of one country, ascending by year (years without a
/// stored value are absent).
pub struct IndicatorSeries {
    pub code: String,
    pub values: Vec<IndicatorValue>,
}

#[Object]
impl IndicatorSeries {
    /// Indicator code, upper case, as asked for.
    async fn code(&self) -> &str {
        &self.code
    }
    /// The values, ascending by year.
    async fn values(&self) -> &[IndicatorValue] {
        &self.values
    }
}

/// Yearly average value of a currency in US dollars, with its provenance.
pub struct ExchangeRate(pub entity::exchange_rate::Model);

#[Object]
impl ExchangeRate {
    /// ISO 4217 code, e.g. `EUR`.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// US dollars per unit of the currency, the year's average.
    async fn usd_per_unit(&self) -> f64 {
        self.0.usd_per_unit
    }
    /// How exactly the rate is known.
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the rate comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
