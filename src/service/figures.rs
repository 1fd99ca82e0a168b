//! Derived trade figures, each computed by the database in one statement (aggregates,
//! `GROUP BY`, window functions) for any number of reporters at once, exactly as
//! `shared/API.md` defines them. Missing data gives `NULL`, never a made-up zero, and every
//! division goes through `NULLIF(.., 0)`. Each figure comes with its qualifier, computed in
//! the same statement by the rule of [`super::qualifier`].
//!
//! The *world total* of a reporter, year, commodity and flow is its row with partner `W00`
//! when present, otherwise the sum of its rows over the partners that are countries:
//! `COALESCE(MAX(CASE WHEN partner = W00 ..), SUM(CASE WHEN partner NOT IN aggregates ..))`
//! (no pseudo-partner — World, "Areas, nes", Bunkers, … — is ever summed in).

use entity::enums::{FlowKind, Qualifier};
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::qualifier as q;
use super::{NOT_AGGREGATE, Sql};
use crate::error::Result;

mod growth;
mod mirror;

pub use growth::{CagrArgs, CagrValues, cagr_rate, cagr_values, cagr_values_statement};
pub(crate) use mirror::mirror_rows;
pub use mirror::{MirrorArgs, MirrorYear, mirror, mirror_statement};

/// Runs a figure's statement.
pub(crate) async fn fetch<T: FromQueryResult>(db: &DatabaseConnection, statement: Statement) -> Result<Vec<T>> {
    Ok(T::find_by_statement(statement).all(db).await?)
}

/// The world total (or a single partner's value) over the rows of one group.
pub(crate) fn world_or_sum(sql: &mut Sql, world_id: i32) {
    sql.push("COALESCE(MAX(CASE WHEN t.partner_id = ")
        .bind(world_id)
        .push(" THEN t.value_usd END), SUM(CASE WHEN ")
        .not_aggregate("t.partner_id")
        .push(" THEN t.value_usd END))");
}

/// The qualifier bits of [`world_or_sum`]: the World row's, else the union over the partners
/// that are countries (the rows the sum takes).
pub(crate) fn world_or_sum_bits(sql: &mut Sql, world_id: i32) {
    let b = q::bits("t.qualifier");
    let partners = q::union_of_rows(
        sql.backend(),
        &format!("CASE WHEN t.partner_id{NOT_AGGREGATE} THEN {b} END"),
    );
    sql.push("COALESCE(MAX(CASE WHEN t.partner_id = ")
        .bind(world_id)
        .push(&format!(" THEN {b} END), {partners})"));
}

/// Arguments of the per-year figures with one partner (`tradeWith`, `mirror`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartnerYears {
    pub partner_id: i32,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub commodity_id: i32,
}

/// Arguments of `tradeWith`.
pub type TradeWithArgs = PartnerYears;

/// One year of a reporter's trade with one partner; each figure with its qualifier.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct BilateralYear {
    pub reporter_id: i32,
    pub year: i32,
    pub exports_usd: Option<f64>,
    pub exports_usd_qualifier: Option<Qualifier>,
    pub imports_usd: Option<f64>,
    pub imports_usd_qualifier: Option<Qualifier>,
    pub total_trade_usd: Option<f64>,
    pub total_trade_usd_qualifier: Option<Qualifier>,
    /// True when `total_trade_usd` is a total a source states (`trade_total`), not exports +
    /// imports.
    pub total_trade_stated: bool,
    pub balance_usd: Option<f64>,
    pub balance_usd_qualifier: Option<Qualifier>,
    pub total_trade_growth: Option<f64>,
    pub total_trade_growth_qualifier: Option<Qualifier>,
    pub export_share: Option<f64>,
    pub export_share_qualifier: Option<Qualifier>,
    pub import_share: Option<f64>,
    pub import_share_qualifier: Option<Qualifier>,
}

/// `tradeWith`: one row per year with data (flows or a stated total), ascending, per reporter.
pub async fn trade_with(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: TradeWithArgs,
) -> Result<Vec<BilateralYear>> {
    fetch(
        db,
        trade_with_statement(db.get_database_backend(), reporters, world_id, args),
    )
    .await
}

