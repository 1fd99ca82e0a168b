//! The three header layouts of UN Comtrade files and where each column the importer reads is.
//!
//! - today's (API and bulk downloads since 2023): `typeCode,freqCode,…,refYear,…,
//!   reporterCode,reporterISO,…,partner2Code,…,customsCode,…,motCode,…,primaryValue,…`;
//! - legacy long (the old site's CSV export): `Classification,Year,Period,…,Trade Flow Code,
//!   Trade Flow,Reporter Code,Reporter,Reporter ISO,…,Trade Value (US$),Flag`;
//! - legacy short (the same without ISO, period or quantity columns): `Classification,Year,
//!   Trade Flow Code,Trade Flow,Reporter Code,Reporter,Partner Code,Partner,Commodity Code,
//!   Commodity,Trade Value (US$),Flag`.
//!
//! Columns are found by name, in any order; other columns are ignored.

use std::collections::HashMap;

/// A header layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Today,
    LegacyLong,
    LegacyShort,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Today => "today's Comtrade format",
            Self::LegacyLong => "the legacy Comtrade format",
            Self::LegacyShort => "the legacy Comtrade format without ISO columns",
        }
    }
}

/// A column the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    Year,
    Period,
    Frequency,
    TradeType,
    Classification,
    ReporterCode,
    ReporterIso,
    PartnerCode,
    PartnerIso,
    Partner2Code,
    Partner2Iso,
    FlowCode,
    FlowName,
    Commodity,
    CommodityName,
    Customs,
    Transport,
    SupplyMode,
    QtyUnitCode,
    QtyUnit,
    Qty,
    QtyEstimated,
    Reported,
    Flag,
    Value,
}

/// Every column the importer reads.
pub const ALL_COLUMNS: [Col; 25] = [
    Col::Year,
    Col::Period,
    Col::Frequency,
    Col::TradeType,
    Col::Classification,
    Col::ReporterCode,
    Col::ReporterIso,
    Col::PartnerCode,
    Col::PartnerIso,
    Col::Partner2Code,
    Col::Partner2Iso,
    Col::FlowCode,
    Col::FlowName,
    Col::Commodity,
    Col::CommodityName,
    Col::Customs,
    Col::Transport,
    Col::SupplyMode,
    Col::QtyUnitCode,
    Col::QtyUnit,
    Col::Qty,
    Col::QtyEstimated,
    Col::Reported,
    Col::Flag,
    Col::Value,
];

/// Every column, with its name in today's and in the legacy header.
const NAMES: [(Col, Option<&str>, Option<&str>); 25] = [
    (Col::Year, Some("refYear"), Some("Year")),
    (Col::Period, Some("period"), Some("Period")),
    (Col::Frequency, Some("freqCode"), None),
    (Col::TradeType, Some("typeCode"), None),
    (Col::Classification, Some("classificationCode"), Some("Classification")),
    (Col::ReporterCode, Some("reporterCode"), Some("Reporter Code")),
    (Col::ReporterIso, Some("reporterISO"), Some("Reporter ISO")),
    (Col::PartnerCode, Some("partnerCode"), Some("Partner Code")),
    (Col::PartnerIso, Some("partnerISO"), Some("Partner ISO")),
    (Col::Partner2Code, Some("partner2Code"), Some("2nd Partner Code")),
    (Col::Partner2Iso, Some("partner2ISO"), Some("2nd Partner ISO")),
    (Col::FlowCode, Some("flowCode"), Some("Trade Flow Code")),
    (Col::FlowName, None, Some("Trade Flow")),
    (Col::Commodity, Some("cmdCode"), Some("Commodity Code")),
    (Col::CommodityName, Some("cmdDesc"), Some("Commodity")),
    (Col::Customs, Some("customsCode"), Some("Customs Proc. Code")),
    (Col::Transport, Some("motCode"), Some("Mode of Transport Code")),
    (Col::SupplyMode, Some("mosCode"), None),
    (Col::QtyUnitCode, Some("qtyUnitCode"), Some("Qty Unit Code")),
    (Col::QtyUnit, Some("qtyUnitAbbr"), Some("Qty Unit")),
    (Col::Qty, Some("qty"), Some("Qty")),
    (Col::QtyEstimated, Some("isQtyEstimated"), None),
    (Col::Reported, Some("isReported"), None),
    (Col::Flag, None, Some("Flag")),
    (Col::Value, Some("primaryValue"), Some("Trade Value (US$)")),
];

/// Where the columns are in one file.
#[derive(Debug, Clone)]
pub struct Columns {
    pub format: Format,
    /// Fields per record (the header's).
    pub width: usize,
    index: HashMap<Col, usize>,
}

/// Why a header is refused; the caller adds the file name and "line 1".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    pub column: Option<String>,
    pub message: String,
}

