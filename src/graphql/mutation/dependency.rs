use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::{DependencyBasis, Qualifier, Sector};
use crate::graphql::{db, refs, writer};
use crate::service::dependency::{self, DependencyWrite};

/// A stated import dependency to write; its key is (importer, supplier, sector, product,
/// year, basis), an unknown year counting as one value.
#[derive(InputObject)]
pub struct ImportDependencyInput {
    /// Importing country, ISO alpha-3 or alpha-2.
    importer: String,
    /// Supplying country.
    supplier: String,
    /// Sector.
    sector: Sector,
    /// What is imported, as the source words it (at most 200 characters).
    product: String,
    /// Year of the figure.
    year: Option<i32>,
    /// Fraction in 0..1.
    share: f64,
    /// What the share is a share of.
    #[graphql(default_with = "DependencyBasis::ByValue")]
    basis: DependencyBasis,
    /// `EXACT` when omitted.
    qualifier: Option<Qualifier>,
    /// `Source.id` (or key).
    source_id: Option<ID>,
    /// Remarks.
    note: Option<String>,
}

impl From<ImportDependencyInput> for DependencyWrite {
    fn from(i: ImportDependencyInput) -> Self {
        Self {
            importer: i.importer,
            supplier: i.supplier,
            sector: i.sector.into(),
            product: i.product,
            year: i.year,
            share: i.share,
            basis: i.basis.into(),
            qualifier: i.qualifier.map(Into::into),
            source_id: i.source_id.map(|id| id.0),
            note: i.note,
        }
    }
}

#[derive(Default)]
pub struct DependencyMutation;

#[Object]
impl DependencyMutation {
    /// Inserts or replaces stated import dependencies (key: importer, supplier, sector,
    /// product, year, basis); all or nothing; at most 10 000 rows. Needs a `write` key.
    async fn upsert_import_dependencies(
        &self,
        ctx: &Context<'_>,
        dependencies: Vec<ImportDependencyInput>,
    ) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Write)?;
        let rows = dependencies.into_iter().map(Into::into).collect();
        let counts = dependency::upsert(db(ctx)?, &*refs(ctx)?, &key.name, rows)
            .await
            .gql()?;
        Ok(counts.into())
    }
}
