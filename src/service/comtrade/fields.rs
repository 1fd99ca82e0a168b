//! The fields of one record: where each column is, and what its text means (breakdown or
//! total, flow, quantity, qualifier), each refusal naming its column.

use entity::enums::{FlowKind, Qualifier};

use super::format::{ALL_COLUMNS, Col, Columns, Format};
use super::resolve::Refs;
use super::values::{amount, flow_kind, yes_no};

/// Comtrade's flow codes for parts of the import and export flows.
const PARTIAL_FLOWS: [&str; 6] = ["DX", "FM", "MIP", "MOP", "XIP", "XOP"];

/// A refusal of one field: the column's name and what is wrong.
pub type FieldError = (&'static str, String);

/// Positions of the columns, looked up once per file.
pub struct At {
    index: [Option<usize>; 25],
}

impl At {
    pub fn new(cols: &Columns) -> Self {
        let mut index = [None; 25];
        for col in ALL_COLUMNS {
            index[col as usize] = cols.get(col);
        }
        Self { index }
    }

    #[inline]
    fn get(&self, col: Col) -> Option<usize> {
        self.index[col as usize]
    }
}

/// One record with its column positions.
pub struct Fields<'a> {
    pub record: &'a csv::ByteRecord,
    pub at: &'a At,
    pub cols: &'a Columns,
}

impl<'a> Fields<'a> {
    pub fn err(&self, col: Col, msg: String) -> FieldError {
        (self.cols.name(col), msg)
    }

