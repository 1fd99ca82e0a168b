//! The Comtrade parser: header detection alone, and whole files — real files of
//! `tests/fixtures/comtrade/` cut down and mutated (bytes flipped, inserted, deleted; fields
//! replaced by hostile values; lines repeated), plain or gzip, read whole or in random chunks.

use std::io::{Cursor, Read, Write};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::TestCaseResult;
use tokio::sync::mpsc;

use super::fuzz;
use crate::service::comtrade::format::Columns;
use crate::service::comtrade::parse::{Parsed, Parser, Row};
use crate::service::comtrade::resolve::{NewCommodity, Refs};

/// The seed corpus: real Comtrade files in the three formats.
const FIXTURES: [&str; 5] = [
    include_str!("../../tests/fixtures/comtrade/legacy_long_bicycles_2017.csv"),
    include_str!("../../tests/fixtures/comtrade/legacy_long_plus_cement_armenia_2016_2017.csv"),
    include_str!("../../tests/fixtures/comtrade/legacy_short_usa_china_2017.csv"),
    include_str!("../../tests/fixtures/comtrade/today_api_imports_from_china_2014.csv"),
    include_str!("../../tests/fixtures/comtrade_real_format.csv"),
];

/// Every column name of the three formats, and near misses.
const NAMES: &[&str] = &[
    "typeCode",
    "freqCode",
    "refYear",
    "period",
    "classificationCode",
    "reporterCode",
    "reporterISO",
    "partnerCode",
    "partnerISO",
    "partner2Code",
    "partner2ISO",
    "flowCode",
    "cmdCode",
    "cmdDesc",
    "customsCode",
    "motCode",
    "mosCode",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "isReported",
    "primaryValue",
    "Classification",
    "Year",
    "Period",
    "Trade Flow Code",
    "Trade Flow",
    "Reporter Code",
    "Reporter",
    "Reporter ISO",
    "Partner Code",
    "Partner",
    "Partner ISO",
    "2nd Partner Code",
    "2nd Partner ISO",
    "Commodity Code",
    "Commodity",
    "Customs Proc. Code",
    "Mode of Transport Code",
    "Qty Unit Code",
    "Qty Unit",
    "Qty",
    "Flag",
    "Trade Value (US$)",
    "",
    " refYear ",
    "REFYEAR",
    "\u{feff}refYear",
    "primaryValue\0",
];

/// Values that have broken parsers before, in some parser.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1",
    "4",
    "5",
    "NaN",
    "inf",
    "1e400",
    "1e-400",
    ".5",
    "1.",
    "1e",
    "+5",
    "0x10",
    "99999999999999999999",
    "2147483648",
    "-2147483649",
    "1899",
    "2100",
    "2101",
    "TOTAL",
    "all",
    "98",
    "99",
    "8471",
    "847130",
    "12345",
    "1234567",
    "W00",
    "WLD",
    "S19",
    "490",
    "899",
    "usa",
    "XXX",
    "X",
    "M",
    "RX",
    "DX",
    "FM",
    "Import",
    "re-export",
    "true",
    "False",
    "maybe",
    "N/A",
    "No Quantity",
    "C",
    "S",
    "A",
    "M",
    "H6",
    "HS",
    "S4",
    "C00",
    "C01",
    "\"",
    "\"\"",
    "a\"b",
    "\u{feff}",
    "\u{202e}",
    "ÿ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\0",
    "\u{7f}",
    "é",
    "𝔘",
];

/// Bytes worth inserting: delimiters, quotes, line ends, a BOM's first byte, invalid UTF-8.
const BYTES: &[u8] = b",\t\"\r\n \0\x7f\xef\xbb\xbf\xff\xc3";

/// Countries and areas as a loaded database has them (the bundled ISO list and aggregates),
/// and commodities TOTAL and the 97 chapters, as `Refs::new` takes them.
/// `(id, iso3, iso2)` countries and `(id, code)` commodities.
type Reference = (Vec<(i32, String, String)>, Vec<(i32, String)>);

