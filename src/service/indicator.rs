//! Yearly country indicators: lookups, and upserts from partners.

use std::collections::HashMap;

use entity::enums::Qualifier;
use entity::indicator;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::pipeline::{self, Natural};
use super::write::{Counts, Problems, check_batch};
use crate::error::Result;
use crate::reference::RefData;

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

/// One indicator value to write.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorWrite {
    pub country: String,
    pub code: String,
    pub year: i32,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    pub source_id: Option<String>,
    pub note: Option<String>,
}

/// True for an indicator code: 1–40 of `A`–`Z`, `0`–`9`, `_` (after upper-casing).
pub fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Upserts indicator values on (country, code, year), all or nothing, audited as `key_name`.
pub async fn upsert(
    db: &DatabaseConnection,
    refs: &RefData,
    key_name: &str,
    rows: Vec<IndicatorWrite>,
) -> Result<Counts> {
    check_batch("indicators", rows.len())?;
    let mut p = Problems::new("indicators");
    let mut keyed = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let country_id = p.country(refs, i, "country", &r.country, false);
        let code = r.code.trim().to_ascii_uppercase();
        if !is_code(&code) {
            p.add(i, "code", "must be 1 to 40 letters, digits or '_'");
        }
        p.year(i, "year", r.year);
        p.amount(i, "value", r.value);
        if let Some(n) = &r.note {
            p.free_text(i, "note", n, 4000);
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        let key = (country_id, code.clone(), r.year);
        keyed.push((
            key,
            indicator::ActiveModel {
                id: NotSet,
                country_id: Set(country_id),
                year: Set(r.year),
                code: Set(code),
                value: Set(r.value),
                qualifier: Set(r.qualifier.unwrap_or(Qualifier::Exact)),
                source_id: Set(source_id),
                note: Set(r.note),
            },
        ));
    }
    pipeline::write::<indicator::Entity>(db, key_name, "upsertIndicators", p, "key", keyed).await
}

/// An indicator value's natural key: (country, code, year).
type IndicatorKey = (i32, String, i32);

impl Natural for indicator::Entity {
    type Key = IndicatorKey;

    fn unique_key() -> Option<Vec<indicator::Column>> {
        use indicator::Column as C;
        Some(vec![C::CountryId, C::Code, C::Year])
    }

    fn replaced() -> Vec<indicator::Column> {
        use indicator::Column as C;
        vec![C::Value, C::Qualifier, C::SourceId, C::Note]
    }

    fn id() -> indicator::Column {
        indicator::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[IndicatorKey]) -> Result<HashMap<IndicatorKey, i32>> {
        use indicator::Column as C;
        let mut countries: Vec<i32> = keys.iter().map(|k| k.0).collect();
        countries.sort_unstable();
        countries.dedup();
        let stored: Vec<(i32, String, i32, i32)> = indicator::Entity::find()
            .select_only()
            .columns([C::CountryId, C::Code, C::Year, C::Id])
            .filter(C::CountryId.is_in(countries))
            .into_tuple()
            .all(db)
            .await?;
        Ok(stored.into_iter().map(|(c, k, y, id)| ((c, k, y), id)).collect())
    }
}

/// Arguments of `Country.indicators`: upper-case codes and an optional year range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeriesArgs {
    pub codes: Vec<String>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

/// The stored values of `args.codes` for every country of `country_ids`, by country, code and
/// year, in one statement.
pub async fn series(db: &DatabaseConnection, country_ids: &[i32], args: &SeriesArgs) -> Result<Vec<indicator::Model>> {
    use indicator::Column as C;
    use sea_orm::QueryOrder;
    let mut query = indicator::Entity::find()
        .filter(C::CountryId.is_in(country_ids.iter().copied()))
        .filter(C::Code.is_in(args.codes.iter().cloned()));
    if let Some(from) = args.from_year {
        query = query.filter(C::Year.gte(from));
    }
    if let Some(to) = args.to_year {
        query = query.filter(C::Year.lte(to));
    }
    Ok(query
        .order_by_asc(C::CountryId)
        .order_by_asc(C::Code)
        .order_by_asc(C::Year)
        .all(db)
        .await?)
}
