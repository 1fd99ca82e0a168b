//! Yearly country indicators.

use entity::indicator;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::Result;

/// The indicator rows for any of the given (country, code, year) keys, in one statement.
/// `code`s are upper case.
pub async fn lookup(db: &DatabaseConnection, keys: &[(i32, &str, i32)]) -> Result<Vec<indicator::Model>> {
    use indicator::Column as C;
    let mut countries: Vec<i32> = keys.iter().map(|k| k.0).collect();
    let mut codes: Vec<&str> = keys.iter().map(|k| k.1).collect();
    let mut years: Vec<i32> = keys.iter().map(|k| k.2).collect();
    for v in [&mut countries, &mut years] {
        v.sort_unstable();
        v.dedup();
    }
    codes.sort_unstable();
    codes.dedup();
    let rows = indicator::Entity::find()
        .filter(C::CountryId.is_in(countries))
        .filter(C::Code.is_in(codes))
        .filter(C::Year.is_in(years))
        .all(db)
        .await?;
    // The three IN lists over-select when several keys are asked; keep the exact keys.
    Ok(rows
        .into_iter()
        .filter(|r| {
            keys.iter()
                .any(|k| k.0 == r.country_id && k.1 == r.code && k.2 == r.year)
        })
        .collect())
}
