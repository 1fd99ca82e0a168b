//! Value against volume: the unit value of one commodity per year, and the split of value
//! growth into volume growth and unit-value growth, `(1 + g_v) = (1 + g_q)(1 + g_uv)`.

use entity::enums::FlowKind;
use sea_orm::{DbBackend, FromQueryResult, Statement};

use super::Ids;
use crate::service::Sql;

/// Arguments of `unitValues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitValueArgs {
    /// `None`: the world totals.
    pub partner: Option<i32>,
    pub commodity: i32,
    pub flow: FlowKind,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

/// One year of a commodity's value and volume.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct UnitValueYear {
    pub reporter_id: i32,
    pub year: i32,
    pub value_usd: Option<f64>,
    /// In `quantity_unit`; null unless every summed row has a quantity in one, known unit.
    pub quantity: Option<f64>,
    pub quantity_unit: Option<String>,
    /// `value_usd / quantity`.
    pub unit_value: Option<f64>,
    /// On the previous year (null when that year is missing).
    pub value_growth: Option<f64>,
    /// Also null when the previous year's unit differs.
    pub volume_growth: Option<f64>,
    pub unit_value_growth: Option<f64>,
}

runs!(
    /// `unitValues`: one row per year with a value, ascending, per reporter.
    unit_values(UnitValueArgs) -> UnitValueYear = unit_values_statement
);

/// The statement of [`unit_values`], for `tradegraph sql` and benchmarks.
pub fn unit_values_statement(backend: DbBackend, ids: Ids, reporters: &[i32], args: UnitValueArgs) -> Statement {
    let mut sql = Sql::new(backend);
    match args.partner {
        // The world: the W00 row (its quantity only with a unit), else the sum over the
        // non-aggregate partners (its quantity only when each row has one, all in one unit).
        None => {
            sql.push(
                "WITH r AS (SELECT t.reporter_id, t.year, t.partner_id, t.value_usd, t.quantity, t.quantity_unit, \
                                   CASE WHEN ",
            )
            .not_aggregate("t.partner_id")
            .push(" THEN 1 ELSE 0 END AS is_country FROM trade_flow t WHERE t.reporter_id IN (")
            .bind_list(reporters)
            .push(")");
            push_row_filter(&mut sql, &args);
            sql.push("), y AS (SELECT reporter_id, year, MAX(CASE WHEN partner_id = ")
                .bind(ids.world)
                .push(" THEN 1 ELSE 0 END) AS has_world, MAX(CASE WHEN partner_id = ")
                .bind(ids.world)
                .push(" THEN value_usd END) AS w_value, MAX(CASE WHEN partner_id = ")
                .bind(ids.world)
                .push(" AND quantity_unit IS NOT NULL THEN quantity END) AS w_quantity, MAX(CASE WHEN partner_id = ")
                .bind(ids.world)
                .push(
                    " THEN quantity_unit END) AS w_unit, \
                     SUM(CASE WHEN is_country = 1 THEN value_usd END) AS p_value, \
                     SUM(CASE WHEN is_country = 1 THEN quantity END) AS p_quantity, \
                     COUNT(CASE WHEN is_country = 1 THEN 1 END) AS p_rows, \
                     COUNT(CASE WHEN is_country = 1 AND quantity IS NOT NULL AND quantity_unit IS NOT NULL \
                                THEN 1 END) AS p_measured, \
                     MIN(CASE WHEN is_country = 1 THEN quantity_unit END) AS p_unit_min, \
                     MAX(CASE WHEN is_country = 1 THEN quantity_unit END) AS p_unit_max \
                     FROM r GROUP BY reporter_id, year), \
                 z AS (SELECT reporter_id, year, CASE WHEN has_world = 1 THEN w_value ELSE p_value END AS value_usd, \
                          CASE WHEN has_world = 1 THEN w_quantity \
                               WHEN p_rows > 0 AND p_measured = p_rows AND p_unit_min = p_unit_max THEN p_quantity END AS quantity, \
                          CASE WHEN has_world = 1 THEN w_unit \
                               WHEN p_rows > 0 AND p_measured = p_rows AND p_unit_min = p_unit_max THEN p_unit_max END AS unit \
                       FROM y)",
                );
        }
        Some(partner) => {
            sql.push(
                "WITH z AS (SELECT t.reporter_id, t.year, t.value_usd, \
                                   CASE WHEN t.quantity_unit IS NOT NULL THEN t.quantity END AS quantity, \
                                   t.quantity_unit AS unit \
                            FROM trade_flow t WHERE t.reporter_id IN (",
            )
            .bind_list(reporters)
            .push(") AND t.partner_id = ")
            .bind(partner);
            push_row_filter(&mut sql, &args);
            sql.push(")");
        }
    }
    sql.push(
        ", u AS (SELECT reporter_id, year, value_usd, quantity, \
                 CASE WHEN quantity IS NOT NULL THEN unit END AS quantity_unit, \
                 value_usd / NULLIF(quantity, 0) AS unit_value \
           FROM z WHERE value_usd IS NOT NULL), \
         l AS (SELECT u.*, LAG(year) OVER w AS prev_year, LAG(value_usd) OVER w AS prev_value, \
                 LAG(quantity) OVER w AS prev_quantity, LAG(quantity_unit) OVER w AS prev_unit, \
                 LAG(unit_value) OVER w AS prev_unit_value \
               FROM u WINDOW w AS (PARTITION BY reporter_id ORDER BY year)) \
         SELECT reporter_id, year, value_usd, quantity, quantity_unit, unit_value, \
                CASE WHEN prev_year = year - 1 THEN value_usd / NULLIF(prev_value, 0) - 1 END AS value_growth, \
                CASE WHEN prev_year = year - 1 AND prev_unit = quantity_unit \
                     THEN quantity / NULLIF(prev_quantity, 0) - 1 END AS volume_growth, \
                CASE WHEN prev_year = year - 1 AND prev_unit = quantity_unit \
                     THEN unit_value / NULLIF(prev_unit_value, 0) - 1 END AS unit_value_growth \
         FROM l",
    );
    if let Some(from) = args.from_year {
        sql.push(" WHERE year >= ").bind(from);
    }
    sql.push(" ORDER BY reporter_id, year");
    sql.build()
}

/// The commodity, flow and years of the rows (the year before `from_year` too, for its growth).
fn push_row_filter(sql: &mut Sql, args: &UnitValueArgs) {
    sql.push(" AND t.commodity_id = ")
        .bind(args.commodity)
        .push(" AND t.flow = ")
        .bind(args.flow.code());
    if let Some(from) = args.from_year {
        sql.push(" AND t.year >= ").bind(from - 1);
    }
    if let Some(to) = args.to_year {
        sql.push(" AND t.year <= ").bind(to);
    }
}
