use async_graphql::{Context, Object, Result};
use entity::partner_share;

use super::{Country, Qualifier, Source, TradeFlowKind, country_of, party_code_name, source_of};
use crate::graphql::refs;

/// A partner's share of a reporter's exports or imports, as a source states it.
#[derive(Clone)]
pub struct StatedPartnerShare(pub partner_share::Model);

#[Object]
impl StatedPartnerShare {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::StatedPartnerShare, self.0.id)
    }
    /// The reporting country.
    async fn reporter(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.reporter_id)
    }
    /// Code of the partner: ISO alpha-3 of a country or the code of an organisation (`EU`).
    async fn partner_code(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.partner_country_id, self.0.partner_organization_id).0)
    }
    /// Name of the partner.
    async fn partner_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.partner_country_id, self.0.partner_organization_id).1)
    }
    /// The partner when it is a country; null for an organisation.
    async fn partner_country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        self.0
            .partner_country_id
            .map(|id| country_of(&*refs(ctx)?, id))
            .transpose()
    }
    /// Year the share describes; null when unknown.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// Exports or imports.
    async fn flow(&self) -> TradeFlowKind {
        self.0.flow.into()
    }
    /// The share, a fraction (0.4 = 40%).
    async fn share(&self) -> f64 {
        self.0.share
    }
    /// How exactly the share is known ("just over 6%" is `AT_LEAST`).
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the figure comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (quotation, choice of year).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
