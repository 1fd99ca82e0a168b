//! A synthetic UN Comtrade-format CSV file, deterministic for a seed (same seed, same bytes).
//!
//! Shape: about 200 reporters and 200 partners drawn from the bundled country list
//! (aggregates excluded), HS chapters `01`..`97` (without the reserved `77`) plus `TOTAL`,
//! the 25 years 2000–2024, flows `X` and `M`. Rows come in groups, one per (reporter, year,
//! flow, commodity): a `W00` World row equal to the sum of the group's partner rows, then the
//! partner rows in partner order. Groups are visited in a pseudo-random order without
//! repetition, so no key occurs twice and even a small file spreads over reporters and years.
//! Values are heavy-tailed (log-normal, scaled per reporter, partner and commodity), whole
//! dollars, so World sums are exact. Chapter rows often carry a quantity in kg; the others
//! carry Comtrade's "no quantity" (`qtyUnitCode` -1, `N/A`, 0). About 3% of partner rows are
//! not reported (estimated); a World row is reported when all its partner rows are.
//!
//! The columns are the 47 of a real Comtrade download; the ones the generator has nothing
//! for are left empty.

use std::io::{self, Write};

use crate::service::bundled;

/// The header of a UN Comtrade (comtradeplus) CSV download.
pub const COMTRADE_HEADER: &str = "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,\
reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,\
classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,\
customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,\
isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,\
legacyEstimationFlag,isReported,isAggregate";

const REPORTERS: usize = 200;
const PARTNERS: usize = 200;
const FIRST_YEAR: u32 = 2000;
const YEARS: u32 = 25;
/// Largest value of one row: 200 of them still add up exactly in an `f64`.
const MAX_VALUE: f64 = 1e13;

struct Country {
    numeric: String,
    iso3: String,
    name: String,
}

struct Commodity {
    code: String,
    name: String,
}