/// The statement of [`trade_with`], for `tradegraph sql` and benchmarks.
///
/// The total of a year is exports + imports when both are stored, else the total a source
/// states for that year (`trade_total`), so a total stated without its split is answered as
/// stated, with its own qualifier.
pub fn trade_with_statement(backend: DbBackend, reporters: &[i32], world_id: i32, args: TradeWithArgs) -> Statement {
    let mut sql = Sql::new(backend);
    // The year before `from_year` is read too, for the first year's growth.
    let years = |sql: &mut Sql, column: &str| {
        if let Some(from) = args.from_year {
            sql.push(" AND ").push(column).push(" >= ").bind(from - 1);
        }
        if let Some(to) = args.to_year {
            sql.push(" AND ").push(column).push(" <= ").bind(to);
        }
    };
    // Flows and stated totals in one pass: `k` is the flow, or `T` for a stated total.
    let pivot = |k: &str, name: &str| {
        format!("MAX(CASE WHEN u.k = '{k}' THEN u.v END) AS {name}, MAX(CASE WHEN u.k = '{k}' THEN u.q END) AS {name}q")
    };
    sql.push(&format!(
        "WITH bil AS (\
           SELECT u.reporter_id, u.year, {x}, {m}, {st} FROM (\
             SELECT t.reporter_id, t.year, t.flow AS k, t.value_usd AS v, {tb} AS q \
             FROM trade_flow t WHERE t.reporter_id IN (",
        x = pivot("X", "x"),
        m = pivot("M", "m"),
        st = pivot("T", "st"),
        tb = q::bits("t.qualifier"),
    ))
    .bind_list(reporters)
    .push(") AND t.partner_id = ")
    .bind(args.partner_id)
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(" AND t.flow IN ('X', 'M')");
    years(&mut sql, "t.year");
    sql.push(&format!(
        " UNION ALL SELECT s.reporter_id, s.year, 'T', s.value_usd, {} FROM trade_total s WHERE s.reporter_id IN (",
        q::bits("s.qualifier")
    ))
    .bind_list(reporters)
    .push(") AND s.partner_id = ")
    .bind(args.partner_id)
    .push(" AND s.commodity_id = ")
    .bind(args.commodity_id);
    years(&mut sql, "s.year");
    sql.push(
        ") u GROUP BY u.reporter_id, u.year), \
         world AS (SELECT t.reporter_id, t.year, t.flow, ",
    );
    world_or_sum(&mut sql, world_id);
    sql.push(" AS wt, ");
    world_or_sum_bits(&mut sql, world_id);
    sql.push(" AS wq FROM trade_flow t WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.commodity_id = ")
        .bind(args.commodity_id);
    let both = "b.x IS NOT NULL AND b.m IS NOT NULL";
    sql.push(&format!(
        " AND t.flow IN ('X', 'M') AND t.year IN (SELECT year FROM bil) GROUP BY t.reporter_id, t.year, t.flow), \
         tot AS (SELECT b.reporter_id, b.year, b.x, b.xq, b.m, b.mq, \
                   CASE WHEN {both} THEN b.x + b.m ELSE b.st END AS total, \
                   CASE WHEN {both} THEN {sum} ELSE b.stq END AS tq, \
                   NOT ({both}) AND b.st IS NOT NULL AS stated \
                 FROM bil b), \
         y AS (SELECT tot.reporter_id, tot.year, tot.x, tot.xq, tot.m, tot.mq, tot.total, tot.tq, tot.stated, \
                 tot.x - tot.m AS balance, {balance} AS bq, \
                 LAG(tot.year) OVER w AS prev_year, LAG(tot.total) OVER w AS prev_total, \
                 LAG(tot.tq) OVER w AS prev_tq, \
                 tot.x / NULLIF(wx.wt, 0) AS export_share, {export_share} AS esq, \
                 tot.m / NULLIF(wm.wt, 0) AS import_share, {import_share} AS isq \
               FROM tot \
               LEFT JOIN world wx ON wx.reporter_id = tot.reporter_id AND wx.year = tot.year AND wx.flow = 'X' \
               LEFT JOIN world wm ON wm.reporter_id = tot.reporter_id AND wm.year = tot.year AND wm.flow = 'M' \
               WINDOW w AS (PARTITION BY tot.reporter_id ORDER BY tot.year)), \
         g AS (SELECT y.*, CASE WHEN prev_year = year - 1 THEN total / NULLIF(prev_total, 0) - 1 END AS growth, \
                 {growth} AS gq FROM y) \
         SELECT reporter_id, year, x AS exports_usd, {xn} AS exports_usd_qualifier, \
                m AS imports_usd, {mn} AS imports_usd_qualifier, \
                total AS total_trade_usd, {tn} AS total_trade_usd_qualifier, stated AS total_trade_stated, \
                balance AS balance_usd, {bn} AS balance_usd_qualifier, \
                growth AS total_trade_growth, {gn} AS total_trade_growth_qualifier, \
                export_share, {en} AS export_share_qualifier, import_share, {inn} AS import_share_qualifier \
         FROM g",
        sum = q::union(&["b.xq", "b.mq"]),
        balance = q::union(&["tot.xq", &q::flip("tot.mq")]),
        export_share = q::union(&["tot.xq", &q::flip("wx.wq")]),
        import_share = q::union(&["tot.mq", &q::flip("wm.wq")]),
        growth = q::union(&["tq", &q::flip("prev_tq")]),
        xn = q::name("x", "xq"),
        mn = q::name("m", "mq"),
        tn = q::name("total", "tq"),
        bn = q::name("balance", "bq"),
        gn = q::name("growth", "gq"),
        en = q::name("export_share", "esq"),
        inn = q::name("import_share", "isq"),
    ));
    if let Some(from) = args.from_year {
        sql.push(" WHERE year >= ").bind(from);
    }
    sql.push(" ORDER BY reporter_id, year");
    sql.build()
}

