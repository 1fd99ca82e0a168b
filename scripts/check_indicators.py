#!/usr/bin/env python3
"""Recomputes tradegraph's trade indicators from a UN Comtrade-format CSV file with pandas,
following the definitions of docs/indicators.md and nothing of tradegraph's code, and compares
them with what a running server answers for the same file, to 1e-9 relative.

    check_indicators.py perturb IN.csv OUT.csv     # optional: vary the World rows (below)
    tradegraph import comtrade OUT.csv              # into the server's database
    check_indicators.py compare OUT.csv --url http://127.0.0.1:19410/graphql

`perturb` makes a generated file (`tradegraph generate`, whose World rows always equal the sum
of their partner rows) exercise the World-row rules: of the `W00` rows it drops one in eight
(the world total is then the sum over partners) and scales one in eight by 1.25 (the `W00` row
then differs from that sum and must win). The choice is a hash of the row's key, so it is the
same on every run.

The server must allow a large query (TRADEGRAPH_MAX_COMPLEXITY): every indicator is asked for
every country in one query per year, as an analyst would.
"""

import argparse
import csv
import hashlib
import json
import math
import os
import sys
import urllib.request

import pandas as pd

WORLD = "W00"


def aggregates():
    """Partners that are aggregates, never summed into a world total nor counted as markets:
    World and Comtrade's special areas ("Other Asia, nes", bunkers, …), as the bundled data
    lists them (data/country_aggregates.csv)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "country_aggregates.csv")
    with open(path, newline="") as f:
        return {row["iso3"] for row in csv.DictReader(f)} | {WORLD}


AGGREGATES = aggregates()
FLOWS = {"X": "EXPORT", "M": "IMPORT"}
REL_TOL = 1e-9
# Values that are 0 in exact arithmetic may come out as ±1e-15 from a different order of
# floating-point sums (a complementarity of 0 is 100·(1 − ½·2)).
ABS_TOL = 1e-12


def perturb(src, dst):
    with open(src, newline="") as fin, open(dst, "w", newline="") as fout:
        reader = csv.reader(fin)
        writer = csv.writer(fout, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        col = {name: i for i, name in enumerate(header)}
        key_cols = [col[c] for c in ("refYear", "reporterISO", "flowCode", "cmdCode")]
        value_col = col["primaryValue"]
        kept = dropped = scaled = 0
        for row in reader:
            if row[col["partnerISO"]] == WORLD:
                h = hashlib.sha256("|".join(row[i] for i in key_cols).encode()).digest()[0] % 8
                if h == 0:
                    dropped += 1
                    continue
                if h == 1:
                    row[value_col] = str(round(float(row[value_col]) * 1.25))
                    scaled += 1
            writer.writerow(row)
            kept += 1
    print(f"perturb: {kept} rows written, {dropped} World rows dropped, {scaled} scaled", file=sys.stderr)


def load(path):
    cols = ["refYear", "reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue", "qty", "qtyUnitAbbr"]
    df = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda c: c in cols)
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    df = df.rename(
        columns={
            "refYear": "year",
            "reporterISO": "reporter",
            "partnerISO": "partner",
            "flowCode": "flow",
            "cmdCode": "cmd",
            "primaryValue": "value",
            "qtyUnitAbbr": "unit",
        }
    )
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    # Comtrade's "no quantity": unit N/A (code -1) with a quantity of 0, or empty cells.
    no_qty = df["unit"].isin(["", "N/A"]) | (df["qty"] == "")
    df["qty"] = pd.to_numeric(df["qty"].where(~no_qty, None), errors="coerce")
    df["unit"] = df["unit"].where(~no_qty, None)
    # A key stored twice: the last row wins, as the import upserts.
    df = df.drop_duplicates(["year", "reporter", "partner", "flow", "cmd"], keep="last")
    df["level"] = df["cmd"].map(lambda c: len(c) if c.isdigit() else 0)
    return df


KEY = ["year", "reporter", "flow", "cmd"]


def world_totals(df):
    """WT(r, k, f): the W00 row, else the sum over non-aggregate partners; one row per key."""
    w00 = df[df["partner"] == WORLD].set_index(KEY)["value"]
    part = df[~df["partner"].isin(AGGREGATES)].groupby(KEY)["value"].sum()
    return w00.combine_first(part).rename("wt").reset_index()


def reporter_totals(wt, level):
    """T(r, f): WT(r, TOTAL, f), else the sum of WT over the level's codes."""
    total = wt[wt["cmd"] == "TOTAL"].set_index(["year", "reporter", "flow"])["wt"]
    codes = wt[wt["cmd"].str.len().eq(level) & wt["cmd"].str.isdigit()]
    summed = codes.groupby(["year", "reporter", "flow"])["wt"].sum()
    return total.combine_first(summed).rename("total")


