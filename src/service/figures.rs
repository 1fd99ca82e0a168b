//! Derived trade figures, each computed by the database in one statement (aggregates,
//! `GROUP BY`, window functions) for any number of reporters at once, exactly as
//! `shared/API.md` defines them. Missing data gives `NULL`, never a made-up zero, and every
//! division goes through `NULLIF(.., 0)`.
//!
//! The *world total* of a reporter, year, commodity and flow is its row with partner `W00`
//! when present, otherwise the sum of its rows over the partners that are countries:
//! `COALESCE(MAX(CASE WHEN partner = W00 ..), SUM(CASE WHEN partner NOT IN aggregates ..))`
//! (no pseudo-partner — World, "Areas, nes", Bunkers, … — is ever summed in).

use entity::enums::FlowKind;
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::Sql;
use crate::error::Result;

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

/// One year of a reporter's trade with one partner.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct BilateralYear {
    pub reporter_id: i32,
    pub year: i32,
    pub exports_usd: Option<f64>,
    pub imports_usd: Option<f64>,
    pub total_trade_usd: Option<f64>,
    pub balance_usd: Option<f64>,
    pub total_trade_growth: Option<f64>,
    pub export_share: Option<f64>,
    pub import_share: Option<f64>,
}

/// `tradeWith`: one row per year with data, ascending, per reporter.
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
pub fn trade_with_statement(backend: DbBackend, reporters: &[i32], world_id: i32, args: TradeWithArgs) -> Statement {
    let mut sql = Sql::new(backend);
    // The year before `from_year` is read too, for the first year's growth.
    sql.push(
        "WITH bil AS (\
           SELECT t.reporter_id, t.year, \
                  MAX(CASE WHEN t.flow = 'X' THEN t.value_usd END) AS exports_usd, \
                  MAX(CASE WHEN t.flow = 'M' THEN t.value_usd END) AS imports_usd \
           FROM trade_flow t WHERE t.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND t.partner_id = ")
    .bind(args.partner_id)
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(" AND t.flow IN ('X', 'M')");
    if let Some(from) = args.from_year {
        sql.push(" AND t.year >= ").bind(from - 1);
    }
    if let Some(to) = args.to_year {
        sql.push(" AND t.year <= ").bind(to);
    }
    sql.push(
        " GROUP BY t.reporter_id, t.year), \
         world AS (SELECT t.reporter_id, t.year, t.flow, ",
    );
    world_or_sum(&mut sql, world_id);
    sql.push(" AS total FROM trade_flow t WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.commodity_id = ")
        .bind(args.commodity_id)
        .push(
            " AND t.flow IN ('X', 'M') AND t.year IN (SELECT year FROM bil) GROUP BY t.reporter_id, t.year, t.flow), \
             y AS (SELECT b.reporter_id, b.year, b.exports_usd, b.imports_usd, \
                     b.exports_usd + b.imports_usd AS total_trade_usd, \
                     b.exports_usd - b.imports_usd AS balance_usd, \
                     LAG(b.year) OVER w AS prev_year, \
                     LAG(b.exports_usd + b.imports_usd) OVER w AS prev_total, \
                     b.exports_usd / NULLIF(wx.total, 0) AS export_share, \
                     b.imports_usd / NULLIF(wm.total, 0) AS import_share \
                   FROM bil b \
                   LEFT JOIN world wx ON wx.reporter_id = b.reporter_id AND wx.year = b.year AND wx.flow = 'X' \
                   LEFT JOIN world wm ON wm.reporter_id = b.reporter_id AND wm.year = b.year AND wm.flow = 'M' \
                   WINDOW w AS (PARTITION BY b.reporter_id ORDER BY b.year)) \
             SELECT reporter_id, year, exports_usd, imports_usd, total_trade_usd, balance_usd, \
                    CASE WHEN prev_year = year - 1 THEN total_trade_usd / NULLIF(prev_total, 0) - 1 END AS total_trade_growth, \
                    export_share, import_share \
             FROM y",
        );
    if let Some(from) = args.from_year {
        sql.push(" WHERE year >= ").bind(from);
    }
    sql.push(" ORDER BY reporter_id, year");
    sql.build()
}

/// Arguments of `topPartners`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TopPartnersArgs {
    pub year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
    pub limit: u32,
}

/// One ranked partner of a reporter.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct RankedPartner {
    pub reporter_id: i32,
    pub partner_id: i32,
    pub rank: i64,
    pub value_usd: f64,
    pub share: Option<f64>,
}

