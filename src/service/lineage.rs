//! The stored rows behind the derived trade figures (their lineage), read with one statement
//! per level of a query for any number of reporters, like the figures themselves.

use entity::enums::Qualifier;
use sea_orm::{DatabaseConnection, FromQueryResult};

use super::Sql;
use super::figures::{ConcentrationArgs, concentration_flows, fetch};
use crate::error::Result;

/// One stored trade flow a figure was computed from.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct FlowInput {
    /// `trade_flow.id` (a `BIGINT`).
    pub id: i64,
    pub reporter_id: i32,
    pub partner_id: i32,
    pub value_usd: f64,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
}

/// The flows `concentration` sums: one year, flow and commodity of each reporter, with
/// partners that are countries (no `W00`, no other aggregate); largest first.
pub async fn partner_flows(
    db: &DatabaseConnection,
    reporters: &[i32],
    args: ConcentrationArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT t.id, t.reporter_id, t.partner_id, t.value_usd, t.qualifier, t.source_id \
         FROM trade_flow t WHERE t.reporter_id IN (",
    );
    concentration_flows(&mut sql, reporters, args);
    sql.push(" AND ")
        .not_aggregate("t.partner_id")
        .push(" ORDER BY t.reporter_id, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}
