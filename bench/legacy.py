#!/usr/bin/env python3
"""Rewrites a file in today's Comtrade format (as `tradegraph generate` writes it) in the two
legacy layouts, so the benchmark loads the same rows in each format.

    python3 bench/legacy.py today.csv legacy_long.csv legacy_short.csv

The legacy long layout keeps the ISO columns; the short one has codes and names only. Flows
become legacy codes and names (X -> 2 Export, M -> 1 Import), World `W00` becomes `WLD`.
Python 3 standard library only.
"""

import csv
import sys

LONG = ["Classification", "Year", "Period", "Period Desc.", "Aggregate Level", "Is Leaf Code",
        "Trade Flow Code", "Trade Flow", "Reporter Code", "Reporter", "Reporter ISO",
        "Partner Code", "Partner", "Partner ISO", "Commodity Code", "Commodity",
        "Qty Unit Code", "Qty Unit", "Qty", "Netweight (kg)", "Trade Value (US$)", "Flag"]
SHORT = ["Classification", "Year", "Trade Flow Code", "Trade Flow", "Reporter Code", "Reporter",
         "Partner Code", "Partner", "Commodity Code", "Commodity", "Trade Value (US$)", "Flag"]
FLOWS = {"X": ("2", "Export"), "M": ("1", "Import"), "RX": ("3", "Re-Export"), "RM": ("4", "Re-Import")}


def main():
    src, long_path, short_path = sys.argv[1:4]
    with open(src, newline="") as f, open(long_path, "w", newline="") as fl, open(short_path, "w", newline="") as fs:
        rows = csv.DictReader(f)
        wl, ws = csv.writer(fl, lineterminator="\n"), csv.writer(fs, lineterminator="\n")
        wl.writerow(LONG)
        ws.writerow(SHORT)
        for r in rows:
            code, name = FLOWS[r["flowCode"]]
            partner_iso = "WLD" if r["partnerISO"] == "W00" else r["partnerISO"]
            no_qty = r["qtyUnitCode"] == "-1"
            unit = "No Quantity" if no_qty else r["qtyUnitAbbr"]
            flag = "0" if r["isReported"] == "true" else "2"
            year = r["refYear"]
            wl.writerow([r["classificationCode"], year, year, year, r["aggrLevel"], "0", code, name,
                         r["reporterCode"], r["reporterDesc"], r["reporterISO"],
                         r["partnerCode"], r["partnerDesc"], partner_iso, r["cmdCode"], r["cmdDesc"],
                         "1" if no_qty else r["qtyUnitCode"], unit, "0" if no_qty else r["qty"], "",
                         r["primaryValue"], flag])
            ws.writerow([r["classificationCode"], year, code, name, r["reporterCode"], r["reporterDesc"],
                         r["partnerCode"], r["partnerDesc"], r["cmdCode"], r["cmdDesc"], r["primaryValue"], flag])


if __name__ == "__main__":
    main()
