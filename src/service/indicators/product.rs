//! Indicators per product (HS code), ranked: revealed comparative advantage, export market
//! penetration and the relative trade balance. Each list is ranked by value, descending
//! (nulls last), ties by code, and cut at `limit` per reporter.

use entity::enums::{CommodityKind, FlowKind};
use sea_orm::{DbBackend, Statement};

use super::world::{World, WorldKey, push_world_codes, push_world_total};
use super::{
    FloatKey, Ids, ProductIndexRow, RANKING, Scope, TwoWay, push_product_columns, push_totals, push_two_way,
    push_world_totals,
};
use crate::service::Sql;

/// Arguments of the ranked lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProductArgs {
    pub year: i32,
    pub kind: CommodityKind,
    pub limit: u32,
    /// Only codes whose value is at least this (`rca(minValue: 1)`: the codes with a revealed
    /// comparative advantage).
    pub min_value: Option<FloatKey>,
}

/// The ranked rows of CTE `v` (which has `reporter_id`, `code` and `value`), then the final
/// `SELECT` with the columns in `present`.
fn push_ranked(sql: &mut Sql, args: ProductArgs, present: &[&str]) {
    sql.push(", q AS (SELECT v.*, ").push(RANKING).push(" AS rank FROM v");
    if let Some(min) = args.min_value {
        sql.push(" WHERE value >= ").bind(min.get());
    }
    sql.push(") SELECT reporter_id, commodity_id, rank, value");
    push_product_columns(sql, present);
    sql.push(" FROM q WHERE rank <= ")
        .bind(i64::from(args.limit))
        .push(" ORDER BY reporter_id, rank");
}

runs!(
    /// `rca`: Balassa's revealed comparative advantage of each code the reporter exports,
    /// `(X_ik / X_i) / (X_Wk / X_W)`.
    rca(ProductArgs) -> ProductIndexRow = rca_statement,
    world: |a| WorldKey {
        year: a.year,
        flow: FlowKind::Export,
        kind: a.kind,
    }
);

/// The statement of [`rca`], for `tradegraph sql` and benchmarks.
pub fn rca_statement(
    backend: DbBackend,
    world: World<'_>,
    ids: Ids,
    reporters: &[i32],
    args: ProductArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    // Inline, the world's sums need every reporter; cached, only ours.
    let scope = Scope::new(args.year, &[FlowKind::Export], args.kind)
        .with_total()
        .of(matches!(world, World::Cached(_)).then_some(reporters));
    push_totals(&mut sql, ids, &scope);
    sql.push(", wk(commodity_id, value, reporters) AS (");
    push_world_codes(&mut sql, world, ids, "wt");
    sql.push(
        "), v AS (SELECT reporter_id, commodity_id, code, exports_usd, total_exports_usd, world_exports_usd, \
                  world_total_exports_usd, \
                  (exports_usd / NULLIF(total_exports_usd, 0)) / NULLIF(world_exports_usd / NULLIF(world_total_exports_usd, 0), 0) AS value \
           FROM (SELECT wt.reporter_id, wt.commodity_id, k.code, wt.v AS exports_usd, tot.v AS total_exports_usd, \
                        wk.value AS world_exports_usd, ",
    );
    push_world_total(&mut sql, world, "tot");
    sql.push(
        " AS world_total_exports_usd \
           FROM wt JOIN tot ON tot.reporter_id = wt.reporter_id JOIN commodity k ON k.id = wt.commodity_id \
           LEFT JOIN wk ON wk.commodity_id = wt.commodity_id \
           WHERE wt.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND wt.commodity_id <> ")
    .bind(ids.total)
    .push(") r)");
    push_ranked(
        &mut sql,
        args,
        &[
            "exports_usd",
            "total_exports_usd",
            "world_exports_usd",
            "world_total_exports_usd",
        ],
    );
    sql.build()
}

runs!(
    /// `marketPenetration`: per code the reporter exports (to at least one non-aggregate
    /// partner), the partners it exports it to over the reporters that import it.
    market_penetration(ProductArgs) -> ProductIndexRow = market_penetration_statement,
    world: |a| WorldKey {
        year: a.year,
        flow: FlowKind::Import,
        kind: a.kind,
    }
);