static REFERENCE: LazyLock<Reference> = LazyLock::new(|| {
    let mut countries = Vec::new();
    for csv in [
        include_str!("../../data/countries.csv"),
        include_str!("../../data/country_aggregates.csv"),
    ] {
        for line in csv.lines().skip(1) {
            let mut f = line.split(',');
            if let (Some(iso3), Some(iso2)) = (f.next(), f.next()) {
                let id = i32::try_from(countries.len() + 1).unwrap_or(i32::MAX);
                countries.push((id, iso3.to_owned(), iso2.to_owned()));
            }
        }
    }
    let mut commodities = vec![(1, "TOTAL".to_owned())];
    commodities.extend((1..=97).map(|c| (100 + c, format!("{c:02}"))));
    (countries, commodities)
});

fn refs() -> Refs {
    let (countries, commodities) = &*REFERENCE;
    Refs::new(countries.clone(), commodities.clone())
}

/// A reader that hands out the bytes in chunks of the given sizes (cycling), as a socket or
/// a pipe does.
struct Chunked {
    data: Cursor<Vec<u8>>,
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()].max(1);
        self.next += 1;
        let n = size.min(buf.len());
        self.data.read(&mut buf[..n])
    }
}

/// What a parse gave: every row and new commodity, and the summary; or the refusal.
#[derive(Debug, PartialEq)]
enum Outcome {
    Parsed {
        rows: Vec<Row>,
        commodities: Vec<NewCommodity>,
        read: u64,
        summary: (u64, Vec<(i32, i32)>, u64, u64),
    },
    Refused(String),
}

fn parse(reader: impl Read + Send + 'static, inflated_limit: u64) -> Outcome {
    // Batches of 3 rows: many batches from a small file; the channel holds them all.
    let (tx, mut rx) = mpsc::channel(100_000);
    let result = Parser::new(refs(), "f.csv".into(), 3, inflated_limit).run(reader, &tx);
    drop(tx);
    let (mut rows, mut commodities, mut read) = (Vec::new(), Vec::new(), 0);
    while let Ok(b) = rx.try_recv() {
        rows.extend(b.rows);
        commodities.extend(b.commodities);
        read += b.read;
    }
    match result {
        Ok(Parsed {
            rows: n,
            reparent,
            breakdown_skipped,
            repeats_skipped,
        }) => Outcome::Parsed {
            rows,
            commodities,
            read,
            summary: (n, reparent, breakdown_skipped, repeats_skipped),
        },
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// One edit of a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace a byte.
    Set(Index, u8),
    /// Insert one of [`BYTES`].
    Insert(Index, Index),
    /// Delete up to 8 bytes.
    Delete(Index, u8),
    /// Replace a field of a data line by a [`HOSTILE`] value (quoted or not).
    Field(Index, Index, Index, bool),
    /// Repeat a line.
    Repeat(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (any::<Index>(), 1u8..8).prop_map(|(i, n)| Mutation::Delete(i, n)),
        4 => (any::<Index>(), any::<Index>(), any::<Index>(), any::<bool>())
            .prop_map(|(l, f, v, q)| Mutation::Field(l, f, v, q)),
        1 => any::<Index>().prop_map(Mutation::Repeat),
    ]
}

/// How the file reaches the parser.
#[derive(Debug, Clone)]
enum Wrapping {
    Plain,
    Gzip,
    /// Gzip with one byte of the compressed stream replaced.
    CorruptGzip(Index, u8),
    /// Gzip that may inflate to at most this many bytes.
    GzipLimited(u16),
}

/// A file: which fixture, which of its data lines, the edits, the wrapping and the read sizes.
#[derive(Debug, Clone)]
struct FileCase {
    fixture: usize,
    lines: Vec<Index>,
    mutations: Vec<Mutation>,
    crlf: bool,
    wrapping: Wrapping,
    chunks: Vec<usize>,
}

fn file_case() -> impl Strategy<Value = FileCase> {
    let wrapping = prop_oneof![
        6 => Just(Wrapping::Plain),
        1 => Just(Wrapping::Gzip),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Wrapping::CorruptGzip(i, b)),
        1 => any::<u16>().prop_map(Wrapping::GzipLimited),
    ];
    (
        0..FIXTURES.len(),
        prop::collection::vec(any::<Index>(), 0..12),
        prop::collection::vec(mutation(), 0..6),
        any::<bool>(),
        wrapping,
        prop::collection::vec(1usize..300, 1..8),
    )
        .prop_map(|(fixture, lines, mutations, crlf, wrapping, chunks)| FileCase {
            fixture,
            lines,
            mutations,
            crlf,
            wrapping,
            chunks,
        })
}

