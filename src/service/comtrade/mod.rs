//! Loading UN Comtrade-format CSV files into `trade_flow`.
//!
//! A file is read as a stream: a blocking thread parses and validates rows and hands them
//! over in batches; the async side writes each batch inside one transaction. A row that fails
//! validation fails the whole file with an error naming the file, the line and the column;
//! nothing is written (the transaction, commodities it added included, is rolled back).
//! Flows are upserted on their natural key (reporter, year, commodity, flow, partner); when a
//! file holds one key twice, its last row wins.
//!
//! Two ways to write, chosen by backend (`Method::Auto`):
//! - portable (SQLite, and PostgreSQL on request): sea-orm multi-row `INSERT … ON CONFLICT DO
//!   UPDATE`, as many rows per statement as the backend's bound-parameter limit allows;
//! - PostgreSQL: `COPY … FROM STDIN` into a temporary table, then an `UPDATE … FROM` of the
//!   flows that exist and a plain `INSERT … SELECT` of the others, under a lock that makes other
//!   writers (not readers) wait, all in the same transaction.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;

use entity::enums::{CommodityKind, FlowKind, Qualifier};
use entity::{commodity, country, source, trade_flow};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Statement, TransactionTrait,
};
use tokio::sync::mpsc;

use crate::error::{Error, Result};

/// Publisher of the `source` row an import creates.
pub const PUBLISHER: &str = "United Nations Statistics Division (UN Comtrade)";

/// Columns a file must have.
pub const REQUIRED_COLUMNS: [&str; 6] = [
    "refYear",
    "reporterISO",
    "partnerISO",
    "flowCode",
    "cmdCode",
    "primaryValue",
];

/// Bound parameters one statement may carry: PostgreSQL's protocol limit, and SQLite's
/// `SQLITE_MAX_VARIABLE_NUMBER` (since 3.32).
const PG_MAX_PARAMS: usize = 65_535;
const SQLITE_MAX_PARAMS: usize = 32_766;
/// Bound parameters per row of the portable insert (see `PortableSink::write`).
const PARAMS_PER_ROW: usize = 10;
/// Rows per `COPY` on PostgreSQL.
const COPY_BATCH_ROWS: usize = 20_000;

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows: u64,
    /// Flows that did not exist before.
    pub inserted: u64,
    /// Rows that replaced a flow already stored (before the import, or by an earlier row of
    /// the same file): `rows - inserted`.
    pub updated: u64,
    /// 4- and 6-digit HS codes that were not known and were added to `commodity`.
    pub commodities_added: u64,
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
}

/// Loads one Comtrade-format CSV file, all or nothing.
///
/// `name` is used in error messages and names the import's `source` row (the file name, or
/// "-" / "request body"). `progress` is called after each batch with the rows read so far.
pub async fn import<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    reader: R,
    name: &str,
    progress: Option<ProgressFn<'_>>,
) -> Result<ImportReport> {
    import_with(
        db,
        reader,
        name,
        ImportOptions {
            progress,
            method: Method::Auto,
        },
    )
    .await
}

/// [`import`] with a choice of write method.
pub async fn import_with<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    reader: R,
    name: &str,
    options: ImportOptions<'_>,
) -> Result<ImportReport> {
    let backend = db.get_database_backend();
    let mut sink = match (backend, options.method) {
        (DbBackend::Postgres, Method::Auto) => Sink::Copy(CopySink::begin(db).await?),
        _ => Sink::Portable(PortableSink::begin(db).await?),
    };
    match run(&mut sink, reader, name, options.progress).await {
        Ok(mut report) => {
            report.inserted = sink.finish().await?;
            report.updated = report.rows - report.inserted;
            Ok(report)
        }
        Err(e) => {
            sink.abort().await;
            Err(e)
        }
    }
}