/// The rows of `tradeWith` for one reporter with a row for every year of `from..=to`: a
/// year without data is all nulls. A missing bound is the first or last year with data.
pub fn every_year(
    rows: Vec<BilateralYear>,
    reporter_id: i32,
    from: Option<i32>,
    to: Option<i32>,
) -> Vec<BilateralYear> {
    let (Some(from), Some(to)) = (
        from.or(rows.first().map(|r| r.year)),
        to.or(rows.last().map(|r| r.year)),
    ) else {
        return rows;
    };
    let mut rows = rows.into_iter().peekable();
    (from..=to)
        .map(|year| match rows.next_if(|r| r.year == year) {
            Some(row) => row,
            None => BilateralYear::missing(reporter_id, year),
        })
        .collect()
}

impl BilateralYear {
    /// A year without any figure.
    fn missing(reporter_id: i32, year: i32) -> Self {
        Self {
            reporter_id,
            year,
            exports_usd: None,
            exports_usd_qualifier: None,
            imports_usd: None,
            imports_usd_qualifier: None,
            total_trade_usd: None,
            total_trade_usd_qualifier: None,
            total_trade_stated: false,
            balance_usd: None,
            balance_usd_qualifier: None,
            total_trade_growth: None,
            total_trade_growth_qualifier: None,
            export_share: None,
            export_share_qualifier: None,
            import_share: None,
            import_share_qualifier: None,
        }
    }
}

/// Arguments of `topPartners`: one ranking per year of `from_year..=to_year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TopPartnersArgs {
    pub from_year: i32,
    pub to_year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
    pub limit: u32,
}

/// One ranked partner of a reporter.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct RankedPartner {
    pub reporter_id: i32,
    pub year: i32,
    pub partner_id: i32,
    pub rank: i64,
    pub value_usd: f64,
    /// The stored qualifier of the flow.
    pub value_usd_qualifier: Qualifier,
    pub share: Option<f64>,
    pub share_qualifier: Option<Qualifier>,
}

/// `topPartners`: per year, partners (not World nor any other aggregate) ranked by value
/// descending, then ISO code; share of the world total of that year.
pub async fn top_partners(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: TopPartnersArgs,
) -> Result<Vec<RankedPartner>> {
    fetch(
        db,
        top_partners_statement(db.get_database_backend(), reporters, world_id, args),
    )
    .await
}

