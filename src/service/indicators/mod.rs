//! The standard trade indicators of the World Bank's WITS and ITC's Trade Performance Index,
//! each computed by the database in **one statement** for any number of reporters at once
//! (so a figure asked on every country of a page costs one statement). The definitions,
//! formulas and null rules are `docs/indicators.md`; the names below follow its notation.
//!
//! - the *world total* `WT(r, k, f)` of reporter `r`, commodity `k`, flow `f`, year `t`: its
//!   row with partner `W00` when stored, else the sum of its rows over the partners that are
//!   countries (`figures::world_or_sum`: no aggregate partner is ever summed in);
//! - a reporter's total `X_r` (`M_r` for imports): `WT(r, TOTAL, f)`, else the sum of its
//!   world totals over the codes of the level;
//! - "the world" of a year: every reporter with an `X_r`; `X_W = Σ_r X_r`, `X_Wk = Σ_r X_rk`.
//!
//! Missing inputs give `NULL`, never 0, and every division goes through `NULLIF(.., 0)`.
//! The sums over all reporters are the expensive part (a scan of the year): each statement
//! computes them once (a materialised CTE), or takes them from [`world::WorldCache`].

use entity::enums::{CommodityKind, FlowKind};
use sea_orm::FromQueryResult;

use super::Sql;
use super::figures::world_or_sum;
use crate::reference::RefData;

/// The ids every indicator statement refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ids {
    /// `W00`, the World pseudo-partner (-1 when not loaded).
    pub world: i32,
    /// The `TOTAL` commodity (-1 when not loaded).
    pub total: i32,
}

impl Ids {
    pub fn of(refs: &RefData) -> Self {
        Self {
            world: refs.world_id(),
            total: refs.commodities.by_code("TOTAL").map_or(-1, |c| c.id),
        }
    }
}

/// The HS level of an indicator: 2 (chapters), 4 (headings) or 6 (subheadings) digits.
pub fn level_kind(level: i32) -> Option<CommodityKind> {
    match level {
        2 => Some(CommodityKind::Chapter),
        4 => Some(CommodityKind::Heading),
        6 => Some(CommodityKind::Subheading),
        _ => None,
    }
}

/// What a world-totals CTE covers: one year, some flows, the codes of one level (and the
/// `TOTAL` commodity with `with_total`), some reporters (all with `None`).
pub(crate) struct Scope<'a> {
    pub year: i32,
    pub flows: &'a [FlowKind],
    pub kind: CommodityKind,
    pub with_total: bool,
    pub reporters: Option<&'a [i32]>,
}

impl<'a> Scope<'a> {
    /// Every reporter's world totals of the level's codes.
    pub fn new(year: i32, flows: &'a [FlowKind], kind: CommodityKind) -> Self {
        Self {
            year,
            flows,
            kind,
            with_total: false,
            reporters: None,
        }
    }

    /// The `TOTAL` commodity too.
    pub fn with_total(self) -> Self {
        Self {
            with_total: true,
            ..self
        }
    }

    /// Only these reporters (`None`: all).
    pub fn of(self, reporters: Option<&'a [i32]>) -> Self {
        Self { reporters, ..self }
    }
}

/// Pushes `SELECT reporter_id, flow, commodity_id, v` where `v` is the world total
/// `WT(r, k, f)` of each reporter, commodity and flow of `scope` that has one.
pub(crate) fn push_world_totals(sql: &mut Sql, ids: Ids, scope: &Scope<'_>) {
    sql.push("SELECT t.reporter_id, t.flow, t.commodity_id, ");
    world_or_sum(sql, ids.world);
    sql.push(" AS v FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id WHERE t.year = ")
        .bind(scope.year)
        .push(" AND t.flow IN (");
    push_flows(sql, scope.flows);
    sql.push(") AND (k.kind = ").bind(scope.kind);
    if scope.with_total {
        sql.push(" OR t.commodity_id = ").bind(ids.total);
    }
    sql.push(")");
    if let Some(reporters) = scope.reporters {
        sql.push(" AND t.reporter_id IN (").bind_list(reporters).push(")");
    }
    // A group of aggregate partners other than W00 alone has no world total.
    sql.push(" GROUP BY t.reporter_id, t.flow, t.commodity_id HAVING COUNT(CASE WHEN t.partner_id = ")
        .bind(ids.world)
        .push(" OR ")
        .not_aggregate("t.partner_id")
        .push(" THEN 1 END) > 0");
}

