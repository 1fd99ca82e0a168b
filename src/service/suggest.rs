//! What an unknown code probably meant: one rule for countries, commodities, organisations
//! and currencies, wherever a code is read (arguments, filters, rows written).
//!
//! The rule (also in `docs/errors.md`): the input and every candidate's code and name are
//! compared case-insensitively. A candidate whose name or code equals the input scores 1;
//! otherwise it scores the higher Jaro–Winkler similarity of the input to its code and to
//! its name; a name that starts with the input (three characters or more) scores at least
//! 0.95, and a code one typo away (one letter changed, added, dropped or two swapped) at
//! least 0.9. An exact match is suggested alone; otherwise candidates scoring 0.85 or
//! more are suggested, best first (ties by code), at most three.

use crate::reference::RefData;

/// Most suggestions in one message.
const MAX_SUGGESTIONS: usize = 3;
/// Lowest similarity suggested.
const THRESHOLD: f64 = 0.85;
/// Inputs are compared on at most this many characters (longer ones are clipped in
/// messages too).
const CLIP: usize = 60;

/// The best candidates `(code, name)` for `input`, by the rule of the module docs.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let input: String = input.trim().chars().take(CLIP).collect::<String>().to_lowercase();
    if input.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str, &str)> = candidates
        .into_iter()
        .filter_map(|(code, name)| {
            let (c, n) = (code.to_lowercase(), name.to_lowercase());
            let score = if c == input || n == input {
                1.0
            } else {
                let mut s = strsim::jaro_winkler(&input, &c).max(strsim::jaro_winkler(&input, &n));
                if input.chars().count() >= 3 && n.starts_with(&input) {
                    s = s.max(0.95);
                }
                if c.chars().count() >= 2 && strsim::damerau_levenshtein(&input, &c) == 1 {
                    s = s.max(0.9);
                }
                s
            };
            (score >= THRESHOLD).then_some((score, code, name))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    if scored.first().is_some_and(|s| s.0 >= 1.0) {
        scored.retain(|s| s.0 >= 1.0);
    }
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, code, name)| (code, name))
        .collect()
}

/// `unknown {what} "{input}" — did you mean ARM (Armenia)?`, or `unknown {what} "{input}"
/// ({hint})` when nothing is close.
pub fn unknown<'a>(
    what: &str,
    input: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
    hint: &str,
) -> String {
    let clipped: String = input.chars().take(CLIP).collect();
    let found = closest(input, candidates);
    if found.is_empty() {
        return format!("unknown {what} {clipped:?} ({hint})");
    }
    let list: Vec<String> = found.iter().map(|(code, name)| format!("{code} ({name})")).collect();
    format!("unknown {what} {clipped:?} — did you mean {}?", list.join(" or "))
}

/// An unknown country code.
pub fn country(refs: &RefData, input: &str) -> String {
    unknown(
        "country",
        input,
        refs.countries
            .all
            .iter()
            .filter(|c| !c.is_aggregate)
            .map(|c| (c.iso3.as_str(), c.name.as_str())),
        "countries are named by ISO 3166-1 alpha-3 or alpha-2 code, e.g. ARM or AM, and W00 is the World",
    )
}

/// An unknown commodity code.
pub fn commodity(refs: &RefData, input: &str) -> String {
    unknown(
        "commodity",
        input,
        refs.commodities.all.iter().map(|c| (c.code.as_str(), c.name.as_str())),
        "commodities are TOTAL, an HS section such as XVI or an HS code of 2, 4 or 6 digits, as `commodities` lists them",
    )
}

/// An unknown organisation code.
pub fn organization(refs: &RefData, input: &str) -> String {
    unknown(
        "organisation",
        input,
        refs.organizations
            .all
            .iter()
            .map(|o| (o.code.as_str(), o.name.as_str())),
        "organisations are named by their short code, e.g. EAEU, as `organizations` lists them",
    )
}

/// An unknown currency code, against ISO 4217 `(code, name)` pairs.
pub fn currency<'a>(input: &str, currencies: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    unknown(
        "currency",
        input,
        currencies,
        "currencies are ISO 4217 alphabetic codes, e.g. USD or EUR",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTRIES: [(&str, &str); 6] = [
        ("ARM", "Armenia"),
        ("ARG", "Argentina"),
        ("RUS", "Russia"),
        ("AZE", "Azerbaijan"),
        ("GEO", "Georgia"),
        ("DEU", "Germany"),
    ];

    #[test]
    fn names_misspellings_and_prefixes_find_the_code() {
        assert_eq!(closest("Armenia", COUNTRIES)[0].0, "ARM");
        assert_eq!(closest("armenia ", COUNTRIES)[0].0, "ARM");
        assert_eq!(closest("Rusia", COUNTRIES)[0].0, "RUS");
        assert_eq!(closest("Azerb", COUNTRIES)[0].0, "AZE");
        // One typo from two codes: both, by code.
        assert_eq!(closest("ARN", COUNTRIES), [("ARG", "Argentina"), ("ARM", "Armenia")]);
        assert!(closest("Atlantis", COUNTRIES).is_empty());
        assert!(closest("", COUNTRIES).is_empty());
        assert!(closest("A", COUNTRIES).len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn messages_suggest_or_hint() {
        assert_eq!(
            unknown("country", "Armenia", COUNTRIES, "hint"),
            "unknown country \"Armenia\" — did you mean ARM (Armenia)?"
        );
        assert_eq!(
            unknown("country", "Atlantis", COUNTRIES, "use ISO codes"),
            "unknown country \"Atlantis\" (use ISO codes)"
        );
    }
}