/// Everything but the final statement and the commit.
async fn run<R: Read + Send + 'static>(
    sink: &mut Sink,
    reader: R,
    name: &str,
    progress: Option<ProgressFn<'_>>,
) -> Result<ImportReport> {
    let source_id = sink.upsert_source(name).await?;
    let refs = sink.load_refs().await?;
    let batch_rows = sink.batch_rows();
    let (tx, mut rx) = mpsc::channel::<Batch>(2);
    let parser = {
        let name = name.to_owned();
        tokio::task::spawn_blocking(move || Parser::new(refs, name, batch_rows).run(reader, &tx))
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
        rows += batch.rows.len() as u64;
        sink.write(&batch.rows, source_id).await?;
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

// ---------------------------------------------------------------------------------------
// Parsing and validation (on a blocking thread).

/// One validated row. `commodity` is a database id, or `-n` for the n-th commodity this
/// import adds (resolved before the row is written).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    reporter: i32,
    partner: i32,
    year: i32,
    commodity: i32,
    flow: FlowKind,
    value: f64,
    quantity: Option<f64>,
    unit: Option<String>,
    qualifier: Qualifier,
}

impl Row {
    fn key(&self) -> (i32, i32, i32, FlowKind, i32) {
        (self.reporter, self.year, self.commodity, self.flow, self.partner)
    }
}

/// An HS code not yet in `commodity`; `parent` as in [`Row::commodity`].
#[derive(Debug, Clone)]
struct NewCommodity {
    code: String,
    kind: CommodityKind,
    parent: i32,
    name: String,
}

/// Rows, and the commodities they need that are to be added first.
struct Batch {
    commodities: Vec<NewCommodity>,
    rows: Vec<Row>,
}

/// What the parser hands back at the end.
struct Parsed {
    rows: u64,
    /// (subheading, heading): subheadings added under their chapter because their heading
    /// came later in the file.
    reparent: Vec<(i32, i32)>,
}

/// Countries and commodities by code.
struct Refs {
    /// By ISO alpha-3 and alpha-2, upper case.
    countries: HashMap<String, i32>,
    /// By code.
    commodities: HashMap<String, i32>,
}

/// Where the columns the importer reads are in the file.
struct Columns {
    year: usize,
    reporter: usize,
    partner: usize,
    flow: usize,
    cmd: usize,
    value: usize,
    qty: Option<usize>,
    unit: Option<usize>,
    reported: Option<usize>,
    cmd_desc: Option<usize>,
}

struct Parser {
    refs: Refs,
    name: String,
    batch_rows: usize,
    /// Commodities added by this file, by code, with their provisional id.
    new_codes: HashMap<String, i32>,
    added: u32,
    /// Subheadings added under a chapter, by the heading code they wait for.
    orphans: HashMap<String, Vec<i32>>,
    reparent: Vec<(i32, i32)>,
}

/// A field value with the column it came from, for error messages.
struct Field<'a> {
    column: &'static str,
    text: &'a str,
}

impl Parser {
    fn new(refs: Refs, name: String, batch_rows: usize) -> Self {
        Self {
            refs,
            name,
            batch_rows,
            new_codes: HashMap::new(),
            added: 0,
            orphans: HashMap::new(),
            reparent: Vec::new(),
        }
    }

    fn error(&self, line: u64, column: &str, msg: impl std::fmt::Display) -> Error {
        Error::bad_input(format!("{} line {line}, column {column}: {msg}", self.name))
    }