def div(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or b == 0 or math.isnan(b):
        return None
    return a / b


def nested(frame, keys, key, value):
    """{keys tuple: {key: value}} of a frame."""
    out = {}
    for k, v, x in zip(zip(*(frame[c] for c in keys)), frame[key], frame[value]):
        out.setdefault(k, {})[v] = x
    return out


class Expected:
    """Every indicator of docs/indicators.md, recomputed from the file."""

    def __init__(self, df, level=2):
        self.df = df
        wt = world_totals(df)
        codes = wt[wt["cmd"].str.len().eq(level) & wt["cmd"].str.isdigit()]
        # WT(r, k, f) of the level's codes: {(year, reporter, flow): {code: value}}.
        self.wt = nested(codes, ["year", "reporter", "flow"], "cmd", "wt")
        self.tot = reporter_totals(wt, level)
        self.tot_map = {k: float(v) for k, v in self.tot.items() if not math.isnan(v)}
        lvl = df[df["level"] == level]
        # Rows with one partner at the level: {(year, reporter, partner, flow): {code: value}}.
        self.rows = nested(lvl, ["year", "reporter", "partner", "flow"], "cmd", "value")
        # TOTAL exports by partner: {(year, partner): {reporter: value}}.
        t = df[(df["flow"] == "X") & (df["cmd"] == "TOTAL")]
        self.total_to = nested(t, ["year", "partner"], "reporter", "value")
        # Markets: non-aggregate partners with exports above 0, per code the reporter exports.
        x = lvl[(lvl["flow"] == "X") & ~lvl["partner"].isin(AGGREGATES)]
        markets = x.assign(pos=x["value"] > 0).groupby(["year", "reporter", "cmd"])["pos"].sum().reset_index()
        self.markets = nested(markets, ["year", "reporter"], "cmd", "pos")
        self.by_series = {k: g for k, g in df.groupby(["reporter", "cmd", "flow"])}
        self.views = {}
        for (year, flow), g in codes.groupby(["year", "flow"]):
            v = self.views.setdefault(int(year), {"xw": {}, "XW": None, "importers": {}})
            if flow == "X":
                v["xw"] = g.groupby("cmd")["wt"].sum().to_dict()
            elif flow == "M":
                v["importers"] = g[g["wt"] > 0].groupby("cmd")["reporter"].nunique().to_dict()
        for (year, _, flow), total in self.tot_map.items():
            if flow == "X":
                v = self.views.setdefault(int(year), {"xw": {}, "XW": None, "importers": {}})
                v["XW"] = (v["XW"] or 0.0) + total

    def wt_codes(self, year, reporter, flow):
        return self.wt.get((year, reporter, flow), {})

    def total(self, year, reporter, flow):
        return self.tot_map.get((year, reporter, flow))

    def year_views(self, year):
        return self.views.get(year, {"xw": {}, "XW": None, "importers": {}})

    def rca(self, year, reporter, view):
        xi = self.total(year, reporter, "X")
        return {
            k: div(div(x, xi), div(view["xw"].get(k), view["XW"]))
            for k, x in self.wt_codes(year, reporter, "X").items()
        }

    def intensity(self, year, reporter, partner, view):
        to_j = self.total_to.get((year, partner), {})
        if reporter not in to_j:
            return None
        xwj = sum(v for r, v in to_j.items() if r != partner)
        return div(div(to_j[reporter], self.total(year, reporter, "X")), div(xwj, view["XW"]))

    def complementarity(self, year, reporter, partner):
        x = self.wt_codes(year, reporter, "X")
        m = self.wt_codes(year, partner, "M")
        sx, sm = sum(x.values()), sum(m.values())
        if not x or not m or sx == 0 or sm == 0:
            return None
        gap = sum(abs(m.get(k, 0.0) / sm - x.get(k, 0.0) / sx) for k in set(x) | set(m))
        return 100.0 * (1.0 - 0.5 * gap)

    def two_way(self, year, reporter, partner):
        """{code: (x or None, m or None)} with a partner, or the world totals (partner None)."""
        if partner is None:
            x, m = self.wt_codes(year, reporter, "X"), self.wt_codes(year, reporter, "M")
        else:
            x = self.rows.get((year, reporter, partner, "X"), {})
            m = self.rows.get((year, reporter, partner, "M"), {})
        return {k: (x.get(k), m.get(k)) for k in set(x) | set(m)}

    @staticmethod
    def both_sides(pairs):
        return any(x is not None for x, _ in pairs.values()) and any(m is not None for _, m in pairs.values())

    def intra_industry(self, year, reporter, partner):
        pairs = self.two_way(year, reporter, partner)
        if not self.both_sides(pairs):
            return None
        gap = sum(abs((x or 0.0) - (m or 0.0)) for x, m in pairs.values())
        total = sum((x or 0.0) + (m or 0.0) for x, m in pairs.values())
        return None if total == 0 else 1.0 - gap / total

    def per_code(self, year, reporter, partner, f):
        pairs = self.two_way(year, reporter, partner)
        ok = self.both_sides(pairs)
        return {k: (f(x or 0.0, m or 0.0) if ok else None) for k, (x, m) in pairs.items()}

    def intra_industry_by_code(self, year, reporter, partner):
        return self.per_code(year, reporter, partner, lambda x, m: None if x + m == 0 else 1.0 - abs(x - m) / (x + m))

    def relative_trade_balance(self, year, reporter):
        return self.per_code(year, reporter, None, lambda x, m: None if x + m == 0 else (x - m) / (x + m))

    def diversification(self, year, reporter):
        x = self.wt_codes(year, reporter, "X")
        if not x:
            return None
        s = sum(x.values())
        hhi = None if s == 0 else sum((v / s) ** 2 for v in x.values())
        return {"hhi": hhi, "products": sum(1 for v in x.values() if v > 0)}

    def penetration(self, year, reporter, view):
        out = {}
        for k, n in self.markets.get((year, reporter), {}).items():
            d = int(view["importers"].get(k, 0))
            out[k] = (None if d == 0 else int(n) / d, int(n), d)
        return out

    def unit_values(self, reporter, cmd, flow, partner):
        r = self.by_series.get((reporter, cmd, flow))
        if r is None:
            return []
        rows = []
        for year, g in sorted(r.groupby("year"), key=lambda t: t[0]):
            if partner is None:
                w = g[g["partner"] == WORLD]
                if not w.empty:
                    value, q, unit = float(w["value"].iloc[0]), w["qty"].iloc[0], w["unit"].iloc[0]
                    q = None if unit is None or pd.isna(q) else float(q)
                else:
                    p = g[~g["partner"].isin(AGGREGATES)]
                    if p.empty:
                        continue
                    value = float(p["value"].sum())
                    measured = p["qty"].notna() & p["unit"].notna()
                    one_unit = measured.all() and p["unit"].nunique() == 1
                    q = float(p["qty"].sum()) if one_unit else None
                    unit = p["unit"].iloc[0] if one_unit else None
            else:
                p = g[g["partner"] == partner]
                if p.empty:
                    continue
                value, q, unit = float(p["value"].iloc[0]), p["qty"].iloc[0], p["unit"].iloc[0]
                q = None if unit is None or pd.isna(q) else float(q)
            unit = unit if q is not None else None
            rows.append({"year": int(year), "value": value, "quantity": q, "unit": unit, "uv": div(value, q)})
        for prev, row in zip([None] + rows[:-1], rows):
            consecutive = prev is not None and prev["year"] == row["year"] - 1
            same_unit = consecutive and row["unit"] is not None and prev["unit"] == row["unit"]
            row["gv"] = div(row["value"], prev["value"]) - 1 if consecutive and prev["value"] else None
            row["gq"] = div(row["quantity"], prev["quantity"]) if same_unit else None
            row["gq"] = None if row["gq"] is None else row["gq"] - 1
            row["guv"] = div(row["uv"], prev["uv"]) if same_unit and row["uv"] is not None else None
            row["guv"] = None if row["guv"] is None else row["guv"] - 1
        return rows


class Api:
    def __init__(self, url):
        self.url = url
        self.requests = 0

    def query(self, text):
        body = json.dumps({"query": text}).encode()
        req = urllib.request.Request(self.url, body, {"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as resp:
            answer = json.load(resp)
        self.requests += 1
        if answer.get("errors"):
            raise SystemExit(f"the API answered with errors: {json.dumps(answer['errors'])[:2000]}")
        return answer["data"]


class Comparison:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, what, got, want):
        if got is None or want is None:
            ok = got is None and want is None
        elif isinstance(want, str):
            ok = got == want
        else:
            ok = math.isclose(float(got), float(want), rel_tol=REL_TOL, abs_tol=ABS_TOL)
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{what}: API {got!r}, recomputed {want!r}")

    def check_list(self, what, got_rows, want, fields):
        """A ranked list against {code: value or tuple}: same codes, each value close, ranked by
        value descending (nulls last), ties by code."""
        got = {r["commodity"]["code"]: r for r in got_rows}
        self.check(f"{what} codes", ",".join(sorted(got)), ",".join(sorted(want)))
        for k, w in want.items():
            w = w if isinstance(w, tuple) else (w,)
            for field, wv in zip(fields, w):
                self.check(f"{what} {k} {field}", got.get(k, {}).get(field), wv)
        order = [(r["value"] is None, -(r["value"] or 0.0), r["commodity"]["code"]) for r in got_rows]
        for a, b in zip(order, order[1:]):
            tied = not a[0] and not b[0] and math.isclose(a[1], b[1], rel_tol=REL_TOL, abs_tol=ABS_TOL)
            if a > b and not tied:
                self.failures.append(f"{what}: not ranked by value, then code: {a} before {b}")
        self.passed += 1


def year_query(year, partners):
    pairs = "\n".join(
        f'ti{i}: tradeIntensity(partner: "{p}", year: {year}) tc{i}: tradeComplementarity(partner: "{p}", year: {year}) '
        f'gl{i}: intraIndustryTrade(partner: "{p}", year: {year}) '
        f'glc{i}: intraIndustryTradeByCode(partner: "{p}", year: {year}, limit: 1000) {{ commodity {{ code }} value }}'
        for i, p in enumerate(partners)
    )
    return f"""{{ countries(first: 1000) {{ nodes {{ iso3
      rca(year: {year}, limit: 1000) {{ rank commodity {{ code }} value exportsUsd totalExportsUsd worldExportsUsd worldTotalExportsUsd }}
      {pairs}
      glw: intraIndustryTrade(year: {year})
      glcw: intraIndustryTradeByCode(year: {year}, limit: 1000) {{ commodity {{ code }} value }}
      div: exportDiversification(year: {year}) {{ hhi products }}
      pen: marketPenetration(year: {year}, limit: 1000) {{ commodity {{ code }} value markets importers }}
      openness(year: {year}) exportsPerCapita(year: {year})
      gdp: indicator(code: "GDP_USD", year: {year}) pop: indicator(code: "POPULATION", year: {year})
      rtb: relativeTradeBalance(year: {year}, limit: 1000) {{ commodity {{ code }} value }}
    }} }} }}"""


def compare(args):
    df = load(args.csv)
    exp = Expected(df)
    api = Api(args.url)
    c = Comparison()
    years = sorted(df["year"].unique())
    reporters = sorted(df["reporter"].unique())
    for year in years:
        year = int(year)
        view = exp.year_views(year)
        # Partners: the largest importer of the year, and one more chosen by a hash of the year.
        m = exp.tot.reset_index()
        m = m[(m["year"] == year) & (m["flow"] == "M")].sort_values(["total", "reporter"], ascending=[False, True])
        partners = list(m["reporter"].head(1))
        if len(reporters) > 1:
            partners.append(reporters[int(hashlib.sha256(str(year).encode()).hexdigest(), 16) % len(reporters)])
        nodes = {n["iso3"]: n for n in api.query(year_query(year, partners))["countries"]["nodes"]}
        for iso3, n in nodes.items():
            tag = f"{year} {iso3}"
            xs = exp.wt_codes(year, iso3, "X")
            want_rca = {k: (v, xs[k]) for k, v in exp.rca(year, iso3, view).items()}
            c.check_list(f"{tag} rca", n["rca"], want_rca, ["value", "exportsUsd"])
            for r in n["rca"]:
                c.check(f"{tag} rca X_i", r["totalExportsUsd"], exp.total(year, iso3, "X"))
                c.check(f"{tag} rca X_Wk", r["worldExportsUsd"], view["xw"].get(r["commodity"]["code"]))
                c.check(f"{tag} rca X_W", r["worldTotalExportsUsd"], view["XW"])
            for i, p in enumerate(partners):
                c.check(f"{tag} tradeIntensity {p}", n[f"ti{i}"], exp.intensity(year, iso3, p, view))
                c.check(f"{tag} tradeComplementarity {p}", n[f"tc{i}"], exp.complementarity(year, iso3, p))
                c.check(f"{tag} intraIndustryTrade {p}", n[f"gl{i}"], exp.intra_industry(year, iso3, p))
                c.check_list(f"{tag} intraIndustryTradeByCode {p}", n[f"glc{i}"], exp.intra_industry_by_code(year, iso3, p), ["value"])
            c.check(f"{tag} intraIndustryTrade", n["glw"], exp.intra_industry(year, iso3, None))
            c.check_list(f"{tag} intraIndustryTradeByCode", n["glcw"], exp.intra_industry_by_code(year, iso3, None), ["value"])
            d = exp.diversification(year, iso3)
            if d is None or n["div"] is None:
                c.check(f"{tag} exportDiversification", n["div"], d)
            else:
                c.check(f"{tag} hhi", n["div"]["hhi"], d["hhi"])
                c.check(f"{tag} products", n["div"]["products"], d["products"])
            c.check_list(f"{tag} marketPenetration", n["pen"], exp.penetration(year, iso3, view), ["value", "markets", "importers"])
            x, mm = exp.total(year, iso3, "X"), exp.total(year, iso3, "M")
            c.check(f"{tag} openness", n["openness"], div(None if x is None or mm is None else x + mm, n["gdp"]))
            c.check(f"{tag} exportsPerCapita", n["exportsPerCapita"], div(x, n["pop"]))
            c.check_list(f"{tag} relativeTradeBalance", n["rtb"], exp.relative_trade_balance(year, iso3), ["value"])
        # Every reporter of the file is a country the API lists.
        c.check(f"{year} reporters listed", ",".join(sorted(set(reporters) - set(nodes))), "")

    # Unit values: a few chapters with quantities, both flows, the world and one partner.
    with_qty = df[df["qty"].notna() & (df["level"] == 2)]
    cmds = sorted(with_qty["cmd"].unique())[: args.unit_value_codes]
    partner = reporters[0] if reporters else WORLD
    for cmd in cmds:
        for flow, name in FLOWS.items():
            q = f"""{{ countries(first: 1000) {{ nodes {{ iso3
                w: unitValues(commodity: "{cmd}", flow: {name}) {{ year valueUsd quantity quantityUnit unitValue valueGrowth volumeGrowth unitValueGrowth }}
                p: unitValues(commodity: "{cmd}", partner: "{partner}", flow: {name}) {{ year valueUsd quantity quantityUnit unitValue valueGrowth volumeGrowth unitValueGrowth }}
            }} }} }}"""
            for n in api.query(q)["countries"]["nodes"]:
                for alias, p in (("w", None), ("p", partner)):
                    want = exp.unit_values(n["iso3"], cmd, flow, p)
                    tag = f"{n['iso3']} unitValues {cmd} {flow} {p or WORLD}"
                    c.check(f"{tag} years", ",".join(str(r["year"]) for r in n[alias]), ",".join(str(r["year"]) for r in want))
                    for g, w in zip(n[alias], want):
                        for field, key in (
                            ("valueUsd", "value"),
                            ("quantity", "quantity"),
                            ("quantityUnit", "unit"),
                            ("unitValue", "uv"),
                            ("valueGrowth", "gv"),
                            ("volumeGrowth", "gq"),
                            ("unitValueGrowth", "guv"),
                        ):
                            c.check(f"{tag} {g['year']} {field}", g[field], w[key])

    for f in c.failures[:30]:
        print("MISMATCH", f, file=sys.stderr)
    print(
        f"indicators: {len(df)} flows, {len(years)} years, {len(reporters)} reporters, {api.requests} queries; "
        f"values agree to {REL_TOL:g} relative",
        file=sys.stderr,
    )
    print(f"indicators recomputed: {c.passed} passed, {len(c.failures)} failed")
    return 1 if c.failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("perturb", help="vary the World rows of a generated file")
    p.add_argument("src")
    p.add_argument("dst")
    c = sub.add_parser("compare", help="recompute every indicator and compare with the API")
    c.add_argument("csv")
    c.add_argument("--url", required=True, help="the server's /graphql")
    c.add_argument("--unit-value-codes", type=int, default=3, help="chapters checked for unit values")
    args = ap.parse_args()
    if args.command == "perturb":
        perturb(args.src, args.dst)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