/// `topPartners`: partners (not World nor any other aggregate) ranked by value descending, then ISO code; share of
/// the world total.
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
    sql.push(
        "WITH f AS (SELECT t.reporter_id, t.partner_id, t.value_usd, c.iso3, c.is_aggregate \
                    FROM trade_flow t JOIN country c ON c.id = t.partner_id \
                    WHERE t.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND t.year = ")
    .bind(args.year)
    .push(" AND t.flow = ")
    .bind(args.flow.code())
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(
        "), \
         w AS (SELECT reporter_id, COALESCE(MAX(CASE WHEN partner_id = ",
    )
    .bind(world_id)
    .push(" THEN value_usd END), SUM(CASE WHEN NOT is_aggregate THEN value_usd END)) AS total FROM f GROUP BY reporter_id), \
           r AS (SELECT f.reporter_id, f.partner_id, f.value_usd, \
                   ROW_NUMBER() OVER (PARTITION BY f.reporter_id ORDER BY f.value_usd DESC, f.iso3) AS rank, \
                   f.value_usd / NULLIF(w.total, 0) AS share \
                 FROM f JOIN w ON w.reporter_id = f.reporter_id WHERE NOT f.is_aggregate) \
         SELECT reporter_id, partner_id, rank, value_usd, share FROM r WHERE rank <= ")
    .bind(i64::from(args.limit))
    .push(" ORDER BY reporter_id, rank");
    sql.build()
}

/// Arguments of `concentration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConcentrationArgs {
    pub year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
}

#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Concentration {
    pub reporter_id: i32,
    pub hhi: Option<f64>,
}

/// `concentration`: Herfindahl–Hirschman index Σ sᵢ² over partners (no aggregate), with
/// sᵢ = valueᵢ / Σ values — computed as Σ vᵢ² / (Σ vᵢ)².
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
    sql.push(
        "SELECT t.reporter_id, \
                SUM(t.value_usd * t.value_usd) / NULLIF(SUM(t.value_usd) * SUM(t.value_usd), 0) AS hhi \
         FROM trade_flow t JOIN country c ON c.id = t.partner_id \
         WHERE t.reporter_id IN (",
    )
    .bind_list(reporters)
    .push(") AND t.year = ")
    .bind(args.year)
    .push(" AND t.flow = ")
    .bind(args.flow.code())
    .push(" AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(" AND NOT c.is_aggregate GROUP BY t.reporter_id");
    sql.build()
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
    pub share: Option<f64>,
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
    sql.push(" AS value_usd FROM trade_flow t JOIN commodity k ON k.id = t.commodity_id WHERE t.reporter_id IN (")
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
    sql.push(" AS total FROM trade_flow t WHERE t.reporter_id IN (")
        .bind_list(reporters)
        .push(") AND t.year = ")
        .bind(args.year)
        .push(" AND t.flow = ")
        .bind(args.flow.code())
        .push(" AND t.commodity_id = ")
        .bind(args.total_commodity_id);
    partner_filter(&mut sql);
    sql.push(
        " GROUP BY t.reporter_id), \
         s AS (SELECT reporter_id, SUM(value_usd) AS total FROM v GROUP BY reporter_id), \
         r AS (SELECT v.reporter_id, v.commodity_id, v.value_usd, \
                 ROW_NUMBER() OVER (PARTITION BY v.reporter_id ORDER BY v.value_usd DESC, v.code) AS rank, \
                 v.value_usd / NULLIF(COALESCE(tot.total, s.total), 0) AS share \
               FROM v JOIN s ON s.reporter_id = v.reporter_id LEFT JOIN tot ON tot.reporter_id = v.reporter_id) \
         SELECT reporter_id, commodity_id, rank, value_usd, share FROM r WHERE rank <= ",
    )
    .bind(i64::from(args.limit))
    .push(" ORDER BY reporter_id, rank");
    sql.build()
}

/// Arguments of `cagr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CagrArgs {
    pub partner_id: i32,
    pub from_year: i32,
    pub to_year: i32,
    pub flow: FlowKind,
    pub commodity_id: i32,
}

#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct YearValue {
    pub reporter_id: i32,
    pub year: i32,
    pub value_usd: Option<f64>,
}

