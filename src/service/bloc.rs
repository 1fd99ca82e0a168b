//! Bloc aggregates: an organisation's trade with the world, within the bloc and outside it,
//! and each member's part, with membership taken as of a day — one statement for any number
//! of organisations.
//!
//! Who counts: the countries whose membership period is in force on `as_of` (started on or
//! before it, not ended by it, as `Organization.members(asOf)`) with one of the `statuses`
//! asked for (the API's default: `MEMBER` and `SUSPENDED`).
//!
//! Missing data is never a made-up zero, and the qualifier says what it leaves open (trade
//! values are never negative, so a value left out can only make a sum larger):
//! - a member's *value* is its world total (the `W00` row, else the sum over partners that are
//!   countries), null without data;
//! - its *intra* value is the sum of its stored rows with fellow members (null when it has
//!   none); a fellow member without a row adds the "may be above" bit (`AT_LEAST`);
//! - its *extra* value is value − intra;
//! - the bloc's figures are the sums over members; a member whose figure is null adds the
//!   "may be above" bit to the bloc's.

use chrono::NaiveDate;
use entity::enums::{FlowKind, MembershipStatus, Qualifier};
use sea_orm::{ActiveEnum, DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::Sql;
use super::figures::{fetch, world_or_sum, world_or_sum_bits};
use super::qualifier as q;
use crate::error::Result;

/// Arguments of `Organization.trade`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlocTradeArgs {
    pub year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
    /// The day membership is taken on.
    pub as_of: NaiveDate,
    /// The statuses that count as members (sorted, no duplicates).
    pub statuses: Vec<MembershipStatus>,
}

/// One member of an organisation, with the organisation's figures repeated on every row (the
/// statement answers both in one pass).
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct BlocMemberRow {
    pub organization_id: i32,
    pub country_id: i32,
    pub status: MembershipStatus,
    pub value_usd: Option<f64>,
    pub value_usd_qualifier: Option<Qualifier>,
    pub share: Option<f64>,
    pub share_qualifier: Option<Qualifier>,
    pub intra_usd: Option<f64>,
    pub intra_usd_qualifier: Option<Qualifier>,
    pub extra_usd: Option<f64>,
    pub extra_usd_qualifier: Option<Qualifier>,
    pub bloc_world_usd: Option<f64>,
    pub bloc_world_usd_qualifier: Option<Qualifier>,
    pub bloc_intra_usd: Option<f64>,
    pub bloc_intra_usd_qualifier: Option<Qualifier>,
    pub bloc_extra_usd: Option<f64>,
    pub bloc_extra_usd_qualifier: Option<Qualifier>,
    pub intra_share: Option<f64>,
    pub intra_share_qualifier: Option<Qualifier>,
    /// Members with a world total.
    pub members_reporting: i64,
}

/// The members of each organisation with their figures and the bloc's: members with data by
/// value descending, then those without, ties by ISO code.
pub async fn bloc_trade(
    db: &DatabaseConnection,
    organizations: &[i32],
    world_id: i32,
    args: BlocTradeArgs,
) -> Result<Vec<BlocMemberRow>> {
    fetch(
        db,
        bloc_trade_statement(db.get_database_backend(), organizations, world_id, &args),
    )
    .await
}

/// `(bits) | 1` when `missing`: the "may be above" bit of a sum that leaves values out.
fn or_missing(bits: &str, missing: &str) -> String {
    format!("(COALESCE({bits}, 0) | CASE WHEN {missing} THEN 1 ELSE 0 END)")
}

