//! Codes of a Comtrade file to database ids: countries and pseudo-partners, HS codes.
//!
//! A country is found by its ISO alpha-3 (or alpha-2) code where the file gives one that is
//! known, else by Comtrade's numeric area code through `data/comtrade_areas.csv` (built from
//! Comtrade's own reference list by `scripts/gen_comtrade_areas.py`): Comtrade's codes are
//! not ISO numeric (842 USA, 251 France, 699 India, 757 Switzerland, 490 "Other Asia, nes").
//! Comtrade's special partners (World, "nes" areas, Bunkers, Free Zones, …) map to
//! pseudo-partners flagged `is_aggregate`.

use std::collections::HashMap;
use std::sync::LazyLock;

use entity::enums::CommodityKind;

/// Comtrade area code → the `country.iso3` it is stored as.
static AREAS: LazyLock<HashMap<u32, (String, String)>> = LazyLock::new(|| {
    csv::Reader::from_reader(include_str!("../../../data/comtrade_areas.csv").as_bytes())
        .records()
        .filter_map(|r| {
            let r = r.ok()?;
            Some((r.get(0)?.parse().ok()?, (r.get(1)?.to_owned(), r.get(2)?.to_owned())))
        })
        .collect()
});

/// The `country.iso3` and Comtrade's name of a Comtrade area code.
pub fn area(code: u32) -> Option<(&'static str, &'static str)> {
    AREAS.get(&code).map(|(iso3, name)| (iso3.as_str(), name.as_str()))
}

/// `country.iso3` → Comtrade's current area code for it (the one valid until the latest
/// year: 842 for USA, not 841).
static CURRENT: LazyLock<HashMap<String, u32>> = LazyLock::new(|| {
    let mut best: HashMap<String, (u32, u32)> = HashMap::new();
    for r in csv::Reader::from_reader(include_str!("../../../data/comtrade_areas.csv").as_bytes())
        .records()
        .flatten()
    {
        let (Some(code), Some(iso3), Some(years)) = (r.get(0), r.get(1), r.get(3)) else {
            continue;
        };
        let (Ok(code), Some(Ok(until))) = (code.parse::<u32>(), years.rsplit('-').next().map(str::parse::<u32>)) else {
            continue;
        };
        let entry = best.entry(iso3.to_owned()).or_insert((code, until));
        if until > entry.1 {
            *entry = (code, until);
        }
    }
    best.into_iter().map(|(iso3, (code, _))| (iso3, code)).collect()
});

/// Comtrade's current area code of a `country.iso3`, when Comtrade has one.
pub fn comtrade_code(iso3: &str) -> Option<u32> {
    CURRENT.get(iso3).copied()
}

/// Countries and commodities by code, as the database has them when the import starts, plus
/// the commodities the import adds.
pub struct Refs {
    /// By ISO alpha-3 and alpha-2, upper case (and Comtrade's `WLD` for World).
    countries: HashMap<String, i32>,
    /// By Comtrade area code.
    areas: HashMap<u32, i32>,
    /// By code.
    commodities: HashMap<String, i32>,
    /// Commodities this file adds, by code, with their provisional id (-1, -2, …).
    new_codes: HashMap<String, i32>,
    /// Subheadings added under their chapter, by the heading code they wait for.
    orphans: HashMap<String, Vec<i32>>,
}

/// An HS code not yet in `commodity`; `parent` is an id or a provisional id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCommodity {
    pub code: String,
    pub kind: CommodityKind,
    pub parent: i32,
    pub name: String,
}

/// Why a country code did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryError {
    Missing,
    UnknownIso(String),
    UnknownArea(String),
    /// In the bundled table but not in this database (loaded before the table grew).
    NotLoaded {
        code: u32,
        iso3: &'static str,
        name: &'static str,
    },
}

impl std::fmt::Display for CountryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => write!(f, "the value is missing (and no code or ISO column names the area)"),
            Self::UnknownIso(iso) => write!(f, "{iso:?} is not a known ISO country code"),
            Self::UnknownArea(code) => write!(f, "{code:?} is not a UN Comtrade area code"),
            Self::NotLoaded { code, iso3, name } => write!(
                f,
                "Comtrade area {code} ({name}, stored as {iso3}) is not in this database; \
                 run `tradegraph load-reference` to add it"
            ),
        }
    }
}

