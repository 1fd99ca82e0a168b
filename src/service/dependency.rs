//! Stated import dependencies: lookups, and upserts from partners.

use std::collections::HashMap;

use entity::enums::{DependencyBasis, Qualifier, Sector};
use entity::import_dependency;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::write::{Counts, Problems, audit, check_batch, upsert_by_key};
use crate::error::Result;
use crate::reference::RefData;

/// Dependencies of the given importers, optionally of one sector and one year.
pub async fn of_importers(
    db: &DatabaseConnection,
    importer_ids: &[i32],
    sector: Option<Sector>,
    year: Option<i32>,
) -> Result<Vec<import_dependency::Model>> {
    use import_dependency::Column as C;
    let mut q = import_dependency::Entity::find().filter(C::ImporterId.is_in(importer_ids.iter().copied()));
    if let Some(s) = sector {
        q = q.filter(C::Sector.eq(s));
    }
    if let Some(y) = year {
        q = q.filter(C::Year.eq(y));
    }
    Ok(q.order_by_asc(C::ImporterId)
        .order_by_asc(C::Sector)
        .order_by_desc(C::Share)
        .order_by_asc(C::Id)
        .all(db)
        .await?)
}

/// One stated import dependency to write.
#[derive(Debug, Clone, PartialEq)]
pub struct DependencyWrite {
    pub importer: String,
    pub supplier: String,
    pub sector: Sector,
    pub product: String,
    pub year: Option<i32>,
    pub share: f64,
    pub basis: DependencyBasis,
    pub qualifier: Option<Qualifier>,
    pub source_id: Option<String>,
    pub note: Option<String>,
}

type DependencyKey = (i32, i32, Sector, String, Option<i32>, DependencyBasis);

/// Upserts dependencies on (importer, supplier, sector, product, year, basis) — an unknown
/// year is one value — all or nothing, audited as `key_name`.
pub async fn upsert(
    db: &DatabaseConnection,
    refs: &RefData,
    key_name: &str,
    rows: Vec<DependencyWrite>,
) -> Result<Counts> {
    use import_dependency::Column as C;
    check_batch("dependencies", rows.len())?;
    let mut p = Problems::new("dependencies");
    let mut keyed = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let importer_id = p.country(refs, i, "importer", &r.importer, false);
        let supplier_id = p.country(refs, i, "supplier", &r.supplier, false);
        if importer_id != 0 && importer_id == supplier_id {
            p.add(i, "supplier", "must differ from the importer");
        }
        let product = r.product.trim().to_owned();
        p.text(i, "product", &product, 200, true);
        if let Some(y) = r.year {
            p.year(i, "year", y);
        }
        p.fraction(i, "share", r.share);
        if let Some(n) = &r.note {
            p.text(i, "note", n, 4000, false);
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        keyed.push((
            (importer_id, supplier_id, r.sector, product.clone(), r.year, r.basis),
            import_dependency::ActiveModel {
                id: NotSet,
                importer_id: Set(importer_id),
                supplier_id: Set(supplier_id),
                sector: Set(r.sector),
                product: Set(product),
                year: Set(r.year),
                share: Set(r.share),
                basis: Set(r.basis),
                qualifier: Set(r.qualifier.unwrap_or(Qualifier::Exact)),
                source_id: Set(source_id),
                note: Set(r.note),
            },
        ));
    }
    p.duplicates(keyed.iter().map(|(k, _)| k.clone()), "key");
    p.finish()?;

    let txn = super::write::begin(db).await?;
    let mut importers: Vec<i32> = keyed.iter().map(|(k, _)| k.0).collect();
    importers.sort_unstable();
    importers.dedup();
    let existing: HashMap<DependencyKey, i32> = import_dependency::Entity::find()
        .filter(C::ImporterId.is_in(importers))
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| {
            (
                (d.importer_id, d.supplier_id, d.sector, d.product, d.year, d.basis),
                d.id,
            )
        })
        .collect();
    let counts = upsert_by_key(&txn, keyed, &existing, C::Id).await?;
    audit(&txn, key_name, "upsertImportDependencies", counts).await?;
    txn.commit().await?;
    Ok(counts)
}