/// Writes `flows` data rows (after the header) to `out`. Returns the rows written.
///
/// Fails when `flows` exceeds what the key space holds (about 190 million rows).
pub fn generate<W: Write>(out: W, flows: u64, seed: u64) -> io::Result<u64> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let countries = countries()?;
    let commodities = commodities()?;

    // Reporters and partners: a seeded choice of the countries, each kept in code order.
    let pick = |rng: &mut fastrand::Rng, n: usize| {
        let mut idx: Vec<usize> = (0..countries.len()).collect();
        rng.shuffle(&mut idx);
        idx.truncate(n.min(countries.len()));
        idx.sort_unstable();
        idx
    };
    let reporters = pick(&mut rng, REPORTERS);
    let partners = pick(&mut rng, PARTNERS);
    // Size of each reporter, partner and commodity, log-normal.
    let reporter_scale: Vec<f64> = reporters.iter().map(|_| lognormal(&mut rng, 0.0, 1.2)).collect();
    let partner_scale: Vec<f64> = partners.iter().map(|_| lognormal(&mut rng, 0.0, 1.2)).collect();
    let commodity_scale: Vec<f64> = commodities.iter().map(|_| lognormal(&mut rng, 0.0, 0.8)).collect();

    // Pre-rendered pieces of a line.
    let partner_cells: Vec<String> = partners
        .iter()
        .map(|&i| {
            let c = &countries[i];
            format!("{},{},{}", c.numeric.trim_start_matches('0'), c.iso3, csv_cell(&c.name))
        })
        .collect();
    let world_cells = "0,W00,World";

    let n_groups = reporters.len() as u64 * u64::from(YEARS) * 2 * commodities.len() as u64;
    // A bijection on 0..n_groups: g = (a * i + b) mod n_groups, a coprime with n_groups.
    let mut a = rng.u64(n_groups / 3..n_groups.max(2)) | 1;
    while gcd(a, n_groups) != 1 {
        a += 2;
    }
    let b = rng.u64(0..n_groups);

    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    out.write_all(COMTRADE_HEADER.as_bytes())?;
    out.write_all(b"\n")?;

    let mut line = String::with_capacity(512);
    let mut prefix = String::with_capacity(256);
    let mut middle = String::with_capacity(256);
    let mut order: Vec<usize> = (0..partners.len()).collect();
    let mut chosen: Vec<usize> = Vec::with_capacity(partners.len());
    let mut values: Vec<(u64, Option<u64>, bool)> = Vec::with_capacity(partners.len());
    let mut written = 0u64;
    let mut i = 0u64;
    while written < flows {
        if i >= n_groups {
            return Err(io::Error::other(format!(
                "at most {written} flows fit the generator's key space, {flows} were asked for"
            )));
        }
        let mut g = (u128::from(a) * u128::from(i) + u128::from(b)) % u128::from(n_groups);
        i += 1;
        let c = (g % commodities.len() as u128) as usize;
        g /= commodities.len() as u128;
        let is_export = g % 2 == 0;
        g /= 2;
        let year = FIRST_YEAR + (g % u128::from(YEARS)) as u32;
        g /= u128::from(YEARS);
        let r = g as usize;
        let reporter = &countries[reporters[r]];
        let commodity = &commodities[c];
        let total = commodity.code == "TOTAL";

        // How many partners: most for TOTAL, heavy-tailed for chapters; enough to finish
        // within the remaining groups; never leave a single row for the end.
        let available = partners.len() - usize::from(partners.contains(&reporters[r]));
        let mut k = if total {
            rng.usize(available / 4..=available)
        } else {
            (lognormal(&mut rng, 1.8, 1.0) as usize + 1).min(available)
        };
        let left = flows - written;
        let groups_left = n_groups - i + 1;
        k = k.max(
            usize::try_from(left.div_ceil(groups_left))
                .unwrap_or(usize::MAX)
                .saturating_sub(1),
        );
        k = k.min(available);
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        if left <= k + 1 {
            k = left.saturating_sub(1).max(1);
        } else if left == k + 2 {
            k = if k < available { k + 1 } else { k - 1 };
        }
        let with_world = left > 1;

        // Choose k partners (not the reporter itself), in partner order.
        chosen.clear();
        let mut pos = 0;
        while chosen.len() < k && pos < order.len() {
            let j = rng.usize(pos..order.len());
            order.swap(pos, j);
            if partners[order[pos]] != reporters[r] {
                chosen.push(order[pos]);
            }
            pos += 1;
        }
        chosen.sort_unstable();

        let with_qty = !total && rng.f64() < 0.6;
        let price = lognormal(&mut rng, 1.0, 1.0);
        let mu = if total { 17.0 } else { 13.0 };
        values.clear();
        for &p in &chosen {
            let v = lognormal(&mut rng, mu, 1.5) * reporter_scale[r] * partner_scale[p] * commodity_scale[c];
            let v = v.clamp(1.0, MAX_VALUE).round() as u64;
            let q = with_qty.then(|| ((v as f64 / price).round() as u64).max(1));
            values.push((v, q, rng.f64() >= 0.03));
        }

        // The columns before the partner, and between the partner and the quantity.
        prefix.clear();
        let (flow_code, flow_desc) = if is_export { ("X", "Export") } else { ("M", "Import") };
        let _ = std::fmt::Write::write_fmt(
            &mut prefix,
            format_args!(
                "C,A,{year}0101,{year},52,{year},{},{},{},{flow_code},{flow_desc},",
                reporter.numeric.trim_start_matches('0'),
                reporter.iso3,
                csv_cell(&reporter.name),
            ),
        );
        middle.clear();
        let _ = std::fmt::Write::write_fmt(
            &mut middle,
            format_args!(
                ",0,W00,World,H6,HS,false,{},{},{},false,C00,TOTAL CPC,0,0,TOTAL MOT,",
                commodity.code,
                csv_cell(&commodity.name),
                if total { 0 } else { 2 },
            ),
        );

        if with_world {
            let value: u64 = values.iter().map(|v| v.0).sum();
            let qty = with_qty.then(|| values.iter().map(|v| v.1.unwrap_or(0)).sum());
            let reported = values.iter().all(|v| v.2);
            write_row(
                &mut line,
                &prefix,
                world_cells,
                &middle,
                value,
                qty,
                reported,
                is_export,
            );
            out.write_all(line.as_bytes())?;
            written += 1;
        }
        for (&p, &(value, qty, reported)) in chosen.iter().zip(&values) {
            write_row(
                &mut line,
                &prefix,
                &partner_cells[p],
                &middle,
                value,
                qty,
                reported,
                is_export,
            );
            out.write_all(line.as_bytes())?;
            written += 1;
        }
    }
    out.flush()?;
    Ok(written)
}

