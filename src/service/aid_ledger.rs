//! The pledge ledger: a commitment or disbursement names the aid row it fulfils (a pledge, or
//! a commitment of one), and a pledge answers how much of it was committed and disbursed.
//!
//! Links stay within one donor/recipient pair and never form a cycle: the write checks both
//! against the ledger as it will stand after the write, naming `pledges[i].fulfils`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::aid_pledge;
use entity::enums::{AidKind, Qualifier};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, Statement};

use super::Sql;
use super::aid::{AidKey, key_of, push_figures};
use super::qualifier as q;
use super::write::Problems;
use crate::error::Result;
use crate::reference::RefData;

/// The aid row a written row fulfils: its `AidPledge.id`, or its natural key.
#[derive(Debug, Clone, PartialEq)]
pub enum AidLink {
    Id(String),
    Key {
        donor: String,
        recipient: String,
        kind: AidKind,
        announced_on: Option<NaiveDate>,
        period_start_year: Option<i32>,
        currency: String,
    },
}

/// A link as the write resolves it before reading the ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Row(i32),
    Key(AidKey),
}

/// Resolves the links of a batch against the reference snapshot (codes, ids' form); the
/// ledger-dependent checks are [`check`]'s.
pub fn resolve(p: &mut Problems, refs: &RefData, row: usize, link: Option<&AidLink>) -> Option<Target> {
    match link? {
        AidLink::Id(id) => match super::nodes::decode(id) {
            Some(node) if node.kind == super::nodes::Kind::AidPledge => {
                node.row().and_then(|r| i32::try_from(r).ok()).map(Target::Row)
            }
            _ => {
                p.add(row, "fulfils.id", "must be the `id` of an AidPledge");
                None
            }
        },
        AidLink::Key {
            donor,
            recipient,
            kind,
            announced_on,
            period_start_year,
            currency,
        } => {
            let (dc, dorg) = super::aid::donor(p, refs, row, "fulfils.donor", donor);
            let r = p.country(refs, row, "fulfils.recipient", recipient, false);
            Some(Target::Key((
                dc,
                dorg,
                r,
                *kind,
                *announced_on,
                *period_start_year,
                currency.trim().to_ascii_uppercase(),
            )))
        }
    }
}

/// The donor/recipient pair of a key.
fn pair(k: &AidKey) -> (Option<i32>, Option<i32>, i32) {
    (k.0, k.1, k.2)
}

/// Checks the batch's links against the ledger as it will stand after the write — `ledger`
/// holds every stored row of the batch's recipients — and answers each row's target key.
/// Refuses an unknown target, a link to another donor/recipient pair and a cycle.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    ledger: &[aid_pledge::Model],
    batch: &[(AidKey, Option<Target>)],
) -> Result<Vec<Option<AidKey>>> {
    let by_id: HashMap<i32, AidKey> = ledger.iter().map(|m| (m.id, key_of(m))).collect();
    let mut known: HashSet<&AidKey> = by_id.values().collect();
    known.extend(batch.iter().map(|(k, _)| k));
    // Ids outside the batch's recipients exist or not: one statement tells which.
    let foreign: Vec<i32> = batch
        .iter()
        .filter_map(|(_, t)| match t {
            Some(Target::Row(id)) if !by_id.contains_key(id) => Some(*id),
            _ => None,
        })
        .collect();
    let elsewhere: HashSet<i32> = if foreign.is_empty() {
        HashSet::new()
    } else {
        aid_pledge::Entity::find()
            .filter(aid_pledge::Column::Id.is_in(foreign))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect()
    };

    let mut p = Problems::new("pledges");
    let mut targets = Vec::with_capacity(batch.len());
    for (i, (key, target)) in batch.iter().enumerate() {
        let resolved = match target {
            None => None,
            Some(Target::Row(id)) => match by_id.get(id) {
                Some(k) => Some(k.clone()),
                None if elsewhere.contains(id) => {
                    p.add(
                        i,
                        "fulfils",
                        "links across donor/recipient pairs: the row has another recipient",
                    );
                    None
                }
                None => {
                    p.add(i, "fulfils", format!("no aid row has the id of row {id}"));
                    None
                }
            },
            // Another pair's row is refused below, whether it exists or not.
            Some(Target::Key(k)) if pair(k) == pair(key) && !known.contains(k) => {
                p.add(i, "fulfils", "no aid row (stored or in this batch) has this key");
                None
            }
            Some(Target::Key(k)) => Some(k.clone()),
        };
        if let Some(t) = &resolved
            && pair(t) != pair(key)
        {
            p.add(
                i,
                "fulfils",
                "links across donor/recipient pairs: donor and recipient must be the row's",
            );
        }
        targets.push(resolved);
    }
    p.finish()?;

    // The links after the write: the stored ones, replaced by the batch's for its rows.
    let mut next: HashMap<&AidKey, &AidKey> = ledger
        .iter()
        .filter_map(|m| Some((by_id.get(&m.id)?, by_id.get(&m.fulfils?)?)))
        .collect();
    for ((key, _), target) in batch.iter().zip(&targets) {
        match target {
            Some(t) => next.insert(key, t),
            None => next.remove(key),
        };
    }
    let mut p = Problems::new("pledges");
    for (i, (key, _)) in batch.iter().enumerate() {
        let (mut at, mut steps) = (next.get(key).copied(), 0);
        while let Some(k) = at {
            if k == key {
                p.add(
                    i,
                    "fulfils",
                    "makes a cycle: the row would fulfil itself through its links",
                );
                break;
            }
            steps += 1;
            if steps > next.len() {
                break;
            }
            at = next.get(k).copied();
        }
    }
    p.finish()?;
    Ok(targets)
}

