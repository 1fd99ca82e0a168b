//! Aid received, with its USD figures computed in the database; upserts from partners.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::aid_pledge;
use entity::enums::{AidKind, Qualifier};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Statement,
};

use super::Sql;
use super::aid_ledger::{self, AidLink};
use super::pipeline::{self, Natural};
use super::qualifier as q;
use super::write::{Counts, Problems, check_batch, is_currency};
use crate::error::Result;
use crate::reference::RefData;

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
    /// The aid row this one fulfils (`super::aid_ledger`).
    pub fulfils: Option<i32>,
    /// Year whose exchange rate and population apply: the announcement's, else the period's start.
    pub ref_year: Option<i32>,
    /// `amount` × USD per unit of `currency` in `ref_year` (USD at 1); null without a rate.
    pub amount_usd: Option<f64>,
    /// `amount_usd` / years in the period (`amount_usd` without a period).
    pub annual_amount_usd: Option<f64>,
    /// `amount_usd` / the recipient's population in `ref_year` or the latest earlier year.
    pub per_capita_usd: Option<f64>,
    /// How sure `amount_usd` is, from the amount's and the exchange rate's qualifiers.
    pub amount_usd_qualifier: Option<Qualifier>,
    /// How sure `annual_amount_usd` is (that of `amount_usd`: the years are exact).
    pub annual_amount_usd_qualifier: Option<Qualifier>,
    /// How sure `per_capita_usd` is (it falls as the population rises).
    pub per_capita_usd_qualifier: Option<Qualifier>,
    /// The exchange rate row `amount_usd` used (none for USD or without a rate): the lineage
    /// of the USD figures, read in the same statement.
    pub rate_id: Option<i32>,
    pub rate: Option<f64>,
    pub rate_qualifier: Option<Qualifier>,
    pub rate_source_id: Option<i32>,
    /// The `POPULATION` indicator row `per_capita_usd` used.
    pub population_id: Option<i32>,
    pub population: Option<f64>,
    pub population_qualifier: Option<Qualifier>,
    pub population_source_id: Option<i32>,
}

/// Aid received by the given countries; with `from_year`/`to_year`, only aid whose period
/// (or reference year) overlaps those years. One statement for any number of recipients.
pub async fn received(
    db: &DatabaseConnection,
    recipient_ids: &[i32],
    from_year: Option<i32>,
    to_year: Option<i32>,
) -> Result<Vec<AidFigure>> {
    figures(db, "a.recipient_id", recipient_ids, from_year, to_year).await
}

/// The aid figures with these row ids (one statement).
pub async fn by_ids(db: &DatabaseConnection, ids: &[i32]) -> Result<Vec<AidFigure>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    figures(db, "a.id", ids, None, None).await
}

/// The figures of the aid rows whose `column` is one of `values`.
async fn figures(
    db: &DatabaseConnection,
    column: &'static str,
    values: &[i32],
    from_year: Option<i32>,
    to_year: Option<i32>,
) -> Result<Vec<AidFigure>> {
    let sql = statement(
        db.get_database_backend(),
        (column, Some(values)),
        from_year,
        to_year,
        "f.recipient_id, f.ref_year, f.id",
    );
    Ok(AidFigure::find_by_statement(sql).all(db).await?)
}

/// The statement of the figures of the aid rows whose `column` is one of the values (every
/// row without a list) and whose period (or reference year) overlaps `from_year..=to_year`,
/// ordered by `order` (over the [`AidFigure`] columns of `f`). The bulk export streams it.
pub(crate) fn statement(
    backend: DbBackend,
    (column, values): (&'static str, Option<&[i32]>),
    from_year: Option<i32>,
    to_year: Option<i32>,
    order: &str,
) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("SELECT f.* FROM (");
    push_figures(&mut sql, |sql| match values {
        Some([]) => {
            sql.push("1 = 0");
        }
        Some(values) => {
            sql.push(column).push(" IN (").bind_list(values).push(")");
        }
        None => {
            sql.push("1 = 1");
        }
    });
    sql.push(") f WHERE 1 = 1");
    if let Some(from) = from_year {
        sql.push(" AND COALESCE(f.period_end_year, f.ref_year) >= ").bind(from);
    }
    if let Some(to) = to_year {
        sql.push(" AND COALESCE(f.period_start_year, f.ref_year) <= ").bind(to);
    }
    sql.push(" ORDER BY ").push(order);
    sql.build()
}

