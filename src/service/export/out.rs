//! The two file formats of the bulk export behind one interface: a table declares its
//! columns once ([`Column`]), each row writes its fields in that order, and the format turns
//! them into CSV text or Parquet row groups, handing bytes on every [`CHUNK_BYTES`].

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};

/// Bytes handed on at a time.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Rows per Parquet row group. A row group is encoded in memory before it is written out, so
/// this bounds the memory of a Parquet export (64 Ki rows of trade flows: about 2 MB encoded).
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// Rows converted to Arrow arrays at a time, then encoded into the current row group.
const BATCH_ROWS: usize = 8 * 1024;

/// The type of a column; [`DataType`] in Parquet, text in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    I32,
    I64,
    F64,
    Text,
    Bool,
    Date,
}

/// One column of an export: name, type, whether it may be empty.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

/// A column that always has a value.
pub const fn req(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: false,
    }
}

/// A column that may be empty.
pub const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: true,
    }
}

/// A file format being written: the header, then the fields of each row in column order.
pub trait Out: Send {
    fn begin(&mut self, columns: &[Column]) -> Result<()>;
    /// An `I32` or `I64` field.
    fn int(&mut self, v: Option<i64>) -> Result<()>;
    fn float(&mut self, v: Option<f64>) -> Result<()>;
    fn text(&mut self, v: Option<&str>) -> Result<()>;
    fn boolean(&mut self, v: bool) -> Result<()>;
    fn date(&mut self, v: Option<NaiveDate>) -> Result<()>;
    fn end_row(&mut self) -> Result<()>;
    /// At least [`CHUNK_BYTES`] of the file, when that much is ready.
    fn ready(&mut self) -> Result<Option<Vec<u8>>>;
    /// The rest of the file.
    fn finish(self) -> Result<Vec<u8>>;
}

/// CSV with a header row; empty fields are missing values.
pub struct Csv(csv::Writer<Vec<u8>>, String);

impl Csv {
    pub fn new() -> Self {
        Self(Self::writer(), String::new())
    }
    fn writer() -> csv::Writer<Vec<u8>> {
        csv::Writer::from_writer(Vec::with_capacity(CHUNK_BYTES * 2))
    }
    fn field(&mut self, v: impl AsRef<[u8]>) -> Result<()> {
        self.0.write_field(v).map_err(Error::internal)
    }
    /// A number or date, formatted in a reused buffer (no allocation per field).
    fn shown(&mut self, v: Option<impl std::fmt::Display>) -> Result<()> {
        use std::fmt::Write;
        self.1.clear();
        if let Some(v) = v {
            write!(self.1, "{v}").map_err(Error::internal)?;
        }
        self.0.write_field(self.1.as_bytes()).map_err(Error::internal)
    }
}

impl Out for Csv {
    fn begin(&mut self, columns: &[Column]) -> Result<()> {
        self.0
            .write_record(columns.iter().map(|c| c.name))
            .map_err(Error::internal)
    }
    fn int(&mut self, v: Option<i64>) -> Result<()> {
        self.shown(v)
    }
    fn float(&mut self, v: Option<f64>) -> Result<()> {
        self.shown(v)
    }
    fn text(&mut self, v: Option<&str>) -> Result<()> {
        self.field(v.unwrap_or(""))
    }
    fn boolean(&mut self, v: bool) -> Result<()> {
        self.field(if v { "true" } else { "false" })
    }
    fn date(&mut self, v: Option<NaiveDate>) -> Result<()> {
        self.shown(v)
    }
    fn end_row(&mut self) -> Result<()> {
        self.0.write_record(None::<&[u8]>).map_err(Error::internal)
    }
    fn ready(&mut self) -> Result<Option<Vec<u8>>> {
        if self.0.get_ref().len() < CHUNK_BYTES {
            return Ok(None);
        }
        let full = std::mem::replace(&mut self.0, Self::writer());
        full.into_inner().map(Some).map_err(Error::internal)
    }
    fn finish(self) -> Result<Vec<u8>> {
        self.0.into_inner().map_err(Error::internal)
    }
}

/// The Arrow array being filled for one column.
enum Builder {
    I32(Int32Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    Text(StringBuilder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
}

impl Builder {
    fn new(kind: Kind) -> Self {
        match kind {
            Kind::I32 => Self::I32(Int32Builder::with_capacity(BATCH_ROWS)),
            Kind::I64 => Self::I64(Int64Builder::with_capacity(BATCH_ROWS)),
            Kind::F64 => Self::F64(Float64Builder::with_capacity(BATCH_ROWS)),
            Kind::Text => Self::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 16)),
            Kind::Bool => Self::Bool(BooleanBuilder::with_capacity(BATCH_ROWS)),
            Kind::Date => Self::Date(Date32Builder::with_capacity(BATCH_ROWS)),
        }
    }
    fn finish(&mut self) -> ArrayRef {
        match self {
            Self::I32(b) => Arc::new(b.finish()),
            Self::I64(b) => Arc::new(b.finish()),
            Self::F64(b) => Arc::new(b.finish()),
            Self::Text(b) => Arc::new(b.finish()),
            Self::Bool(b) => Arc::new(b.finish()),
            Self::Date(b) => Arc::new(b.finish()),
        }
    }
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::I32 => DataType::Int32,
        Kind::I64 => DataType::Int64,
        Kind::F64 => DataType::Float64,
        Kind::Text => DataType::Utf8,
        Kind::Bool => DataType::Boolean,
        Kind::Date => DataType::Date32,
    }
}