/// The links of a batch, checked and written in its transaction once its rows are
/// (`pipeline::AfterWrite`).
pub struct Links(pub Vec<(AidKey, Option<Target>)>);

impl super::pipeline::AfterWrite for Links {
    async fn run(self, txn: &sea_orm::DatabaseTransaction) -> Result<()> {
        let mut recipients: Vec<i32> = self.0.iter().map(|(k, _)| k.2).collect();
        recipients.sort_unstable();
        recipients.dedup();
        // Every row of the batch's recipients, the batch's own as just written.
        let ledger = aid_pledge::Entity::find()
            .filter(aid_pledge::Column::RecipientId.is_in(recipients))
            .all(txn)
            .await?;
        let targets = check(txn, &ledger, &self.0).await?;
        let ids: HashMap<AidKey, i32> = ledger.iter().map(|a| (key_of(a), a.id)).collect();
        let links: Vec<(AidKey, Option<AidKey>)> = self.0.into_iter().map(|(k, _)| k).zip(targets).collect();
        write(txn, &ids, &links).await
    }
}

/// Writes the batch's links (after its rows are written): `ids` maps every key of the
/// batch's recipients to its row. One statement per distinct target, one for the unlinked.
pub async fn write<C: ConnectionTrait>(
    db: &C,
    ids: &HashMap<AidKey, i32>,
    batch: &[(AidKey, Option<AidKey>)],
) -> Result<()> {
    let mut by_target: HashMap<Option<i32>, Vec<i32>> = HashMap::new();
    for (key, target) in batch {
        let Some(id) = ids.get(key) else { continue };
        by_target
            .entry(target.as_ref().and_then(|t| ids.get(t).copied()))
            .or_default()
            .push(*id);
    }
    for (target, rows) in by_target {
        for chunk in rows.chunks(super::write::CHUNK) {
            let mut sql = Sql::new(db.get_database_backend());
            sql.push("UPDATE aid_pledge SET fulfils = ");
            match target {
                Some(t) => sql.bind(t),
                None => sql.push("NULL"),
            };
            sql.push(" WHERE id IN (").bind_list(chunk).push(")");
            db.execute_raw(sql.build()).await?;
        }
    }
    Ok(())
}

/// How much of an aid row the rows fulfilling it (directly or through a commitment) add up
/// to, in USD.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Fulfilment {
    pub pledge_id: i32,
    pub committed_usd: f64,
    pub committed_usd_qualifier: Qualifier,
    pub disbursed_usd: f64,
    pub disbursed_usd_qualifier: Qualifier,
    /// `disbursed_usd` / the pledge's `amount_usd`.
    pub ratio: Option<f64>,
    pub ratio_qualifier: Option<Qualifier>,
    /// Rows counted.
    pub row_count: i64,
}

