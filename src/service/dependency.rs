//! Stated import dependencies.

use entity::enums::Sector;
use entity::import_dependency;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

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