/// The text of a case before wrapping.
fn text_of(case: &FileCase) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = FIXTURES[case.fixture].lines().map(|l| l.as_bytes().to_vec()).collect();
    let header = lines.remove(0);
    let mut picked: Vec<Vec<u8>> = vec![header];
    picked.extend(case.lines.iter().map(|i| lines[i.index(lines.len())].clone()));
    for m in &case.mutations {
        match m {
            Mutation::Field(l, f, v, quoted) => {
                let n = picked.len();
                let line = &mut picked[l.index(n)];
                let mut fields: Vec<Vec<u8>> = line.split(|&b| b == b',').map(<[u8]>::to_vec).collect();
                let value = HOSTILE[v.index(HOSTILE.len())];
                let i = f.index(fields.len());
                fields[i] = if *quoted {
                    format!("\"{}\"", value.replace('"', "\"\"")).into_bytes()
                } else {
                    value.as_bytes().to_vec()
                };
                *line = fields.join(&b","[..]);
            }
            Mutation::Repeat(l) => {
                let i = l.index(picked.len());
                let line = picked[i].clone();
                picked.insert(i, line);
            }
            _ => {}
        }
    }
    let end: &[u8] = if case.crlf { b"\r\n" } else { b"\n" };
    let mut text = picked.join(end);
    text.extend_from_slice(end);
    for m in &case.mutations {
        match *m {
            Mutation::Set(i, b) if !text.is_empty() => {
                let i = i.index(text.len());
                text[i] = b;
            }
            Mutation::Insert(i, b) => {
                let at = i.index(text.len() + 1);
                text.insert(at, BYTES[b.index(BYTES.len())]);
            }
            Mutation::Delete(i, n) if !text.is_empty() => {
                let at = i.index(text.len());
                let to = (at + usize::from(n)).min(text.len());
                text.drain(at..to);
            }
            _ => {}
        }
    }
    text
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("writing to a Vec");
    gz.finish().expect("writing to a Vec")
}

/// Rows the parser stores are valid whatever the file: a year of the range, ids of known
/// countries and commodities, finite non-negative figures, and counts that add up.
fn check_parsed(outcome: &Outcome, countries: usize) -> TestCaseResult {
    let Outcome::Parsed {
        rows,
        commodities,
        read,
        summary: (n, _, breakdowns, repeats),
    } = outcome
    else {
        return Ok(());
    };
    prop_assert_eq!(*read, *n, "records read in batches and in the summary");
    prop_assert_eq!(
        rows.len() as u64,
        n - breakdowns - repeats,
        "rows + breakdowns + repeats = records"
    );
    let known = 1..=i32::try_from(countries).unwrap_or(i32::MAX);
    for r in rows {
        prop_assert!((1900..=2100).contains(&r.year), "year {}", r.year);
        prop_assert!(known.contains(&r.reporter) && known.contains(&r.partner), "{:?}", r);
        prop_assert!(
            r.commodity != 0 && r.commodity >= -(commodities.len() as i32),
            "{:?}",
            r
        );
        prop_assert!(
            r.value.is_finite() && r.value >= 0.0 && r.value.is_sign_positive(),
            "{:?}",
            r
        );
        prop_assert!(r.quantity.is_none_or(|q| q.is_finite() && q >= 0.0), "{:?}", r);
        prop_assert!(
            r.unit.as_deref().is_none_or(|u| !u.chars().any(char::is_control)),
            "{:?}",
            r
        );
    }
    for c in commodities {
        prop_assert!(!c.name.chars().any(char::is_control), "{:?}", c);
    }
    Ok(())
}

