//! What every write through the API shares: row validation that names the row and field,
//! the batch limit, upsert counts and chunked inserts (the audit entry: `pipeline::Txn::seal`).
//!
//! A write validates every row against the reference snapshot first, then runs in one
//! transaction that also appends its `audit_log` entry: all of it is written, or nothing.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, LazyLock};

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::error::{Error, Result};
use crate::reference::RefData;

/// Most rows one mutation may write; more is refused with `TOO_COMPLEX`.
pub const MAX_WRITE_ROWS: usize = 10_000;
/// Years accepted in writes (the tables' CHECK constraints say the same).
pub const YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;
/// Errors listed in one refusal at most.
const MAX_REPORTED: usize = 10;
/// Rows per INSERT statement (SQLite binds at most 32 766 parameters per statement).
pub const CHUNK: usize = 500;

/// Rows inserted and updated by one write.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub inserted: usize,
    pub updated: usize,
}

/// ISO 4217 alphabetic codes and their names, from `data/currencies.csv` (generated from
/// Debian iso-codes).
static CURRENCIES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    csv::Reader::from_reader(include_str!("../../data/currencies.csv").as_bytes())
        .records()
        .filter_map(|r| {
            r.ok()
                .and_then(|r| Some((r.get(0)?.to_owned(), r.get(2).unwrap_or("").to_owned())))
        })
        .collect()
});

/// True for an ISO 4217 alphabetic code (upper case).
pub fn is_currency(code: &str) -> bool {
    CURRENCIES.contains_key(code)
}

/// Every ISO 4217 `(code, name)`.
pub fn currencies() -> impl Iterator<Item = (&'static str, &'static str)> {
    CURRENCIES.iter().map(|(c, n)| (c.as_str(), n.as_str()))
}

/// Refuses batches over `MAX_WRITE_ROWS` and empty ones.
pub fn check_batch(arg: &str, len: usize) -> Result<()> {
    if len > MAX_WRITE_ROWS {
        return Err(Error::TooComplex(format!(
            "`{arg}` has {len} rows; at most {MAX_WRITE_ROWS} per request"
        )));
    }
    Ok(())
}

/// Collects the problems of a batch, each named `arg[i].field`.
pub struct Problems {
    arg: &'static str,
    list: Vec<String>,
    total: usize,
}

impl Problems {
    pub fn new(arg: &'static str) -> Self {
        Self {
            arg,
            list: Vec::new(),
            total: 0,
        }
    }

    /// Notes that `arg[row].field` is wrong.
    pub fn add(&mut self, row: usize, field: &str, what: impl std::fmt::Display) {
        self.total += 1;
        if self.list.len() < MAX_REPORTED {
            self.list.push(format!("{}[{row}].{field}: {what}", self.arg));
        }
    }

    /// `BAD_USER_INPUT` naming the first problems, or `Ok` when there were none.
    pub fn finish(self) -> Result<()> {
        if self.list.is_empty() {
            return Ok(());
        }
        let mut msg = self.list.join("; ");
        if self.total > self.list.len() {
            msg.push_str(&format!(" (and {} more)", self.total - self.list.len()));
        }
        Err(Error::BadUserInput(msg))
    }

    /// A country (not an aggregate unless `aggregate_ok`) by ISO code.
    pub fn country(&mut self, refs: &RefData, row: usize, field: &str, code: &str, aggregate_ok: bool) -> i32 {
        match refs.country(code) {
            Some(c) if aggregate_ok || !c.is_aggregate => c.id,
            Some(_) => {
                self.add(row, field, format!("{code:?} is an aggregate, not a country"));
                0
            }
            None => {
                self.add(row, field, super::suggest::country(refs, code));
                0
            }
        }
    }

    /// A source by id (`sourceId` as returned by `Source.id`) or by key.
    pub fn source(&mut self, refs: &RefData, row: usize, field: &str, id: Option<&str>) -> Option<i32> {
        let id = id?;
        // `Source.id` (a global id), the source's key, or (before 0.2) its row number.
        let found = match (super::nodes::decode(id), id.trim().parse::<i32>()) {
            (Some(node), _) if node.kind == super::nodes::Kind::Source => refs.sources.by_code(&node.key),
            (_, Ok(n)) => refs.sources.by_id(n),
            _ => refs.sources.by_code(id),
        }
        .map(|s| s.id);
        if found.is_none() {
            self.add(row, field, format!("unknown source {:?}", clip(id)));
        }
        found
    }

