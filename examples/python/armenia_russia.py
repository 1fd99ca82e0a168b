"""Armenia–Russia trade as a pandas DataFrame, with the Python GraphQL client gql, and the
other main figures of the seed document (partner shares, dependencies, aid, remittances),
each printed with its qualifier and source.

    python armenia_russia.py http://127.0.0.1:8080/graphql

The client loads the schema by introspection and checks the queries against it before
sending them. .ci/run runs this file against a live server: the trade figures must equal
the bundled rows in data/trade_flows.csv and data/trade_totals.csv, and every figure what
the document states (examples/node/armenia_russia.mjs checks the same in Node).
"""

import csv
import pathlib
import sys

import pandas as pd
from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080/graphql"

QUERY = gql(
    """
    query ($partner: String!) {
      country(code: "ARM") {
        tradeWith(partner: $partner, fromYear: 2021, toYear: 2023) {
          year exportsUsd importsUsd totalTradeUsd totalTradeUsdQualifier totalTradeStated balanceUsd
        }
      }
    }
    """
)

client = Client(transport=RequestsHTTPTransport(url=URL, timeout=30), fetch_schema_from_transport=True)
result = client.execute(QUERY, variable_values={"partner": "RUS"})
df = pd.DataFrame(result["country"]["tradeWith"]).set_index("year")
print(df.to_string())

# The witness: the bundled rows the server loaded. Flows where the document gives them,
# totals where it gives only the total.
data = pathlib.Path(__file__).parents[2] / "data"
flows = {
    (int(r["year"]), r["flow"]): float(r["value_usd"])
    for r in csv.DictReader((data / "trade_flows.csv").open())
    if r["reporter"] == "ARM" and r["partner"] == "RUS" and r["commodity"] == "TOTAL"
}
totals = {
    int(r["year"]): float(r["value_usd"])
    for r in csv.DictReader((data / "trade_totals.csv").open())
    if r["reporter"] == "ARM" and r["partner"] == "RUS" and r["commodity"] == "TOTAL"
}


def same(got, expected):
    return pd.isna(got) if expected is None else got == expected


assert list(df.index) == [2021, 2022, 2023], df.index
for year in df.index:
    x, m = flows.get((year, "EXPORT")), flows.get((year, "IMPORT"))
    assert same(df.loc[year, "exportsUsd"], x), year
    assert same(df.loc[year, "importsUsd"], m), year
    both = x is not None and m is not None
    assert same(df.loc[year, "totalTradeUsd"], x + m if both else totals.get(year)), year
    assert bool(df.loc[year, "totalTradeStated"]) == (not both and year in totals), year
    assert same(df.loc[year, "balanceUsd"], x - m if both else None), year
# "over US$7 billion" in 2023: exports of US$4 billion plus over US$3 billion of imports.
assert df.loc[2023, "totalTradeUsd"] == 7e9 and df.loc[2023, "totalTradeUsdQualifier"] == "AT_LEAST"
print("gql + pandas: ARM–RUS 2021–2023 equals data/trade_flows.csv and data/trade_totals.csv")

# The document's other figures, each with its qualifier and source.
FIGURES = gql(
    """
    query {
      country(code: "ARM") {
        statedPartnerShares { partnerCode flow share qualifier source { ...S } }
        importDependencies { product share qualifier supplier { iso3 } source { ...S } }
        aidReceived { donorCode referenceYear amount currency amountUsd amountUsdQualifier source { ...S } }
        remittances: indicatorValue(code: "REMITTANCES_USD", year: 2023) { value qualifier source { ...S } }
      }
      machinery: tradeFlows(reporter: "ARM", partner: "W00", commodity: "XVI", flow: EXPORT) {
        nodes { year valueUsd qualifier source { ...S } }
      }
    }
    fragment S on Source { title publisher year url }
    """
)
answer = client.execute(FIGURES)
got = answer["country"]
machinery = answer["machinery"]["nodes"]
WORD = {"EXACT": "", "APPROXIMATE": "about ", "AT_LEAST": "over ", "AT_MOST": "at most ", "ESTIMATE": "an estimated "}


def cite(s):
    return f"{s['title']} ({s['publisher']}, {s['year']})" + (f" <{s['url']}>" if s["url"] else "")


def check(what, value, qualifier, source, expected, expected_qualifier, text):
    assert abs(value - expected) <= 1e-9 * abs(expected), (what, value, expected)
    assert qualifier == expected_qualifier, (what, qualifier)
    print(f"{what}: {WORD[qualifier]}{text(value)} — {cite(source)}")


def usd(v):
    return f"US${v / 1e9:g} billion" if v >= 1e9 else f"US${v / 1e6:g} million"


def pct(v):
    return f"{v * 100:g}%"


shares = pd.DataFrame(got["statedPartnerShares"]).set_index(["partnerCode", "flow"])
for code, flow, share, qualifier in [
    ("RUS", "EXPORT", 0.40, "EXACT"),
    ("RUS", "IMPORT", 0.32, "EXACT"),
    ("EU", "EXPORT", 0.06, "AT_LEAST"),
    ("EU", "IMPORT", 0.09, "EXACT"),
    ("USA", "IMPORT", 0.05, "APPROXIMATE"),
]:
    row = shares.loc[(code, flow)]
    check(f"{code} share of Armenia's {flow.lower()}s", row["share"], row["qualifier"], row["source"], share, qualifier, pct)

deps = got["importDependencies"]
assert len(deps) == 7
for needle, share, qualifier in [
    ("Wheat", 0.98, "EXACT"),
    ("Agrifood", 0.35, "AT_MOST"),
    ("Poultry", 0.39, "EXACT"),
    ("Bread", 0.50, "AT_LEAST"),
    ("Fertili", 0.38, "EXACT"),
    ("gas", 0.85, "EXACT"),
    ("Electricity", 0.70, "AT_MOST"),
]:
    d = next(d for d in deps if needle in d["product"])
    assert d["supplier"]["iso3"] == "RUS"
    check(f"Russia's share of {d['product']}", d["share"], d["qualifier"], d["source"], share, qualifier, pct)

for year, value, qualifier in [(2021, 60e6, "APPROXIMATE"), (2023, 1e9, "EXACT")]:
    m = next(f for f in machinery if f["year"] == year)
    check(f"Machinery exports (HS XVI) {year}", m["valueUsd"], m["qualifier"], m["source"], value, qualifier, usd)

aid = {(a["donorCode"], a["referenceYear"]): a for a in got["aidReceived"]}
assert len(aid) == 3
eu = aid[("EU", 2024)]
assert (eu["amount"], eu["currency"]) == (270e6, "EUR")
# At 2024's yearly average rate (WDI: 0.923889546117607 EUR per US$).
check("EU pledge 2024 (EUR 270 million), in US$", eu["amountUsd"], eu["amountUsdQualifier"], eu["source"], 270e6 / 0.923889546117607, "EXACT", usd)
for key, value in [(("USA", 2024), 65e6), (("USA", 2023), 87e6)]:
    a = aid[key]
    check(f"US aid {key[1]}", a["amountUsd"], a["amountUsdQualifier"], a["source"], value, "EXACT", usd)

r = got["remittances"]
check("Remittances 2023", r["value"], r["qualifier"], r["source"], 5.7e9, "EXACT", usd)
print("gql + pandas: the seed document's shares, dependencies, machinery exports, aid and remittances as stated")
