"""Every bulk export as Parquet, read with pyarrow, next to the same export as CSV.

    python export_read_parquet.py http://127.0.0.1:8080

For each table, `pyarrow.parquet.read_table` on the `.parquet` file gives typed columns
(integers, floats, strings, dates, booleans; nulls where the CSV is empty), and the same
rows and values as `pandas.read_csv` on the `.csv` file. .ci/outside-checks runs this file
against a live server. Files this small are read on one thread (`use_threads=False`): on a
loaded machine pyarrow's thread pool once aborted the interpreter at exit ("terminate called
without an active exception") after every check had passed.
"""

import io
import sys
import urllib.request

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"

TABLES = [
    "trade-flows?reporter=ARM",
    "indicators?country=ARM",
    "memberships",
    "exchange-rates",
    "countries",
    "aid-pledges",
    "import-dependencies",
]


def fetch(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers.get("Content-Type"), response.read()


for table in TABLES:
    path, _, query = table.partition("?")
    media, body = fetch(f"{BASE}/export/{path}.parquet?{query}")
    assert media == "application/vnd.apache.parquet", media
    parquet = pq.read_table(io.BytesIO(body), use_threads=False)
    # The CSV as text, to compare with the Parquet file's typed values (None for null).
    csv = pd.read_csv(f"{BASE}/export/{path}.csv?{query}", dtype=str, keep_default_na=False)
    assert parquet.column_names == list(csv.columns), (path, parquet.column_names, list(csv.columns))
    assert parquet.num_rows == len(csv) > 0, (path, parquet.num_rows, len(csv))
    for name in csv.columns:
        kind = parquet.schema.field(name).type
        for p, c in zip(parquet.column(name).to_pylist(), csv[name]):
            if p is None:
                assert c == "", (path, name, p, c)
            elif pa.types.is_floating(kind):
                assert float(p) == float(c), (path, name, p, c)
            elif pa.types.is_boolean(kind):
                assert str(p).lower() == c, (path, name, p, c)
            else:
                assert str(p) == c, (path, name, p, c)
    print(f"{path}: {len(csv)} rows, {parquet.num_columns} columns, Parquet = CSV")

# Typed columns of the flows, and the seed's figures.
media, body = fetch(f"{BASE}/export/trade-flows?reporter=ARM", accept="application/vnd.apache.parquet")
flows = pq.read_table(io.BytesIO(body), use_threads=False)
schema = flows.schema
assert schema.field("id").type == pa.int64() and not schema.field("id").nullable, schema
assert schema.field("year").type == pa.int32(), schema
assert schema.field("value_usd").type == pa.float64(), schema
assert schema.field("quantity").type == pa.float64() and schema.field("quantity").nullable, schema
assert schema.field("reporter").type == pa.string(), schema
df = flows.to_pandas(use_threads=False)
rus_2023 = df[(df.partner == "RUS") & (df.year == 2023) & (df.commodity == "TOTAL")].set_index("flow")
assert rus_2023.loc["EXPORT", "value_usd"] == 4e9
assert rus_2023.loc["IMPORT", "value_usd"] == 3e9 and rus_2023.loc["IMPORT", "qualifier"] == "AT_LEAST"

memberships = pq.read_table(io.BytesIO(fetch(f"{BASE}/export/memberships.parquet?country=ARM")[1]), use_threads=False)
assert memberships.schema.field("since").type == pa.date32(), memberships.schema
print(f"pyarrow on the Parquet export: {len(df)} Armenian flows, typed; 2023 exports to Russia US$4 billion")
