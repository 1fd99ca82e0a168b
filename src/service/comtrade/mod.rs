//! Loading UN Comtrade files into `trade_flow`, all or nothing.
//!
//! Every format a user will have is read as it is, detected from its header: today's API and
//! bulk downloads (`typeCode,freqCode,…,primaryValue,…`), the legacy long export (with
//! `Reporter ISO`/`Partner ISO`) and the legacy short one (codes and names only); comma- or
//! tab-separated, plain or gzip. The parts, each readable and testable alone:
//!
//! - [`input`]: gzip and delimiter detection;
//! - [`format`]: which format a header is, and where each column the importer reads is;
//! - [`parse`]: one record to one validated row (synchronous, on a blocking thread), with
//!   refusals that name the physical line and the column;
//! - [`resolve`]: countries (ISO alpha-3, else Comtrade's numeric area code through
//!   `data/comtrade_areas.csv`) and HS codes to ids;
//! - [`portable`] and [`copy`]: the two ways to store (multi-row `INSERT` on SQLite, `COPY`
//!   on PostgreSQL), behind [`sink::Sink`], the write pipeline's bulk `Store`: validation,
//!   the refusal of repeated keys, the audit entry in the rows' transaction and the counts
//!   are the pipeline's (`service::pipeline::bulk`).
//!
//! Rows that break a total down (a second partner, a mode of transport, a customs procedure)
//! are skipped and counted: only totals are stored, so a breakdown can never overwrite one.
//! Two rows of one file with the same key and different figures are an error naming both
//! lines; an exact repeat is counted and stored once.

mod copy;
mod fields;
pub mod format;
pub mod input;
mod lines;
pub mod parse;
mod portable;
pub mod resolve;
mod sink;
pub mod values;

use std::io::Read;

use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::mpsc;

use super::pipeline::bulk::write_bulk;
use super::pipeline::{Audit, COMMAND_LINE};
use crate::error::{Error, Result};
use parse::{Batch, Parser};
use sink::Sink;

/// Publisher of the `source` row an import creates.
pub const PUBLISHER: &str = "United Nations Statistics Division (UN Comtrade)";

/// The `audit_log.mutation` of an import.
pub const AUDIT_MUTATION: &str = "importComtrade";

/// Rows per `COPY` on PostgreSQL.
const COPY_BATCH_ROWS: usize = 20_000;

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Data rows in the file (breakdown rows and repeats included).
    pub rows: u64,
    /// Flows that did not exist before.
    pub inserted: u64,
    /// Flows stored before the import that a row of the file replaced.
    pub updated: u64,
    /// 4- and 6-digit HS codes (and chapters 98/99) that were not known and were added.
    pub commodities_added: u64,
    /// Rows breaking a total down by second partner, mode of transport or customs procedure:
    /// not stored (the file's total row is).
    pub breakdown_skipped: u64,
    /// Rows repeating an earlier row of the file exactly: stored once.
    pub repeats_skipped: u64,
}

/// How to write the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Method {
    /// `COPY` on PostgreSQL, multi-row `INSERT` elsewhere.
    #[default]
    Auto,
    /// Multi-row `INSERT … ON CONFLICT` on every backend.
    Portable,
}

/// Called with the number of rows read and staged so far, after each batch.
pub type ProgressFn<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// Options of [`import_with`].
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    pub progress: Option<ProgressFn<'a>>,
    pub method: Method,
    /// Name of the API key an HTTP import runs for, as its `audit_log` entry (written inside
    /// the import's transaction) names it; `None` for the command line ([`COMMAND_LINE`]).
    pub audit_key: Option<&'a str>,
    /// Most bytes a gzip file may inflate to (an HTTP upload's cap); unlimited when `None`.
    pub inflated_limit: Option<u64>,
}

/// Loads one Comtrade file (plain or gzip), all or nothing.
///
/// `name` is used in error messages and names the import's `source` row (the file name, or
/// "-" / "request body"). `progress` is called after each batch with the rows read so far.
pub async fn import<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    reader: R,
    name: &str,
    progress: Option<ProgressFn<'_>>,
) -> Result<ImportReport> {
    let options = ImportOptions {
        progress,
        ..ImportOptions::default()
    };
    import_with(db, reader, name, options).await
}