/// Pushes `WITH wt AS MATERIALIZED (…), tot AS (…)`: the world totals of `scope` (which must
/// include `TOTAL`) and each reporter's totals over them, computed once per statement.
pub(crate) fn push_totals(sql: &mut Sql, ids: Ids, scope: &Scope<'_>) {
    sql.push("WITH wt AS MATERIALIZED (");
    push_world_totals(sql, ids, scope);
    sql.push("), tot AS (");
    push_reporter_totals(sql, ids, "wt");
    sql.push(")");
}

/// Pushes `SELECT reporter_id, flow, v` where `v` is each reporter's total `X_r` / `M_r`
/// over the world totals of CTE `wt` (which must include the `TOTAL` commodity).
fn push_reporter_totals(sql: &mut Sql, ids: Ids, wt: &str) {
    sql.push("SELECT reporter_id, flow, COALESCE(MAX(CASE WHEN commodity_id = ")
        .bind(ids.total)
        .push(" THEN v END), SUM(CASE WHEN commodity_id <> ")
        .bind(ids.total)
        .push(" THEN v END)) AS v FROM ")
        .push(wt)
        .push(" GROUP BY reporter_id, flow");
}

/// Declares `pub async fn $name(db, ids, reporters, args)`, which runs the statement its
/// `$statement` function builds; with `world: |args| key`, `$name(db, cache, ids, reporters,
/// args)` over the world totals of that key (see `world::with_world`).
macro_rules! runs {
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty = $statement:ident) => {
        $(#[$doc])*
        pub async fn $name(
            db: &sea_orm::DatabaseConnection,
            ids: $crate::service::indicators::Ids,
            reporters: &[i32],
            args: $args,
        ) -> $crate::error::Result<Vec<$row>> {
            $crate::service::figures::fetch(db, $statement(db.get_database_backend(), ids, reporters, args)).await
        }
    };
    // The indicators over world totals: `$key` says which, from the arguments.
    ($(#[$doc:meta])* $name:ident($args:ty) -> $row:ty = $statement:ident, world: $key:expr) => {
        $(#[$doc])*
        pub async fn $name(
            db: &sea_orm::DatabaseConnection,
            cache: &$crate::service::indicators::world::WorldCache,
            ids: $crate::service::indicators::Ids,
            reporters: &[i32],
            args: $args,
        ) -> $crate::error::Result<Vec<$row>> {
            let key: fn(&$args) -> $crate::service::indicators::world::WorldKey = $key;
            let backend = db.get_database_backend();
            $crate::service::indicators::world::with_world(db, cache, ids, key(&args), |world| {
                $statement(backend, world, ids, reporters, args)
            })
            .await
        }
    };
}

/// Pushes the flow codes as bound values, comma-separated.
pub(crate) fn push_flows(sql: &mut Sql, flows: &[FlowKind]) {
    for (i, f) in flows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(f.code());
    }
}

/// `ORDER BY` of every ranked indicator list: value descending (nulls last), then code.
const RANKING: &str = "ROW_NUMBER() OVER (PARTITION BY reporter_id ORDER BY value DESC NULLS LAST, code)";

/// A per-reporter indicator that is one number.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct ReporterValue {
    pub reporter_id: i32,
    pub value: Option<f64>,
    /// The data version the statement read ([`world::WorldCache`]).
    pub data_version: i64,
}

/// A float argument as a loader key (its bits), e.g. `rca(minValue)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FloatKey(u64);

impl FloatKey {
    pub fn new(value: f64) -> Self {
        Self(value.to_bits())
    }
    pub fn get(self) -> f64 {
        f64::from_bits(self.0)
    }
}

