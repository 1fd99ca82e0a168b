//! The qualifier of a derived figure, from the qualifiers of its inputs: the one rule every
//! figure statement uses, as SQL fragments, so the database computes a figure and its
//! qualifier in the same statement.
//!
//! A stored qualifier says where the true value may lie with respect to the stated one:
//! `EXACT` on it, `AT_LEAST` above it ("over"), `AT_MOST` below it ("almost"), `APPROXIMATE`
//! on either side ("about"), `ESTIMATE` on either side, modelled rather than counted. In SQL
//! it is a set of three bits: 1 "may be above", 2 "may be below", 4 "estimate"
//! (`EXACT` 0, `AT_LEAST` 1, `AT_MOST` 2, `APPROXIMATE` 3, `ESTIMATE` 7).
//!
//! **The rule.** For a figure that rises or falls with each of its inputs (sums, differences,
//! products, ratios, shares, growth rates):
//! 1. each input brings its bits, with 1 and 2 swapped when the figure *falls* as that input
//!    rises (the subtrahend of a difference, the divisor of a ratio or share, the first year of
//!    a growth rate);
//! 2. the figure's bits are the union of its inputs' bits;
//! 3. read back: any 4 is `ESTIMATE`; 1 and 2 together `APPROXIMATE`; 1 alone `AT_LEAST`;
//!    2 alone `AT_MOST`; none `EXACT`.
//!
//! So a sum with an `AT_LEAST` input and otherwise exact inputs is `AT_LEAST`; `AT_LEAST` +
//! `AT_MOST` is `APPROXIMATE` (the bounds point both ways); any `APPROXIMATE` input makes it
//! `APPROXIMATE`, any `ESTIMATE` input `ESTIMATE`. A balance X − M with X `AT_LEAST` is
//! `AT_LEAST` when M is exact, `AT_MOST` when only M is `AT_LEAST`, `APPROXIMATE` when both
//! are. A ratio a / b follows the difference. A figure that neither only rises nor only falls
//! with an input (the Herfindahl–Hirschman index) is `EXACT` when every input is, `ESTIMATE`
//! when any input is, else `APPROXIMATE` ([`not_monotone`]).
//!
//! Inputs are taken as independent. Where one input is part of another (a partner's value
//! inside the world sum of a share) the result can be looser than the truth, never tighter:
//! it never claims a bound the inputs do not give. A missing figure has no qualifier.

use sea_orm::DbBackend;

/// The bits of a stored qualifier column (`NULL` when the column is `NULL`).
pub fn bits(column: &str) -> String {
    format!(
        "(CASE {column} WHEN 'EXACT' THEN 0 WHEN 'AT_LEAST' THEN 1 WHEN 'AT_MOST' THEN 2 \
         WHEN 'APPROXIMATE' THEN 3 WHEN 'ESTIMATE' THEN 7 END)"
    )
}

/// The bits of an input the figure falls with (1 and 2 swapped).
pub fn flip(bits: &str) -> String {
    format!("((({bits}) & 4) | ((({bits}) & 1) * 2) | ((({bits}) & 2) / 2))")
}

/// The union of the inputs' bits (`NULL` when any is `NULL`).
pub fn union(inputs: &[&str]) -> String {
    let parts: Vec<String> = inputs.iter().map(|b| format!("({b})")).collect();
    format!("({})", parts.join(" | "))
}

/// The union over the rows of a group (an aggregate; rows whose bits are `NULL` are skipped,
/// as `SUM` skips their values). PostgreSQL has `BIT_OR`; SQLite takes each bit's `MAX`,
/// which evaluates `bits` three times per row.
pub fn union_of_rows(backend: DbBackend, bits: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("BIT_OR({bits})"),
        _ => format!("(MAX(({bits}) & 1) | MAX(({bits}) & 2) | MAX(({bits}) & 4))"),
    }
}

/// The bits of a figure that is not monotone in its inputs, from the union of theirs.
pub fn not_monotone(bits: &str) -> String {
    format!("(CASE WHEN ({bits}) IS NULL THEN NULL WHEN ({bits}) >= 4 THEN 7 WHEN ({bits}) > 0 THEN 3 ELSE 0 END)")
}

/// The qualifier's name from its bits; `NULL` when the figure `value` is `NULL`.
pub fn name(value: &str, bits: &str) -> String {
    format!(
        "(CASE WHEN ({value}) IS NULL OR ({bits}) IS NULL THEN NULL WHEN ({bits}) >= 4 THEN 'ESTIMATE' \
         WHEN ({bits}) = 3 THEN 'APPROXIMATE' WHEN ({bits}) = 2 THEN 'AT_MOST' \
         WHEN ({bits}) = 1 THEN 'AT_LEAST' ELSE 'EXACT' END)"
    )
}