/// [`import`] with a choice of write method and audit entry.
///
/// An import goes through the write pipeline's bulk form (`pipeline::bulk`): the parser
/// validates every row and refuses repeated keys while the [`Sink`] stages them, the sink's
/// final statements answer the counts, and the audit entry (the HTTP import's key, or
/// [`COMMAND_LINE`]) commits with the rows.
pub async fn import_with<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    reader: R,
    name: &str,
    options: ImportOptions<'_>,
) -> Result<ImportReport> {
    let backend = db.get_database_backend();
    let mut sink = match (backend, options.method) {
        (DbBackend::Postgres, Method::Auto) => Sink::Copy(copy::CopySink::begin(db).await?),
        _ => Sink::Portable(portable::PortableSink::begin(db).await?),
    };
    let audit = Audit {
        key_name: options.audit_key.unwrap_or(COMMAND_LINE),
        mutation: AUDIT_MUTATION,
    };
    let staged = stage(&mut sink, reader, name, options).await;
    let (mut report, counts) = write_bulk(sink, staged, audit).await?;
    report.inserted = counts.inserted as u64;
    report.updated = counts.updated as u64;
    Ok(report)
}

/// Reads, validates and stages the rows of a file: everything but the final statements and
/// the commit.
async fn stage<R: Read + Send + 'static>(
    sink: &mut Sink,
    reader: R,
    name: &str,
    options: ImportOptions<'_>,
) -> Result<ImportReport> {
    let progress = options.progress;
    let limit = options.inflated_limit.unwrap_or(u64::MAX);
    let source_id = sink.upsert_source(name).await?;
    let refs = sink.load_refs().await?;
    let batch_rows = sink.batch_rows();
    let (tx, mut rx) = mpsc::channel::<Batch>(2);
    let parser = {
        let name = name.to_owned();
        tokio::task::spawn_blocking(move || Parser::new(refs, name, batch_rows, limit).run(reader, &tx))
    };
    // Real ids of the commodities this import adds, by provisional id (-1, -2, …).
    let mut added: Vec<i32> = Vec::new();
    let real = |added: &[i32], id: i32| -> Result<i32> {
        if id >= 0 {
            return Ok(id);
        }
        usize::try_from(-id - 1)
            .ok()
            .and_then(|i| added.get(i).copied())
            .ok_or_else(|| Error::internal(format!("provisional commodity id {id} was never added")))
    };
    let mut rows = 0u64;
    while let Some(mut batch) = rx.recv().await {
        for c in &batch.commodities {
            let id = sink.add_commodity(c, real(&added, c.parent)?, source_id).await?;
            added.push(id);
        }
        for row in &mut batch.rows {
            row.commodity = real(&added, row.commodity)?;
        }
        rows += batch.read;
        if !batch.rows.is_empty() {
            sink.write(&batch.rows, source_id).await?;
        }
        if let Some(p) = progress {
            p(rows);
        }
    }
    drop(rx);
    let parsed = parser
        .await
        .map_err(|e| Error::internal(format!("the CSV parser stopped: {e}")))??;
    debug_assert_eq!(parsed.rows, rows);
    // Subheadings that came before their heading in the file hang under the chapter: move them.
    for (sub, heading) in parsed.reparent {
        sink.set_parent(real(&added, sub)?, real(&added, heading)?).await?;
    }
    Ok(ImportReport {
        rows,
        inserted: 0,
        updated: 0,
        commodities_added: added.len() as u64,
        breakdown_skipped: parsed.breakdown_skipped,
        repeats_skipped: parsed.repeats_skipped,
    })
}

/// Key and title of the `source` row of an import of `name`.
fn source_of(name: &str) -> (String, String) {
    let base = std::path::Path::new(name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name);
    let title = match name {
        "-" => "UN Comtrade-format data loaded from standard input".to_owned(),
        _ => format!("UN Comtrade-format data loaded from {base}"),
    };
    (format!("comtrade-import:{base}"), title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_key_uses_the_file_name() {
        assert_eq!(source_of("/tmp/x/comtrade.csv.gz").0, "comtrade-import:comtrade.csv.gz");
        assert_eq!(source_of("-").0, "comtrade-import:-");
        assert!(source_of("-").1.contains("standard input"));
    }
}