impl Refs {
    /// From `(id, iso3, iso2)` countries and `(id, code)` commodities.
    pub fn new(countries: Vec<(i32, String, String)>, commodities: Vec<(i32, String)>) -> Self {
        let mut by_iso = HashMap::with_capacity(countries.len() * 2 + 1);
        for (id, iso3, iso2) in &countries {
            by_iso.insert(iso3.to_ascii_uppercase(), *id);
            by_iso.entry(iso2.to_ascii_uppercase()).or_insert(*id);
        }
        if let Some(world) = by_iso.get("W00").copied() {
            by_iso.entry("WLD".to_owned()).or_insert(world);
        }
        let areas = AREAS
            .iter()
            .filter_map(|(code, (iso3, _))| by_iso.get(iso3.as_str()).map(|id| (*code, *id)))
            .collect();
        Self {
            countries: by_iso,
            areas,
            commodities: commodities.into_iter().map(|(id, code)| (code, id)).collect(),
            new_codes: HashMap::new(),
            orphans: HashMap::new(),
        }
    }

    /// A country by ISO code where `iso` is given and known, else by Comtrade area `code`.
    pub fn country(&self, iso: &str, code: &str) -> Result<i32, CountryError> {
        if !iso.is_empty() {
            let found = if iso.bytes().any(|b| b.is_ascii_lowercase()) {
                self.countries.get(&iso.to_ascii_uppercase())
            } else {
                self.countries.get(iso)
            };
            if let Some(id) = found {
                return Ok(*id);
            }
            // Comtrade's own ISO-like codes for its special areas (`S19`, `_X`, …) are not
            // ISO codes: the numeric code says which area it is.
            if code.is_empty() {
                return Err(CountryError::UnknownIso(iso.to_owned()));
            }
        }
        if code.is_empty() {
            return Err(CountryError::Missing);
        }
        let n: u32 = code.parse().map_err(|_| CountryError::UnknownArea(code.to_owned()))?;
        match self.areas.get(&n) {
            Some(id) => Ok(*id),
            None => match area(n) {
                Some((iso3, name)) => Err(CountryError::NotLoaded { code: n, iso3, name }),
                None => Err(CountryError::UnknownArea(code.to_owned())),
            },
        }
    }

    fn known(&self, code: &str) -> Option<i32> {
        self.commodities.get(code).or_else(|| self.new_codes.get(code)).copied()
    }

    /// The commodity id (or provisional id) of a normalised HS code (see
    /// [`super::parse::hs_code`]), adding headings, subheadings and the chapters 98 and 99
    /// that are not known yet to `new`. `Err` says why the code is refused.
    pub fn commodity(
        &mut self,
        code: &str,
        name: Option<&str>,
        new: &mut Vec<NewCommodity>,
        reparent: &mut Vec<(i32, i32)>,
    ) -> Result<i32, String> {
        if let Some(id) = self.known(code) {
            return Ok(id);
        }
        let (kind, parent) = match code.len() {
            // Chapters 98 and 99 (special and national uses, "commodities not specified
            // according to kind") belong to no section.
            2 if code == "98" || code == "99" => (
                CommodityKind::Chapter,
                self.known("TOTAL")
                    .ok_or("the TOTAL commodity is not in this database")?,
            ),
            2 => return Err(format!("{code:?} is not a known HS chapter")),
            4 | 6 => {
                let chapter = &code[..2];
                let Some(chapter_id) = self.known(chapter) else {
                    return Err(format!("{code:?} belongs to HS chapter {chapter}, which is not known"));
                };
                if code.len() == 4 {
                    (CommodityKind::Heading, chapter_id)
                } else {
                    (CommodityKind::Subheading, self.known(&code[..4]).unwrap_or(chapter_id))
                }
            }
            _ => return Err(format!("{code:?} is not TOTAL or an HS code of 2, 4 or 6 digits")),
        };
        let added = i32::try_from(self.new_codes.len() + 1).map_err(|_| "too many new commodities".to_owned())?;
        let id = -added;
        self.new_codes.insert(code.to_owned(), id);
        if kind == CommodityKind::Subheading && self.known(&code[..4]).is_none() {
            self.orphans.entry(code[..4].to_owned()).or_default().push(id);
        }
        if kind == CommodityKind::Heading
            && let Some(subs) = self.orphans.remove(code)
        {
            reparent.extend(subs.into_iter().map(|s| (s, id)));
        }
        new.push(NewCommodity {
            code: code.to_owned(),
            kind,
            parent,
            name: name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map_or_else(|| format!("HS {code}"), str::to_owned),
        });
        Ok(id)
    }
}