/// The fulfilment of the given aid rows, counting the rows dated on or before `as_of` (by
/// `announcedOn`, else the first year of their period; undated rows always): one statement.
pub async fn fulfilment(db: &DatabaseConnection, ids: &[i32], as_of: Option<NaiveDate>) -> Result<Vec<Fulfilment>> {
    Ok(
        Fulfilment::find_by_statement(fulfilment_statement(db.get_database_backend(), ids, as_of))
            .all(db)
            .await?,
    )
}

/// The statement of [`fulfilment`]. The tree below each row is walked by a recursive CTE
/// (a cycle cannot be written; the depth bound guards against one made by hand).
pub fn fulfilment_statement(backend: sea_orm::DbBackend, ids: &[i32], as_of: Option<NaiveDate>) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("WITH RECURSIVE tree (root, id, depth) AS (SELECT a.id, a.id, 0 FROM aid_pledge a WHERE a.id IN (")
        .bind_list(ids)
        .push(
            ") UNION ALL SELECT t.root, c.id, t.depth + 1 FROM aid_pledge c JOIN tree t ON c.fulfils = t.id \
         WHERE t.depth < 64), f AS (",
        );
    push_figures(&mut sql, |sql| {
        sql.push("a.id IN (SELECT id FROM tree)");
    });
    sql.push("), d AS (SELECT t.root, t.depth, f.kind, f.amount_usd, f.usd_q, ");
    match as_of {
        Some(day) => {
            sql.push("CASE WHEN f.announced_on IS NOT NULL THEN (CASE WHEN f.announced_on <= ")
                .bind(day)
                .push(
                    " THEN 1 ELSE 0 END) WHEN f.period_start_year IS NOT NULL THEN (CASE WHEN f.period_start_year <= ",
                )
                .bind(chrono::Datelike::year(&day))
                .push(" THEN 1 ELSE 0 END) ELSE 1 END AS dated");
        }
        None => {
            sql.push("1 AS dated");
        }
    }
    // A linked row without a USD amount (no exchange rate) is left out of the sum, which
    // can only be larger: the "may be above" bit.
    let part = |kind: &str| {
        let rows = format!("t.depth > 0 AND t.dated = 1 AND t.kind = '{kind}'");
        let bits = q::union_of_rows(backend, &format!("CASE WHEN {rows} THEN t.usd_q END"));
        (
            format!("COALESCE(SUM(CASE WHEN {rows} THEN t.amount_usd END), 0.0)"),
            format!("(COALESCE({bits}, 0) | MAX(CASE WHEN {rows} AND t.amount_usd IS NULL THEN 1 ELSE 0 END))"),
        )
    };
    let (committed, cq) = part("COMMITMENT");
    let (disbursed, dq) = part("DISBURSEMENT");
    sql.push(&format!(
        " FROM tree t JOIN f ON f.id = t.id), \
         s AS (SELECT t.root, {committed} AS committed, {cq} AS cq, {disbursed} AS disbursed, {dq} AS dq, \
                 MAX(CASE WHEN t.depth = 0 THEN t.amount_usd END) AS pledged, \
                 MAX(CASE WHEN t.depth = 0 THEN t.usd_q END) AS pq, \
                 SUM(CASE WHEN t.depth > 0 AND t.dated = 1 THEN 1 ELSE 0 END) AS n \
               FROM d t GROUP BY t.root) \
         SELECT root AS pledge_id, committed AS committed_usd, {cn} AS committed_usd_qualifier, \
           disbursed AS disbursed_usd, {dn} AS disbursed_usd_qualifier, \
           disbursed / NULLIF(pledged, 0) AS ratio, {rn} AS ratio_qualifier, n AS row_count \
         FROM s",
        cn = q::name("committed", "cq"),
        dn = q::name("disbursed", "dq"),
        rn = q::name("disbursed / NULLIF(pledged, 0)", &q::union(&["dq", &q::flip("pq")])),
    ));
    sql.build()
}