/// The statement of [`bloc_trade`].
pub fn bloc_trade_statement(
    backend: DbBackend,
    organizations: &[i32],
    world_id: i32,
    args: &BlocTradeArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    // One row per member in force (overlapping periods of one country count it once).
    sql.push(
        "WITH m AS (SELECT ms.organization_id AS org, ms.country_id AS cid, MIN(ms.status) AS status \
         FROM membership ms WHERE ms.organization_id IN (",
    )
    .bind_list(organizations)
    .push(") AND (ms.since IS NULL OR ms.since <= ")
    .bind(args.as_of)
    .push(") AND (ms.until IS NULL OR ms.until > ")
    .bind(args.as_of)
    .push(") AND ms.status IN (");
    for (i, s) in args.statuses.iter().enumerate() {
        sql.push(if i > 0 { ", " } else { "" }).bind(s.to_value());
    }
    sql.push(
        ") GROUP BY ms.organization_id, ms.country_id), \
             n AS (SELECT org, COUNT(*) AS members FROM m GROUP BY org), ",
    )
    // The members' rows of the flow, each marked when its partner is a fellow member.
    .push(
        "f AS (SELECT m.org, m.cid, t.partner_id, t.value_usd, t.qualifier, \
               CASE WHEN p.cid IS NULL THEN 0 ELSE 1 END AS intra \
             FROM m JOIN trade_flow t ON t.reporter_id = m.cid \
             LEFT JOIN m p ON p.org = m.org AND p.cid = t.partner_id AND p.cid <> m.cid \
             WHERE t.year = ",
    )
    .bind(args.year)
    .push(" AND t.flow = ")
    .bind(args.flow.code())
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push("), per AS (SELECT m.org, m.cid, m.status, ");
    world_or_sum(&mut sql, world_id);
    sql.push(" AS world, ");
    world_or_sum_bits(&mut sql, world_id);
    let intra_bits = q::union_of_rows(
        backend,
        &format!("CASE WHEN t.intra = 1 THEN {} END", q::bits("t.qualifier")),
    );
    sql.push(&format!(
        " AS wq, SUM(CASE WHEN t.intra = 1 THEN t.value_usd END) AS intra, {intra_bits} AS iq, \
           COUNT(CASE WHEN t.intra = 1 THEN 1 END) AS intra_rows \
         FROM m LEFT JOIN f t ON t.org = m.org AND t.cid = m.cid GROUP BY m.org, m.cid, m.status), \
         pm AS (SELECT per.org, per.cid, per.status, per.world, per.wq, per.intra, {iq} AS iq, \
                  per.world - per.intra AS extra \
                FROM per JOIN n ON n.org = per.org), \
         pq AS (SELECT pm.*, {eq} AS eq FROM pm), \
         b AS (SELECT org, SUM(world) AS world, {bwq} AS wq, SUM(intra) AS intra, {biq} AS iq, \
                 SUM(extra) AS extra, {beq} AS eq, COUNT(world) AS reporting FROM pq GROUP BY org), \
         r AS (SELECT pq.org, pq.cid, pq.status, pq.world, pq.wq, pq.intra, pq.iq, pq.extra, pq.eq, \
                 pq.world / NULLIF(b.world, 0) AS share, {sq} AS sq, \
                 b.world AS bworld, b.wq AS bwq, b.intra AS bintra, b.iq AS biq, b.extra AS bextra, \
                 b.eq AS beq, b.intra / NULLIF(b.world, 0) AS ishare, {isq} AS isq, b.reporting \
               FROM pq JOIN b ON b.org = pq.org) \
         SELECT r.org AS organization_id, r.cid AS country_id, r.status, \
           r.world AS value_usd, {wn} AS value_usd_qualifier, r.share, {sn} AS share_qualifier, \
           r.intra AS intra_usd, {in_} AS intra_usd_qualifier, r.extra AS extra_usd, {en} AS extra_usd_qualifier, \
           r.bworld AS bloc_world_usd, {bwn} AS bloc_world_usd_qualifier, \
           r.bintra AS bloc_intra_usd, {bin} AS bloc_intra_usd_qualifier, \
           r.bextra AS bloc_extra_usd, {ben} AS bloc_extra_usd_qualifier, \
           r.ishare AS intra_share, {isn} AS intra_share_qualifier, r.reporting AS members_reporting \
         FROM r JOIN country c ON c.id = r.cid \
         ORDER BY r.org, CASE WHEN r.world IS NULL THEN 1 ELSE 0 END, r.world DESC, c.iso3",
        // A fellow member without a row leaves the intra sum open upwards.
        iq = or_missing("per.iq", "per.intra_rows < n.members - 1"),
        eq = q::union(&["pm.wq", &q::flip("pm.iq")]),
        bwq = or_missing(&q::union_of_rows(backend, "wq"), "COUNT(world) < COUNT(*)"),
        biq = or_missing(&q::union_of_rows(backend, "iq"), "COUNT(intra) < COUNT(*)"),
        beq = or_missing(
            &q::union_of_rows(backend, "CASE WHEN extra IS NOT NULL THEN eq END"),
            "COUNT(extra) < COUNT(*)"
        ),
        sq = q::union(&["pq.wq", &q::flip("b.wq")]),
        isq = q::union(&["b.iq", &q::flip("b.wq")]),
        wn = q::name("r.world", "r.wq"),
        sn = q::name("r.share", "r.sq"),
        in_ = q::name("r.intra", "r.iq"),
        en = q::name("r.extra", "r.eq"),
        bwn = q::name("r.bworld", "r.bwq"),
        bin = q::name("r.bintra", "r.biq"),
        ben = q::name("r.bextra", "r.beq"),
        isn = q::name("r.ishare", "r.isq"),
    ));
    sql.build()
}
