//! The stored rows behind the derived trade figures (their lineage), read with one statement
//! per level of a query for any number of reporters, like the figures themselves. Every
//! figure's statement here selects the same columns ([`FlowInput`]), a superset of the rows
//! the figure's own statement aggregates; which of them a given figure used (its partner's
//! row, the `W00` row or else every country partner's) is picked in memory by the GraphQL
//! type, with the same rule as [`super::figures::world_or_sum`].

use entity::enums::Qualifier;
use sea_orm::{DatabaseConnection, FromQueryResult};

use super::figures::{
    ByCommodityArgs, CagrArgs, ConcentrationArgs, MirrorArgs, TopPartnersArgs, TradeWithArgs, concentration_flows,
    fetch,
};
use super::{NOT_AGGREGATE, Sql};
use crate::error::Result;

/// One stored trade flow (or stated total) a figure was computed from.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct FlowInput {
    /// `trade_flow.id` (a `BIGINT`), or `trade_total.id` when `flow` is `T`.
    pub id: i64,
    /// The reporter of the figure (for `mirror`, the partner's rows belong to the reporter
    /// they mirror).
    pub owner_id: i32,
    pub reporter_id: i32,
    pub partner_id: i32,
    pub year: i32,
    /// `X`, `M`, `RX`, `RM`, or `T` for a total a source states (`trade_total`).
    pub flow: String,
    pub commodity_id: i32,
    pub value_usd: f64,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    /// The partner is a pseudo-country (`W00`, "Areas, nes", …), never summed into a total.
    pub aggregate: bool,
}

impl FlowInput {
    /// A stated total (`trade_total`) rather than a flow.
    pub fn stated(&self) -> bool {
        self.flow == "T"
    }
}

/// `SELECT` of the [`FlowInput`] columns from `trade_flow t`, the owner being `owner`; the
/// caller continues after `WHERE `.
fn select(sql: &mut Sql, owner: &str) {
    select_from(sql, owner, "trade_flow t");
}

/// [`select`] from `from`, which joins `trade_flow t`.
fn select_from(sql: &mut Sql, owner: &str, from: &str) {
    sql.push(&format!(
        "SELECT t.id, {owner} AS owner_id, t.reporter_id, t.partner_id, t.year, t.flow, t.commodity_id, \
                t.value_usd, t.qualifier, t.source_id, \
                (t.partner_id IN (SELECT agg.id FROM country agg WHERE agg.is_aggregate)) AS aggregate \
         FROM {from} WHERE "
    ));
}

/// The partner condition of a figure taken "with a partner, `W00` being the world total":
/// the partner's rows, or for `W00` its rows and every country partner's (the sum taken when
/// there is no `W00` row).
fn partner_or_world(sql: &mut Sql, partner_id: i32, world_id: i32) {
    if partner_id == world_id {
        sql.push(" AND (t.partner_id = ")
            .bind(world_id)
            .push(&format!(" OR t.partner_id{NOT_AGGREGATE})"));
    } else {
        sql.push(" AND t.partner_id = ").bind(partner_id);
    }
}

