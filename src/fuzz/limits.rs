//! The query-limits walker: the documented queries of `docs/` with bytes inserted and
//! deleted, and generated documents (nested fields, aliases, inline fragments, spreads of
//! fragments that may spread each other, cycles included) checked against an independent
//! count of their expanded shape.

use proptest::prelude::*;
use proptest::sample::Index;

use super::fuzz;
use crate::graphql::limits::{MAX_NESTING, QueryLimits, nesting};

/// The seed corpus: every GraphQL example of the user documentation.
static DOCS: [&str; 5] = [
    include_str!("../../docs/api.md"),
    include_str!("../../docs/graphql.md"),
    include_str!("../../docs/figures.md"),
    include_str!("../../docs/indicators.md"),
    include_str!("../../docs/errors.md"),
];

fn documented_queries() -> Vec<String> {
    let mut out = Vec::new();
    for doc in DOCS {
        let mut block: Option<String> = None;
        for line in doc.lines() {
            match (&mut block, line.trim_start()) {
                (None, l) if l.starts_with("```graphql") => block = Some(String::new()),
                (Some(b), l) if l.starts_with("```") => {
                    out.push(std::mem::take(b));
                    block = None;
                }
                (Some(b), _) => {
                    b.push_str(line);
                    b.push('\n');
                }
                _ => {}
            }
        }
    }
    out
}

/// Text worth inserting into a query.
const SNIPPETS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"\"\"",
    "\\",
    "#",
    "\n",
    "...",
    "...F",
    "fragment F on Query { ...F }",
    "a: ",
    "$v",
    "@skip(if: true)",
    "{ a { b { c { d { e { f } } } } } }",
    "\u{feff}",
    "\0",
    "é",
];

/// The limits the generated documents are checked with: small, so that both sides of each
/// limit are reached.
const LIMITS: QueryLimits = QueryLimits {
    max_depth: 4,
    max_complexity: 1000,
    max_aliases: 5,
    max_fields: 30,
};

#[derive(Debug, Clone)]
enum Sel {
    Field { alias: bool, name: u8, children: Vec<Sel> },
    Inline(Vec<Sel>),
    Spread(u8),
}

/// Four fragments `F0`…`F3`, each defined or not, and one to three operations.
#[derive(Debug, Clone)]
struct Doc {
    operations: Vec<Vec<Sel>>,
    fragments: Vec<Option<Vec<Sel>>>,
}

fn selections() -> impl Strategy<Value = Vec<Sel>> {
    let leaf = prop_oneof![
        (any::<bool>(), 0u8..3).prop_map(|(alias, name)| Sel::Field {
            alias,
            name,
            children: Vec::new()
        }),
        (0u8..5).prop_map(Sel::Spread),
    ];
    let sel = leaf.prop_recursive(7, 80, 4, |inner| {
        prop_oneof![
            3 => (any::<bool>(), 0u8..3, prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(alias, name, children)| Sel::Field { alias, name, children }),
            1 => prop::collection::vec(inner, 1..4).prop_map(Sel::Inline),
        ]
    });
    prop::collection::vec(sel, 1..4)
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        prop::collection::vec(selections(), 1..3),
        prop::collection::vec(prop::option::of(selections()), 4),
    )
        .prop_map(|(operations, fragments)| Doc { operations, fragments })
}

fn render_set(set: &[Sel], out: &mut String) {
    out.push_str("{ ");
    for s in set {
        match s {
            Sel::Field { alias, name, children } => {
                if *alias {
                    out.push_str("x: ");
                }
                out.push(char::from(b'a' + name));
                if !children.is_empty() {
                    out.push(' ');
                    render_set(children, out);
                }
            }
            Sel::Inline(children) => {
                out.push_str("... ");
                render_set(children, out);
            }
            Sel::Spread(f) => out.push_str(&format!("...F{f}")),
        }
        out.push(' ');
    }
    out.push('}');
}

fn render(doc: &Doc) -> String {
    let mut out = String::new();
    for (i, op) in doc.operations.iter().enumerate() {
        out.push_str(&format!("query Q{i} "));
        render_set(op, &mut out);
        out.push('\n');
    }
    for (i, f) in doc.fragments.iter().enumerate() {
        if let Some(set) = f {
            out.push_str(&format!("fragment F{i} on Query "));
            render_set(set, &mut out);
            out.push('\n');
        }
    }
    out
}

/// The shape of a document with every fragment expanded where it is spread, counted
/// independently of the walker; `None` when a fragment spreads itself (directly or not).
#[derive(Debug, Default)]
struct Expanded {
    depth: usize,
    selections: usize,
    aliases: usize,
}