/// Parquet with typed columns, Snappy-compressed, in row groups of [`ROW_GROUP_ROWS`].
pub struct Parquet {
    writer: Option<ArrowWriter<Vec<u8>>>,
    schema: Option<Arc<Schema>>,
    columns: Vec<Builder>,
    /// The column the next field goes to.
    at: usize,
    /// Rows in the builders.
    rows: usize,
}

impl Parquet {
    pub fn new() -> Self {
        Self {
            writer: None,
            schema: None,
            columns: Vec::new(),
            at: 0,
            rows: 0,
        }
    }
    fn next(&mut self) -> Result<&mut Builder> {
        let at = self.at;
        self.at += 1;
        self.columns
            .get_mut(at)
            .ok_or_else(|| Error::internal(format!("export row has more than {at} fields")))
    }
    fn writer(&mut self) -> Result<&mut ArrowWriter<Vec<u8>>> {
        self.writer
            .as_mut()
            .ok_or_else(|| Error::internal("Parquet export written before its columns"))
    }
    /// Encodes the rows in the builders into the current row group.
    fn write_batch(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays = self.columns.iter_mut().map(Builder::finish).collect();
        let schema = self.schema.clone().ok_or_else(|| Error::internal("no schema"))?;
        let batch = RecordBatch::try_new(schema, arrays).map_err(Error::internal)?;
        self.rows = 0;
        self.writer()?.write(&batch).map_err(Error::internal)
    }
}

fn mismatch(what: &str) -> Error {
    Error::internal(format!("export field of the wrong type ({what})"))
}

impl Out for Parquet {
    fn begin(&mut self, columns: &[Column]) -> Result<()> {
        let schema = Arc::new(Schema::new(
            columns
                .iter()
                .map(|c| Field::new(c.name, data_type(c.kind), c.nullable))
                .collect::<Vec<_>>(),
        ));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let writer = ArrowWriter::try_new(Vec::with_capacity(CHUNK_BYTES * 2), schema.clone(), Some(props))
            .map_err(Error::internal)?;
        self.columns = columns.iter().map(|c| Builder::new(c.kind)).collect();
        self.schema = Some(schema);
        self.writer = Some(writer);
        Ok(())
    }
    fn int(&mut self, v: Option<i64>) -> Result<()> {
        match self.next()? {
            Builder::I64(b) => b.append_option(v),
            Builder::I32(b) => b.append_option(v.map(i32::try_from).transpose().map_err(Error::internal)?),
            _ => return Err(mismatch("integer")),
        }
        Ok(())
    }
    fn float(&mut self, v: Option<f64>) -> Result<()> {
        match self.next()? {
            Builder::F64(b) => b.append_option(v),
            _ => return Err(mismatch("number")),
        }
        Ok(())
    }
    fn text(&mut self, v: Option<&str>) -> Result<()> {
        match self.next()? {
            Builder::Text(b) => b.append_option(v),
            _ => return Err(mismatch("text")),
        }
        Ok(())
    }
    fn boolean(&mut self, v: bool) -> Result<()> {
        match self.next()? {
            Builder::Bool(b) => b.append_value(v),
            _ => return Err(mismatch("boolean")),
        }
        Ok(())
    }
    fn date(&mut self, v: Option<NaiveDate>) -> Result<()> {
        // Date32 counts days since 1970-01-01.
        let days = v.map(|d| (d - NaiveDate::default()).num_days() as i32);
        match self.next()? {
            Builder::Date(b) => b.append_option(days),
            _ => return Err(mismatch("date")),
        }
        Ok(())
    }
    fn end_row(&mut self) -> Result<()> {
        if self.at != self.columns.len() {
            return Err(Error::internal(format!(
                "export row of {} fields for {} columns",
                self.at,
                self.columns.len()
            )));
        }
        self.at = 0;
        self.rows += 1;
        if self.rows == BATCH_ROWS {
            self.write_batch()?;
        }
        Ok(())
    }
    fn ready(&mut self) -> Result<Option<Vec<u8>>> {
        // The writer appends to its Vec as row groups complete; what is there is the file so
        // far, in order, and taking it does not disturb the writer's own byte count.
        let buffer = self.writer()?.inner_mut();
        if buffer.len() < CHUNK_BYTES {
            return Ok(None);
        }
        Ok(Some(std::mem::replace(buffer, Vec::with_capacity(CHUNK_BYTES * 2))))
    }
    fn finish(mut self) -> Result<Vec<u8>> {
        self.write_batch()?;
        let writer = self
            .writer
            .take()
            .ok_or_else(|| Error::internal("Parquet export finished before its columns"))?;
        writer.into_inner().map_err(Error::internal)
    }
}