/// The statement of [`top_partners`], for `tradegraph sql` and benchmarks.
pub fn top_partners_statement(
    backend: DbBackend,
    reporters: &[i32],
    world_id: i32,
    args: TopPartnersArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push(&format!(
        "WITH f AS (SELECT t.reporter_id, t.year, t.partner_id, t.value_usd, t.qualifier, {} AS q, c.iso3, \
                           c.is_aggregate \
                    FROM trade_flow t JOIN country c ON c.id = t.partner_id \
                    WHERE t.reporter_id IN (",
        q::bits("t.qualifier")
    ))
    .bind_list(reporters)
    .push(") AND t.year >= ")
    .bind(args.from_year)
    .push(" AND t.year <= ")
    .bind(args.to_year)
    .push(" AND t.flow = ")
    .bind(args.flow.code())
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(
        "), \
         w AS (SELECT reporter_id, year, COALESCE(MAX(CASE WHEN partner_id = ",
    )
    .bind(world_id)
    .push(" THEN value_usd END), SUM(CASE WHEN NOT is_aggregate THEN value_usd END)) AS total, COALESCE(MAX(CASE WHEN partner_id = ")
    .bind(world_id)
    .push(&format!(
        " THEN q END), {}) AS wq FROM f GROUP BY reporter_id, year), \
           r AS (SELECT f.reporter_id, f.year, f.partner_id, f.value_usd, f.qualifier, \
                   ROW_NUMBER() OVER (PARTITION BY f.reporter_id, f.year ORDER BY f.value_usd DESC, f.iso3) AS rank, \
                   f.value_usd / NULLIF(w.total, 0) AS share, {} AS sq \
                 FROM f JOIN w ON w.reporter_id = f.reporter_id AND w.year = f.year WHERE NOT f.is_aggregate) \
         SELECT reporter_id, year, partner_id, rank, value_usd, qualifier AS value_usd_qualifier, \
                share, {} AS share_qualifier FROM r WHERE rank <= ",
        q::union_of_rows(backend, "CASE WHEN NOT is_aggregate THEN q END"),
        q::union(&["f.q", &q::flip("w.wq")]),
        q::name("share", "sq"),
    ))
    .bind(i64::from(args.limit))
    .push(" ORDER BY reporter_id, year, rank");
    sql.build()
}

/// Arguments of `concentration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConcentrationArgs {
    pub year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
}

/// The Herfindahl–Hirschman index of a reporter's partners.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Concentration {
    pub reporter_id: i32,
    pub hhi: Option<f64>,
    /// Partners the index is over.
    pub partner_count: i64,
    pub hhi_qualifier: Option<Qualifier>,
}

/// `concentration`: Herfindahl–Hirschman index Σ sᵢ² over partners (no aggregate), with
/// sᵢ = valueᵢ / Σ values — computed as Σ vᵢ² / (Σ vᵢ)². The index neither only rises nor only
/// falls with a partner's value, so its qualifier is [`q::not_monotone`]'s.
pub async fn concentration(
    db: &DatabaseConnection,
    reporters: &[i32],
    args: ConcentrationArgs,
) -> Result<Vec<Concentration>> {
    fetch(db, concentration_statement(db.get_database_backend(), reporters, args)).await
}

/// The statement of [`concentration`], for `tradegraph sql` and benchmarks.
pub fn concentration_statement(backend: DbBackend, reporters: &[i32], args: ConcentrationArgs) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push(&format!(
        "SELECT reporter_id, hhi, partner_count, {} AS hhi_qualifier FROM (\
           SELECT t.reporter_id, \
                  SUM(t.value_usd * t.value_usd) / NULLIF(SUM(t.value_usd) * SUM(t.value_usd), 0) AS hhi, \
                  COUNT(*) AS partner_count, {} AS q \
           FROM trade_flow t JOIN country c ON c.id = t.partner_id \
           WHERE t.reporter_id IN (",
        q::name("hhi", &q::not_monotone("q")),
        q::union_of_rows(backend, &q::bits("t.qualifier")),
    ));
    concentration_flows(&mut sql, reporters, args);
    sql.push(" AND NOT c.is_aggregate GROUP BY t.reporter_id) h");
    sql.build()
}