/// The trade both ways of some reporters, per code of one level, in one year: with a partner,
/// or (`partner: None`) with the world.
pub(crate) struct TwoWay<'a> {
    pub reporters: &'a [i32],
    pub year: i32,
    pub kind: CommodityKind,
    pub partner: Option<i32>,
}

/// Pushes `SELECT reporter_id, commodity_id, exports_usd, imports_usd` per code of the level
/// that the reporters traded: with the partner, each reporter's exports to and imports from
/// it; with the world, its world totals. A side not stored is `NULL`.
pub(crate) fn push_two_way(sql: &mut Sql, ids: Ids, on: &TwoWay<'_>) {
    let TwoWay {
        reporters,
        year,
        kind,
        partner,
    } = *on;
    match partner {
        None => {
            sql.push(
                "SELECT reporter_id, commodity_id, MAX(CASE WHEN flow = 'X' THEN v END) AS exports_usd, \
                      MAX(CASE WHEN flow = 'M' THEN v END) AS imports_usd FROM (",
            );
            let scope = Scope::new(year, &[FlowKind::Export, FlowKind::Import], kind).of(Some(reporters));
            push_world_totals(sql, ids, &scope);
            sql.push(") w GROUP BY reporter_id, commodity_id");
        }
        Some(partner) => {
            sql.push(
                "SELECT t.reporter_id, t.commodity_id, MAX(CASE WHEN t.flow = 'X' THEN t.value_usd END) AS exports_usd, \
                        MAX(CASE WHEN t.flow = 'M' THEN t.value_usd END) AS imports_usd \
                 FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id WHERE t.reporter_id IN (",
            )
            .bind_list(reporters)
            .push(") AND t.partner_id = ")
            .bind(partner)
            .push(" AND t.year = ")
            .bind(year)
            .push(" AND t.flow IN ('X', 'M') AND k.kind = ")
            .bind(kind)
            .push(" GROUP BY t.reporter_id, t.commodity_id");
        }
    }
}

/// One code of a ranked indicator list with its inputs (those the indicator uses; the others
/// are `None`).
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct ProductIndexRow {
    pub reporter_id: i32,
    pub commodity_id: i32,
    pub rank: i64,
    pub value: Option<f64>,
    /// `X_ik` (or `x_ijk` with one partner).
    pub exports_usd: Option<f64>,
    /// `M_ik` (or `m_ijk`).
    pub imports_usd: Option<f64>,
    /// `X_i`.
    pub total_exports_usd: Option<f64>,
    /// `X_Wk`.
    pub world_exports_usd: Option<f64>,
    /// `X_W`.
    pub world_total_exports_usd: Option<f64>,
    /// Partners the reporter exports the code to.
    pub markets: Option<i64>,
    /// Reporters that import the code.
    pub importers: Option<i64>,
    /// The data version the statement read ([`world::WorldCache`]); 0 where not used.
    pub data_version: i64,
}

/// The columns of [`ProductIndexRow`] after `reporter_id, commodity_id, rank, value`, each
/// either the named column of the ranked CTE or a typed `NULL`.
pub(crate) fn push_product_columns(sql: &mut Sql, present: &[&str]) {
    const COLUMNS: [(&str, &str); 8] = [
        ("exports_usd", "DOUBLE PRECISION"),
        ("imports_usd", "DOUBLE PRECISION"),
        ("total_exports_usd", "DOUBLE PRECISION"),
        ("world_exports_usd", "DOUBLE PRECISION"),
        ("world_total_exports_usd", "DOUBLE PRECISION"),
        ("markets", "BIGINT"),
        ("importers", "BIGINT"),
        ("data_version", "BIGINT"),
    ];
    for (name, ty) in COLUMNS {
        if name == "data_version" {
            // Read in the statement's own snapshot: see `world`.
            sql.push(", ").push(world::DATA_VERSION).push(" AS data_version");
        } else if present.contains(&name) {
            sql.push(", ").push(name);
        } else {
            sql.push(", CAST(NULL AS ").push(ty).push(") AS ").push(name);
        }
    }
}

pub mod bilateral;
pub mod national;
pub mod product;
pub mod unit_value;
pub mod world;