/// A refusal names the file and a line of the file.
fn check_refused(outcome: &Outcome, text: &[u8]) -> TestCaseResult {
    let Outcome::Refused(message) = outcome else {
        return Ok(());
    };
    prop_assert!(message.starts_with("f.csv"), "{}", message);
    if let Some(rest) = message.strip_prefix("f.csv line ") {
        let line: u64 = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let lines = text.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        prop_assert!((1..=lines).contains(&line), "line {} of {}: {}", line, lines, message);
    }
    Ok(())
}

#[test]
fn comtrade_header() {
    let header = prop::collection::vec(
        prop_oneof![3 => select(NAMES).prop_map(str::to_owned), 1 => ".{0,12}"],
        0..50,
    );
    fuzz("comtrade_header", file!(), header, |names| {
        let fields: Vec<&str> = names.iter().map(String::as_str).collect();
        if let Ok(cols) = Columns::from_header(&fields) {
            prop_assert_eq!(cols.width, fields.len());
            for col in crate::service::comtrade::format::ALL_COLUMNS {
                prop_assert!(
                    cols.get(col).is_none_or(|i| i < cols.width),
                    "{:?} outside the header",
                    col
                );
                prop_assert!(!cols.name(col).is_empty());
            }
        }
        // The same header as a file (no rows): the parser agrees with the detection, or
        // refuses what the CSV reader cannot take (a quote in a name) naming line 1.
        let text = fields.join(",");
        let outcome = parse(Cursor::new(text.clone().into_bytes()), u64::MAX);
        check_refused(&outcome, text.as_bytes())?;
        if !fields
            .iter()
            .any(|f| f.contains(['"', '\n', '\r', ',']) || f.starts_with('\u{feff}'))
        {
            let detected = Columns::from_header(&fields).map(|c| c.format).ok();
            prop_assert_eq!(
                detected.is_some(),
                matches!(outcome, Outcome::Parsed { .. }),
                "{:?}",
                outcome
            );
        }
        Ok(())
    });
}

#[test]
fn comtrade_file() {
    let countries = REFERENCE.0.len();
    fuzz("comtrade_file", file!(), file_case(), |case| {
        let text = text_of(case);
        let (bytes, limit) = match case.wrapping {
            Wrapping::Plain => (text.clone(), u64::MAX),
            Wrapping::Gzip => (gzip(&text), u64::MAX),
            Wrapping::CorruptGzip(i, b) => {
                let mut gz = gzip(&text);
                let i = i.index(gz.len());
                gz[i] = b;
                (gz, u64::MAX)
            }
            Wrapping::GzipLimited(limit) => (gzip(&text), u64::from(limit)),
        };
        let whole = parse(Cursor::new(bytes.clone()), limit);
        check_parsed(&whole, countries)?;
        if matches!(case.wrapping, Wrapping::Plain) {
            check_refused(&whole, &text)?;
        }
        // How the bytes arrive changes nothing.
        let chunked = parse(
            Chunked {
                data: Cursor::new(bytes),
                sizes: case.chunks.clone(),
                next: 0,
            },
            limit,
        );
        prop_assert_eq!(whole, chunked, "read whole and in chunks of {:?}", case.chunks);
        Ok(())
    });
}
