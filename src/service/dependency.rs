//! Stated import dependencies: lookups, and upserts from partners.

use std::collections::HashMap;

use entity::enums::{DependencyBasis, Qualifier, Sector};
use entity::import_dependency;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};

use super::pipeline::{self, Natural};
use super::write::{Counts, Problems, check_batch};
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

/// A stated dependency recomputed from trade flows at the HS codes its product maps to.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct ComputedDependency {
    pub dependency_id: i32,
    /// Comma-separated commodity ids of the mapped HS codes.
    pub commodity_ids: Option<String>,
    /// Comma-separated source ids of the trade flows used.
    pub source_ids: Option<String>,
    /// How many mapped codes have a world import value that year.
    pub codes_with_data: i64,
    /// The importer's imports of the codes from the supplier.
    pub supplier_imports_usd: Option<f64>,
    /// The importer's imports of the codes from the world (`W00` row, else sum over partners).
    pub world_imports_usd: Option<f64>,
    /// `supplier_imports_usd / world_imports_usd`.
    pub computed_share: Option<f64>,
}

/// Recomputes the given stated dependencies from trade flows, in one statement: for each, the
/// supplier's share of the importer's imports (same year) of the mapped HS codes. Codes without
/// a world value are left out; a code with a world value but no row for the supplier adds
/// nothing to the supplier's side (Comtrade has no rows for zero trade). Dependencies without
/// mapped codes are absent from the result.
pub async fn computed(
    db: &DatabaseConnection,
    dependency_ids: &[i32],
    world_id: i32,
) -> Result<Vec<ComputedDependency>> {
    use super::Sql;
    let mut sql = Sql::new(db.get_database_backend());
    let postgres = sql.backend() == sea_orm::DbBackend::Postgres;
    let (distinct_ids, concat) = if postgres {
        ("string_agg(DISTINCT CAST(t.source_id AS TEXT), ',')", "string_agg")
    } else {
        ("group_concat(DISTINCT t.source_id)", "group_concat")
    };
    sql.push(
        "WITH dc AS (SELECT d.id AS dependency_id, d.importer_id, d.supplier_id, d.year, x.commodity_id \
                     FROM import_dependency d JOIN dependency_commodity x ON x.import_dependency_id = d.id \
                     WHERE d.id IN (",
    )
    .bind_list(dependency_ids)
    .push(
        ")), \
         per_code AS (SELECT dc.dependency_id, dc.commodity_id, \
                        MAX(CASE WHEN t.partner_id = dc.supplier_id THEN t.value_usd END) AS supplier_usd, \
                        COALESCE(MAX(CASE WHEN t.partner_id = ",
    )
    .bind(world_id)
    .push(" THEN t.value_usd END), SUM(CASE WHEN t.partner_id <> ")
    .bind(world_id)
    .push(" THEN t.value_usd END)) AS world_usd, ")
    .push(distinct_ids)
    .push(
        " AS source_ids \
           FROM dc LEFT JOIN trade_flow t ON t.reporter_id = dc.importer_id AND t.year = dc.year \
                AND t.commodity_id = dc.commodity_id AND t.flow = 'M' \
           GROUP BY dc.dependency_id, dc.commodity_id) \
         SELECT dependency_id, ",
    )
    .push(concat)
    .push(if postgres { "(CAST(commodity_id AS TEXT), ',')" } else { "(commodity_id, ',')" })
    .push(" AS commodity_ids, ")
    .push(concat)
    .push(
        "(source_ids, ',') AS source_ids, \
           COUNT(world_usd) AS codes_with_data, \
           SUM(CASE WHEN world_usd IS NOT NULL THEN COALESCE(supplier_usd, 0) END) AS supplier_imports_usd, \
           SUM(world_usd) AS world_imports_usd, \
           SUM(CASE WHEN world_usd IS NOT NULL THEN COALESCE(supplier_usd, 0) END) / NULLIF(SUM(world_usd), 0) AS computed_share \
         FROM per_code GROUP BY dependency_id",
    );
    Ok(ComputedDependency::find_by_statement(sql.build()).all(db).await?)
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
            p.free_text(i, "note", n, 4000);
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
    pipeline::write::<import_dependency::Entity>(db, key_name, "upsertImportDependencies", p, "key", keyed).await
}

impl Natural for import_dependency::Entity {
    type Key = DependencyKey;

    fn unique_key() -> Option<Vec<import_dependency::Column>> {
        None
    }

    fn id() -> import_dependency::Column {
        import_dependency::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[DependencyKey]) -> Result<HashMap<DependencyKey, i32>> {
        use import_dependency::Column as C;
        let mut importers: Vec<i32> = keys.iter().map(|k| k.0).collect();
        importers.sort_unstable();
        importers.dedup();
        Ok(import_dependency::Entity::find()
            .filter(C::ImporterId.is_in(importers))
            .all(db)
            .await?
            .into_iter()
            .map(|d| {
                (
                    (d.importer_id, d.supplier_id, d.sector, d.product, d.year, d.basis),
                    d.id,
                )
            })
            .collect())
    }
}
