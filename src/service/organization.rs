//! Organisations written by administrators.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::organization;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::pipeline::{self, Natural};
use super::write::{Counts, Problems, check_batch};
use crate::error::Result;
use crate::reference::RefData;

/// An organisation to write; its key is the code (upper-cased).
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationWrite {
    pub code: String,
    pub name: String,
    pub full_name: Option<String>,
    pub founded: Option<NaiveDate>,
    pub url: Option<String>,
    pub source_id: Option<String>,
}

/// True for an organisation code: 1–20 of `A`–`Z`, `0`–`9`, `+`, `-`, `&`, `.`.
fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 20
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'&' | b'.'))
}

/// Upserts organisations on their code, all or nothing, audited as `key_name`. The caller
/// refreshes the reference cache.
pub async fn upsert(
    db: &DatabaseConnection,
    refs: &RefData,
    key_name: &str,
    rows: Vec<OrganizationWrite>,
) -> Result<Counts> {
    check_batch("organizations", rows.len())?;
    let mut p = Problems::new("organizations");
    let mut keyed = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let code = r.code.trim().to_ascii_uppercase();
        if !is_code(&code) {
            p.add(i, "code", "must be 1 to 20 of A-Z, 0-9, '+', '-', '&', '.'");
        }
        p.text(i, "name", &r.name, 200, true);
        if let Some(t) = &r.full_name {
            p.text(i, "fullName", t, 500, false);
        }
        if let Some(day) = r.founded {
            p.year(i, "founded", chrono::Datelike::year(&day));
        }
        if let Some(url) = &r.url {
            p.text(i, "url", url, 2000, true);
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
                p.add(i, "url", "must be an http(s) URL");
            }
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        keyed.push((
            code.clone(),
            organization::ActiveModel {
                id: NotSet,
                code: Set(code),
                name: Set(r.name.trim().to_owned()),
                full_name: Set(r.full_name),
                founded: Set(r.founded),
                url: Set(r.url),
                source_id: Set(source_id),
            },
        ));
    }
    pipeline::write::<organization::Entity>(db, key_name, "upsertOrganizations", p, "code", keyed).await
}

/// An organisation's natural key is its code.
impl Natural for organization::Entity {
    type Key = String;

    fn unique_key() -> Option<Vec<organization::Column>> {
        Some(vec![organization::Column::Code])
    }

    fn replaced() -> Vec<organization::Column> {
        use organization::Column as C;
        vec![C::Name, C::FullName, C::Founded, C::Url, C::SourceId]
    }

    fn id() -> organization::Column {
        organization::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[String]) -> Result<HashMap<String, i32>> {
        use organization::Column as C;
        let stored: Vec<(String, i32)> = organization::Entity::find()
            .select_only()
            .columns([C::Code, C::Id])
            .filter(C::Code.is_in(keys.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        Ok(stored.into_iter().collect())
    }
}
