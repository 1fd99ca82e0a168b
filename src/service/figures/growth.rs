//! `cagr`: the compound annual growth rate of one flow between two years.

use entity::enums::{FlowKind, Qualifier};
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::{fetch, q, world_or_sum, world_or_sum_bits};
use crate::error::Result;
use crate::service::Sql;

/// Arguments of `cagr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CagrArgs {
    pub partner_id: i32,
    pub from_year: i32,
    pub to_year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
}

/// The two end values of a compound annual growth rate, with their qualifiers and the rate's.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct CagrValues {
    pub reporter_id: i32,
    pub from_value_usd: Option<f64>,
    pub from_value_usd_qualifier: Option<Qualifier>,
    pub to_value_usd: Option<f64>,
    pub to_value_usd_qualifier: Option<Qualifier>,
    /// The qualifier of the rate (it rises with the last value, falls with the first).
    pub rate_qualifier: Option<Qualifier>,
}

/// The two end values of a compound annual growth rate (partner `W00`: world totals). The
/// rate itself, (to / from)^(1 / years) − 1, is one power of two numbers: see [`cagr_rate`].
pub async fn cagr_values(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: CagrArgs,
) -> Result<Vec<CagrValues>> {
    fetch(
        db,
        cagr_values_statement(db.get_database_backend(), reporters, world_id, args),
    )
    .await
}

/// The statement of [`cagr_values`], for `tradegraph sql` and benchmarks.
pub fn cagr_values_statement(backend: DbBackend, reporters: &[i32], world_id: i32, args: CagrArgs) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("WITH v AS (SELECT t.reporter_id, t.year, ");
    world_or_sum(&mut sql, world_id);
    sql.push(" AS value_usd, ");
    world_or_sum_bits(&mut sql, world_id);
    sql.push(" AS q FROM trade_flow t WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year IN (")
        .bind(args.from_year)
        .push(", ")
        .bind(args.to_year)
        .push(") AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.commodity_id);
    if args.partner_id != world_id {
        sql.push(" AND t.partner_id = ").bind(args.partner_id);
    }
    sql.push(" GROUP BY t.reporter_id, t.year), p AS (SELECT reporter_id, MAX(CASE WHEN year = ")
        .bind(args.from_year)
        .push(" THEN value_usd END) AS a, MAX(CASE WHEN year = ")
        .bind(args.from_year)
        .push(" THEN q END) AS aq, MAX(CASE WHEN year = ")
        .bind(args.to_year)
        .push(" THEN value_usd END) AS b, MAX(CASE WHEN year = ")
        .bind(args.to_year)
        .push(&format!(
            " THEN q END) AS bq FROM v GROUP BY reporter_id) \
             SELECT reporter_id, a AS from_value_usd, {} AS from_value_usd_qualifier, \
                    b AS to_value_usd, {} AS to_value_usd_qualifier, {} AS rate_qualifier \
             FROM p ORDER BY reporter_id",
            q::name("a", "aq"),
            q::name("b", "bq"),
            q::name("b / NULLIF(a, 0)", &q::union(&["bq", &q::flip("aq")])),
        ));
    sql.build()
}

/// (to / from)^(1 / (to_year − from_year)) − 1; `None` when a value is missing, the start
/// value is not positive, or the years are not in order.
pub fn cagr_rate(from_value: Option<f64>, to_value: Option<f64>, years: i32) -> Option<f64> {
    match (from_value, to_value) {
        (Some(a), Some(b)) if a > 0.0 && b >= 0.0 && years > 0 => Some((b / a).powf(1.0 / f64::from(years)) - 1.0),
        _ => None,
    }
}