    /// A year within `YEARS`.
    pub fn year(&mut self, row: usize, field: &str, year: i32) {
        if !YEARS.contains(&year) {
            self.add(
                row,
                field,
                format!("{year} is not a year between {} and {}", YEARS.start(), YEARS.end()),
            );
        }
    }

    /// A finite, non-negative number.
    pub fn amount(&mut self, row: usize, field: &str, value: f64) {
        if !value.is_finite() {
            self.add(row, field, "must be a finite number");
        } else if value < 0.0 {
            self.add(row, field, "must not be negative");
        }
    }

    /// A fraction in 0..1.
    pub fn fraction(&mut self, row: usize, field: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.add(row, field, "must be a fraction between 0 and 1");
        }
    }

    /// One-line text (a name, unit, URL) of at most `max` characters, checked by
    /// `service::text`; `required` text must not be blank.
    pub fn text(&mut self, row: usize, field: &str, value: &str, max: usize, required: bool) {
        if let Some(why) = super::text::field_problem(value, max, required, super::text::Lines::One) {
            self.add(row, field, why);
        }
    }

    /// Free text (a note, a purpose): as [`Problems::text`], tabs and line breaks allowed.
    pub fn free_text(&mut self, row: usize, field: &str, value: &str, max: usize) {
        if let Some(why) = super::text::field_problem(value, max, false, super::text::Lines::Many) {
            self.add(row, field, why);
        }
    }

    /// Notes rows whose natural key repeats an earlier row of the batch.
    pub fn duplicates<K: Hash + Eq>(&mut self, keys: impl IntoIterator<Item = K>, what: &str) {
        let mut seen = std::collections::HashMap::new();
        for (i, key) in keys.into_iter().enumerate() {
            if let Some(first) = seen.insert(key, i) {
                self.add(i, what, format!("same key as {}[{first}]", self.arg));
            }
        }
    }
}

/// At most 60 characters of a user's value, for messages.
fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Inserts rows in chunks of `CHUNK`, optionally as an upsert.
pub async fn insert_chunks<C, A>(db: &C, rows: Vec<A>, on_conflict: Option<OnConflict>) -> Result<()>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    insert_in_chunks(db, rows, on_conflict, CHUNK).await
}

/// Inserts rows in chunks of `per_chunk`, optionally as an upsert.
pub async fn insert_in_chunks<C, A>(
    db: &C,
    rows: Vec<A>,
    on_conflict: Option<OnConflict>,
    per_chunk: usize,
) -> Result<()>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_chunk.max(1)).collect();
        let mut insert = A::Entity::insert_many(chunk);
        if let Some(oc) = &on_conflict {
            insert = insert.on_conflict(oc.clone());
        }
        insert.exec_without_returning(db).await?;
    }
    Ok(())
}

/// The reference snapshot a write validates against.
pub type Refs = Arc<RefData>;

/// Upserts on a natural key compared in Rust (for tables whose key has nullable parts):
/// rows whose key is in `existing` update that row by id, the others are inserted.
pub async fn upsert_by_key<C, A, K>(
    db: &C,
    rows: Vec<(K, A)>,
    existing: &HashMap<K, i64>,
    id: <A::Entity as EntityTrait>::Column,
) -> Result<Counts>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    K: Hash + Eq,
{
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut fresh = Vec::new();
    let mut updated = 0;
    for (key, row) in rows {
        match existing.get(&key) {
            Some(row_id) => {
                A::Entity::update_many()
                    .set(row)
                    .filter(id.eq(*row_id))
                    .exec(db)
                    .await?;
                updated += 1;
            }
            None => fresh.push(row),
        }
    }
    let inserted = fresh.len();
    insert_chunks(db, fresh, None).await?;
    Ok(Counts { inserted, updated })
}

/// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a deferred transaction that reads before it writes cannot upgrade while
/// another connection writes, and would fail with "database is locked" instead of waiting.
pub async fn begin(db: &sea_orm::DatabaseConnection) -> Result<sea_orm::DatabaseTransaction> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}
