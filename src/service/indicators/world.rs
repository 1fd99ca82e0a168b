//! The world's totals of a year, flow and level — `Σ_r WT(r, k, f)` per code, the number of
//! reporters with `WT(r, k, f) > 0` per code, and `Σ_r T(r, f)` — computed by one statement
//! over the whole year and cached in the process.
//!
//! Why a cache: on 5 M flows a year holds ~200 000 rows, and the world totals need all of
//! them (a reporter's world total is its `W00` row only when that row exists), while the rest
//! of an indicator for one country reads a few hundred rows by index. Measured on the
//! benchmark's 5 M flows (PostgreSQL, `EXPLAIN ANALYZE`): `rca` for one country takes 300 ms
//! computing the totals itself, 1.5 ms with them bound in; see the README's benchmark.
//!
//! Why it is never stale: every write to `trade_flow`, by any process, moves the data version
//! (`trade_flow_change`, kept by triggers; see the migration). Each entry is stamped with the
//! version its statement read, and each statement that uses an entry reads the version again
//! in its own snapshot and returns it with every row: rows computed from an outdated entry are
//! thrown away and the entry is computed anew. A statement whose answer has no rows does not
//! depend on the entry (the rows of every cached indicator come from the reporter's own flows).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use entity::enums::{CommodityKind, FlowKind};
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::{Ids, Scope, push_totals};
use crate::error::Result;
use crate::service::Sql;
use crate::service::figures::fetch;

/// The data version of `trade_flow` as the current statement sees it.
pub(crate) const DATA_VERSION: &str = "(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM trade_flow_change)";

/// Entries kept at most; past that the cache starts over (an entry is a few kB).
const MAX_ENTRIES: usize = 512;

/// Codes one cached statement may carry as bound values (three each); past that the world
/// totals are computed inside the statement (HS 6 has about 5 600 codes).
const MAX_CACHED_CODES: usize = 8_000;

/// Which world totals: one year, flow and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorldKey {
    pub year: i32,
    pub flow: FlowKind,
    pub kind: CommodityKind,
}

/// The world totals of one [`WorldKey`].
#[derive(Debug, Clone, PartialEq)]
pub struct WorldTotals {
    /// The data version the totals were computed at.
    pub version: i64,
    /// `Σ_r T(r, f)` over the reporters that have a total (`X_W`).
    pub total: Option<f64>,
    /// Per code of the level with a world total: `(commodity_id, Σ_r WT(r, k, f), reporters
    /// with WT(r, k, f) > 0)`.
    pub codes: Vec<(i32, Option<f64>, i64)>,
}

/// Where a statement takes the world totals from.
#[derive(Debug, Clone, Copy)]
pub enum World<'a> {
    /// Computed inside the statement (one scan of the year).
    Inline,
    /// Bound into the statement from the cache.
    Cached(&'a WorldTotals),
}

/// Rows that carry the data version their statement read.
pub trait Versioned {
    fn data_version(&self) -> i64;
}

impl Versioned for super::ProductIndexRow {
    fn data_version(&self) -> i64 {
        self.data_version
    }
}

impl Versioned for super::ReporterValue {
    fn data_version(&self) -> i64 {
        self.data_version
    }
}

/// The process's cache of world totals.
#[derive(Debug, Default)]
pub struct WorldCache {
    entries: Mutex<HashMap<WorldKey, Arc<WorldTotals>>>,
    /// Held while an entry is computed, so that concurrent misses compute it once.
    filling: tokio::sync::Mutex<()>,
}

impl WorldCache {
    fn get(&self, key: &WorldKey) -> Option<Arc<WorldTotals>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: WorldKey, totals: Arc<WorldTotals>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, totals);
        }
    }

    /// The current totals of `key`: cached when the cache holds an entry of the current data
    /// version or `version` is unknown, else computed anew.
    async fn current(
        &self,
        db: &DatabaseConnection,
        ids: Ids,
        key: WorldKey,
        stale: Option<i64>,
    ) -> Result<Arc<WorldTotals>> {
        let _filling = self.filling.lock().await;
        if let Some(w) = self.get(&key).filter(|w| Some(w.version) != stale) {
            return Ok(w);
        }
        let fresh = Arc::new(compute(db, ids, key).await?);
        self.put(key, fresh.clone());
        Ok(fresh)
    }
}