#[allow(clippy::too_many_arguments)]
fn write_row(
    line: &mut String,
    prefix: &str,
    partner: &str,
    middle: &str,
    value: u64,
    qty: Option<u64>,
    reported: bool,
    is_export: bool,
) {
    use std::fmt::Write as _;
    line.clear();
    line.push_str(prefix);
    line.push_str(partner);
    line.push_str(middle);
    match qty {
        // qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQty… (4),netWgt,isNetWgtEstimated
        Some(q) => {
            let _ = write!(line, "8,kg,{q},false,,,,,{q},false,");
        }
        None => line.push_str("-1,N/A,0,false,,,,,,false,"),
    }
    // grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate
    let _ = if is_export {
        writeln!(line, ",false,,{value},{value},0,{reported},false")
    } else {
        writeln!(line, ",false,{value},,{value},0,{reported},false")
    };
}

/// A standard-normal draw (Box–Muller).
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u1 = 1.0 - rng.f64(); // (0, 1]
    let u2 = rng.f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lognormal(rng: &mut fastrand::Rng, mu: f64, sigma: f64) -> f64 {
    (mu + sigma * normal(rng)).exp()
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A CSV cell, quoted when it must be.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn bundled_csv(name: &str) -> io::Result<csv::Reader<&'static [u8]>> {
    let text = bundled::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| io::Error::other(format!("no bundled {name}")))?;
    Ok(csv::Reader::from_reader(text.as_bytes()))
}

/// The bundled countries that Comtrade has an area code for (aggregates excluded), in code
/// order; `numeric` is Comtrade's code (842 for USA), as in Comtrade's files.
fn countries() -> io::Result<Vec<Country>> {
    let mut out = Vec::new();
    for r in bundled_csv("countries.csv")?.records() {
        let r = r.map_err(io::Error::other)?;
        let (iso3, numeric, name, region) = (&r[0], &r[2], &r[3], &r[5]);
        if iso3 == "W00" || region.is_empty() && numeric == "000" {
            continue;
        }
        let Some(code) = crate::service::comtrade::resolve::comtrade_code(iso3) else {
            continue;
        };
        out.push(Country {
            numeric: code.to_string(),
            iso3: iso3.to_owned(),
            name: name.to_owned(),
        });
    }
    out.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    Ok(out)
}

/// `TOTAL` and the HS chapters but `77`.
fn commodities() -> io::Result<Vec<Commodity>> {
    let mut out = Vec::new();
    for r in bundled_csv("commodities.csv")?.records() {
        let r = r.map_err(io::Error::other)?;
        let (code, kind, name) = (&r[0], &r[1], &r[3]);
        if (kind == "total" || kind == "chapter") && code != "77" {
            out.push(Commodity {
                code: code.to_owned(),
                name: name.to_owned(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(flows: u64, seed: u64) -> String {
        let mut out = Vec::new();
        assert_eq!(generate(&mut out, flows, seed).unwrap(), flows);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn deterministic_and_exact_in_size() {
        let a = text(3_000, 7);
        assert_eq!(a, text(3_000, 7));
        assert_ne!(a, text(3_000, 8));
        assert_eq!(a.lines().count(), 3_001);
        for n in [1, 2, 3, 4, 5, 17, 250] {
            assert_eq!(text(n, 1).lines().count() as u64, n + 1);
        }
    }

    #[test]
    fn world_rows_are_partner_sums_and_keys_are_unique() {
        let t = text(5_000, 3);
        let mut reader = csv::Reader::from_reader(t.as_bytes());
        let h = reader.headers().unwrap().clone();
        assert_eq!(h.len(), 47);
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let (rep, year, flow, cmd, partner, value) = (
            col("reporterISO"),
            col("refYear"),
            col("flowCode"),
            col("cmdCode"),
            col("partnerISO"),
            col("primaryValue"),
        );
        let mut keys = std::collections::HashSet::new();
        let mut sums: std::collections::HashMap<String, (u64, u64)> = Default::default();
        for r in reader.records() {
            let r = r.unwrap();
            assert_eq!(r.len(), 47);
            assert!(keys.insert(format!(
                "{}|{}|{}|{}|{}",
                &r[rep], &r[year], &r[flow], &r[cmd], &r[partner]
            )));
            let group = format!("{}|{}|{}|{}", &r[rep], &r[year], &r[flow], &r[cmd]);
            let v: u64 = r[value].parse().unwrap();
            let e = sums.entry(group).or_default();
            if &r[partner] == "W00" {
                e.0 += v;
            } else {
                e.1 += v;
            }
        }
        assert!(sums.len() > 100);
        for (group, (world, partners)) in sums {
            assert_eq!(world, partners, "{group}");
        }
    }
}
