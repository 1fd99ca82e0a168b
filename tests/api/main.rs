//! The integration suite: every test drives the HTTP router against the bundled data, on
//! SQLite and (with `TEST_DATABASE_URL`) on PostgreSQL.

mod helpers;

mod hostile;

mod bloc;
mod bulk_writes;
mod bundled_data;
mod cache;
mod commands;
mod comtrade;
mod comtrade_real;
mod concurrent_writes;
mod countries;
mod data_version;
mod docs;
mod errors;
mod execution;
mod explore;
mod export;
mod export_parquet;
mod export_tables;
mod fault;
mod figures;
mod first_run;
mod http;
mod import_http;
mod indicators;
mod isolation;
mod ledger;
mod lineage;
mod lineage_trade;
mod mutations;
mod protocol;
mod qualifiers;
mod query_power;
mod relay;
mod replicas;
mod schema;
mod seed;
mod shared_limits;
mod trade_flows;
