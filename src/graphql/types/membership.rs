use async_graphql::{Context, Object, Result};
use entity::membership;

use super::{Country, Date, MembershipStatus, Organization, Source, country_of, organization_of, source_of};
use crate::graphql::refs;

/// One period of one status of a country in an organisation.
#[derive(Clone)]
pub struct Membership(pub membership::Model);

#[Object]
impl Membership {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Membership, self.0.id)
    }
    /// The organisation.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization_of(&*refs(ctx)?, self.0.organization_id)
    }
    /// The member country.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.country_id)
    }
    /// Status during this period.
    async fn status(&self) -> MembershipStatus {
        self.0.status.into()
    }
    /// First day of the period; null when unknown.
    async fn since(&self) -> Option<Date> {
        self.0.since.map(Date)
    }
    /// First day after the period; null while it lasts.
    async fn until(&self) -> Option<Date> {
        self.0.until.map(Date)
    }
    /// Where the membership is recorded.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (treaty dates, judgement calls).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