/// The condition on `trade_flow t` of the flows `concentration` is over, after `WHERE
/// t.reporter_id IN (` (its lineage reads the same rows).
pub(crate) fn concentration_flows(sql: &mut Sql, reporters: &[i32], args: ConcentrationArgs) {
    sql.bind_list(reporters)
        .push(") AND t.year = ")
        .bind(args.year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.commodity_id);
}

/// Arguments of `tradeByCommodity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ByCommodityArgs {
    pub partner_id: i32,
    pub year: i32,
    pub flow: FlowKind,
    /// `chapter`, `heading` or `subheading`.
    pub kind: entity::enums::CommodityKind,
    pub total_commodity_id: i32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct CommodityValue {
    pub reporter_id: i32,
    pub commodity_id: i32,
    pub rank: i64,
    pub value_usd: Option<f64>,
    pub value_usd_qualifier: Option<Qualifier>,
    pub share: Option<f64>,
    pub share_qualifier: Option<Qualifier>,
}

/// `tradeByCommodity`: the reporter's trade with a partner (`W00`: the world total) by HS
/// code of one level, ranked by value; share of the `TOTAL` commodity's value when stored,
/// else of the sum over the level's codes.
pub async fn trade_by_commodity(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: ByCommodityArgs,
) -> Result<Vec<CommodityValue>> {
    fetch(
        db,
        trade_by_commodity_statement(db.get_database_backend(), reporters, world_id, args),
    )
    .await
}

/// The statement of [`trade_by_commodity`], for `tradegraph sql` and benchmarks.
pub fn trade_by_commodity_statement(
    backend: DbBackend,
    reporters: &[i32],
    world_id: i32,
    args: ByCommodityArgs,
) -> Statement {
    let mut sql = Sql::new(backend);
    let partner_filter = |sql: &mut Sql| {
        if args.partner_id != world_id {
            sql.push(" AND t.partner_id = ").bind(args.partner_id);
        }
    };
    sql.push("WITH v AS (SELECT t.reporter_id, t.commodity_id, k.code, ");
    world_or_sum(&mut sql, world_id);
    sql.push(" AS value_usd, ");
    world_or_sum_bits(&mut sql, world_id);
    sql.push(" AS q FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year = ")
        .bind(args.year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND k.kind = ")
        .bind(args.kind);
    partner_filter(&mut sql);
    sql.push(" GROUP BY t.reporter_id, t.commodity_id, k.code), tot AS (SELECT t.reporter_id, ");
    world_or_sum(&mut sql, world_id);
    sql.push(" AS total, ");
    world_or_sum_bits(&mut sql, world_id);
    sql.push(" AS q FROM trade_flow t WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year = ")
        .bind(args.year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.total_commodity_id);
    partner_filter(&mut sql);
    sql.push(&format!(
        " GROUP BY t.reporter_id), \
         s AS (SELECT reporter_id, SUM(value_usd) AS total, {} AS q FROM v GROUP BY reporter_id), \
         r AS (SELECT v.reporter_id, v.commodity_id, v.value_usd, v.q, \
                 ROW_NUMBER() OVER (PARTITION BY v.reporter_id ORDER BY v.value_usd DESC, v.code) AS rank, \
                 v.value_usd / NULLIF(COALESCE(tot.total, s.total), 0) AS share, \
                 {} AS sq \
               FROM v JOIN s ON s.reporter_id = v.reporter_id LEFT JOIN tot ON tot.reporter_id = v.reporter_id) \
         SELECT reporter_id, commodity_id, rank, value_usd, {} AS value_usd_qualifier, \
                share, {} AS share_qualifier FROM r WHERE rank <= ",
        q::union_of_rows(backend, "q"),
        q::union(&[
            "v.q",
            &q::flip("CASE WHEN tot.total IS NOT NULL THEN tot.q ELSE s.q END")
        ]),
        q::name("value_usd", "q"),
        q::name("share", "sq"),
    ))
    .bind(i64::from(args.limit))
    .push(" ORDER BY reporter_id, rank");
    sql.build()
}
