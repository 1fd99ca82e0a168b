#!/usr/bin/env python3
"""Generate data/comtrade_areas.csv and the Comtrade rows of data/country_aggregates.csv.

Usage:
    python3 scripts/gen_comtrade_areas.py <UN Comtrade "Country Code and ISO list" CSV>

The input is UN Comtrade's own reference list of reporter and partner areas (columns
ctyCode, cty Name English, ..., ISO2-digit Alpha, ISO3-digit Alpha, Start Valid Year,
End Valid Year). Each Comtrade area code is mapped to one row of the `country` table:

* an area whose ISO alpha-3 code (as Comtrade gives it) is a current ISO 3166-1 country
  of data/countries.csv maps to that country (842 USA, 251 France, 58 Belgium-Luxembourg
  -> BEL, ...);
* code 0 (World, Comtrade's WLD) maps to the existing W00 pseudo-partner;
* every other area (groups such as EU-27, "nes" areas, Bunkers, Free Zones, Special
  Categories, and former countries such as the USSR) becomes a pseudo-partner
  (`is_aggregate`) of its own, written to data/country_aggregates.csv. Its alpha-3 code
  is Comtrade's when Comtrade gives one that no other row uses (SUN, YUG, EU2, ...),
  otherwise a user-assigned code X??; its alpha-2 code likewise (or Q?/X?).

Python 3 standard library only. Exits non-zero when a code would be used twice.
"""

import csv
import string
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
AREAS = DATA / "comtrade_areas.csv"
AGGREGATES = DATA / "country_aggregates.csv"
HEADER = ["iso3", "iso2", "numeric", "name", "official_name",
          "region", "subregion", "landlocked", "source"]
WORLD = ["W00", "W0", "000", "World", "World", "", "", "false", "un-comtrade-reference"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(DATA / "countries.csv", encoding="utf-8") as f:
        countries = list(csv.DictReader(f))
    iso3s = {c["iso3"] for c in countries}
    iso2s = {c["iso2"] for c in countries} | {"W0"}
    with open(sys.argv[1], encoding="latin-1") as f:  # as UNSD published it
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["ctyCode"]))

    used3 = set(iso3s) | {"W00"}
    used2 = set(iso2s)
    gen3 = (f"X{a}{b}" for a in string.ascii_uppercase for b in string.ascii_uppercase)
    gen2 = (f"{p}{c}" for p in "QX" for c in string.digits + string.ascii_uppercase)
    areas, pseudo = [], []
    for r in rows:
        code = int(r["ctyCode"])
        name = r["cty Name English"].strip()
        given3 = r["ISO3-digit Alpha"].strip()
        given2 = r["ISO2-digit Alpha"].strip()
        years = f'{r["Start Valid Year"]}-{r["End Valid Year"]}'
        if code == 0:
            areas.append((code, "W00", name, years))
            continue
        if given3 in iso3s:
            areas.append((code, given3, name, years))
            continue
        iso3 = given3 if given3 not in ("", "NULL") and given3 not in used3 else next(
            c for c in gen3 if c not in used3)
        iso2 = given2 if given2 not in ("", "NULL") and given2 not in used2 else next(
            c for c in gen2 if c not in used2)
        used3.add(iso3)
        used2.add(iso2)
        full = r["cty Fullname English"].strip() or name
        pseudo.append([iso3, iso2, f"{code:03d}", name, full, "", "", "false",
                       "un-comtrade-reference"])
        areas.append((code, iso3, name, years))

    with open(AREAS, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "iso3", "name", "valid_years"])
        for a in areas:
            w.writerow(a)
    with open(AGGREGATES, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerow(WORLD)
        for p in pseudo:
            w.writerow(p)
    print(f"{len(areas)} Comtrade areas, {len(pseudo)} new pseudo-partners", file=sys.stderr)


if __name__ == "__main__":
    main()
