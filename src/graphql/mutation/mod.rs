//! The mutation root, merged from one part per domain. Every mutation needs an API key
//! (`Authorization: Bearer …`): `write` for data, `admin` for sources and organisations. Each one is all or
//! nothing in one transaction, and recorded in the audit log.

mod aid;
mod dependency;
mod indicator;
mod membership;
mod organization;
mod source;
mod trade;

use async_graphql::{MergedObject, SimpleObject};

use crate::service::write::Counts;

/// Everything tradegraph writes.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    trade::TradeMutation,
    aid::AidMutation,
    membership::MembershipMutation,
    dependency::DependencyMutation,
    indicator::IndicatorMutation,
    source::SourceMutation,
    organization::OrganizationMutation,
);

/// What an upsert did: rows that were new, rows that replaced a row with the same key.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpsertResult {
    /// Rows written that did not exist.
    pub inserted: i32,
    /// Rows written over an existing row with the same natural key.
    pub updated: i32,
}

impl From<Counts> for UpsertResult {
    fn from(c: Counts) -> Self {
        Self {
            inserted: i32::try_from(c.inserted).unwrap_or(i32::MAX),
            updated: i32::try_from(c.updated).unwrap_or(i32::MAX),
        }
    }
}