/// Appends a `SELECT` of the aid rows `a` matching `filter` (SQL over `a.*`) with their USD
/// figures, the columns of [`AidFigure`]: the one definition of the aid figures, which the
/// pledge ledger (`super::aid_ledger`) sums too.
pub(crate) fn push_figures(sql: &mut Sql, filter: impl FnOnce(&mut Sql)) {
    let year_of_announcement = match sql.backend() {
        DbBackend::Postgres => "CAST(EXTRACT(YEAR FROM a.announced_on) AS INTEGER)",
        _ => "CAST(strftime('%Y', a.announced_on) AS INTEGER)",
    };
    // The amount in USD is amount × rate: it rises with both, so its qualifier is the union of
    // theirs (USD converts at 1, exactly).
    let usd_bits = format!(
        "CASE WHEN r.currency = 'USD' THEN {amount} ELSE {both} END",
        amount = q::bits("r.qualifier"),
        both = q::union(&[&q::bits("r.qualifier"), &q::bits("x.qualifier")]),
    );
    sql.push(&format!(
        "SELECT z.*, {usd} AS amount_usd_qualifier, {annual} AS annual_amount_usd_qualifier, \
                {per_capita} AS per_capita_usd_qualifier \
         FROM (SELECT q.*, \
           CASE WHEN q.period_start_year IS NOT NULL AND q.period_end_year IS NOT NULL \
                THEN q.amount_usd / (q.period_end_year - q.period_start_year + 1) \
                ELSE q.amount_usd END AS annual_amount_usd, \
           q.amount_usd / NULLIF(p.value, 0) AS per_capita_usd, {pop_bits} AS pop_q, \
           p.id AS population_id, p.value AS population, p.qualifier AS population_qualifier, \
           p.source_id AS population_source_id \
         FROM (SELECT r.*, \
                 CASE WHEN r.currency = 'USD' THEN r.amount ELSE r.amount * x.usd_per_unit END AS amount_usd, \
                 {usd_bits} AS usd_q, x.id AS rate_id, x.usd_per_unit AS rate, x.qualifier AS rate_qualifier, \
                 x.source_id AS rate_source_id \
               FROM (SELECT a.*, COALESCE(",
        usd = q::name("z.amount_usd", "z.usd_q"),
        annual = q::name("z.annual_amount_usd", "z.usd_q"),
        per_capita = q::name("z.per_capita_usd", &q::union(&["z.usd_q", &q::flip("z.pop_q")])),
        pop_bits = q::bits("p.qualifier"),
    ))
    .push(year_of_announcement)
    .push(", a.period_start_year) AS ref_year FROM aid_pledge a WHERE ");
    filter(sql);
    sql.push(
        ") r LEFT JOIN exchange_rate x ON x.currency = r.currency AND x.year = r.ref_year) q \
         LEFT JOIN indicator p ON p.country_id = q.recipient_id AND p.code = 'POPULATION' \
           AND p.year = (SELECT MAX(i.year) FROM indicator i \
                         WHERE i.country_id = q.recipient_id AND i.code = 'POPULATION' AND i.year <= q.ref_year)) z",
    );
}

/// One aid figure to write.
#[derive(Debug, Clone, PartialEq)]
pub struct AidWrite {
    /// ISO code of a donor country, or the code of a donor organisation (`EU`).
    pub donor: String,
    pub recipient: String,
    pub amount: f64,
    pub currency: String,
    pub kind: AidKind,
    pub announced_on: Option<NaiveDate>,
    pub period_start_year: Option<i32>,
    pub period_end_year: Option<i32>,
    pub purpose: Option<String>,
    pub qualifier: Option<Qualifier>,
    pub source_id: Option<String>,
    pub note: Option<String>,
    /// The aid row this one fulfils; none unlinks it.
    pub fulfils: Option<AidLink>,
}

/// The natural key of an aid figure: donor (country, organisation), recipient, kind,
/// announcement day, first year of the period, currency.
pub(crate) type AidKey = (
    Option<i32>,
    Option<i32>,
    i32,
    AidKind,
    Option<NaiveDate>,
    Option<i32>,
    String,
);

/// The natural key of a stored aid row.
pub(crate) fn key_of(a: &aid_pledge::Model) -> AidKey {
    (
        a.donor_country_id,
        a.donor_organization_id,
        a.recipient_id,
        a.kind,
        a.announced_on,
        a.period_start_year,
        a.currency.clone(),
    )
}