/// The statement of [`market_penetration`], for `tradegraph sql` and benchmarks.
pub fn market_penetration_statement(
    backend: DbBackend,
    world: World<'_>,
    ids: Ids,
    reporters: &[i32],
    args: ProductArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push(
        "WITH n AS (SELECT t.reporter_id, t.commodity_id, k.code, COUNT(CASE WHEN t.value_usd > 0 THEN 1 END) AS markets \
                    FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id \
                    WHERE t.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND t.year = ")
    .bind(args.year)
    .push(" AND t.flow = 'X' AND k.kind = ")
    .bind(args.kind)
    .push(" AND ")
    .not_aggregate("t.partner_id")
    .push(" GROUP BY t.reporter_id, t.commodity_id, k.code)");
    if let World::Inline = world {
        sql.push(", wt AS MATERIALIZED (");
        push_world_totals(&mut sql, ids, &Scope::new(args.year, &[FlowKind::Import], args.kind));
        sql.push(")");
    }
    sql.push(", wk(commodity_id, value, reporters) AS (");
    push_world_codes(&mut sql, world, ids, "wt");
    sql.push(
        "), v AS (SELECT n.reporter_id, n.commodity_id, n.code, n.markets, COALESCE(wk.reporters, 0) AS importers, \
                  CAST(n.markets AS DOUBLE PRECISION) / NULLIF(COALESCE(wk.reporters, 0), 0) AS value \
           FROM n LEFT JOIN wk ON wk.commodity_id = n.commodity_id)",
    );
    push_ranked(&mut sql, args, &["markets", "importers"]);
    sql.build()
}

/// The chain `g` (two-way trade per code, see [`push_two_way`]), `h`, `v` of the per-code
/// two-way indicators: `value` is `expr` over `exports_usd` and `imports_usd`, where a side
/// not stored counts as 0 — unless the reporter has no flow of that side at the level at all
/// (its exports or imports are missing, not zero): then every value is null.
fn push_two_way_list(sql: &mut Sql, ids: Ids, on: &TwoWay<'_>, expr: &str) {
    sql.push("WITH g AS (");
    push_two_way(sql, ids, on);
    sql.push(
        "), h AS (SELECT g.reporter_id, g.commodity_id, k.code, g.exports_usd, g.imports_usd, \
                  COALESCE(g.exports_usd, 0) AS x, COALESCE(g.imports_usd, 0) AS m, \
                  COUNT(g.exports_usd) OVER (PARTITION BY g.reporter_id) AS nx, \
                  COUNT(g.imports_usd) OVER (PARTITION BY g.reporter_id) AS nm \
           FROM g JOIN commodity k ON k.id = g.commodity_id), \
         v AS (SELECT h.*, CASE WHEN nx > 0 AND nm > 0 THEN ",
    )
    .push(expr)
    .push(" END AS value FROM h)");
}

runs!(
    /// `relativeTradeBalance`: per code, `(X_ik − M_ik) / (X_ik + M_ik)`.
    relative_trade_balance(ProductArgs) -> ProductIndexRow = relative_trade_balance_statement
);

/// The statement of [`relative_trade_balance`], for `tradegraph sql` and benchmarks.
pub fn relative_trade_balance_statement(
    backend: DbBackend,
    ids: Ids,
    reporters: &[i32],
    args: ProductArgs,
) -> Statement {
    let on = TwoWay {
        reporters,
        year: args.year,
        kind: args.kind,
        partner: None,
    };
    two_way_list_statement(backend, ids, &on, args.limit, "(x - m) / NULLIF(x + m, 0)")
}

/// Arguments of `intraIndustryTradeByCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntraIndustryArgs {
    /// `None`: against the world (the reporter's world totals).
    pub partner: Option<i32>,
    pub year: i32,
    pub kind: CommodityKind,
    pub limit: u32,
}

runs!(
    /// `intraIndustryTradeByCode`: Grubel–Lloyd per code, `1 − |x_ijk − m_ijk| / (x_ijk + m_ijk)`.
    intra_industry_by_code(IntraIndustryArgs) -> ProductIndexRow = intra_industry_by_code_statement
);

/// The statement of [`intra_industry_by_code`], for `tradegraph sql` and benchmarks.
pub fn intra_industry_by_code_statement(
    backend: DbBackend,
    ids: Ids,
    reporters: &[i32],
    args: IntraIndustryArgs,
) -> Statement {
    let on = TwoWay {
        reporters,
        year: args.year,
        kind: args.kind,
        partner: args.partner,
    };
    two_way_list_statement(backend, ids, &on, args.limit, "1 - ABS(x - m) / NULLIF(x + m, 0)")
}

/// A ranked list per code of a two-way indicator whose value is `expr` (see
/// [`push_two_way_list`]).
fn two_way_list_statement(backend: DbBackend, ids: Ids, on: &TwoWay<'_>, limit: u32, expr: &str) -> Statement {
    let mut sql = Sql::new(backend);
    push_two_way_list(&mut sql, ids, on, expr);
    let args = ProductArgs {
        year: on.year,
        kind: on.kind,
        limit,
        min_value: None,
    };
    push_ranked(&mut sql, args, &["exports_usd", "imports_usd"]);
    sql.build()
}
