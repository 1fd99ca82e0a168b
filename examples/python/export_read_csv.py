"""Armenia's trade flows as a pandas DataFrame straight from the bulk export.

    python export_read_csv.py http://127.0.0.1:8080

One `read_csv` gives a flat, typed table (ISO codes, names, qualifier, source); its row count
equals `tradeFlows(reporter: "ARM") { totalCount }` asked with gql. .ci/outside-checks runs
this file against a live server: the seed's figures (Armenia's 2023 exports to Russia,
US$4 billion, and imports from it, over US$3 billion) must come out of the table.
"""

import sys

import pandas as pd
from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"

flows = pd.read_csv(f"{BASE}/export/trade-flows.csv?reporter=ARM")
print(flows[["reporter", "partner", "year", "commodity", "flow", "value_usd", "qualifier"]].to_string())

client = Client(transport=RequestsHTTPTransport(url=f"{BASE}/graphql", timeout=30))
total = client.execute(gql('{ tradeFlows(reporter: "ARM") { totalCount } }'))["tradeFlows"]["totalCount"]
assert len(flows) == total, (len(flows), total)

# Typed columns, as read_csv infers them from the file alone.
assert flows["year"].dtype == "int64", flows.dtypes
# Whole dollars come out as int64, cents as float64: numeric either way, never text.
assert pd.api.types.is_numeric_dtype(flows["value_usd"]), flows.dtypes
assert set(flows["reporter"]) == {"ARM"}

rus_2023 = flows[(flows.partner == "RUS") & (flows.year == 2023) & (flows.commodity == "TOTAL")].set_index("flow")
assert rus_2023.loc["EXPORT", "value_usd"] == 4e9
assert rus_2023.loc["IMPORT", "value_usd"] == 3e9 and rus_2023.loc["IMPORT", "qualifier"] == "AT_LEAST"
assert rus_2023.loc["EXPORT", "source_key"] == "rb-russia-armenia-2024"

# Filters as query parameters, the same as the GraphQL arguments.
imports = pd.read_csv(f"{BASE}/export/trade-flows.csv?reporter=ARM&flows=IMPORT&year=2023")
assert list(imports["flow"].unique()) == ["IMPORT"]
print(f"read_csv on the export: {len(flows)} rows = totalCount; 2023 exports to Russia US$4 billion, imports over US$3 billion")
