#!/usr/bin/env python3
"""Generate the bundled World Development Indicators files from the downloaded WDI series.

Usage:
    python3 scripts/gen_wdi.py <dir>          # <dir>/<series>/data.csv, as in the datahub repository
    python3 scripts/gen_wdi.py --download     # fetches the five pinned files first (needs network)

Input: five World Bank WDI series as published by the datahub.io core datasets
(https://github.com/datasets/world-development-indicators, commit COMMIT below, an
automated download from the World Bank API made on 2026-07-01). Each file is the World
Bank's own CSV turned long: `Country Name,Country Code,Year,Value`. Their SHA-256 sums are
pinned below; any other file is refused, so the output always matches the release cited in
data/sources.csv (key SOURCE).

Output (all years from FIRST_YEAR on, qualifier EXACT, values copied as the file writes them):
  data/wdi_population_gdp.csv     SP.POP.TOTL as POPULATION and NY.GDP.MKTP.CD as GDP_USD for
                                  every country of data/countries.csv that WDI covers;
  data/wdi_merchandise_trade.csv  TX.VAL.MRCH.CD.WT / TM.VAL.MRCH.CD.WT as the world totals
                                  (partner W00, commodity TOTAL) of the seed's reporter in the
                                  years of its bilateral figures (TRADE_REPORTERS, TRADE_YEARS);
  data/exchange_rates.csv         PA.NUS.FCRF (local currency per US$, yearly average) turned
                                  into US$ per unit for the currencies in RATE_ECONOMIES.

WDI codes are ISO 3166-1 alpha-3 for economies. The codes that are not countries of
data/countries.csv (regional and income aggregates, and two economies without an ISO code)
are listed in NOT_COUNTRIES and left out; any other unknown code stops the script.
Python 3 standard library only.
"""

import csv
import hashlib
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
COMMIT = "4ebec5a2273f531ba238a34dbe440394dc5a6c4b"
URL = "https://raw.githubusercontent.com/datasets/world-development-indicators/{commit}/indicators/{series}/data.csv"
SOURCE = "wb-wdi-2026-07-01"
FIRST_YEAR = 2000

# series -> SHA-256 of data.csv at COMMIT
SERIES = {
    "sp.pop.totl": "cd7856b882884a41b3473cf74e8c85eb58d7d663d818a07e03f42ebdfb2c6b34",
    "ny.gdp.mktp.cd": "f488630ac53a04503f6c4164bd2737d18f7ac7fdecb07dc56042b0e1adc11cf7",
    "pa.nus.fcrf": "3aae492c4e0e8e9a2633f76bf8c0b3b3b608b4d029839b82edb1592ed3db83a3",
    "tx.val.mrch.cd.wt": "c64c07cf3000a19495cc2e4e4a89e24696a97aebdab884b2def426f688b4f7af",
    "tm.val.mrch.cd.wt": "cc4dc88950c1b30a348ffbc764c34d18c629f2564182d22e2173c3d61e5492d7",
}

# Indicator code of the API -> WDI series.
INDICATORS = [("POPULATION", "sp.pop.totl"), ("GDP_USD", "ny.gdp.mktp.cd")]

# World merchandise totals are bundled for the seed document's reporter and the years of its
# bilateral figures: they are the denominators of its partner shares (`tradeWith`).
TRADE_REPORTERS = ["ARM"]
TRADE_YEARS = range(2021, 2024)

# Currency -> WDI economy whose official rate is that currency's. The euro's is the euro
# area's (EMU), which equals the yearly mean of the ECB's daily reference rates.
RATE_ECONOMIES = {"AMD": "ARM", "EUR": "EMU", "RUB": "RUS"}

# WDI codes that are not ISO 3166-1 countries: World Bank regions, income and lending
# groups, demographic and other aggregates, plus Kosovo (XKX) and the Channel Islands (CHI).
NOT_COUNTRIES = set("""
AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN
LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA
TSS UMC WLD XKX CHI
""".split())


