//! sea-orm entities of tradegraph: one module per table.
//!
//! Kept free of GraphQL: the API's output types live in the root crate
//! (`src/graphql/types`) and are built from these models.

pub mod aid_pledge;
pub mod api_key;
pub mod audit_log;
pub mod commodity;
pub mod country;
pub mod dependency_commodity;
pub mod enums;
pub mod exchange_rate;
pub mod import_dependency;
pub mod indicator;
pub mod membership;
pub mod organization;
pub mod partner_share;
pub mod source;
pub mod trade_flow;
pub mod trade_total;

pub mod prelude {
    pub use super::aid_pledge::Entity as AidPledge;
    pub use super::api_key::Entity as ApiKey;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::commodity::Entity as Commodity;
    pub use super::country::Entity as Country;
    pub use super::dependency_commodity::Entity as DependencyCommodity;
    pub use super::exchange_rate::Entity as ExchangeRate;
    pub use super::import_dependency::Entity as ImportDependency;
    pub use super::indicator::Entity as Indicator;
    pub use super::membership::Entity as Membership;
    pub use super::organization::Entity as Organization;
    pub use super::partner_share::Entity as PartnerShare;
    pub use super::source::Entity as Source;
    pub use super::trade_flow::Entity as TradeFlow;
    pub use super::trade_total::Entity as TradeTotal;
}
