//! Indicators of a reporter and one partner: trade intensity, trade complementarity and
//! intra-industry trade (Grubel–Lloyd, aggregated over the codes of a level).

use entity::enums::{CommodityKind, FlowKind};
use sea_orm::{DbBackend, Statement};

use super::world::{DATA_VERSION, World, WorldKey, push_world_total};
use super::{Ids, ReporterValue, Scope, TwoWay, push_totals, push_two_way, push_world_totals};
use crate::service::Sql;

/// Arguments of `tradeIntensity` (HS level 2 for the reporters' totals without `TOTAL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntensityArgs {
    pub partner: i32,
    pub year: i32,
}

runs!(
    /// `tradeIntensity`: `(x_ij / X_i) / (x_Wj / X_W)`, `x_Wj` being every other reporter's
    /// exports to `j` (commodity `TOTAL`).
    trade_intensity(IntensityArgs) -> ReporterValue = trade_intensity_statement,
    world: |a| WorldKey {
        year: a.year,
        flow: FlowKind::Export,
        kind: CommodityKind::Chapter,
    }
);

/// The statement of [`trade_intensity`], for `tradegraph sql` and benchmarks.
pub fn trade_intensity_statement(
    backend: DbBackend,
    world: World<'_>,
    ids: Ids,
    reporters: &[i32],
    args: IntensityArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    let scope = Scope::new(args.year, &[FlowKind::Export], CommodityKind::Chapter)
        .with_total()
        .of(matches!(world, World::Cached(_)).then_some(reporters));
    push_totals(&mut sql, ids, &scope);
    sql.push(
        ", xj AS (SELECT t.reporter_id, t.value_usd FROM trade_flow t \
                   WHERE t.partner_id = ",
    )
    .bind(args.partner)
    .push(" AND t.year = ")
    .bind(args.year)
    .push(" AND t.flow = 'X' AND t.commodity_id = ")
    .bind(ids.total)
    .push("), xw AS (SELECT SUM(value_usd) AS v FROM xj WHERE reporter_id <> ")
    .bind(args.partner)
    .push(
        ") SELECT xj.reporter_id, \
                  (xj.value_usd / NULLIF(tot.v, 0)) / NULLIF(xw.v / NULLIF(",
    );
    push_world_total(&mut sql, world, "tot");
    sql.push(", 0), 0) AS value, ")
        .push(DATA_VERSION)
        .push(
            " AS data_version \
             FROM xj JOIN tot ON tot.reporter_id = xj.reporter_id CROSS JOIN xw \
             WHERE xj.reporter_id IN (",
        )
        .bind_list(reporters)
        .push(") ORDER BY xj.reporter_id");
    sql.build()
}

/// Arguments of `tradeComplementarity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComplementarityArgs {
    pub partner: i32,
    pub year: i32,
    pub kind: CommodityKind,
}

runs!(
    /// `tradeComplementarity`: `100 · (1 − ½ Σ_k |m_jk − x_ik|)` over the codes of the level,
    /// `x_ik` being code `k`'s share of the reporter's exports and `m_jk` its share of the
    /// partner's imports (a code on one side only counts with a share of 0 on the other).
    trade_complementarity(ComplementarityArgs) -> ReporterValue = trade_complementarity_statement
);

/// The statement of [`trade_complementarity`], for `tradegraph sql` and benchmarks.
pub fn trade_complementarity_statement(
    backend: DbBackend,
    ids: Ids,
    reporters: &[i32],
    args: ComplementarityArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    let mut parties = reporters.to_vec();
    parties.push(args.partner);
    sql.push("WITH wt AS MATERIALIZED (");
    let scope = Scope::new(args.year, &[FlowKind::Export, FlowKind::Import], args.kind).of(Some(&parties));
    push_world_totals(&mut sql, ids, &scope);
    sql.push("), xs AS (SELECT reporter_id, commodity_id, v FROM wt WHERE flow = 'X' AND reporter_id IN (")
        .bind_list(reporters)
        .push(
            ")), xt AS (SELECT reporter_id, SUM(v) AS total FROM xs GROUP BY reporter_id), \
             ms AS (SELECT commodity_id, v FROM wt WHERE flow = 'M' AND reporter_id = ",
        )
        .bind(args.partner)
        .push(
            "), mt AS (SELECT SUM(v) AS total FROM ms), \
             u AS (SELECT xs.reporter_id, xs.commodity_id, xs.v / NULLIF(xt.total, 0) AS x, \
                          CAST(0 AS DOUBLE PRECISION) AS m \
                   FROM xs JOIN xt ON xt.reporter_id = xs.reporter_id \
                   UNION ALL \
                   SELECT xt.reporter_id, ms.commodity_id, CAST(0 AS DOUBLE PRECISION), ms.v / NULLIF(mt.total, 0) \
                   FROM xt CROSS JOIN ms CROSS JOIN mt), \
             d AS (SELECT reporter_id, commodity_id, ABS(SUM(m) - SUM(x)) AS gap FROM u GROUP BY reporter_id, commodity_id) \
             SELECT xt.reporter_id, \
                    CASE WHEN xt.total > 0 AND mt.total > 0 THEN 100 * (1 - 0.5 * SUM(d.gap)) END AS value, \
                    CAST(0 AS BIGINT) AS data_version \
             FROM xt CROSS JOIN mt JOIN d ON d.reporter_id = xt.reporter_id \
             GROUP BY xt.reporter_id, xt.total, mt.total ORDER BY xt.reporter_id",
        );
    sql.build()
}

/// Arguments of `intraIndustryTrade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntraIndustryTotalArgs {
    /// `None`: against the world (the reporter's world totals).
    pub partner: Option<i32>,
    pub year: i32,
    pub kind: CommodityKind,
}

runs!(
    /// `intraIndustryTrade`: Grubel–Lloyd aggregated over the codes of the level,
    /// `1 − Σ_k |x_ijk − m_ijk| / Σ_k (x_ijk + m_ijk)`; a code traded one way only counts with 0
    /// the other way, but a reporter with no exports (or no imports) at all at the level is null.
    intra_industry(IntraIndustryTotalArgs) -> ReporterValue = intra_industry_statement
);

/// The statement of [`intra_industry`], for `tradegraph sql` and benchmarks.
pub fn intra_industry_statement(
    backend: DbBackend,
    ids: Ids,
    reporters: &[i32],
    args: IntraIndustryTotalArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("WITH g AS (");
    let on = TwoWay {
        reporters,
        year: args.year,
        kind: args.kind,
        partner: args.partner,
    };
    push_two_way(&mut sql, ids, &on);
    sql.push(
        ") SELECT reporter_id, \
                  CASE WHEN COUNT(exports_usd) > 0 AND COUNT(imports_usd) > 0 \
                       THEN 1 - SUM(ABS(COALESCE(exports_usd, 0) - COALESCE(imports_usd, 0))) \
                              / NULLIF(SUM(COALESCE(exports_usd, 0) + COALESCE(imports_usd, 0)), 0) END AS value, \
                  CAST(0 AS BIGINT) AS data_version \
           FROM g GROUP BY reporter_id ORDER BY reporter_id",
    );
    sql.build()
}
