//! The text of a GraphQL document with what the language ignores taken out — comments,
//! commas, and white space next to a punctuator — so that one query written in two layouts
//! shares one cache entry. Tokens are never changed: strings (block strings too) are copied
//! as they are, and one space stays between two tokens that would otherwise run together.

/// Punctuators around which white space can go (`.` stays apart: `. . .` is not `...`).
fn is_punctuator(c: char) -> bool {
    matches!(
        c,
        '!' | '$' | '&' | '(' | ')' | ':' | '=' | '@' | '[' | ']' | '{' | '}' | '|'
    )
}

/// Ignored between tokens: white space, line terminators, commas and the byte order mark.
fn is_ignored(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | ',' | '\u{feff}')
}

/// `doc` with comments, commas and needless white space removed.
pub fn normalise(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut chars = doc.chars().peekable();
    let mut gap = false;
    while let Some(c) = chars.next() {
        if is_ignored(c) {
            gap = true;
            continue;
        }
        if c == '#' {
            while chars.next_if(|&c| c != '\n' && c != '\r').is_some() {}
            gap = true;
            continue;
        }
        if gap && !is_punctuator(c) && out.chars().next_back().is_some_and(|p| !is_punctuator(p)) {
            out.push(' ');
        }
        gap = false;
        out.push(c);
        if c == '"' {
            copy_string(&mut chars, &mut out);
        }
    }
    out
}

/// Copies the rest of a string whose opening `"` is already copied, block strings included.
fn copy_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    // `""` is the empty string unless a third quote makes it a block string.
    if chars.next_if_eq(&'"').is_some() {
        out.push('"');
        if chars.next_if_eq(&'"').is_none() {
            return;
        }
        out.push('"');
        // A block string ends at `"""` not escaped as `\"""`.
        let mut quotes = 0;
        while let Some(c) = chars.next() {
            out.push(c);
            match c {
                '"' => {
                    quotes += 1;
                    if quotes == 3 {
                        return;
                    }
                }
                '\\' if chars.peek() == Some(&'"') => {
                    // `\"""` is an escaped triple quote: copy it whole.
                    quotes = 0;
                    for _ in 0..3 {
                        if let Some(q) = chars.next_if_eq(&'"') {
                            out.push(q);
                        }
                    }
                }
                _ => quotes = 0,
            }
        }
        return;
    }
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' => {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            }
            '"' | '\n' | '\r' => return,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn layout_and_comments_go_tokens_stay() {
        assert_eq!(
            normalise("query Q($a: Int = 1, $b: [String!]) {\n  # a comment\n  x(a: $a, b: $b) { y z }\n}"),
            "query Q($a:Int=1$b:[String!]){x(a:$a b:$b){y z}}"
        );
        assert_eq!(normalise("{ a ... on T { b } ...F }"), "{a ... on T{b}...F}");
        assert_eq!(normalise("{ a(l: [1 -2 3.5e1]) }"), "{a(l:[1 -2 3.5e1])}");
    }

    #[test]
    fn strings_are_copied_as_they_are() {
        assert_eq!(normalise(r#"{ a(s: "x,  # y") }"#), r#"{a(s:"x,  # y")}"#);
        assert_eq!(normalise(r#"{ a(s: "q\" ,") b }"#), r#"{a(s:"q\" ,")b}"#);
        assert_eq!(normalise(r#"{ a(l: ["" "y"]) }"#), r#"{a(l:["" "y"])}"#);
        assert_eq!(
            normalise("{ a(s: \"\"\" x ,\n \\\"\"\" # \"\"\") }"),
            "{a(s:\"\"\" x ,\n \\\"\"\" # \"\"\")}"
        );
    }

    #[test]
    fn different_documents_stay_different() {
        assert_ne!(normalise("{ a b }"), normalise("{ ab }"));
        assert_ne!(normalise("{ a { . . . F } }"), normalise("{ a { ...F } }"));
        assert_ne!(normalise("{ a(s: \"x y\") }"), normalise("{ a(s: \"x  y\") }"));
    }
}
