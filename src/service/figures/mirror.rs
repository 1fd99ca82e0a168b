//! `mirror`: what a reporter declared against what its partner declared for the same trade.

use entity::enums::Qualifier;
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult, Statement};

use super::{PartnerYears, fetch, q};
use crate::error::Result;
use crate::service::Sql;

/// Arguments of `mirror`.
pub type MirrorArgs = PartnerYears;

/// What the reporter declared against what the partner declared for the same trade; each
/// figure with its qualifier.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct MirrorYear {
    pub reporter_id: i32,
    pub year: i32,
    pub exports_usd: Option<f64>,
    pub exports_usd_qualifier: Option<Qualifier>,
    pub partner_imports_usd: Option<f64>,
    pub partner_imports_usd_qualifier: Option<Qualifier>,
    pub export_gap_usd: Option<f64>,
    pub export_gap_usd_qualifier: Option<Qualifier>,
    pub export_gap_ratio: Option<f64>,
    pub export_gap_ratio_qualifier: Option<Qualifier>,
    pub imports_usd: Option<f64>,
    pub imports_usd_qualifier: Option<Qualifier>,
    pub partner_exports_usd: Option<f64>,
    pub partner_exports_usd_qualifier: Option<Qualifier>,
    pub import_gap_usd: Option<f64>,
    pub import_gap_usd_qualifier: Option<Qualifier>,
    pub import_gap_ratio: Option<f64>,
    pub import_gap_ratio_qualifier: Option<Qualifier>,
}

/// `mirror`: per year, the reporter's exports to the partner against the partner's
/// reported imports from the reporter (and imports against the partner's exports); gap =
/// partner's figure − reporter's figure, ratio = gap / reporter's figure.
pub async fn mirror(db: &DatabaseConnection, reporters: &[i32], args: MirrorArgs) -> Result<Vec<MirrorYear>> {
    fetch(db, mirror_statement(db.get_database_backend(), reporters, args)).await
}

/// The rows `mirror` reads (`trade_flow t`): each reporter's exports and imports with the
/// partner and the partner's with each reporter, in the commodity and years. Shared with the
/// figure's lineage (`lineage::mirror_inputs`), so both read the same rows.
pub(crate) fn mirror_rows(sql: &mut Sql, reporters: &[i32], args: MirrorArgs) {
    sql.push("((t.reporter_id IN (")
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
}

/// The statement of [`mirror`], for `tradegraph sql` and benchmarks.
pub fn mirror_statement(backend: DbBackend, reporters: &[i32], args: MirrorArgs) -> Statement {
    let mut sql = Sql::new(backend);
    let b = q::bits("t.qualifier");
    // One side's value and qualifier bits: `mine` says whether the row is the reporter's.
    let side = |sql: &mut Sql, mine: bool, flow: &str, name: &str| {
        let op = if mine { "<>" } else { "=" };
        sql.push(&format!("MAX(CASE WHEN t.reporter_id {op} "))
            .bind(args.partner_id)
            .push(&format!(
                " AND t.flow = '{flow}' THEN t.value_usd END) AS {name}, MAX(CASE WHEN t.reporter_id {op} "
            ))
            .bind(args.partner_id)
            .push(&format!(" AND t.flow = '{flow}' THEN {b} END) AS {name}_q"));
    };
    sql.push("WITH m AS (SELECT CASE WHEN t.reporter_id = ")
        .bind(args.partner_id)
        .push(" THEN t.partner_id ELSE t.reporter_id END AS subject, t.year, ");
    side(&mut sql, true, "X", "x");
    sql.push(", ");
    side(&mut sql, false, "M", "pm");
    sql.push(", ");
    side(&mut sql, true, "M", "mm");
    sql.push(", ");
    side(&mut sql, false, "X", "px");
    sql.push(" FROM trade_flow t WHERE ");
    mirror_rows(&mut sql, reporters, args);
    let export_gap = q::union(&["pm_q", &q::flip("x_q")]);
    let import_gap = q::union(&["px_q", &q::flip("mm_q")]);
    sql.push(&format!(
        " GROUP BY 1, t.year), \
         g AS (SELECT m.*, pm - x AS export_gap, (pm - x) / NULLIF(x, 0) AS export_ratio, \
                 px - mm AS import_gap, (px - mm) / NULLIF(mm, 0) AS import_ratio FROM m) \
         SELECT subject AS reporter_id, year, \
                x AS exports_usd, {} AS exports_usd_qualifier, \
                pm AS partner_imports_usd, {} AS partner_imports_usd_qualifier, \
                export_gap AS export_gap_usd, {} AS export_gap_usd_qualifier, \
                export_ratio AS export_gap_ratio, {} AS export_gap_ratio_qualifier, \
                mm AS imports_usd, {} AS imports_usd_qualifier, \
                px AS partner_exports_usd, {} AS partner_exports_usd_qualifier, \
                import_gap AS import_gap_usd, {} AS import_gap_usd_qualifier, \
                import_ratio AS import_gap_ratio, {} AS import_gap_ratio_qualifier \
         FROM g ORDER BY subject, year",
        q::name("x", "x_q"),
        q::name("pm", "pm_q"),
        q::name("export_gap", &export_gap),
        q::name("export_ratio", &export_gap),
        q::name("mm", "mm_q"),
        q::name("px", "px_q"),
        q::name("import_gap", &import_gap),
        q::name("import_ratio", &import_gap),
    ));
    sql.build()
}
