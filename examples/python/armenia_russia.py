"""Armenia–Russia trade as a pandas DataFrame, with the Python GraphQL client gql.

    python armenia_russia.py http://127.0.0.1:8080/graphql

The client loads the schema by introspection and checks the query against it before
sending it. .ci/run runs this file against a live server: the figures must equal the
bundled rows in data/trade_flows.csv.
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
          year exportsUsd importsUsd totalTradeUsd balanceUsd
        }
      }
    }
    """
)

client = Client(transport=RequestsHTTPTransport(url=URL, timeout=30), fetch_schema_from_transport=True)
result = client.execute(QUERY, variable_values={"partner": "RUS"})
df = pd.DataFrame(result["country"]["tradeWith"]).set_index("year")
print(df.to_string())

# The witness: the bundled rows the server loaded.
rows = csv.DictReader((pathlib.Path(__file__).parents[2] / "data" / "trade_flows.csv").open())
stated = {
    (int(r["year"]), r["flow"]): float(r["value_usd"])
    for r in rows
    if r["reporter"] == "ARM" and r["partner"] == "RUS" and r["commodity"] == "TOTAL"
}
assert list(df.index) == [2021, 2022, 2023], df.index
for year in df.index:
    assert df.loc[year, "exportsUsd"] == stated[(year, "EXPORT")], year
    assert df.loc[year, "importsUsd"] == stated[(year, "IMPORT")], year
    assert df.loc[year, "totalTradeUsd"] == df.loc[year, "exportsUsd"] + df.loc[year, "importsUsd"]
    assert df.loc[year, "balanceUsd"] == df.loc[year, "exportsUsd"] - df.loc[year, "importsUsd"]
print("gql + pandas: ARM–RUS 2021–2023 equals data/trade_flows.csv")
