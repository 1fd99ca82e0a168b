#!/usr/bin/env python3
"""Generate data/countries.csv from the world-countries package.

Usage:
    python3 scripts/gen_countries.py <world-countries countries.json> [iso_3166-1.json]

Keeps exactly the ISO 3166-1 entries (Debian iso-codes is the reference list,
default /usr/share/iso-codes/json/iso_3166-1.json) and cross-checks the
alpha-2, alpha-3 and numeric codes of both sources. Entries of world-countries
that are not in ISO 3166-1 (e.g. Kosovo, UNK/XK) are dropped and reported.
Exits non-zero on any code mismatch or missing ISO entry.
Python 3 standard library only.
"""

import csv
import json
import sys
from pathlib import Path

DEFAULT_ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "countries.csv"
HEADER = ["iso3", "iso2", "numeric", "name", "official_name",
          "region", "subregion", "landlocked", "source"]
SOURCE = "world-countries"
EXPECTED_COUNT = 249


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    wc_entries = load_json(argv[1])
    iso_entries = load_json(argv[2] if len(argv) == 3 else DEFAULT_ISO)["3166-1"]

    iso_by_a3 = {e["alpha_3"]: e for e in iso_entries}
    iso_a2 = {e["alpha_2"] for e in iso_entries}
    iso_num = {e["numeric"] for e in iso_entries}

    errors = []
    rows = []
    seen = set()
    for c in wc_entries:
        a3, a2, num = c["cca3"], c["cca2"], c.get("ccn3") or ""
        iso = iso_by_a3.get(a3)
        if iso is None:
            # Not ISO 3166-1. Dropping is only safe if it does not reuse an ISO code.
            if a2 in iso_a2 or num in iso_num:
                errors.append(f"{a3}: not an ISO alpha-3 but alpha-2 {a2!r} "
                              f"or numeric {num!r} is assigned in ISO 3166-1")
            else:
                print(f"dropping non-ISO entry {a3}/{a2} ({c['name']['common']})",
                      file=sys.stderr)
            continue
        if a2 != iso["alpha_2"]:
            errors.append(f"{a3}: alpha-2 {a2!r} != ISO {iso['alpha_2']!r}")
        if num != iso["numeric"]:
            errors.append(f"{a3}: numeric {num!r} != ISO {iso['numeric']!r}")
        seen.add(a3)
        rows.append([
            a3,
            iso["alpha_2"],
            iso["numeric"],
            c["name"]["common"],
            c["name"]["official"],
            c.get("region") or "",
            c.get("subregion") or "",
            "true" if c.get("landlocked") else "false",
            SOURCE,
        ])

    for a3 in sorted(set(iso_by_a3) - seen):
        errors.append(f"{a3}: in ISO 3166-1 but missing from world-countries")
    if len(rows) != EXPECTED_COUNT:
        errors.append(f"expected {EXPECTED_COUNT} rows, got {len(rows)}")
    for col in range(3):
        values = [r[col] for r in rows]
        if len(set(values)) != len(values):
            errors.append(f"duplicate values in column {HEADER[col]}")

    if errors:
        for e in errors:
            print("ERROR: " + e, file=sys.stderr)
        sys.exit(1)

    rows.sort(key=lambda r: r[0])
    with open(OUTPUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
