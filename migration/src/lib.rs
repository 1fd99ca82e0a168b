//! Database migrations of tradegraph, one file per table, applied in order.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261128_000001_create_source;
mod m20261128_000002_create_country;
mod m20261128_000003_create_organization;
mod m20261128_000004_create_membership;
mod m20261128_000005_create_commodity;
mod m20261128_000006_create_trade_flow;
mod m20261128_000007_create_aid_pledge;
mod m20261128_000008_create_import_dependency;
mod m20261128_000009_create_indicator;
mod m20261128_000010_create_exchange_rate;
mod m20261128_000011_create_partner_share;
mod m20261128_000012_create_api_key;
mod m20261128_000013_create_audit_log;
mod m20261128_000014_add_natural_keys;
mod m20261128_000030_create_dependency_commodity;
mod m20261128_000040_create_trade_total;
mod m20261128_000041_retire_unsourced_rows;
mod m20261128_000042_create_trade_flow_change;
mod m20261128_000043_data_version_all_tables;
mod m20261128_000050_trade_flow_order_indexes;
mod m20261128_000051_create_reference_change;
mod m20261128_000060_add_aid_fulfils;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_source::Migration),
            Box::new(m20261128_000002_create_country::Migration),
            Box::new(m20261128_000003_create_organization::Migration),
            Box::new(m20261128_000004_create_membership::Migration),
            Box::new(m20261128_000005_create_commodity::Migration),
            Box::new(m20261128_000006_create_trade_flow::Migration),
            Box::new(m20261128_000007_create_aid_pledge::Migration),
            Box::new(m20261128_000008_create_import_dependency::Migration),
            Box::new(m20261128_000009_create_indicator::Migration),
            Box::new(m20261128_000010_create_exchange_rate::Migration),
            Box::new(m20261128_000011_create_partner_share::Migration),
            Box::new(m20261128_000030_create_dependency_commodity::Migration),
            Box::new(m20261128_000012_create_api_key::Migration),
            Box::new(m20261128_000013_create_audit_log::Migration),
            Box::new(m20261128_000014_add_natural_keys::Migration),
            Box::new(m20261128_000040_create_trade_total::Migration),
            Box::new(m20261128_000041_retire_unsourced_rows::Migration),
            Box::new(m20261128_000042_create_trade_flow_change::Migration),
            Box::new(m20261128_000043_data_version_all_tables::Migration),
            Box::new(m20261128_000050_trade_flow_order_indexes::Migration),
            Box::new(m20261128_000051_create_reference_change::Migration),
            Box::new(m20261128_000060_add_aid_fulfils::Migration),
        ]
    }
}
