//! Sources written by administrators.

use entity::source;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::pipeline::{Audit, Txn};
use super::write::{Counts, Problems};
use crate::error::{Error, Result};

/// A source to create.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceWrite {
    pub key: String,
    pub publisher: String,
    pub title: String,
    pub year: Option<i32>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// True for a source key: 1–60 of `a`–`z`, `0`–`9`, `-`, `.`, starting with a letter or digit.
fn is_key(key: &str) -> bool {
    key.len() <= 60
        && key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// Creates a source (its key must be new), audited as `key_name`; returns its id. The caller
/// refreshes the reference cache.
pub async fn create(db: &DatabaseConnection, key_name: &str, s: SourceWrite) -> Result<i32> {
    let mut p = Problems::new("source");
    let key = s.key.trim().to_owned();
    if !is_key(&key) {
        p.add(
            0,
            "key",
            "must be 1 to 60 of a-z, 0-9, '-', '.', starting with a letter or digit",
        );
    }
    p.text(0, "publisher", &s.publisher, 500, true);
    p.text(0, "title", &s.title, 500, true);
    if let Some(y) = s.year {
        p.year(0, "year", y);
    }
    if let Some(url) = &s.url {
        p.text(0, "url", url, 2000, true);
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
            p.add(0, "url", "must be an http(s) URL");
        }
    }
    if let Some(n) = &s.note {
        p.free_text(0, "note", n, 4000);
    }
    p.finish()?;
    let txn = super::write::begin(db).await?;
    if source::Entity::find()
        .filter(source::Column::Key.eq(key.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(Error::bad_input(format!("source.key: a source {key:?} exists already")));
    }
    let id = source::Entity::insert(source::ActiveModel {
        id: NotSet,
        key: Set(key),
        publisher: Set(s.publisher.trim().to_owned()),
        title: Set(s.title.trim().to_owned()),
        year: Set(s.year),
        url: Set(s.url),
        note: Set(s.note),
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    let audit = Audit {
        key_name,
        mutation: "createSource",
    };
    let counts = Counts {
        inserted: 1,
        updated: 0,
    };
    Txn::Orm(txn).seal(audit, counts).await?;
    Ok(id)
}
