use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::commodity;

use super::{CommodityKind, Source, source_of};
use crate::graphql::refs;

/// A commodity code: `TOTAL`, an HS section (Roman numeral), chapter (2 digits), heading (4)
/// or subheading (6).
#[derive(Clone)]
pub struct Commodity(pub Arc<commodity::Model>);

#[Object]
impl Commodity {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Commodity, &self.0.code)
    }
    /// The code, e.g. `TOTAL`, `XVI`, `84`, `8471`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// `TOTAL`, `SECTION`, `CHAPTER`, `HEADING` or `SUBHEADING`.
    async fn kind(&self) -> CommodityKind {
        self.0.kind.into()
    }
    /// Official description.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The code one level up (a chapter's section, a heading's chapter).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Commodity>> {
        Ok(self
            .0
            .parent_id
            .and_then(|id| refs(ctx).ok()?.commodities.by_id(id).cloned())
            .map(Commodity))
    }
    /// The codes one level down.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(100, child_complexity)")]
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Commodity>> {
        let refs = refs(ctx)?;
        Ok(refs
            .commodities
            .all
            .iter()
            .filter(|c| c.parent_id == Some(self.0.id))
            .cloned()
            .map(Commodity)
            .collect())
    }
    /// Where the code and its description come from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
}