/// Past this many selections the count stops (a fragment bomb expands exponentially).
const CAP: usize = 10_000;

fn expand(doc: &Doc, set: &[Sel], depth: usize, stack: &mut Vec<u8>, e: &mut Expanded) -> Option<()> {
    for s in set {
        if e.selections > CAP {
            return Some(());
        }
        e.selections += 1;
        match s {
            Sel::Field { alias, children, .. } => {
                e.aliases += usize::from(*alias);
                e.depth = e.depth.max(depth + 1);
                expand(doc, children, depth + 1, stack, e)?;
            }
            Sel::Inline(children) => expand(doc, children, depth, stack, e)?,
            Sel::Spread(f) => {
                if stack.contains(f) {
                    return None;
                }
                if let Some(Some(body)) = doc.fragments.get(usize::from(*f)) {
                    stack.push(*f);
                    expand(doc, body, depth, stack, e)?;
                    stack.pop();
                }
            }
        }
    }
    Some(())
}

fn within(e: &Expanded, l: &QueryLimits) -> bool {
    e.depth <= l.max_depth && e.selections <= l.max_fields && e.aliases <= l.max_aliases
}

#[test]
fn limits_on_generated_documents() {
    fuzz("limits_on_generated_documents", file!(), doc(), |doc| {
        let text = render(doc);
        let checked = LIMITS.check_text(&text);
        // The operations alone, expanded.
        let mut ops = Expanded::default();
        let ops_ok = doc
            .operations
            .iter()
            .try_for_each(|op| expand(doc, op, 0, &mut Vec::new(), &mut ops));
        // Everything the walker walks: the operations and each fragment definition.
        let mut all = Expanded::default();
        let all_ok = ops_ok.and_then(|()| {
            doc.fragments.iter().enumerate().try_for_each(|(i, f)| match f {
                Some(set) => expand(doc, set, 0, &mut vec![i as u8], &mut all),
                None => Some(()),
            })
        });
        all.depth = all.depth.max(ops.depth);
        all.selections += ops.selections;
        all.aliases += ops.aliases;
        match checked {
            // Nothing past a limit, and no cycle, gets through.
            Ok(_) => {
                prop_assert!(ops_ok.is_some(), "a fragment cycle passed: {}", text);
                prop_assert!(
                    within(&ops, &LIMITS),
                    "{:?} passed the limits {:?}: {}",
                    ops,
                    LIMITS,
                    text
                );
            }
            // A document within every limit, without a cycle, is not refused.
            Err(e) => prop_assert!(
                all_ok.is_none() || !within(&all, &LIMITS),
                "refused ({}) though within the limits: {:?}: {}",
                e.message,
                all,
                text
            ),
        }
        Ok(())
    });
}

#[test]
fn limits_on_mutated_queries() {
    let queries = documented_queries();
    assert!(queries.len() >= 10, "the docs' GraphQL examples: {}", queries.len());
    let edit = (any::<Index>(), any::<Index>(), 0usize..6, any::<bool>());
    let case = (any::<Index>(), prop::collection::vec(edit, 0..8), 0usize..4);
    let limits = QueryLimits {
        max_depth: 12,
        max_complexity: 10_000,
        max_aliases: 30,
        max_fields: 500,
    };
    fuzz("limits_on_mutated_queries", file!(), case, |(q, edits, repeat)| {
        let mut text = queries[q.index(queries.len())].clone();
        for (at, what, cut, insert) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if *insert {
                text.insert_str(at, SNIPPETS[what.index(SNIPPETS.len())]);
            } else {
                let mut to = (at + cut).min(text.len());
                while !text.is_char_boundary(to) {
                    to += 1;
                }
                text.replace_range(at..to, "");
            }
        }
        let text = text.repeat(repeat + 1);
        let depth = nesting(&text, MAX_NESTING);
        prop_assert!(depth <= MAX_NESTING + 1, "nesting counted past its limit: {}", depth);
        let _ = limits.check_text(&text);
        Ok(())
    });
}

#[test]
fn nesting_counts_brackets() {
    // Outside strings and comments, the scan is a plain bracket count.
    let text = prop::collection::vec(
        prop_oneof![
            Just('{'),
            Just('}'),
            Just('('),
            Just(')'),
            Just('['),
            Just(']'),
            Just('a')
        ],
        0..200,
    );
    fuzz("nesting_counts_brackets", file!(), text, |chars| {
        let text: String = chars.iter().collect();
        let (mut depth, mut max) = (0usize, 0usize);
        for c in chars {
            match c {
                '{' | '(' | '[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                '}' | ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prop_assert_eq!(nesting(&text, MAX_NESTING), max.min(MAX_NESTING + 1));
        Ok(())
    });
}
