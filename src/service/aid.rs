//! Aid received, with its USD figures computed in the database.

use chrono::NaiveDate;
use entity::enums::{AidKind, Qualifier};
use sea_orm::{DatabaseConnection, DbBackend, FromQueryResult};

use super::Sql;
use crate::error::Result;

/// One aid row with the figures API.md defines, as the database computed them.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct AidFigure {
    pub id: i32,
    pub donor_country_id: Option<i32>,
    pub donor_organization_id: Option<i32>,
    pub recipient_id: i32,
    pub amount: f64,
    pub currency: String,
    pub kind: AidKind,
    pub announced_on: Option<NaiveDate>,
    pub period_start_year: Option<i32>,
    pub period_end_year: Option<i32>,
    pub purpose: Option<String>,
    pub qualifier: Qualifier,
    pub source_id: Option<i32>,
    pub note: Option<String>,
    /// Year whose exchange rate and population apply: the announcement's, else the period's start.
    pub ref_year: Option<i32>,
    /// `amount` × USD per unit of `currency` in `ref_year` (USD at 1); null without a rate.
    pub amount_usd: Option<f64>,
    /// `amount_usd` / years in the period (`amount_usd` without a period).
    pub annual_amount_usd: Option<f64>,
    /// `amount_usd` / the recipient's population in `ref_year` or the latest earlier year.
    pub per_capita_usd: Option<f64>,
}

/// Aid received by the given countries; with `from_year`/`to_year`, only aid whose period
/// (or reference year) overlaps those years. One statement for any number of recipients.
pub async fn received(
    db: &DatabaseConnection,
    recipient_ids: &[i32],
    from_year: Option<i32>,
    to_year: Option<i32>,
) -> Result<Vec<AidFigure>> {
    let mut sql = Sql::new(db.get_database_backend());
    let year_of_announcement = match sql.backend() {
        DbBackend::Postgres => "CAST(EXTRACT(YEAR FROM a.announced_on) AS INTEGER)",
        _ => "CAST(strftime('%Y', a.announced_on) AS INTEGER)",
    };
    sql.push(
        "SELECT q.*, \
           CASE WHEN q.period_start_year IS NOT NULL AND q.period_end_year IS NOT NULL \
                THEN q.amount_usd / (q.period_end_year - q.period_start_year + 1) \
                ELSE q.amount_usd END AS annual_amount_usd, \
           q.amount_usd / NULLIF((SELECT i.value FROM indicator i \
                                   WHERE i.country_id = q.recipient_id AND i.code = 'POPULATION' AND i.year <= q.ref_year \
                                   ORDER BY i.year DESC LIMIT 1), 0) AS per_capita_usd \
         FROM (SELECT r.*, \
                 CASE WHEN r.currency = 'USD' THEN r.amount ELSE r.amount * x.usd_per_unit END AS amount_usd \
               FROM (SELECT a.*, COALESCE(",
    )
    .push(year_of_announcement)
    .push(", a.period_start_year) AS ref_year FROM aid_pledge a WHERE a.recipient_id IN (")
    .bind_list(recipient_ids)
    .push(")) r LEFT JOIN exchange_rate x ON x.currency = r.currency AND x.year = r.ref_year) q WHERE 1 = 1");
    if let Some(from) = from_year {
        sql.push(" AND COALESCE(q.period_end_year, q.ref_year) >= ").bind(from);
    }
    if let Some(to) = to_year {
        sql.push(" AND COALESCE(q.period_start_year, q.ref_year) <= ").bind(to);
    }
    sql.push(" ORDER BY q.recipient_id, q.ref_year, q.id");
    Ok(AidFigure::find_by_statement(sql.build()).all(db).await?)
}
