use async_graphql::{Context, Object, Result};

use super::{AidKind, Country, Date, Qualifier, Source, country_of, party_code_name, source_of};
use crate::graphql::refs;
use crate::service::aid::AidFigure;

/// Aid from a country or an organisation to a country, as announced, with USD figures
/// computed on request from stored exchange rates and population.
#[derive(Clone)]
pub struct AidPledge(pub AidFigure);

#[Object]
impl AidPledge {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::AidPledge, self.0.id)
    }
    /// Code of the donor: ISO alpha-3 of a country or the code of an organisation (`EU`).
    async fn donor_code(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.donor_country_id, self.0.donor_organization_id).0)
    }
    /// Name of the donor.
    async fn donor_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.donor_country_id, self.0.donor_organization_id).1)
    }
    /// The recipient country.
    async fn recipient(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.recipient_id)
    }
    /// Amount as announced, in `currency`.
    async fn amount(&self) -> f64 {
        self.0.amount
    }
    /// ISO 4217 code of `amount`.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Pledge, commitment or disbursement.
    async fn kind(&self) -> AidKind {
        self.0.kind.into()
    }
    /// `amount` in USD at the yearly average rate of the announcement year (of the period's
    /// first year when no announcement date is known); USD converts at 1; null without a rate.
    async fn amount_usd(&self) -> Option<f64> {
        self.0.amount_usd
    }
    /// How sure `amountUsd` is, from the qualifiers of `amount` and of the exchange rate.
    async fn amount_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.amount_usd_qualifier.map(Into::into)
    }
    /// `amountUsd` / number of years of the period; equals `amountUsd` without a period.
    async fn annual_amount_usd(&self) -> Option<f64> {
        self.0.annual_amount_usd
    }
    /// How sure `annualAmountUsd` is (as `amountUsd`: the number of years is exact).
    async fn annual_amount_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.annual_amount_usd_qualifier.map(Into::into)
    }
    /// `amountUsd` / recipient's `POPULATION` in the announcement year, or the latest earlier year.
    async fn per_capita_usd(&self) -> Option<f64> {
        self.0.per_capita_usd
    }
    /// How sure `perCapitaUsd` is, from `amountUsd`'s and the population's qualifiers.
    async fn per_capita_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.per_capita_usd_qualifier.map(Into::into)
    }
    /// The year whose exchange rate and population the USD figures use.
    async fn reference_year(&self) -> Option<i32> {
        self.0.ref_year
    }
    /// Day of the announcement.
    async fn announced_on(&self) -> Option<Date> {
        self.0.announced_on.map(Date)
    }
    /// First year of the period the aid covers.
    async fn period_start_year(&self) -> Option<i32> {
        self.0.period_start_year
    }
    /// Last year of the period the aid covers.
    async fn period_end_year(&self) -> Option<i32> {
        self.0.period_end_year
    }
    /// What the aid is for.
    async fn purpose(&self) -> Option<&str> {
        self.0.purpose.as_deref()
    }
    /// How exactly the amount is known.
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the figure comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (quotation, choice of period).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
