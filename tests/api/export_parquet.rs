//! Parquet export (issue 10.1): every table as `.parquet` (or with `Accept:
//! application/vnd.apache.parquet`), read back with the parquet crate: typed columns, the
//! same rows and values as the CSV export, row groups of 64 Ki rows.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use axum::http::StatusCode;
use entity::enums::{FlowKind, Qualifier};
use entity::{country, trade_flow};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::export::{get, get_bytes, rows};
use crate::helpers::TestApp;
use crate::on_both_backends;

const PARQUET: &str = "application/vnd.apache.parquet";

/// A Parquet file as its schema (name, type, nullable), its row groups' sizes, and its
/// rows with every value written as the CSV export writes it (empty for null).
type Rows = Vec<std::collections::HashMap<String, String>>;
fn read(file: axum::body::Bytes) -> (Vec<(String, DataType, bool)>, Vec<i64>, Rows) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let groups = builder.metadata().row_groups().iter().map(|g| g.num_rows()).collect();
    let schema = builder
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let mut out = Vec::new();
    for batch in builder.build().unwrap() {
        let batch: RecordBatch = batch.unwrap();
        for i in 0..batch.num_rows() {
            let row = batch
                .schema()
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, c)| (f.name().clone(), text(c.as_ref(), i)))
                .collect();
            out.push(row);
        }
    }
    (schema, groups, out)
}

/// Value `i` of `column` as CSV text.
fn text(column: &dyn Array, i: usize) -> String {
    if column.is_null(i) {
        return String::new();
    }
    match column.data_type() {
        DataType::Int32 => column.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => column.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Float64 => column.as_primitive::<Float64Type>().value(i).to_string(),
        DataType::Utf8 => column.as_string::<i32>().value(i).to_owned(),
        DataType::Boolean => column.as_boolean().value(i).to_string(),
        DataType::Date32 => column
            .as_primitive::<Date32Type>()
            .value_as_date(i)
            .unwrap()
            .to_string(),
        other => panic!("unexpected column type {other}"),
    }
}