/// The two end values of a compound annual growth rate (partner `W00`: world totals). The
/// rate itself, (to / from)^(1 / years) − 1, is one power of two numbers: see [`cagr_rate`].
pub async fn cagr_values(
    db: &DatabaseConnection,
    reporters: &[i32],
    world_id: i32,
    args: CagrArgs,
) -> Result<Vec<YearValue>> {
    fetch(
        db,
        cagr_values_statement(db.get_database_backend(), reporters, world_id, args),
    )
    .await
}

/// The statement of [`cagr_values`], for `tradegraph sql` and benchmarks.
pub fn cagr_values_statement(backend: DbBackend, reporters: &[i32], world_id: i32, args: CagrArgs) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("SELECT t.reporter_id, t.year, ");
    world_or_sum(&mut sql, world_id);
    sql.push(" AS value_usd FROM trade_flow t WHERE t.reporter_id IN (")
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
    sql.push(" GROUP BY t.reporter_id, t.year ORDER BY t.reporter_id, t.year");
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

/// Arguments of `mirror`.
pub type MirrorArgs = PartnerYears;

/// What the reporter declared against what the partner declared for the same trade.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct MirrorYear {
    pub reporter_id: i32,
    pub year: i32,
    pub exports_usd: Option<f64>,
    pub partner_imports_usd: Option<f64>,
    pub export_gap_usd: Option<f64>,
    pub export_gap_ratio: Option<f64>,
    pub imports_usd: Option<f64>,
    pub partner_exports_usd: Option<f64>,
    pub import_gap_usd: Option<f64>,
    pub import_gap_ratio: Option<f64>,
}

/// `mirror`: per year, the reporter's exports to the partner against the partner's
/// reported imports from the reporter (and imports against the partner's exports); gap =
/// partner's figure − reporter's figure, ratio = gap / reporter's figure.
pub async fn mirror(db: &DatabaseConnection, reporters: &[i32], args: MirrorArgs) -> Result<Vec<MirrorYear>> {
    fetch(db, mirror_statement(db.get_database_backend(), reporters, args)).await
}

/// The statement of [`mirror`], for `tradegraph sql` and benchmarks.
pub fn mirror_statement(backend: DbBackend, reporters: &[i32], args: MirrorArgs) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push(
        "WITH m AS (SELECT CASE WHEN t.reporter_id = ",
    )
    .bind(args.partner_id)
    .push(
        " THEN t.partner_id ELSE t.reporter_id END AS subject, t.year, \
           MAX(CASE WHEN t.reporter_id <> ",
    )
    .bind(args.partner_id)
    .push(" AND t.flow = 'X' THEN t.value_usd END) AS exports_usd, MAX(CASE WHEN t.reporter_id = ")
    .bind(args.partner_id)
    .push(" AND t.flow = 'M' THEN t.value_usd END) AS partner_imports_usd, MAX(CASE WHEN t.reporter_id <> ")
    .bind(args.partner_id)
    .push(" AND t.flow = 'M' THEN t.value_usd END) AS imports_usd, MAX(CASE WHEN t.reporter_id = ")
    .bind(args.partner_id)
    .push(" AND t.flow = 'X' THEN t.value_usd END) AS partner_exports_usd FROM trade_flow t WHERE ((t.reporter_id IN (")
    .bind_list(reporters)
    .push(") AND t.partner_id = ")
    .bind(args.partner_id)
    .push(") OR (t.reporter_id = ")
    .bind(args.partner_id)
    .push(" AND t.partner_id IN (")
    .bind_list(reporters)
    .push("))) AND t.commodity_id = ")
    .bind(args.commodity_id)
    .push(" AND t.flow IN ('X', 'M')");
    if let Some(from) = args.from_year {
        sql.push(" AND t.year >= ").bind(from);
    }
    if let Some(to) = args.to_year {
        sql.push(" AND t.year <= ").bind(to);
    }
    sql.push(
        " GROUP BY 1, t.year) \
         SELECT subject AS reporter_id, year, exports_usd, partner_imports_usd, \
                partner_imports_usd - exports_usd AS export_gap_usd, \
                (partner_imports_usd - exports_usd) / NULLIF(exports_usd, 0) AS export_gap_ratio, \
                imports_usd, partner_exports_usd, \
                partner_exports_usd - imports_usd AS import_gap_usd, \
                (partner_exports_usd - imports_usd) / NULLIF(imports_usd, 0) AS import_gap_ratio \
         FROM m ORDER BY subject, year",
    );
    sql.build()
}