/// A small reference set for unit tests: W00 1, USA 2, CHN 3, XAK ("Other Asia, nes") 4,
/// FRA 5, ARM 6; TOTAL 10, chapters 84 (11) and 01 (13), heading 8471 (12).
#[cfg(test)]
pub(super) fn test_refs() -> Refs {
    Refs::new(
        [
            (1, "W00", "W0"),
            (2, "USA", "US"),
            (3, "CHN", "CN"),
            (4, "XAK", "QB"),
            (5, "FRA", "FR"),
            (6, "ARM", "AM"),
        ]
        .into_iter()
        .map(|(id, iso3, iso2)| (id, iso3.to_owned(), iso2.to_owned()))
        .collect(),
        vec![
            (10, "TOTAL".into()),
            (11, "84".into()),
            (12, "8471".into()),
            (13, "01".into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> Refs {
        test_refs()
    }

    #[test]
    fn countries_by_iso_then_by_comtrade_code() {
        let r = refs();
        assert_eq!(r.country("USA", ""), Ok(2));
        assert_eq!(r.country("us", "842"), Ok(2));
        assert_eq!(r.country("", "842"), Ok(2), "Comtrade's 842 is not ISO numeric 840");
        assert_eq!(r.country("", "251"), Ok(5), "France with Monaco");
        assert_eq!(r.country("WLD", "0"), Ok(1));
        assert_eq!(r.country("", "0"), Ok(1));
        assert_eq!(r.country("", "490"), Ok(4), "Other Asia, nes");
        assert_eq!(r.country("S19", "490"), Ok(4), "Comtrade's own code for it");
        assert_eq!(r.country("XXX", ""), Err(CountryError::UnknownIso("XXX".into())));
        assert_eq!(r.country("", ""), Err(CountryError::Missing));
        assert_eq!(r.country("", "9999"), Err(CountryError::UnknownArea("9999".into())));
        assert_eq!(r.country("", "4x"), Err(CountryError::UnknownArea("4x".into())));
        let e = r.country("", "899").unwrap_err();
        assert!(e.to_string().contains("Areas, nes"), "{e}");
    }

    #[test]
    fn bundled_area_table() {
        assert_eq!(area(842), Some(("USA", "USA")));
        assert_eq!(area(699).map(|a| a.0), Some("IND"));
        assert_eq!(area(757).map(|a| a.0), Some("CHE"));
        assert_eq!(area(0).map(|a| a.0), Some("W00"));
        assert_eq!(area(490).map(|a| a.1), Some("Other Asia, nes"));
        assert_eq!(area(837).map(|a| a.1), Some("Bunkers"));
        assert_eq!(comtrade_code("USA"), Some(842));
        assert_eq!(comtrade_code("FRA"), Some(251));
        assert_eq!(comtrade_code("DEU"), Some(276));
        assert_eq!(comtrade_code("W00"), Some(0));
        assert_eq!(comtrade_code("ALA"), None);
    }

    #[test]
    fn commodities_added_under_their_parents() {
        let mut r = refs();
        let (mut new, mut reparent) = (Vec::new(), Vec::new());
        assert_eq!(r.commodity("8471", None, &mut new, &mut reparent), Ok(12));
        assert_eq!(
            r.commodity("847130", Some(" Laptops "), &mut new, &mut reparent),
            Ok(-1)
        );
        assert_eq!(new[0].parent, 12);
        assert_eq!(new[0].name, "Laptops");
        // A subheading before its heading waits under the chapter, then moves.
        assert_eq!(r.commodity("847310", None, &mut new, &mut reparent), Ok(-2));
        assert_eq!(new[1].parent, 11);
        assert_eq!(r.commodity("8473", None, &mut new, &mut reparent), Ok(-3));
        assert_eq!(reparent, vec![(-2, -3)]);
        assert_eq!(
            r.commodity("99", Some("Commodities not specified"), &mut new, &mut reparent),
            Ok(-4)
        );
        assert_eq!((new[3].kind, new[3].parent), (CommodityKind::Chapter, 10));
        assert_eq!(
            r.commodity("847310", None, &mut new, &mut reparent),
            Ok(-2),
            "known now"
        );
        assert!(
            r.commodity("77", None, &mut new, &mut reparent)
                .unwrap_err()
                .contains("not a known HS chapter")
        );
        assert!(
            r.commodity("2709", None, &mut new, &mut reparent)
                .unwrap_err()
                .contains("chapter 27")
        );
        assert_eq!(new.len(), 4);
    }
}