impl Columns {
    /// Reads a header row (fields without the byte-order mark).
    pub fn from_header(header: &[&str]) -> Result<Self, HeaderError> {
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(HeaderError {
                column: None,
                message: "a header row naming the columns is required".to_owned(),
            });
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if h.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(h, i) {
                return Err(HeaderError {
                    column: Some(h.to_owned()),
                    message: format!("named twice in the header row (columns {} and {})", first + 1, i + 1),
                });
            }
        }
        let has = |name: &str| seen.contains_key(name);
        let format = if has("Trade Value (US$)") || has("Trade Flow Code") || has("Commodity Code") {
            if has("Reporter ISO") || has("Partner ISO") {
                Format::LegacyLong
            } else {
                Format::LegacyShort
            }
        } else {
            Format::Today
        };
        let mut index = HashMap::new();
        for (col, today, legacy) in NAMES {
            let name = match format {
                Format::Today => today,
                _ => legacy,
            };
            if let Some(i) = name.and_then(|n| seen.get(n)) {
                index.insert(col, *i);
            }
        }
        let columns = Self {
            format,
            width: header.len(),
            index,
        };
        columns.check_required()?;
        Ok(columns)
    }

    /// The columns every file needs: year, reporter, partner, flow, commodity, value.
    fn check_required(&self) -> Result<(), HeaderError> {
        let required: &[&[Col]] = &[
            &[Col::Year],
            &[Col::ReporterIso, Col::ReporterCode],
            &[Col::PartnerIso, Col::PartnerCode],
            &[Col::FlowCode, Col::FlowName],
            &[Col::Commodity],
            &[Col::Value],
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|any| any.iter().all(|c| !self.index.contains_key(c)))
            .map(|any| any.iter().map(|c| self.name(*c)).collect::<Vec<_>>().join(" or "))
            .collect();
        match missing.first() {
            None => Ok(()),
            Some(first) => Err(HeaderError {
                column: Some(first.clone()),
                message: format!(
                    "missing from the header row of a file in {} (missing: {})",
                    self.format.describe(),
                    missing.join(", ")
                ),
            }),
        }
    }

    /// The position of a column, when the file has it.
    #[inline]
    pub fn get(&self, col: Col) -> Option<usize> {
        self.index.get(&col).copied()
    }

    /// The column's name in this file's format (for messages).
    pub fn name(&self, col: Col) -> &'static str {
        NAMES
            .iter()
            .find(|(c, ..)| *c == col)
            .and_then(|(_, today, legacy)| match self.format {
                Format::Today => today.or(*legacy),
                _ => legacy.or(*today),
            })
            .unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(header: &str) -> Result<Columns, HeaderError> {
        Columns::from_header(&header.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn the_three_formats_are_told_apart() {
        let today = cols(crate::generate::COMTRADE_HEADER).unwrap();
        assert_eq!(today.format, Format::Today);
        assert_eq!(today.width, 47);
        assert_eq!(today.get(Col::Value), Some(43));
        assert_eq!(today.get(Col::Flag), None);
        let long = cols("Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Netweight (kg),Trade Value (US$),Flag").unwrap();
        assert_eq!(long.format, Format::LegacyLong);
        assert_eq!(long.get(Col::ReporterIso), Some(10));
        assert_eq!(long.get(Col::Value), Some(20));
        assert_eq!(long.name(Col::Value), "Trade Value (US$)");
        let short = cols("Classification,Year,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Partner Code,Partner,Commodity Code,Commodity,Trade Value (US$),Flag").unwrap();
        assert_eq!(short.format, Format::LegacyShort);
        assert_eq!(short.get(Col::ReporterIso), None);
        assert_eq!(short.get(Col::ReporterCode), Some(4));
        assert_eq!(short.get(Col::Flag), Some(11));
    }

    #[test]
    fn headers_refused() {
        let e = cols("refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,primaryValue").unwrap_err();
        assert_eq!(e.column.as_deref(), Some("primaryValue"));
        assert!(e.message.contains("named twice"), "{e:?}");
        let e = cols("refYear,reporterISO,partnerISO,flowCode,cmdCode,qty").unwrap_err();
        assert_eq!(e.column.as_deref(), Some("primaryValue"));
        let e = cols("Year,Trade Flow Code,Reporter Code,Commodity Code,Trade Value (US$)").unwrap_err();
        assert_eq!(e.column.as_deref(), Some("Partner ISO or Partner Code"));
        let e = cols(",,").unwrap_err();
        assert!(e.message.contains("header row naming the columns"), "{e:?}");
        // pandas' unnamed index column is no name at all, not a duplicate.
        assert!(cols(",refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue").is_ok());
    }
}
