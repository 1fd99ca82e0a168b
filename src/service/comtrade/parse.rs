//! One record of a Comtrade file to one validated row, on a blocking thread.
//!
//! Every refusal names the file, the physical line (LF and CRLF alike) and the column. The
//! checks: as many fields as the header (a truncated last line included), no control
//! characters, HS classifications of annual goods trade only, numbers that are numbers
//! (`1.2.3`, `NaN`, `inf` are not), known areas, flows and HS codes, and one set of figures
//! per stored key in a file.

use std::collections::HashMap;
use std::io::Read;

use entity::enums::{FlowKind, Qualifier};

use super::format::Col;
use super::values::{amount, hs_code};
use tokio::sync::mpsc;

use super::fields::{At, Fields};
use super::format::Columns;
use super::input;
use super::lines;
use super::resolve::{NewCommodity, Refs};
use crate::error::{Error, Result};

/// One validated row. `commodity` is a database id, or `-n` for the n-th commodity this
/// import adds (resolved before the row is written).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub reporter: i32,
    pub partner: i32,
    pub year: i32,
    pub commodity: i32,
    pub flow: FlowKind,
    pub value: f64,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Qualifier,
}

/// The natural key of a flow: (reporter, partner, year, commodity, flow).
type Key = (i32, i32, i32, i32, FlowKind);

/// Rows, the commodities they need that are to be added first, and the records read.
pub struct Batch {
    pub commodities: Vec<NewCommodity>,
    pub rows: Vec<Row>,
    /// Records read for this batch (breakdowns and repeats included).
    pub read: u64,
}

/// What the parser hands back at the end.
pub struct Parsed {
    pub rows: u64,
    /// (subheading, heading): subheadings added under their chapter because their heading
    /// came later in the file.
    pub reparent: Vec<(i32, i32)>,
    pub breakdown_skipped: u64,
    pub repeats_skipped: u64,
}

/// The figures of a key, and the line that gave them.
struct Seen {
    line: u64,
    value: f64,
    quantity: Option<f64>,
}

pub struct Parser {
    refs: Refs,
    name: String,
    batch_rows: usize,
    inflated_limit: u64,
    seen: HashMap<Key, Seen>,
    reparent: Vec<(i32, i32)>,
    breakdown_skipped: u64,
    repeats_skipped: u64,
}

pub(super) use super::fields::FieldError;

impl Parser {
    pub fn new(refs: Refs, name: String, batch_rows: usize, inflated_limit: u64) -> Self {
        Self {
            refs,
            name,
            batch_rows,
            inflated_limit,
            seen: HashMap::new(),
            reparent: Vec::new(),
            breakdown_skipped: 0,
            repeats_skipped: 0,
        }
    }

    fn error(&self, line: u64, column: Option<&str>, msg: impl std::fmt::Display) -> Error {
        match column {
            Some(c) => Error::bad_input(format!("{} line {line}, column {c}: {msg}", self.name)),
            None => Error::bad_input(format!("{} line {line}: {msg}", self.name)),
        }
    }

    fn read_error(&self, e: &csv::Error, lines: &mut lines::Lines) -> Error {
        let what = match e.kind() {
            csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
            csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8: {err}"),
            _ => e.to_string(),
        };
        match e.position() {
            Some(p) => self.error(lines.line_at(p.byte()), None, what),
            None => Error::bad_input(format!("{}: {what}", self.name)),
        }
    }