    fn run<R: Read>(mut self, reader: R, tx: &mpsc::Sender<Batch>) -> Result<Parsed> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(reader);
        let headers = csv.byte_headers().map_err(|e| self.csv_error(&e))?.clone();
        if headers.is_empty() || headers.len() == 1 && headers[0].is_empty() {
            return Err(Error::bad_input(format!(
                "{} line 1: a header row naming the columns is required",
                self.name
            )));
        }
        let find = |column: &str| headers.iter().position(|h| h == column.as_bytes());
        let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| find(c).is_none()).collect();
        let required = |column: &str| {
            find(column).ok_or_else(|| {
                self.error(
                    1,
                    column,
                    format!(
                        "missing from the header row (required columns: {}; missing: {})",
                        REQUIRED_COLUMNS.join(", "),
                        missing.join(", ")
                    ),
                )
            })
        };
        // The first missing column is named first, in REQUIRED_COLUMNS order.
        for column in REQUIRED_COLUMNS {
            required(column)?;
        }
        let cols = Columns {
            year: required("refYear")?,
            reporter: required("reporterISO")?,
            partner: required("partnerISO")?,
            flow: required("flowCode")?,
            cmd: required("cmdCode")?,
            value: required("primaryValue")?,
            qty: find("qty"),
            unit: find("qtyUnitAbbr"),
            reported: find("isReported"),
            cmd_desc: find("cmdDesc"),
        };

        let mut record = csv::ByteRecord::new();
        let mut batch = Batch {
            commodities: Vec::new(),
            rows: Vec::with_capacity(self.batch_rows),
        };
        let mut rows = 0u64;
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.csv_error(&e)),
            }
            let line = record.position().map_or(0, csv::Position::line);
            // A blank line in the middle of a file (csv skips empty lines; a line of spaces
            // or a lone comma is a record of empty fields).
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let row = self.row(&record, line, &cols, &mut batch.commodities)?;
            batch.rows.push(row);
            rows += 1;
            if batch.rows.len() >= self.batch_rows {
                let full = std::mem::replace(
                    &mut batch,
                    Batch {
                        commodities: Vec::new(),
                        rows: Vec::with_capacity(self.batch_rows),
                    },
                );
                if tx.blocking_send(full).is_err() {
                    // The writer gave up; its error is the one reported.
                    return Ok(Parsed {
                        rows,
                        reparent: Vec::new(),
                    });
                }
            }
        }
        if !batch.rows.is_empty() || !batch.commodities.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        Ok(Parsed {
            rows,
            reparent: self.reparent,
        })
    }

    fn csv_error(&self, e: &csv::Error) -> Error {
        let line = e.position().map(csv::Position::line);
        let what = match e.kind() {
            csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
            csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8: {err}"),
            _ => e.to_string(),
        };
        match line {
            Some(line) => Error::bad_input(format!("{} line {line}: {what}", self.name)),
            None => Error::bad_input(format!("{}: {what}", self.name)),
        }
    }

    fn field<'a>(
        &self,
        record: &'a csv::ByteRecord,
        line: u64,
        index: usize,
        column: &'static str,
    ) -> Result<Field<'a>> {
        let bytes = record.get(index).unwrap_or(b"");
        let text = std::str::from_utf8(bytes)
            .map_err(|_| self.error(line, column, "the value is not valid UTF-8"))?
            .trim();
        Ok(Field { column, text })
    }

    fn row(&mut self, record: &csv::ByteRecord, line: u64, cols: &Columns, new: &mut Vec<NewCommodity>) -> Result<Row> {
        let year = self.field(record, line, cols.year, "refYear")?;
        let year = match year.text.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => y,
            _ => {
                return Err(self.error(
                    line,
                    year.column,
                    format!("{:?} is not a year from 1900 to 2100", year.text),
                ));
            }
        };
        let reporter = self.country(record, line, cols.reporter, "reporterISO")?;
        let partner = self.country(record, line, cols.partner, "partnerISO")?;
        let flow = self.field(record, line, cols.flow, "flowCode")?;
        let flow = match flow.text {
            "X" => FlowKind::Export,
            "M" => FlowKind::Import,
            "RX" => FlowKind::ReExport,
            "RM" => FlowKind::ReImport,
            other => {
                return Err(self.error(
                    line,
                    flow.column,
                    format!("{other:?} is not a known flow code (X, M, RX or RM)"),
                ));
            }
        };
        let value = self.field(record, line, cols.value, "primaryValue")?;
        let value = self
            .amount(line, &value)?
            .ok_or_else(|| self.error(line, value.column, "the value is missing"))?;
        let unit = match cols.unit {
            Some(i) => {
                let u = self.field(record, line, i, "qtyUnitAbbr")?.text;
                Some(u).filter(|u| !u.is_empty())
            }
            None => None,
        };
        // Comtrade writes `N/A` (unit code -1) and a quantity of 0 when there is no quantity.
        let no_quantity = unit == Some("N/A");
        let quantity = match cols.qty {
            Some(i) => {
                let q = self.field(record, line, i, "qty")?;
                self.amount(line, &q)?.filter(|_| !no_quantity)
            }
            None => None,
        };
        let qualifier = match cols.reported {
            Some(i) => {
                let r = self.field(record, line, i, "isReported")?;
                match r.text {
                    "" | "1" => Qualifier::Exact,
                    "0" => Qualifier::Estimate,
                    t if t.eq_ignore_ascii_case("true") => Qualifier::Exact,
                    t if t.eq_ignore_ascii_case("false") => Qualifier::Estimate,
                    t => {
                        return Err(self.error(line, r.column, format!("{t:?} is not true, false, 1 or 0")));
                    }
                }
            }
            None => Qualifier::Exact,
        };
        let commodity = self.commodity(record, line, cols, new)?;
        Ok(Row {
            reporter,
            partner,
            year,
            commodity,
            flow,
            value,
            quantity: quantity.filter(|_| !no_quantity),
            unit: unit.filter(|_| !no_quantity).map(str::to_owned),
            qualifier,
        })
    }

    fn country(&self, record: &csv::ByteRecord, line: u64, index: usize, column: &'static str) -> Result<i32> {
        let f = self.field(record, line, index, column)?;
        let found = if f.text.bytes().any(|b| b.is_ascii_lowercase()) {
            self.refs.countries.get(&f.text.to_ascii_uppercase())
        } else {
            self.refs.countries.get(f.text)
        };
        found.copied().ok_or_else(|| {
            if f.text.is_empty() {
                self.error(line, column, "the value is missing")
            } else {
                self.error(line, column, format!("{:?} is not a known ISO country code", f.text))
            }
        })
    }

    /// A non-negative finite number, or `None` for an empty field.
    fn amount(&self, line: u64, f: &Field<'_>) -> Result<Option<f64>> {
        if f.text.is_empty() {
            return Ok(None);
        }
        let v: f64 = f
            .text
            .parse()
            .map_err(|_| self.error(line, f.column, format!("{:?} is not a number", f.text)))?;
        if !v.is_finite() {
            return Err(self.error(line, f.column, format!("{:?} is not a finite number", f.text)));
        }
        if v < 0.0 {
            return Err(self.error(line, f.column, format!("{:?} is negative", f.text)));
        }
        // No negative zero.
        Ok(Some(v + 0.0))
    }

    /// The commodity id (or provisional id) of the row's `cmdCode`, adding 4- and 6-digit
    /// codes that are not known yet.
    fn commodity(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        cols: &Columns,
        new: &mut Vec<NewCommodity>,
    ) -> Result<i32> {
        let f = self.field(record, line, cols.cmd, "cmdCode")?;
        let code = f.text;
        if let Some(id) = self.refs.commodities.get(code).or_else(|| self.new_codes.get(code)) {
            return Ok(*id);
        }
        let well_formed =
            code == "TOTAL" || matches!(code.len(), 2 | 4 | 6) && code.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err(self.error(
                line,
                f.column,
                format!("{code:?} is not TOTAL or an HS code of 2, 4 or 6 digits"),
            ));
        }
        let known = |s: &Self, c: &str| s.refs.commodities.get(c).or_else(|| s.new_codes.get(c)).copied();
        let chapter = &code[..2];
        if code.len() == 2 || code == "TOTAL" {
            return Err(self.error(line, f.column, format!("{code:?} is not a known HS chapter")));
        }
        let Some(chapter_id) = known(self, chapter) else {
            return Err(self.error(
                line,
                f.column,
                format!("{code:?} belongs to HS chapter {chapter}, which is not known"),
            ));
        };
        let (kind, parent) = if code.len() == 4 {
            (CommodityKind::Heading, chapter_id)
        } else {
            (CommodityKind::Subheading, known(self, &code[..4]).unwrap_or(chapter_id))
        };
        let name = cols
            .cmd_desc
            .and_then(|i| record.get(i))
            .map(|d| String::from_utf8_lossy(d).trim().to_owned())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| format!("HS {code}"));
        self.added += 1;
        let id = -i32::try_from(self.added).map_err(|_| Error::internal("too many new commodities"))?;
        self.new_codes.insert(code.to_owned(), id);
        if kind == CommodityKind::Subheading && parent == chapter_id {
            self.orphans.entry(code[..4].to_owned()).or_default().push(id);
        }
        if kind == CommodityKind::Heading
            && let Some(subs) = self.orphans.remove(code)
        {
            self.reparent.extend(subs.into_iter().map(|s| (s, id)));
        }
        new.push(NewCommodity {
            code: code.to_owned(),
            kind,
            parent,
            name,
        });
        Ok(id)
    }
}

