#!/usr/bin/env python3
"""Generate data/currencies.csv (ISO 4217 alphabetic codes) from Debian's iso-codes.

Usage:
    python3 scripts/gen_currencies.py [iso_4217.json]

Default input: /usr/share/iso-codes/json/iso_4217.json (Debian package `iso-codes`).
Writes one row per currency, sorted by code: code, numeric, name. The API checks the
`currency` of aid written through it against this list.
Python 3 standard library only.
"""

import csv
import json
import sys
from pathlib import Path

DEFAULT_ISO = "/usr/share/iso-codes/json/iso_4217.json"
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "currencies.csv"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_ISO
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)["4217"]
    rows = sorted((e["alpha_3"], e.get("numeric", ""), e["name"]) for e in entries)
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes) or any(len(c) != 3 or not c.isupper() for c in codes):
        sys.exit("unexpected ISO 4217 codes")
    with open(OUTPUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "numeric", "name"])
        w.writerows(rows)
    print(f"wrote {len(rows)} currencies to {OUTPUT}")


if __name__ == "__main__":
    main()
