use async_graphql::{Context, Object, Result};
use entity::import_dependency;

use super::{Country, DependencyBasis, Qualifier, Sector, Source, country_of, source_of};
use crate::graphql::refs;

/// A stated share of an importer's imports (or supply) of a product that comes from one supplier.
#[derive(Clone)]
pub struct ImportDependency(pub import_dependency::Model);

#[Object]
impl ImportDependency {
    /// The importing country.
    async fn importer(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.importer_id)
    }
    /// The supplying country.
    async fn supplier(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.supplier_id)
    }
    /// Sector of the product.
    async fn sector(&self) -> Sector {
        self.0.sector.into()
    }
    /// The product or product group, as the source names it.
    async fn product(&self) -> &str {
        &self.0.product
    }
    /// Year the share describes; null when the source gives none.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// The supplier's share, a fraction (0.85 = 85%).
    async fn share(&self) -> f64 {
        self.0.share
    }
    /// What the share is a share of (value, volume, total supply).
    async fn basis(&self) -> DependencyBasis {
        self.0.basis.into()
    }
    /// How exactly the share is known ("almost 35%" is `AT_MOST`).
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the figure comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (quotation, choice of year).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