    /// Reads the whole file, handing batches to `tx`.
    pub fn run<R: Read + Send + 'static>(mut self, reader: R, tx: &mpsc::Sender<Batch>) -> Result<Parsed> {
        let input = input::open(reader, self.inflated_limit)
            .map_err(|e| Error::bad_input(format!("{}: cannot read: {e}", self.name)))?;
        let (reader, mut lines) = lines::counting(input.reader);
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .delimiter(input.delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(reader);
        let headers = csv.byte_headers().map_err(|e| self.read_error(&e, &mut lines))?.clone();
        let names = headers
            .iter()
            .map(std::str::from_utf8)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| self.error(1, None, "the header row is not valid UTF-8"))?;
        let names: Vec<&str> = names
            .iter()
            .enumerate()
            .map(|(i, n)| if i == 0 { n.trim_start_matches('\u{feff}') } else { n })
            .collect();
        let cols = Columns::from_header(&names).map_err(|e| self.error(1, e.column.as_deref(), e.message))?;
        let at = At::new(&cols);
        let header: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| match n.trim() {
                "" => format!("{}", i + 1),
                n => n.to_owned(),
            })
            .collect();

        let mut record = csv::ByteRecord::new();
        let mut batch = Batch {
            commodities: Vec::new(),
            rows: Vec::with_capacity(self.batch_rows),
            read: 0,
        };
        let mut rows = 0u64;
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.read_error(&e, &mut lines)),
            }
            let line = lines.line_at(record.position().map_or(0, csv::Position::byte));
            // A line of spaces; `csv` skips empty lines itself.
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            rows += 1;
            batch.read += 1;
            if let Some(row) = self.record(&record, line, (&cols, &at, &header), &mut batch.commodities)? {
                batch.rows.push(row);
            }
            if batch.rows.len() >= self.batch_rows || batch.read >= 4 * self.batch_rows as u64 {
                let full = std::mem::replace(
                    &mut batch,
                    Batch {
                        commodities: Vec::new(),
                        rows: Vec::with_capacity(self.batch_rows),
                        read: 0,
                    },
                );
                if tx.blocking_send(full).is_err() {
                    // The writer gave up; its error is the one reported.
                    return Ok(self.finish(rows));
                }
            }
        }
        if batch.read > 0 || !batch.commodities.is_empty() {
            let _ = tx.blocking_send(batch);
        }
        Ok(self.finish(rows))
    }

    fn finish(self, rows: u64) -> Parsed {
        Parsed {
            rows,
            reparent: self.reparent,
            breakdown_skipped: self.breakdown_skipped,
            repeats_skipped: self.repeats_skipped,
        }
    }

    /// A record to a row to store, `None` for a breakdown or a repeat.
    fn record(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        (cols, at, header): (&Columns, &At, &[String]),
        new: &mut Vec<NewCommodity>,
    ) -> Result<Option<Row>> {
        if record.len() != cols.width {
            return Err(self.error(
                line,
                None,
                format!("line {line} has {} fields; the header has {}", record.len(), cols.width),
            ));
        }
        let control = |b: &u8| *b < 0x20 || *b == 0x7f;
        if record.as_slice().iter().any(control)
            && let Some(i) = (0..record.len()).find(|&i| record[i].iter().any(control))
        {
            return Err(self.error(line, Some(&header[i]), "the value contains a control character"));
        }
        let f = Fields { record, at, cols };
        match self.row(&f, new) {
            Ok(Some(row)) => self.check_repeat(row, line),
            Ok(None) => {
                self.breakdown_skipped += 1;
                Ok(None)
            }
            Err((column, msg)) => Err(self.error(line, Some(column), msg)),
        }
    }

    /// The row of a record, `None` for a breakdown row.
    fn row(&mut self, f: &Fields<'_>, new: &mut Vec<NewCommodity>) -> std::result::Result<Option<Row>, FieldError> {
        if f.is_breakdown()? {
            return Ok(None);
        }
        f.check_kind()?;
        let year = f.text(Col::Year)?;
        let year = match year.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => y,
            _ => return Err(f.err(Col::Year, format!("{year:?} is not a year from 1900 to 2100"))),
        };
        f.check_annual(year)?;
        let reporter = f.country(&self.refs, Col::ReporterIso, Col::ReporterCode)?;
        let partner = f.country(&self.refs, Col::PartnerIso, Col::PartnerCode)?;
        let flow = f.flow()?;
        let code = hs_code(f.text(Col::Commodity)?).map_err(|m| f.err(Col::Commodity, m))?;
        let commodity = self
            .refs
            .commodity(&code, f.opt(Col::CommodityName)?, new, &mut self.reparent)
            .map_err(|m| f.err(Col::Commodity, m))?;
        let value = amount(f.text(Col::Value)?)
            .map_err(|m| f.err(Col::Value, m))?
            .ok_or_else(|| f.err(Col::Value, "the value is missing".to_owned()))?;
        let (quantity, unit) = f.quantity()?;
        let qualifier = f.qualifier(quantity.is_some())?;
        Ok(Some(Row {
            reporter,
            partner,
            year,
            commodity,
            flow,
            value,
            quantity,
            unit,
            qualifier,
        }))
    }

    /// `Some(row)` the first time its key is seen; an exact repeat is skipped, a repeat with
    /// other figures refused naming both lines.
    fn check_repeat(&mut self, row: Row, line: u64) -> Result<Option<Row>> {
        let key = (row.reporter, row.partner, row.year, row.commodity, row.flow);
        match self.seen.get(&key) {
            None => {
                self.seen.insert(
                    key,
                    Seen {
                        line,
                        value: row.value,
                        quantity: row.quantity,
                    },
                );
                Ok(Some(row))
            }
            Some(s) if s.value == row.value && s.quantity == row.quantity => {
                self.repeats_skipped += 1;
                Ok(None)
            }
            Some(s) => Err(self.error(
                line,
                None,
                format!(
                    "same reporter, partner, year, commodity and flow as line {} but other figures \
                     (value {} and quantity {} here, {} and {} on line {}); a file holds one row per flow",
                    s.line,
                    row.value,
                    show(row.quantity),
                    s.value,
                    show(s.quantity),
                    s.line
                ),
            )),
        }
    }
}

fn show(q: Option<f64>) -> String {
    q.map_or_else(|| "none".to_owned(), |q| q.to_string())
}

#[cfg(test)]
mod tests;