/// The flows `concentration` sums: one year, flow and commodity of each reporter, with
/// partners that are countries (no `W00`, no other aggregate); largest first.
pub async fn partner_flows(
    db: &DatabaseConnection,
    reporters: &[i32],
    args: ConcentrationArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    select(&mut sql, "t.reporter_id");
    sql.push("t.reporter_id IN (");
    concentration_flows(&mut sql, reporters, args);
    sql.push(" AND ")
        .not_aggregate("t.partner_id")
        .push(" ORDER BY t.reporter_id, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}

/// The rows of `tradeWith`: exports and imports with the partner, the year before
/// `from_year` too (growth), the world totals' rows (`W00`, every country partner) of the
/// same years, and the totals sources state for the pair.
pub async fn trade_with_inputs(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: TradeWithArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    let years = |sql: &mut Sql, column: &str| {
        if let Some(from) = args.from_year {
            sql.push(" AND ").push(column).push(" >= ").bind(from - 1);
        }
        if let Some(to) = args.to_year {
            sql.push(" AND ").push(column).push(" <= ").bind(to);
        }
    };
    select(&mut sql, "t.reporter_id");
    sql.push("t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.commodity_id = ")
        .bind(args.commodity_id)
        .push(" AND t.flow IN ('X', 'M') AND (t.partner_id = ")
        .bind(args.partner_id)
        .push(" OR t.partner_id = ")
        .bind(world_id)
        .push(&format!(" OR t.partner_id{NOT_AGGREGATE})"));
    years(&mut sql, "t.year");
    sql.push(
        " UNION ALL SELECT s.id, s.reporter_id, s.reporter_id, s.partner_id, s.year, 'T', s.commodity_id, \
                s.value_usd, s.qualifier, s.source_id, (1 = 0) \
         FROM trade_total s WHERE s.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND s.partner_id = ")
    .bind(args.partner_id)
    .push(" AND s.commodity_id = ")
    .bind(args.commodity_id);
    years(&mut sql, "s.year");
    sql.push(" ORDER BY 2, 5, 6, 8 DESC, 1");
    fetch(db, sql.build()).await
}

/// The rows of `topPartners`: every partner's flow of the years (`W00` and the country
/// partners: the world total is the one or the sum of the others).
pub async fn top_partners_inputs(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: TopPartnersArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    select(&mut sql, "t.reporter_id");
    sql.push("t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year >= ")
        .bind(args.from_year)
        .push(" AND t.year <= ")
        .bind(args.to_year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.commodity_id);
    partner_or_world(&mut sql, world_id, world_id);
    sql.push(" ORDER BY t.reporter_id, t.year, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}

/// The rows of `tradeByCommodity`: the codes of the level and the `TOTAL` commodity, with
/// the partner (with `W00`: its rows and every country partner's).
pub async fn by_commodity_inputs(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: ByCommodityArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    select(&mut sql, "t.reporter_id");
    sql.push("t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year = ")
        .bind(args.year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND (t.commodity_id = ")
        .bind(args.total_commodity_id)
        .push(" OR t.commodity_id IN (SELECT k.id FROM commodity k WHERE k.kind = ")
        .bind(args.kind)
        .push("))");
    partner_or_world(&mut sql, args.partner_id, world_id);
    sql.push(" ORDER BY t.reporter_id, t.commodity_id, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}

/// The rows of `cagr`: the flow of both end years with the partner (with `W00`: its rows
/// and every country partner's).
pub async fn cagr_inputs(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: CagrArgs,
) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    select(&mut sql, "t.reporter_id");
    sql.push("t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year IN (")
        .bind(args.from_year)
        .push(", ")
        .bind(args.to_year)
        .push(") AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.commodity_id);
    partner_or_world(&mut sql, args.partner_id, world_id);
    sql.push(" ORDER BY t.reporter_id, t.year, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}

/// The rows of `mirror`: the reporter's exports and imports with the partner and the
/// partner's with the reporter, each owned by the reporter.
pub async fn mirror_inputs(db: &DatabaseConnection, reporters: &[i32], args: MirrorArgs) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    // The owner's `CASE` is spliced as text: the partner id is an integer from the reference
    // data, never user text.
    let owner = format!(
        "CASE WHEN t.reporter_id = {} THEN t.partner_id ELSE t.reporter_id END",
        args.partner_id
    );
    select(&mut sql, &owner);
    super::figures::mirror_rows(&mut sql, reporters, args);
    sql.push(" ORDER BY 2, t.year, t.reporter_id, t.flow");
    fetch(db, sql.build()).await
}

/// The rows of `dependencyComparison`'s computed share, owned by the dependency: the
/// importer's imports of the year at every HS code its product maps to, from every partner
/// (the supplier's row and the world total's, as [`super::dependency::computed`] takes them).
pub async fn dependency_inputs(db: &DatabaseConnection, dependency_ids: &[i32]) -> Result<Vec<FlowInput>> {
    let mut sql = Sql::new(db.get_database_backend());
    select_from(
        &mut sql,
        "d.id",
        "import_dependency d JOIN dependency_commodity x ON x.import_dependency_id = d.id \
         JOIN trade_flow t ON t.reporter_id = d.importer_id AND t.year = d.year \
              AND t.commodity_id = x.commodity_id AND t.flow = 'M'",
    );
    sql.push("d.id IN (")
        .bind_list(dependency_ids)
        .push(") ORDER BY d.id, t.commodity_id, t.value_usd DESC, t.id");
    fetch(db, sql.build()).await
}
