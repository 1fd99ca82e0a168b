"""Armenia–Russia trade as a pandas DataFrame, with the Python GraphQL client gql.

    python armenia_russia.py http://127.0.0.1:8080/graphql

The client loads the schema by introspection and checks the query against it before
sending it. .ci/run runs this file against a live server: the figures must equal the
bundled rows in data/trade_flows.csv and data/trade_totals.csv.
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