// ---------------------------------------------------------------------------------------
// Writing.

enum Sink {
    Portable(PortableSink),
    Copy(CopySink),
}

impl Sink {
    fn batch_rows(&self) -> usize {
        match self {
            Sink::Portable(s) => s.rows_per_statement,
            Sink::Copy(_) => COPY_BATCH_ROWS,
        }
    }

    async fn upsert_source(&mut self, name: &str) -> Result<i32> {
        let (key, title) = source_of(name);
        match self {
            Sink::Portable(s) => s.upsert_source(key, title).await,
            Sink::Copy(s) => s.upsert_source(key, title).await,
        }
    }

    async fn load_refs(&mut self) -> Result<Refs> {
        let (countries, commodities) = match self {
            Sink::Portable(s) => s.load_refs().await?,
            Sink::Copy(s) => s.load_refs().await?,
        };
        let mut refs = Refs {
            countries: HashMap::with_capacity(countries.len() * 2),
            commodities: commodities.into_iter().map(|(id, code)| (code, id)).collect(),
        };
        for (id, iso3, iso2) in countries {
            refs.countries.insert(iso3.to_ascii_uppercase(), id);
            refs.countries.entry(iso2.to_ascii_uppercase()).or_insert(id);
        }
        Ok(refs)
    }

    async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        match self {
            Sink::Portable(s) => s.add_commodity(c, parent_id, source_id).await,
            Sink::Copy(s) => s.add_commodity(c, parent_id, source_id).await,
        }
    }

    async fn set_parent(&mut self, id: i32, parent_id: i32) -> Result<()> {
        match self {
            Sink::Portable(s) => {
                commodity::Entity::update_many()
                    .col_expr(commodity::Column::ParentId, Expr::value(parent_id))
                    .filter(commodity::Column::Id.eq(id))
                    .exec(&s.txn)
                    .await?;
            }
            Sink::Copy(s) => {
                sqlx::query("UPDATE commodity SET parent_id = $1 WHERE id = $2")
                    .bind(parent_id)
                    .bind(id)
                    .execute(&mut *s.tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        Ok(())
    }

    async fn write(&mut self, rows: &[Row], source_id: i32) -> Result<()> {
        match self {
            Sink::Portable(s) => s.write(rows, source_id).await,
            Sink::Copy(s) => s.write(rows).await,
        }
    }

    /// Writes what is staged, commits; returns the number of flows inserted.
    async fn finish(self) -> Result<u64> {
        match self {
            Sink::Portable(s) => s.finish().await,
            Sink::Copy(s) => s.finish().await,
        }
    }

    async fn abort(self) {
        let result = match self {
            Sink::Portable(s) => match s.restore_cache_size().await {
                Ok(()) => s.txn.rollback().await.map_err(Error::from),
                Err(e) => Err(e),
            },
            Sink::Copy(s) => s.tx.rollback().await.map_err(db_err),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not roll back a failed import");
        }
    }
}

fn db_err(e: sqlx::Error) -> Error {
    Error::Db(sea_orm::DbErr::Custom(e.to_string()))
}

/// sea-orm multi-row `INSERT … ON CONFLICT DO UPDATE` in one transaction.
struct PortableSink {
    txn: DatabaseTransaction,
    rows_per_statement: usize,
    /// Largest flow id before the import: flows above it are new.
    max_id_before: i64,
    /// SQLite: the connection's page cache size before the import, restored at the end.
    sqlite_cache_size: Option<i64>,
}

/// SQLite page cache of the import's connection, in KiB: the indexes of `trade_flow` are
/// updated in key order of five different keys, and a small cache turns that into reads.
const SQLITE_IMPORT_CACHE_KIB: i64 = 256 * 1024;

impl PortableSink {
    async fn begin(db: &DatabaseConnection) -> Result<Self> {
        let max_params = match db.get_database_backend() {
            DbBackend::Postgres => PG_MAX_PARAMS,
            _ => SQLITE_MAX_PARAMS,
        };
        let txn = db.begin().await?;
        let mut sqlite_cache_size = None;
        if db.get_database_backend() == DbBackend::Sqlite {
            let row = txn
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA cache_size"))
                .await?;
            if let Some(old) = row.and_then(|r| r.try_get_by_index::<i64>(0).ok()) {
                txn.execute_unprepared(&format!("PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}"))
                    .await?;
                sqlite_cache_size = Some(old);
            }
        }
        Ok(Self {
            txn,
            // One spare parameter for the `note = NULL` of the conflict clause.
            rows_per_statement: (max_params - 1) / PARAMS_PER_ROW,
            max_id_before: 0,
            sqlite_cache_size,
        })
    }

    /// Gives the connection its usual page cache back (before the commit or rollback, while
    /// this transaction still holds the connection).
    async fn restore_cache_size(&self) -> Result<()> {
        if let Some(old) = self.sqlite_cache_size {
            self.txn
                .execute_unprepared(&format!("PRAGMA cache_size = {old}"))
                .await?;
        }
        Ok(())
    }

    async fn upsert_source(&mut self, key: String, title: String) -> Result<i32> {
        // The first statement writes, so an SQLite transaction takes the write lock before it
        // reads anything (a read snapshot could not be upgraded later if another writer came
        // in between).
        source::Entity::insert(source::ActiveModel {
            id: NotSet,
            key: Set(key.clone()),
            publisher: Set(PUBLISHER.to_owned()),
            title: Set(title),
            year: Set(None),
            url: Set(None),
            note: Set(Some("written by `tradegraph import comtrade`".to_owned())),
        })
        .on_conflict(
            OnConflict::column(source::Column::Key)
                .update_columns([source::Column::Publisher, source::Column::Title])
                .to_owned(),
        )
        .exec_without_returning(&self.txn)
        .await?;
        let id: i32 = source::Entity::find()
            .select_only()
            .column(source::Column::Id)
            .filter(source::Column::Key.eq(key))
            .into_tuple()
            .one(&self.txn)
            .await?
            .ok_or_else(|| Error::internal("the import's source row vanished"))?;
        let max: Option<i64> = trade_flow::Entity::find()
            .select_only()
            .expr(Func::max(Expr::col(trade_flow::Column::Id)))
            .into_tuple()
            .one(&self.txn)
            .await?
            .flatten();
        self.max_id_before = max.unwrap_or(0);
        Ok(id)
    }

    async fn load_refs(&mut self) -> Result<(Vec<(i32, String, String)>, Vec<(i32, String)>)> {
        let countries = country::Entity::find()
            .select_only()
            .columns([country::Column::Id, country::Column::Iso3, country::Column::Iso2])
            .into_tuple()
            .all(&self.txn)
            .await?;
        let commodities = commodity::Entity::find()
            .select_only()
            .columns([commodity::Column::Id, commodity::Column::Code])
            .into_tuple()
            .all(&self.txn)
            .await?;
        Ok((countries, commodities))
    }

    async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        let model = commodity::ActiveModel {
            id: NotSet,
            code: Set(c.code.clone()),
            kind: Set(c.kind),
            parent_id: Set(Some(parent_id)),
            name: Set(c.name.clone()),
            source_id: Set(Some(source_id)),
        }
        .insert(&self.txn)
        .await?;
        Ok(model.id)
    }

    async fn write(&mut self, rows: &[Row], source_id: i32) -> Result<()> {
        // PostgreSQL refuses to update one row twice in one statement: keep the last row of
        // each key (SQLite would apply both in order, with the same result).
        let mut last: HashMap<(i32, i32, i32, FlowKind, i32), usize> = HashMap::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            last.insert(r.key(), i);
        }
        let models = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| last.get(&r.key()) == Some(i))
            .map(|(_, r)| trade_flow::ActiveModel {
                id: NotSet,
                reporter_id: Set(r.reporter),
                partner_id: Set(r.partner),
                year: Set(r.year),
                commodity_id: Set(r.commodity),
                flow: Set(r.flow),
                value_usd: Set(r.value),
                quantity: Set(r.quantity),
                quantity_unit: Set(r.unit.clone()),
                qualifier: Set(r.qualifier),
                source_id: Set(Some(source_id)),
                note: NotSet,
            });
        use trade_flow::Column as C;
        trade_flow::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([C::ReporterId, C::Year, C::CommodityId, C::Flow, C::PartnerId])
                    .update_columns([C::ValueUsd, C::Quantity, C::QuantityUnit, C::Qualifier, C::SourceId])
                    // A curator's note was about the value it replaced.
                    .value(C::Note, Expr::value(Option::<String>::None))
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await?;
        Ok(())
    }

    async fn finish(self) -> Result<u64> {
        let inserted = trade_flow::Entity::find()
            .filter(trade_flow::Column::Id.gt(self.max_id_before))
            .count(&self.txn)
            .await?;
        self.restore_cache_size().await?;
        self.txn.commit().await?;
        Ok(inserted)
    }
}

