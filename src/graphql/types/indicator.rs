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