    /// The trimmed text of a column ("" when the file has no such column).
    pub fn text(&self, col: Col) -> Result<&'a str, FieldError> {
        let Some(i) = self.at.get(col) else { return Ok("") };
        std::str::from_utf8(&self.record[i])
            .map(str::trim)
            .map_err(|_| self.err(col, "the value is not valid UTF-8".to_owned()))
    }

    pub fn opt(&self, col: Col) -> Result<Option<&'a str>, FieldError> {
        Ok(Some(self.text(col)?).filter(|t| !t.is_empty()))
    }

    /// A row that breaks a total down: by second partner, mode of transport, mode of supply
    /// or customs procedure. Empty means "total" (older files leave these columns empty).
    pub fn is_breakdown(&self) -> Result<bool, FieldError> {
        let partner2 = match self.at.get(Col::Partner2Code) {
            Some(_) => !matches!(self.text(Col::Partner2Code)?, "" | "0"),
            None => !matches!(self.text(Col::Partner2Iso)?, "" | "W00" | "WLD"),
        };
        Ok(partner2
            || self.is_partial_flow()?
            || !matches!(self.text(Col::Transport)?, "" | "0")
            || !matches!(self.text(Col::SupplyMode)?, "" | "0")
            || !matches!(self.text(Col::Customs)?, "" | "C00"))
    }

    /// A flow that is part of another: Comtrade's domestic exports (`DX`, part of `X`),
    /// foreign imports (`FM`, part of `M`) and the processing flows (`MIP`, `MOP`, `XIP`,
    /// `XOP`), in the flow code or (legacy files) the flow name.
    fn is_partial_flow(&self) -> Result<bool, FieldError> {
        let partial = |t: &str| PARTIAL_FLOWS.iter().any(|p| t.eq_ignore_ascii_case(p));
        Ok(partial(self.text(Col::FlowCode)?) || partial(self.text(Col::FlowName)?))
    }

    /// Goods (`typeCode` C) in an HS classification (H0–H6, or HS).
    pub fn check_kind(&self) -> Result<(), FieldError> {
        let kind = self.text(Col::TradeType)?;
        if !matches!(kind, "" | "C") {
            return Err(self.err(
                Col::TradeType,
                format!("{kind:?} is not C: only trade in goods is loaded"),
            ));
        }
        let class = self.text(Col::Classification)?;
        let hs = match class.as_bytes() {
            [] => true,
            [b'H', b'S'] => true,
            [b'H', d] => (b'0'..=b'6').contains(d),
            _ => false,
        };
        if !hs {
            return Err(self.err(
                Col::Classification,
                format!("{class:?} is not an HS classification (H0 to H6): only HS codes are loaded"),
            ));
        }
        Ok(())
    }

    /// Annual data only: a monthly file would give twelve values to one key.
    pub fn check_annual(&self, year: i32) -> Result<(), FieldError> {
        let freq = self.text(Col::Frequency)?;
        if !matches!(freq, "" | "A") {
            return Err(self.err(Col::Frequency, format!("{freq:?} is not A: only annual data is loaded")));
        }
        let period = self.text(Col::Period)?;
        if !period.is_empty() && period != year.to_string() {
            return Err(self.err(
                Col::Period,
                format!("{period:?} is not the year {year}: only annual data is loaded"),
            ));
        }
        Ok(())
    }

    pub fn country(&self, refs: &Refs, iso: Col, code: Col) -> Result<i32, FieldError> {
        let (iso_text, code_text) = (self.text(iso)?, self.text(code)?);
        refs.country(iso_text, code_text).map_err(|e| {
            // Name the column that holds what failed.
            let col = if iso_text.is_empty() && self.at.get(code).is_some() || self.at.get(iso).is_none() {
                code
            } else {
                iso
            };
            self.err(col, e.to_string())
        })
    }

    /// The flow, from its code and (legacy files) its name, which must agree.
    pub fn flow(&self) -> Result<FlowKind, FieldError> {
        let code = self.text(Col::FlowCode)?;
        let by_code = match code {
            "" | "0" if self.cols.format != Format::Today => None,
            _ => Some(flow_kind(code).ok_or_else(|| {
                self.err(
                    Col::FlowCode,
                    format!("{code:?} is not a known flow code (X, M, RX or RM; 1 to 4 in legacy files)"),
                )
            })?),
        };
        let name = self.text(Col::FlowName)?;
        let by_name = match name {
            "" => None,
            _ => Some(flow_kind(name).ok_or_else(|| {
                self.err(
                    Col::FlowName,
                    format!("{name:?} is not a known flow (Import, Export, Re-Import or Re-Export)"),
                )
            })?),
        };
        match (by_code, by_name) {
            (Some(a), Some(b)) if a != b => {
                Err(self.err(Col::FlowName, format!("{name:?} contradicts the flow code {code:?}")))
            }
            (Some(k), _) | (None, Some(k)) => Ok(k),
            (None, None) => Err(self.err(Col::FlowCode, "the value is missing".to_owned())),
        }
    }

    /// The quantity and its unit; none when Comtrade has none ("No Quantity", `N/A`, unit
    /// code -1, or an empty cell), never 0.
    pub fn quantity(&self) -> Result<(Option<f64>, Option<String>), FieldError> {
        let unit = self.text(Col::QtyUnit)?;
        let none = matches!(self.text(Col::QtyUnitCode)?, "-1")
            || unit.eq_ignore_ascii_case("N/A")
            || unit.eq_ignore_ascii_case("No Quantity");
        let qty = amount(self.text(Col::Qty)?).map_err(|m| self.err(Col::Qty, m))?;
        if none || qty.is_none() {
            return Ok((None, None));
        }
        Ok((qty, Some(unit.to_owned()).filter(|u| !u.is_empty())))
    }

    /// `ESTIMATE` when Comtrade did not have the value reported (`isReported` false) or
    /// estimated the quantity stored (`isQtyEstimated` true; legacy `Flag` 2 or 6); else
    /// `EXACT`. A legacy `Flag` of 4 (net weight estimated) concerns nothing stored.
    pub fn qualifier(&self, has_quantity: bool) -> Result<Qualifier, FieldError> {
        let reported = yes_no(self.text(Col::Reported)?).ok_or_else(|| {
            self.err(
                Col::Reported,
                format!(
                    "{:?} is not true, false, 1 or 0",
                    self.text(Col::Reported).unwrap_or("")
                ),
            )
        })?;
        let qty_estimated = match self.text(Col::Flag)? {
            "" => false,
            flag => {
                let bits: u32 = flag.parse().map_err(|_| {
                    self.err(
                        Col::Flag,
                        format!("{flag:?} is not a Comtrade estimation flag (0, 2, 4 or 6)"),
                    )
                })?;
                bits & 2 != 0
            }
        } || yes_no(self.text(Col::QtyEstimated)?)
            .ok_or_else(|| self.err(Col::QtyEstimated, "is not true, false, 1 or 0".to_owned()))?
            == Some(true);
        Ok(if reported == Some(false) || qty_estimated && has_quantity {
            Qualifier::Estimate
        } else {
            Qualifier::Exact
        })
    }
}
