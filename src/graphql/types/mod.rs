//! GraphQL output types, kept apart from the sea-orm models they are built from.

mod aid;
mod audit;
mod bloc;
mod commodity;
mod country;
mod country_indicators;
mod dependency;
mod enums;
mod figures;
mod flow_lineage;
mod growth;
mod indicator;
mod indicators;
mod lineage;
mod membership;
mod mirror;
mod organization;
mod partner_share;
mod scalars;
mod source;
mod trade_flow;
mod trade_total;

pub use aid::AidPledge;
pub use audit::{AuditCursor, AuditEntry, AuditLogConnection, AuditTotal};
pub use bloc::{BlocMemberTrade, BlocTrade};
pub use commodity::Commodity;
pub use country::{Country, CountryConnection, CountryCursor, CountryTotal};
pub use dependency::{DependencyComparison, ImportDependency};
pub use enums::{
    AidKind, CommodityKind, DependencyBasis, MembershipStatus, Qualifier, Sector, TradeFlowKind, TradeFlowOrder,
};
pub use figures::{BilateralTradeYear, CommodityShare, ConcentrationValue, PartnerShare};
pub use growth::GrowthRate;
pub use indicator::{ExchangeRate, IndicatorSeries, IndicatorValue};
pub use indicators::{ExportDiversification, ProductIndex, UnitValueYear};
pub use lineage::{Lineage, LineageInput};
pub use membership::Membership;
pub use mirror::MirrorTradeYear;
pub use organization::Organization;
pub use partner_share::StatedPartnerShare;
pub use scalars::Date;
pub use source::Source;
pub use trade_flow::{TradeFlow, TradeFlowConnection, TradeFlowCursor, TradeFlowTotal};
pub use trade_total::StatedTradeTotal;

use async_graphql::{Context, Result};

use crate::error::{Error, GqlResult};
use crate::graphql::refs;
use crate::reference::RefData;

/// The cached source with this id, if any.
pub(crate) fn source_of(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<Source>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(refs(ctx)?.sources.by_id(id).cloned().map(Source)),
    }
}

/// The code of the cached commodity with this id (empty when the cache lacks it).
pub(crate) fn commodity_code(ctx: &Context<'_>, id: i32) -> Result<String> {
    Ok(refs(ctx)?
        .commodities
        .by_id(id)
        .map(|c| c.code.clone())
        .unwrap_or_default())
}

/// The cached country with this id; an internal error when the cache lacks it.
pub(crate) fn country_of(refs: &RefData, id: i32) -> Result<Country> {
    refs.countries
        .by_id(id)
        .cloned()
        .map(Country)
        .ok_or_else(|| Error::internal(format!("country {id} is not in the reference cache")))
        .gql()
}

/// The cached commodity with this id; an internal error when the cache lacks it.
pub(crate) fn commodity_of(refs: &RefData, id: i32) -> Result<Commodity> {
    refs.commodities
        .by_id(id)
        .cloned()
        .map(Commodity)
        .ok_or_else(|| Error::internal(format!("commodity {id} is not in the reference cache")))
        .gql()
}

/// The cached organisation with this id; an internal error when the cache lacks it.
pub(crate) fn organization_of(refs: &RefData, id: i32) -> Result<Organization> {
    refs.organizations
        .by_id(id)
        .cloned()
        .map(Organization)
        .ok_or_else(|| Error::internal(format!("organisation {id} is not in the reference cache")))
        .gql()
}

/// Code and name of a party that is a country or an organisation.
pub(crate) fn party_code_name(
    refs: &RefData,
    country_id: Option<i32>,
    organization_id: Option<i32>,
) -> (String, String) {
    if let Some(c) = country_id.and_then(|id| refs.countries.by_id(id)) {
        return (c.iso3.clone(), c.name.clone());
    }
    if let Some(o) = organization_id.and_then(|id| refs.organizations.by_id(id)) {
        return (o.code.clone(), o.name.clone());
    }
    (String::new(), String::new())
}