/// A donor: a country that is not an aggregate, else an organisation, by code.
pub(crate) fn donor(
    p: &mut Problems,
    refs: &RefData,
    row: usize,
    field: &str,
    code: &str,
) -> (Option<i32>, Option<i32>) {
    match refs.country(code) {
        Some(c) if !c.is_aggregate => (Some(c.id), None),
        _ => match refs.organizations.by_code(code) {
            Some(o) => (None, Some(o.id)),
            None => {
                p.add(
                    row,
                    field,
                    format!(
                        "unknown country or organisation {:?}",
                        code.chars().take(60).collect::<String>()
                    ),
                );
                (None, None)
            }
        },
    }
}

/// Upserts aid figures on their natural key (`AidKey`; unknown days and years are one value),
/// all or nothing, audited as `key_name`. The amount, last year of the period, purpose,
/// qualifier, source and note of an existing figure are replaced.
pub async fn upsert(db: &DatabaseConnection, refs: &RefData, key_name: &str, rows: Vec<AidWrite>) -> Result<Counts> {
    check_batch("pledges", rows.len())?;
    let mut p = Problems::new("pledges");
    let mut keyed = Vec::with_capacity(rows.len());
    let mut links = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let (donor_country_id, donor_organization_id) = donor(&mut p, refs, i, "donor", &r.donor);
        let recipient_id = p.country(refs, i, "recipient", &r.recipient, false);
        if donor_country_id == Some(recipient_id) {
            p.add(i, "recipient", "must differ from the donor");
        }
        p.amount(i, "amount", r.amount);
        let currency = r.currency.trim().to_ascii_uppercase();
        if !is_currency(&currency) {
            p.add(
                i,
                "currency",
                super::suggest::currency(&r.currency, super::write::currencies()),
            );
        }
        if let Some(day) = r.announced_on {
            p.year(i, "announcedOn", chrono::Datelike::year(&day));
        }
        if let Some(y) = r.period_start_year {
            p.year(i, "periodStartYear", y);
        }
        if let Some(y) = r.period_end_year {
            p.year(i, "periodEndYear", y);
        }
        if let (Some(a), Some(b)) = (r.period_start_year, r.period_end_year)
            && b < a
        {
            p.add(i, "periodEndYear", "must not be before `periodStartYear`");
        }
        if let Some(t) = &r.purpose {
            p.free_text(i, "purpose", t, 1000);
        }
        if let Some(n) = &r.note {
            p.free_text(i, "note", n, 4000);
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        links.push(aid_ledger::resolve(&mut p, refs, i, r.fulfils.as_ref()));
        keyed.push((
            (
                donor_country_id,
                donor_organization_id,
                recipient_id,
                r.kind,
                r.announced_on,
                r.period_start_year,
                currency.clone(),
            ),
            aid_pledge::ActiveModel {
                id: NotSet,
                donor_country_id: Set(donor_country_id),
                donor_organization_id: Set(donor_organization_id),
                recipient_id: Set(recipient_id),
                amount: Set(r.amount),
                currency: Set(currency),
                kind: Set(r.kind),
                announced_on: Set(r.announced_on),
                period_start_year: Set(r.period_start_year),
                period_end_year: Set(r.period_end_year),
                purpose: Set(r.purpose),
                qualifier: Set(r.qualifier.unwrap_or(Qualifier::Exact)),
                source_id: Set(source_id),
                note: Set(r.note),
                fulfils: NotSet,
            },
        ));
    }
    // The links are checked and written in the write's transaction, once its rows are.
    let links = aid_ledger::Links(keyed.iter().map(|(k, _)| k.clone()).zip(links).collect());
    pipeline::write_then::<aid_pledge::Entity, _>(db, key_name, "upsertAidPledges", p, "key", keyed, links).await
}

impl Natural for aid_pledge::Entity {
    type Key = AidKey;

    fn unique_key() -> Option<Vec<aid_pledge::Column>> {
        None
    }

    fn id() -> aid_pledge::Column {
        aid_pledge::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[AidKey]) -> Result<HashMap<AidKey, i64>> {
        let mut recipients: Vec<i32> = keys.iter().map(|k| k.2).collect();
        recipients.sort_unstable();
        recipients.dedup();
        Ok(aid_pledge::Entity::find()
            .filter(aid_pledge::Column::RecipientId.is_in(recipients))
            .all(db)
            .await?
            .iter()
            .map(|a| (key_of(a), i64::from(a.id)))
            .collect())
    }
}
