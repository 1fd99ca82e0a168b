//! Comtrade's values, strictly: numbers, yes/no flags, flow codes and names, HS codes.

use std::borrow::Cow;

use entity::enums::FlowKind;

/// `true`/`false`/`1`/`0` (any case); `Some(None)` for an empty cell, `None` when invalid.
pub fn yes_no(text: &str) -> Option<Option<bool>> {
    match text {
        "" => Some(None),
        "1" => Some(Some(true)),
        "0" => Some(Some(false)),
        t if t.eq_ignore_ascii_case("true") => Some(Some(true)),
        t if t.eq_ignore_ascii_case("false") => Some(Some(false)),
        _ => None,
    }
}

/// A flow code (`X`, `M`, `RX`, `RM`; legacy `1`–`4`) or name (`Import`, `Re-Export`, …).
pub fn flow_kind(text: &str) -> Option<FlowKind> {
    FlowKind::parse(text).or_else(|| {
        let legacy = [
            ("1", "Import", FlowKind::Import),
            ("2", "Export", FlowKind::Export),
            ("3", "Re-Export", FlowKind::ReExport),
            ("4", "Re-Import", FlowKind::ReImport),
        ];
        legacy
            .iter()
            .find(|(code, name, _)| text == *code || text.eq_ignore_ascii_case(name))
            .map(|(.., kind)| *kind)
    })
}

/// A Comtrade commodity code as this database writes it: `TOTAL` (also `ALL`, any case),
/// or an HS code of 2, 4 or 6 digits. Codes of 1, 3 or 5 digits lost their leading zero (the
/// legacy export writes chapters `1` … `9`; a spreadsheet drops the zero of `010121`).
pub fn hs_code(text: &str) -> Result<Cow<'_, str>, String> {
    if text.eq_ignore_ascii_case("TOTAL") || text.eq_ignore_ascii_case("ALL") {
        return Ok(Cow::Borrowed("TOTAL"));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 6 {
        return Err(format!("{text:?} is not TOTAL or an HS code of 2, 4 or 6 digits"));
    }
    Ok(if text.len() % 2 == 1 {
        Cow::Owned(format!("0{text}"))
    } else {
        Cow::Borrowed(text)
    })
}

/// A non-negative finite decimal number (`12`, `12.5`, `1.5e9`), `None` for an empty cell.
/// `NaN`, `inf`, `1.2.3`, `12abc` and `0x10` are refused, which Rust's float parser alone
/// would partly accept.
pub fn amount(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if !is_decimal(text) {
        return Err(format!("{text:?} is not a number"));
    }
    let v: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if !v.is_finite() {
        return Err(format!("{text:?} is too large"));
    }
    if v < 0.0 {
        return Err(format!("{text:?} is negative"));
    }
    // No negative zero.
    Ok(Some(v + 0.0))
}

/// `-?digits[.digits][(e|E)[+-]digits]`, with at least one digit before the exponent.
fn is_decimal(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_strictly() {
        assert_eq!(amount(""), Ok(None));
        assert_eq!(amount("17116.0"), Ok(Some(17116.0)));
        assert_eq!(amount("30000000"), Ok(Some(3e7)));
        assert_eq!(amount("1.5e9"), Ok(Some(1.5e9)));
        assert_eq!(amount(".5"), Ok(Some(0.5)));
        assert_eq!(amount("-0"), Ok(Some(0.0)));
        assert!(amount("-0").unwrap().unwrap().is_sign_positive());
        for bad in [
            "1.2.3", "NaN", "nan", "inf", "-inf", "infinity", "12abc", "0x10", "1e", ".", "+5", "1 000", "1,5",
        ] {
            assert_eq!(amount(bad), Err(format!("{bad:?} is not a number")), "{bad}");
        }
        assert_eq!(amount("1e400"), Err("\"1e400\" is too large".to_owned()));
        assert_eq!(amount("-5"), Err("\"-5\" is negative".to_owned()));
    }

    #[test]
    fn hs_codes_as_stored() {
        assert_eq!(hs_code("TOTAL").unwrap(), "TOTAL");
        assert_eq!(hs_code("all").unwrap(), "TOTAL");
        assert_eq!(hs_code("1").unwrap(), "01");
        assert_eq!(hs_code("97").unwrap(), "97");
        assert_eq!(hs_code("99").unwrap(), "99");
        assert_eq!(hs_code("101").unwrap(), "0101");
        assert_eq!(hs_code("10121").unwrap(), "010121");
        assert_eq!(hs_code("847130").unwrap(), "847130");
        for bad in ["", "84X1", "8471300", "H5"] {
            assert!(
                hs_code(bad).unwrap_err().contains("is not TOTAL or an HS code"),
                "{bad}"
            );
        }
    }

    #[test]
    fn flows_and_flags() {
        assert_eq!(flow_kind("X"), Some(FlowKind::Export));
        assert_eq!(flow_kind("2"), Some(FlowKind::Export));
        assert_eq!(flow_kind("Re-Export"), Some(FlowKind::ReExport));
        assert_eq!(flow_kind("re-import"), Some(FlowKind::ReImport));
        assert_eq!(flow_kind("4"), Some(FlowKind::ReImport));
        assert_eq!(flow_kind("1"), Some(FlowKind::Import));
        assert_eq!(flow_kind("Q"), None);
        assert_eq!(flow_kind("5"), None);
        assert_eq!(yes_no("True"), Some(Some(true)));
        assert_eq!(yes_no("0"), Some(Some(false)));
        assert_eq!(yes_no(""), Some(None));
        assert_eq!(yes_no("maybe"), None);
    }
}