async fn every_table_as_parquet_equals_its_csv(app: TestApp) {
    for table in [
        "trade-flows?reporter=ARM",
        "indicators?country=ARM",
        "memberships",
        "exchange-rates",
        "countries",
        "aid-pledges",
        "import-dependencies",
    ] {
        let (path, query) = table.split_once('?').unwrap_or((table, ""));
        let (status, media, file) = get_bytes(&app, &format!("/export/{path}.parquet?{query}"), None).await;
        assert_eq!(status, StatusCode::OK, "{table}");
        assert_eq!(media, PARQUET);
        let (_, _, csv) = get(&app, &format!("/export/{path}.csv?{query}"), None).await;
        let (schema, _, parquet_rows) = read(file);
        let csv_rows = rows(&csv);
        assert!(!csv_rows.is_empty(), "{table}");
        assert_eq!(parquet_rows, csv_rows, "{table}");
        let header: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let names: Vec<String> = schema.iter().map(|c| c.0.clone()).collect();
        assert_eq!(names, header, "{table}");
    }

    // Typed columns.
    let (_, _, file) = get_bytes(&app, "/export/trade-flows.parquet?reporter=ARM", None).await;
    let (schema, groups, flows) = read(file);
    let types: Vec<(&str, &DataType, bool)> = schema.iter().map(|(n, t, null)| (n.as_str(), t, *null)).collect();
    assert_eq!(types[0], ("id", &DataType::Int64, false));
    assert_eq!(types[1], ("reporter", &DataType::Utf8, true));
    assert_eq!(types[5], ("year", &DataType::Int32, false));
    assert_eq!(types[9], ("value_usd", &DataType::Float64, false));
    assert_eq!(types[10], ("quantity", &DataType::Float64, true));
    assert_eq!(types[12], ("qualifier", &DataType::Utf8, false));
    let total = app.data(r#"{ tradeFlows(reporter: "ARM") { totalCount } }"#).await["tradeFlows"]["totalCount"]
        .as_i64()
        .unwrap();
    assert_eq!(groups.iter().sum::<i64>(), total);
    assert_eq!(flows.len() as i64, total);
    let exports_to_russia = flows
        .iter()
        .find(|r| r["partner"] == "RUS" && r["year"] == "2023" && r["flow"] == "EXPORT" && r["commodity"] == "TOTAL")
        .unwrap();
    assert_eq!(exports_to_russia["value_usd"], "4000000000");
    assert_eq!(exports_to_russia["source_key"], "rb-russia-armenia-2024");

    let (_, _, file) = get_bytes(&app, "/export/memberships.parquet?country=ARM", None).await;
    let (schema, _, memberships) = read(file);
    assert!(schema.contains(&("since".to_owned(), DataType::Date32, true)));
    let eaeu = memberships.iter().find(|m| m["organization"] == "EAEU").unwrap();
    assert_eq!(eaeu["since"], "2015-01-02");
    let (_, _, file) = get_bytes(&app, "/export/countries.parquet", None).await;
    let (schema, _, _) = read(file);
    assert!(schema.contains(&("landlocked".to_owned(), DataType::Boolean, false)));

    // By `Accept`, without the extension: the same file.
    let (status, media, by_accept) = get_bytes(&app, "/export/aid-pledges?recipient=ARM", Some(PARQUET)).await;
    assert_eq!((status, media.as_str()), (StatusCode::OK, PARQUET));
    let (_, _, by_name) = get_bytes(&app, "/export/aid-pledges.parquet?recipient=ARM", None).await;
    assert_eq!(by_accept, by_name);
    let (_, _, aid) = read(by_accept);
    let amounts: Vec<&str> = aid.iter().map(|a| a["amount"].as_str()).collect();
    assert_eq!(amounts, ["270000000", "65000000", "87000000"]);
}

/// 70,000 flows before the bundled ones' years: two row groups, every row, in id order.
async fn parquet_comes_in_row_groups(app: TestApp) {
    // 10 reporters × 70 partners × 100 years (1800–1899): 70,000 distinct keys.
    let countries: Vec<i32> = country::Entity::find()
        .filter(country::Column::IsAggregate.eq(false))
        .order_by_asc(country::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .take(80)
        .collect();
    let refs = tradegraph::reference::RefData::load(&app.db).await.unwrap();
    let total = refs.commodities.by_code("TOTAL").unwrap().id;
    let rows: Vec<trade_flow::ActiveModel> = (0..70_000)
        .map(|i| trade_flow::ActiveModel {
            id: NotSet,
            reporter_id: Set(countries[i / 7000]),
            partner_id: Set(countries[10 + i / 100 % 70]),
            year: Set(1800 + (i % 100) as i32),
            commodity_id: Set(total),
            flow: Set(FlowKind::Export),
            value_usd: Set(0.25 * i as f64),
            quantity: Set(None),
            quantity_unit: Set(None),
            qualifier: Set(Qualifier::Exact),
            source_id: Set(None),
            note: Set(None),
        })
        .collect();
    for chunk in rows.chunks(500) {
        trade_flow::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.db)
            .await
            .unwrap();
    }
    let (status, _, file) = get_bytes(&app, "/export/trade-flows.parquet?toYear=1899", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, groups, flows) = read(file);
    assert_eq!(groups, [65_536, 70_000 - 65_536]);
    let values: Vec<f64> = flows.iter().map(|r| r["value_usd"].parse().unwrap()).collect();
    assert_eq!(values, (0..70_000).map(|i| 0.25 * f64::from(i)).collect::<Vec<_>>());
    assert_eq!(flows[69_999]["year"], "1899");
    assert_eq!(flows[69_999]["source_key"], "");
}

on_both_backends!(every_table_as_parquet_equals_its_csv, parquet_comes_in_row_groups);
