use async_graphql::{Context, Object, Result};
use entity::import_dependency;

use super::flow_lineage as fl;
use super::{Country, DependencyBasis, Lineage, Qualifier, Sector, Source, country_of, source_of};
use crate::graphql::loaders::ComputedDependencies;
use crate::graphql::loaders::figures::DependencyLineage;
use crate::graphql::refs;
use crate::service::dependency::ComputedDependency;

/// A stated share of an importer's imports (or supply) of a product that comes from one supplier.
#[derive(Clone)]
pub struct ImportDependency(pub import_dependency::Model);

#[Object]
impl ImportDependency {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::ImportDependency, self.0.id)
    }
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

/// A stated dependency next to the same share recomputed from trade flows, where the product
/// maps to HS codes and the flows exist.
#[derive(Clone)]
pub struct DependencyComparison(pub import_dependency::Model);

impl DependencyComparison {
    async fn computed(&self, ctx: &Context<'_>) -> Result<Option<ComputedDependency>> {
        ComputedDependencies::load(ctx, self.0.id).await
    }

    /// The lineage of a computed figure (null when `value` is): per mapped code with world
    /// data, the supplier's row (`s`) and the world total's rows (`w`: the `W00` row, else
    /// every other partner's), as `service::dependency::computed` takes them.
    async fn lineage(&self, ctx: &Context<'_>, value: Option<f64>, figure: Computed) -> Result<Option<Lineage>> {
        if value.is_none() {
            return Ok(None);
        }
        let rows = fl::rows::<DependencyLineage>(ctx, self.0.id, ()).await?;
        let world_id = refs(ctx)?.world_id();
        let mut codes: Vec<i32> = rows.iter().map(|r| r.commodity_id).collect();
        codes.dedup();
        let (mut supplier, mut world) = (Vec::new(), Vec::new());
        for code in codes {
            let rows = rows.iter().filter(|r| r.commodity_id == code);
            let w: Vec<_> = match rows.clone().find(|r| r.partner_id == world_id) {
                Some(w) => vec![w],
                None => rows.clone().collect(),
            };
            if !w.is_empty() {
                supplier.extend(
                    rows.filter(|r| r.partner_id == self.0.supplier_id)
                        .map(|r| fl::input(r, "s")),
                );
                world.extend(w.into_iter().map(|r| fl::input(r, "w")));
            }
        }
        let world_words = "the importer's imports of each mapped HS code from the world (its W00 row when stored, \
                           else the sum over its other partners), codes without either left out";
        Ok(Some(match figure {
            Computed::Supplier => fl::lineage(
                "the importer's imports from the supplier, summed over the mapped HS codes that have world data",
                "Σ s",
                supplier,
            ),
            Computed::World => fl::lineage(format!("the sum of {world_words}"), "Σ w", world),
            Computed::Share => {
                supplier.extend(world);
                fl::lineage(
                    format!("imports from the supplier / the sum of {world_words}"),
                    "Σ s / Σ w",
                    supplier,
                )
            }
        }))
    }
}

/// The figures of a `DependencyComparison` computed from trade flows.
#[derive(Clone, Copy)]
enum Computed {
    Supplier,
    World,
    Share,
}

fn ids(list: Option<&str>) -> Vec<i32> {
    let mut ids: Vec<i32> = list
        .unwrap_or("")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[Object]
impl DependencyComparison {
    /// The dependency as the source states it (with its source).
    async fn stated(&self) -> ImportDependency {
        ImportDependency(self.0.clone())
    }
    /// The stated share.
    async fn stated_share(&self) -> f64 {
        self.0.share
    }
    /// HS codes the product maps to; empty when it has no mapping.
    async fn hs_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let refs = refs(ctx)?;
        let computed = self.computed(ctx).await?;
        let mut codes: Vec<String> = ids(computed.as_ref().and_then(|c| c.commodity_ids.as_deref()))
            .into_iter()
            .filter_map(|id| refs.commodities.by_id(id).map(|c| c.code.clone()))
            .collect();
        codes.sort();
        Ok(codes)
    }
    /// How many of the codes have world import data in the stated year.
    async fn codes_with_data(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.computed(ctx).await?.map_or(0, |c| c.codes_with_data))
    }
    /// The importer's imports of the codes from the supplier that year.
    async fn supplier_imports_usd(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.computed(ctx).await?.and_then(|c| c.supplier_imports_usd))
    }
    /// How `supplierImportsUsd` was computed (`TradeFlow` rows); null when it is. One more
    /// statement for every dependency of the query.
    async fn supplier_imports_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        let value = self.computed(ctx).await?.and_then(|c| c.supplier_imports_usd);
        self.lineage(ctx, value, Computed::Supplier).await
    }
    /// The importer's imports of the codes from the world that year.
    async fn world_imports_usd(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.computed(ctx).await?.and_then(|c| c.world_imports_usd))
    }
    /// How `worldImportsUsd` was computed (`TradeFlow` rows); null when it is.
    async fn world_imports_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        let value = self.computed(ctx).await?.and_then(|c| c.world_imports_usd);
        self.lineage(ctx, value, Computed::World).await
    }
    /// `supplierImportsUsd / worldImportsUsd`; null without HS-level data.
    async fn computed_share(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self.computed(ctx).await?.and_then(|c| c.computed_share))
    }
    /// How `computedShare` was computed: the supplier's rows (`s`) and the world totals' (`w`)
    /// at the mapped codes; null when `computedShare` is.
    async fn computed_share_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        let value = self.computed(ctx).await?.and_then(|c| c.computed_share);
        self.lineage(ctx, value, Computed::Share).await
    }
    /// `computedShare − statedShare`.
    async fn difference(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(self
            .computed(ctx)
            .await?
            .and_then(|c| c.computed_share)
            .map(|s| s - self.0.share))
    }
    /// Sources of the trade flows the computed share uses.
    async fn computed_sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        let refs = refs(ctx)?;
        let computed = self.computed(ctx).await?;
        Ok(ids(computed.as_ref().and_then(|c| c.source_ids.as_deref()))
            .into_iter()
            .filter_map(|id| refs.sources.by_id(id).cloned().map(Source))
            .collect())
    }
}
