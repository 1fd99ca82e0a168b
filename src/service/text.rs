//! The one check of user text: every argument of a request, every stored text field of a
//! write and every field of an import pass here before any statement sees them.
//!
//! Refused: NUL and the other control characters (Unicode category Cc; tabs and line breaks
//! only where a field is free text), and the invisible format characters (category Cf) —
//! the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
//! marks (U+200E, U+200F, U+061C) that make a stored name display as something else, the
//! zero-width space, word joiner, byte-order mark, soft hyphen and the rest. Allowed: the
//! zero-width non-joiner and joiner (U+200C, U+200D), which Persian and Indic names and
//! emoji sequences need to be spelled right.
//!
//! Why before the statement: PostgreSQL refuses a NUL in text (`invalid byte sequence for
//! encoding "UTF8": 0x00`), and a statement that fails fails every key in it.

/// Which line breaks a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name, code or argument: one line, no tab.
    One,
    /// Free text (notes): tabs and line breaks pass.
    Many,
}

/// True for the format characters (Unicode 15 category Cf) that are refused.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061C}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{200E}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}')
}

/// Why `value` cannot be used, if it cannot: the first refused character, named by its code
/// point (the character itself may be invisible or break the message).
pub fn problem(value: &str, lines: Lines) -> Option<String> {
    for c in value.chars() {
        let allowed_break = lines == Lines::Many && matches!(c, '\t' | '\n' | '\r');
        if c.is_control() && !allowed_break {
            return Some(format!("must not contain the control character U+{:04X}", c as u32));
        }
        if is_invisible_format(c) {
            return Some(format!(
                "must not contain the invisible format character U+{:04X}",
                c as u32
            ));
        }
    }
    None
}

/// Why a text field is refused, if it is: blank when `required`, longer than `max`
/// characters, or holding a refused character ([`problem`]).
pub fn field_problem(value: &str, max: usize, required: bool, lines: Lines) -> Option<String> {
    if required && value.trim().is_empty() {
        Some("must not be empty".to_owned())
    } else if value.chars().count() > max {
        Some(format!("must be at most {max} characters"))
    } else {
        problem(value, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_and_invisible_formats() {
        assert!(problem("X\u{0}", Lines::One).unwrap().contains("U+0000"));
        assert!(problem("a\tb", Lines::One).unwrap().contains("U+0009"));
        assert_eq!(problem("a\tb\r\nc", Lines::Many), None);
        assert!(problem("a\u{0}b", Lines::Many).is_some());
        for c in [
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{200B}',
            '\u{FEFF}',
            '\u{E0041}',
        ] {
            let text = format!("Armenia{c}");
            assert!(
                problem(&text, Lines::Many)
                    .unwrap()
                    .contains(&format!("{:04X}", c as u32))
            );
        }
        // ZWNJ in a Persian name, ZWJ in an emoji sequence.
        assert_eq!(problem("می\u{200C}خواهم", Lines::One), None);
        assert_eq!(problem("👩\u{200D}🔬", Lines::One), None);
        assert_eq!(
            field_problem("  ", 10, true, Lines::One).as_deref(),
            Some("must not be empty")
        );
        assert_eq!(
            field_problem("abcd", 3, false, Lines::One).as_deref(),
            Some("must be at most 3 characters")
        );
    }
}