/// Runs an indicator statement built by `build` over the world totals of `key`, taking them
/// from the cache when they are current (see the module's documentation).
pub(crate) async fn with_world<T>(
    db: &DatabaseConnection,
    cache: &WorldCache,
    ids: Ids,
    key: WorldKey,
    build: impl Fn(World<'_>) -> Statement,
) -> Result<Vec<T>>
where
    T: FromQueryResult + Versioned,
{
    let mut stale = None;
    for _ in 0..2 {
        let world = match cache.get(&key) {
            Some(w) if Some(w.version) != stale => w,
            _ => cache.current(db, ids, key, stale).await?,
        };
        if world.codes.len() > MAX_CACHED_CODES {
            break;
        }
        let rows: Vec<T> = fetch(db, build(World::Cached(&world))).await?;
        match rows.iter().find(|r| r.data_version() != world.version) {
            None => return Ok(rows),
            Some(_) => stale = Some(world.version),
        }
    }
    // Written to while we computed, twice, or too many codes to bind: all in one statement.
    fetch(db, build(World::Inline)).await
}

#[derive(Debug, FromQueryResult)]
struct WorldRow {
    commodity_id: Option<i32>,
    value: Option<f64>,
    reporters: i64,
    data_version: i64,
}

/// Computes the world totals of `key` (one statement).
pub async fn compute(db: &DatabaseConnection, ids: Ids, key: WorldKey) -> Result<WorldTotals> {
    let rows: Vec<WorldRow> = fetch(db, world_totals_statement(db.get_database_backend(), ids, key)).await?;
    let mut out = WorldTotals {
        version: rows.first().map_or(0, |r| r.data_version),
        total: None,
        codes: Vec::with_capacity(rows.len()),
    };
    for r in rows {
        match r.commodity_id {
            Some(id) => out.codes.push((id, r.value, r.reporters)),
            None => out.total = r.value,
        }
    }
    Ok(out)
}

/// The statement of [`compute`], for `tradegraph sql` and benchmarks: one row per code of the
/// level, then one row with a `NULL` commodity for the world's total.
pub fn world_totals_statement(backend: DbBackend, ids: Ids, key: WorldKey) -> Statement {
    let mut sql = Sql::new(backend);
    push_totals(&mut sql, ids, &Scope::new(key.year, &[key.flow], key.kind).with_total());
    sql.push(
        " SELECT commodity_id, SUM(v) AS value, COUNT(CASE WHEN v > 0 THEN 1 END) AS reporters, ",
    )
    .push(DATA_VERSION)
    .push(" AS data_version FROM wt WHERE commodity_id <> ")
    .bind(ids.total)
    .push(" GROUP BY commodity_id UNION ALL SELECT CAST(NULL AS INTEGER), (SELECT SUM(v) FROM tot), (SELECT COUNT(CASE WHEN v > 0 THEN 1 END) FROM tot), ")
    .push(DATA_VERSION);
    sql.build()
}

/// Pushes the CTE body `SELECT commodity_id, value, reporters` of the world's codes: bound
/// values from the cache, or computed from CTE `wt` (world totals of every reporter).
pub(crate) fn push_world_codes(sql: &mut Sql, world: World<'_>, ids: Ids, wt: &str) {
    match world {
        World::Cached(w) if !w.codes.is_empty() => {
            sql.push("VALUES ");
            for (i, (id, value, reporters)) in w.codes.iter().enumerate() {
                // Typed, so that the statement printed with its values inlined (`tradegraph
                // sql`) divides as floats too.
                sql.push(if i == 0 { "(" } else { ", (" })
                    .bind(*id)
                    .push(", CAST(")
                    .bind(*value)
                    .push(" AS DOUBLE PRECISION), ")
                    .bind(*reporters)
                    .push(")");
            }
        }
        World::Cached(_) => {
            sql.push("SELECT CAST(NULL AS INTEGER), CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS BIGINT) WHERE 1 = 0");
        }
        World::Inline => {
            sql.push("SELECT commodity_id, SUM(v), COUNT(CASE WHEN v > 0 THEN 1 END) FROM ")
                .push(wt)
                .push(" WHERE commodity_id <> ")
                .bind(ids.total)
                .push(" GROUP BY commodity_id");
        }
    }
}

/// Pushes the world's total `Σ_r T(r, f)` as a scalar expression: bound from the cache, or
/// a sub-query over CTE `tot` (totals of every reporter).
pub(crate) fn push_world_total(sql: &mut Sql, world: World<'_>, tot: &str) {
    match world {
        World::Cached(w) => {
            sql.push("CAST(").bind(w.total).push(" AS DOUBLE PRECISION)");
        }
        World::Inline => {
            sql.push("(SELECT SUM(v) FROM ").push(tot).push(")");
        }
    }
}
