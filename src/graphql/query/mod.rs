//! The query root, merged from one part per domain.

mod audit;
mod country;
mod node;
mod organization;
mod reference;
mod trade;

use async_graphql::MergedObject;

/// Everything tradegraph answers.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    country::CountryQuery,
    organization::OrganizationQuery,
    trade::TradeQuery,
    reference::ReferenceQuery,
    audit::AuditQuery,
    node::NodeQuery,
);
