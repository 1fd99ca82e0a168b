use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::organization;

use super::{Date, Membership, Source, source_of};
use crate::graphql::loaders::MembersOfOrganization;

/// An international organisation (EAEU, CIS, CSTO, EU, 3+3, UN, …).
#[derive(Clone)]
pub struct Organization(pub Arc<organization::Model>);

#[Object]
impl Organization {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Organization, &self.0.code)
    }
    /// Short code, e.g. `EAEU`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Common name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Full official name.
    async fn full_name(&self) -> Option<&str> {
        self.0.full_name.as_deref()
    }
    /// Date the organisation was founded (or its founding treaty took effect).
    async fn founded(&self) -> Option<Date> {
        self.0.founded.map(Date)
    }
    /// Official web site.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Where the organisation's data comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Membership periods of the organisation's members, candidates and observers.
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::MEMBERS_PER_ORGANIZATION, child_complexity)"
    )]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the periods in force on that day.")] as_of: Option<Date>,
    ) -> Result<Vec<Membership>> {
        MembersOfOrganization::load(ctx, self.0.id, as_of.map(|d| d.0)).await
    }
}