def fetch(cache):
    cache.mkdir(parents=True, exist_ok=True)
    for series in SERIES:
        dest = cache / series / "data.csv"
        dest.parent.mkdir(exist_ok=True)
        url = URL.format(commit=COMMIT, series=series)
        print(f"downloading {url}", file=sys.stderr)
        with urllib.request.urlopen(url, timeout=60) as r:
            dest.write_bytes(r.read())
    return cache


def read_series(base, series, countries):
    """{(iso3, year): value text} of one series, checked against its pinned checksum."""
    path = base / series / "data.csv"
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SERIES[series]:
        sys.exit(f"{path}: SHA-256 {digest} is not the pinned {SERIES[series]} (commit {COMMIT})")
    out = {}
    unknown = set()
    rows = csv.DictReader(raw.decode("utf-8").splitlines())
    if rows.fieldnames != ["Country Name", "Country Code", "Year", "Value"]:
        sys.exit(f"{path}: unexpected header {rows.fieldnames}")
    for row in rows:
        code, year, value = row["Country Code"], int(row["Year"]), row["Value"].strip()
        if code in NOT_COUNTRIES and code not in RATE_ECONOMIES.values():
            continue
        if code not in countries and code not in RATE_ECONOMIES.values():
            unknown.add(code)
            continue
        if year < FIRST_YEAR or value == "":
            continue
        float(value)  # a number, or the script stops
        out[(code, year)] = value
    if unknown:
        sys.exit(f"{path}: codes that are neither countries nor known aggregates: {sorted(unknown)}")
    return out


def write(name, header, rows):
    with open(DATA / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to data/{name}", file=sys.stderr)


def main(argv):
    if argv == ["--download"]:
        base = fetch(ROOT / "target" / "wdi")
    elif len(argv) == 1:
        base = Path(argv[0])
    else:
        sys.exit(__doc__)
    with open(DATA / "countries.csv", encoding="utf-8") as f:
        countries = {r["iso3"] for r in csv.DictReader(f)}
    series = {s: read_series(base, s, countries) for s in SERIES}

    indicators = []
    for code, s in INDICATORS:
        for (iso3, year), value in series[s].items():
            if iso3 in countries:
                indicators.append((iso3, year, code, value, "EXACT", SOURCE, ""))
    indicators.sort(key=lambda r: (r[0], r[2], r[1]))
    write("wdi_population_gdp.csv",
          ["country", "year", "code", "value", "qualifier", "source", "note"], indicators)
    covered = {r[0] for r in indicators}
    print(f"{len(covered)} of {len(countries)} countries have WDI values; without: "
          f"{' '.join(sorted(countries - covered))}", file=sys.stderr)

    flows = []
    for flow, s in [("EXPORT", "tx.val.mrch.cd.wt"), ("IMPORT", "tm.val.mrch.cd.wt")]:
        for (iso3, year), value in series[s].items():
            if iso3 in TRADE_REPORTERS and year in TRADE_YEARS:
                flows.append((iso3, "W00", year, "TOTAL", flow, value, "", "", "EXACT", SOURCE,
                              f"{s.upper()} (merchandise {flow.lower()}s, WTO data)"))
    flows.sort(key=lambda r: (r[0], r[2], r[4]))
    write("wdi_merchandise_trade.csv",
          ["reporter", "partner", "year", "commodity", "flow", "value_usd", "quantity",
           "quantity_unit", "qualifier", "source", "note"], flows)

    rates = []
    for currency, economy in sorted(RATE_ECONOMIES.items()):
        for (iso3, year), value in series["pa.nus.fcrf"].items():
            if iso3 == economy:
                rates.append((currency, year, repr(1.0 / float(value)), "EXACT", SOURCE,
                              f"1 / {value} {currency} per US$ (PA.NUS.FCRF, {economy})"))
    rates.sort(key=lambda r: (r[0], r[1]))
    write("exchange_rates.csv",
          ["currency", "year", "usd_per_unit", "qualifier", "source", "note"], rates)


if __name__ == "__main__":
    main(sys.argv[1:])