/// PostgreSQL: `COPY` into a temporary table, then `UPDATE` and `INSERT … SELECT` from it.
struct CopySink {
    tx: sqlx::Transaction<'static, Postgres>,
    seq: u64,
    source_id: i32,
    buf: String,
}

impl CopySink {
    async fn begin(db: &DatabaseConnection) -> Result<Self> {
        let mut tx = db.get_postgres_connection_pool().begin().await.map_err(db_err)?;
        // The final statement sorts the staged rows by key (to keep the last row of each key);
        // give it the memory to do so without spilling to disk. Local to this transaction.
        sqlx::raw_sql(
            "SET LOCAL work_mem = '256MB';
             DROP TABLE IF EXISTS pg_temp.tg_comtrade_import;
             CREATE TEMPORARY TABLE tg_comtrade_import (
                 seq bigint NOT NULL, reporter_id integer NOT NULL, partner_id integer NOT NULL,
                 year integer NOT NULL, commodity_id integer NOT NULL, flow text NOT NULL,
                 value_usd double precision NOT NULL, quantity double precision, quantity_unit text,
                 qualifier text NOT NULL
             ) ON COMMIT DROP",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        Ok(Self {
            tx,
            seq: 0,
            source_id: 0,
            buf: String::new(),
        })
    }

    async fn upsert_source(&mut self, key: String, title: String) -> Result<i32> {
        let (id,): (i32,) = sqlx::query_as(
            "INSERT INTO source (key, publisher, title, note) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET publisher = EXCLUDED.publisher, title = EXCLUDED.title
             RETURNING id",
        )
        .bind(key)
        .bind(PUBLISHER)
        .bind(title)
        .bind("written by `tradegraph import comtrade`")
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        self.source_id = id;
        Ok(id)
    }

    async fn load_refs(&mut self) -> Result<(Vec<(i32, String, String)>, Vec<(i32, String)>)> {
        let countries = sqlx::query_as("SELECT id, iso3, iso2 FROM country")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        let commodities = sqlx::query_as("SELECT id, code FROM commodity")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok((countries, commodities))
    }

    async fn add_commodity(&mut self, c: &NewCommodity, parent_id: i32, source_id: i32) -> Result<i32> {
        let (id,): (i32,) = sqlx::query_as(
            "INSERT INTO commodity (code, kind, parent_id, name, source_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&c.code)
        .bind(kind_str(c.kind))
        .bind(parent_id)
        .bind(&c.name)
        .bind(source_id)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(id)
    }

    async fn write(&mut self, rows: &[Row]) -> Result<()> {
        self.buf.clear();
        for r in rows {
            self.seq += 1;
            let b = &mut self.buf;
            let _ = write!(
                b,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t",
                self.seq,
                r.reporter,
                r.partner,
                r.year,
                r.commodity,
                r.flow.code(),
                r.value
            );
            match r.quantity {
                Some(q) => {
                    let _ = write!(b, "{q}\t");
                }
                None => b.push_str("\\N\t"),
            }
            match &r.unit {
                Some(u) => copy_text(b, u),
                None => b.push_str("\\N"),
            }
            b.push('\t');
            b.push_str(match r.qualifier {
                Qualifier::Estimate => "ESTIMATE",
                _ => "EXACT",
            });
            b.push('\n');
        }
        let mut copy = self
            .tx
            .copy_in_raw(
                "COPY tg_comtrade_import (seq, reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity, \
                 quantity_unit, qualifier) FROM STDIN",
            )
            .await
            .map_err(db_err)?;
        copy.send(self.buf.as_bytes()).await.map_err(db_err)?;
        copy.finish().await.map_err(db_err)?;
        Ok(())
    }

    /// Moves the staged rows into `trade_flow`: an `UPDATE` of the flows that exist, then a plain
    /// `INSERT` of the others. (`INSERT … ON CONFLICT DO UPDATE` does the same in one statement
    /// but its INSERT costs about a third more: it probes the key before each row and inserts
    /// speculatively.) Other writers are not locked out: one that adds a flow of this file
    /// between the two statements makes the import fail (nothing is written) rather than wait.
    /// Returns the number of flows inserted.
    async fn finish(mut self) -> Result<u64> {
        const SAME_KEY: &str = "t.reporter_id = s.reporter_id AND t.year = s.year AND t.commodity_id = s.commodity_id \
                                AND t.flow = s.flow AND t.partner_id = s.partner_id";
        let tx = &mut *self.tx;
        // Statistics for the joins below (temporary tables are never analysed automatically).
        sqlx::raw_sql("ANALYZE tg_comtrade_import")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // The same key twice in the file: its last row wins.
        let (duplicates,): (bool,) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM tg_comtrade_import
                            GROUP BY reporter_id, year, commodity_id, flow, partner_id HAVING count(*) > 1)",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        if duplicates {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DELETE FROM tg_comtrade_import t USING tg_comtrade_import s WHERE {SAME_KEY} AND s.seq > t.seq"
            )))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE trade_flow t SET value_usd = s.value_usd, quantity = s.quantity, quantity_unit = s.quantity_unit,
                    qualifier = s.qualifier, source_id = $1, note = NULL
             FROM tg_comtrade_import s WHERE {SAME_KEY}"
        )))
        .bind(self.source_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO trade_flow (reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity,
                                     quantity_unit, qualifier, source_id)
             SELECT reporter_id, partner_id, year, commodity_id, flow, value_usd, quantity, quantity_unit,
                    qualifier, $1
             FROM tg_comtrade_import s
             WHERE NOT EXISTS (SELECT 1 FROM trade_flow t WHERE {SAME_KEY})
             ORDER BY seq"
        )))
        .bind(self.source_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.code()) {
            Some(code) if code == "23505" => Error::internal(
                "another writer stored some of this file's flows while it was being imported; \
                 nothing was written, run the import again",
            ),
            _ => db_err(e),
        })?
        .rows_affected();
        self.tx.commit().await.map_err(db_err)?;
        Ok(inserted)
    }
}

/// Appends `s` escaped for `COPY`'s text format.
fn copy_text(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn kind_str(kind: CommodityKind) -> &'static str {
    match kind {
        CommodityKind::Total => "total",
        CommodityKind::Section => "section",
        CommodityKind::Chapter => "chapter",
        CommodityKind::Heading => "heading",
        CommodityKind::Subheading => "subheading",
    }
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

    #[test]
    fn copy_text_escapes() {
        let mut s = String::new();
        copy_text(&mut s, "a\tb\\c\nd");
        assert_eq!(s, "a\\tb\\\\c\\nd");
    }
}
