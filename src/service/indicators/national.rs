//! Indicators of one reporter's trade as a whole: export diversification (product HHI),
//! openness to trade and exports per inhabitant.

use entity::enums::{CommodityKind, FlowKind};
use sea_orm::{DbBackend, FromQueryResult, Statement};

use super::{Ids, ReporterValue, Scope, push_totals, push_world_totals};
use crate::service::Sql;

/// Arguments of `exportDiversification`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DiversificationArgs {
    pub year: i32,
    pub kind: CommodityKind,
}

/// A reporter's product concentration.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Diversification {
    pub reporter_id: i32,
    /// `Σ_k s_ik²`, `s_ik = X_ik / Σ_k X_ik`.
    pub hhi: Option<f64>,
    /// Codes with `X_ik > 0`.
    pub products: i64,
    /// `Σ_k X_ik`.
    pub exports_usd: Option<f64>,
}

runs!(
    /// `exportDiversification`: the Herfindahl–Hirschman index of the reporter's exports over the
    /// codes of the level, and how many codes it exports; no row without exports at the level.
    export_diversification(DiversificationArgs) -> Diversification = export_diversification_statement
);

/// The statement of [`export_diversification`], for `tradegraph sql` and benchmarks.
pub fn export_diversification_statement(
    backend: DbBackend,
    ids: Ids,
    reporters: &[i32],
    args: DiversificationArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("WITH wt AS (");
    push_world_totals(
        &mut sql,
        ids,
        &Scope::new(args.year, &[FlowKind::Export], args.kind).of(Some(reporters)),
    );
    // Σ s² = Σ X² / (Σ X)², one division instead of one per code.
    sql.push(
        ") SELECT reporter_id, SUM(v * v) / NULLIF(SUM(v) * SUM(v), 0) AS hhi, \
                  COUNT(CASE WHEN v > 0 THEN 1 END) AS products, SUM(v) AS exports_usd \
           FROM wt GROUP BY reporter_id ORDER BY reporter_id",
    );
    sql.build()
}

/// Which ratio of a reporter's totals to one of its indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ratio {
    /// `(X_i + M_i) / GDP_USD`.
    Openness,
    /// `X_i / POPULATION`.
    ExportsPerCapita,
}

/// Arguments of `openness` and `exportsPerCapita` (HS level 2 for totals without `TOTAL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RatioArgs {
    pub ratio: Ratio,
    pub year: i32,
}

runs!(
    /// `openness` or `exportsPerCapita`, with the indicator of the same year.
    ratio(RatioArgs) -> ReporterValue = ratio_statement
);

/// The statement of [`ratio`], for `tradegraph sql` and benchmarks.
pub fn ratio_statement(backend: DbBackend, ids: Ids, reporters: &[i32], args: RatioArgs) -> Statement {
    let (flows, indicator, numerator): (&[FlowKind], &str, &str) = match args.ratio {
        Ratio::Openness => (&[FlowKind::Export, FlowKind::Import], "GDP_USD", "x.v + m.v"),
        Ratio::ExportsPerCapita => (&[FlowKind::Export], "POPULATION", "x.v"),
    };
    let mut sql = Sql::new(backend);
    let scope = Scope::new(args.year, flows, CommodityKind::Chapter)
        .with_total()
        .of(Some(reporters));
    push_totals(&mut sql, ids, &scope);
    sql.push(", ind AS (SELECT country_id, value FROM indicator WHERE country_id IN (")
        .bind_list(reporters)
        .push(") AND code = ")
        .bind(indicator)
        .push(" AND year = ")
        .bind(args.year)
        .push(") SELECT ind.country_id AS reporter_id, (")
        .push(numerator)
        .push(
            ") / NULLIF(ind.value, 0) AS value, CAST(0 AS BIGINT) AS data_version \
             FROM ind JOIN tot x ON x.reporter_id = ind.country_id AND x.flow = 'X'",
        );
    if args.ratio == Ratio::Openness {
        sql.push(" JOIN tot m ON m.reporter_id = ind.country_id AND m.flow = 'M'");
    }
    sql.push(" ORDER BY ind.country_id");
    sql.build()
}
