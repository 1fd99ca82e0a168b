//! Memberships of countries in organisations, optionally as of a date.

use chrono::NaiveDate;
use entity::membership;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

/// Periods in force on `day`: started on or before it (or start unknown) and not ended by it.
fn in_force(day: NaiveDate) -> Condition {
    use membership::Column as C;
    Condition::all()
        .add(Condition::any().add(C::Since.is_null()).add(C::Since.lte(day)))
        .add(Condition::any().add(C::Until.is_null()).add(C::Until.gt(day)))
}

async fn query(
    db: &DatabaseConnection,
    by: membership::Column,
    ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    use membership::Column as C;
    let mut q = membership::Entity::find().filter(by.is_in(ids.iter().copied()));
    if let Some(day) = as_of {
        q = q.filter(in_force(day));
    }
    Ok(q.order_by_asc(C::OrganizationId)
        .order_by_asc(C::CountryId)
        .order_by_asc(C::Since)
        .all(db)
        .await?)
}

/// Memberships of the given countries (all periods, or those in force on `as_of`).
pub async fn of_countries(
    db: &DatabaseConnection,
    country_ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    query(db, membership::Column::CountryId, country_ids, as_of).await
}

/// Memberships in the given organisations (all periods, or those in force on `as_of`).
pub async fn of_organizations(
    db: &DatabaseConnection,
    organization_ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    query(db, membership::Column::OrganizationId, organization_ids, as_of).await
}
