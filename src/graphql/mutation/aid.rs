use async_graphql::{Context, ID, InputObject, Object, OneofObject, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::{AidKind, Date, Qualifier};
use crate::graphql::{db, refs, writer};
use crate::service::aid::{self, AidWrite};
use crate::service::aid_ledger::AidLink;

/// An aid figure to write; its key is (donor, recipient, kind, announcedOn,
/// periodStartYear, currency), an unknown day or year counting as one value.
#[derive(InputObject)]
pub struct AidPledgeInput {
    /// Donor: a country (ISO alpha-3 or alpha-2) or an organisation code (`EU`).
    donor: String,
    /// Recipient country.
    recipient: String,
    /// Amount in `currency`; finite, not negative.
    amount: f64,
    /// ISO 4217 code, e.g. `EUR`.
    currency: String,
    /// Pledge, commitment or disbursement.
    #[graphql(default_with = "AidKind::Pledge")]
    kind: AidKind,
    /// Day of the announcement.
    announced_on: Option<Date>,
    /// First year of the period the aid covers.
    period_start_year: Option<i32>,
    /// Last year of the period.
    period_end_year: Option<i32>,
    /// What the aid is for.
    purpose: Option<String>,
    /// `EXACT` when omitted.
    qualifier: Option<Qualifier>,
    /// `Source.id` (or key).
    source_id: Option<ID>,
    /// Remarks.
    note: Option<String>,
    /// The aid row this one fulfils (a commitment or disbursement of a pledge, a disbursement
    /// of a commitment): same donor and recipient, never a cycle. Omitted: not linked (an
    /// existing link is removed).
    fulfils: Option<AidLinkInput>,
}

/// The aid row another fulfils: by `AidPledge.id`, or by its key (it may be written in the
/// same batch).
#[derive(OneofObject)]
pub enum AidLinkInput {
    /// `AidPledge.id`.
    Id(ID),
    /// The row's key.
    Key(AidKeyInput),
}

/// The key of an aid row: donor, recipient, kind, announcedOn, periodStartYear, currency.
#[derive(InputObject)]
pub struct AidKeyInput {
    /// Donor: a country (ISO alpha-3 or alpha-2) or an organisation code (`EU`).
    donor: String,
    /// Recipient country.
    recipient: String,
    /// Pledge, commitment or disbursement.
    #[graphql(default_with = "AidKind::Pledge")]
    kind: AidKind,
    /// Day of the announcement; omitted when the row has none.
    announced_on: Option<Date>,
    /// First year of the period; omitted when the row has none.
    period_start_year: Option<i32>,
    /// ISO 4217 code.
    currency: String,
}

impl From<AidLinkInput> for AidLink {
    fn from(i: AidLinkInput) -> Self {
        match i {
            AidLinkInput::Id(id) => Self::Id(id.0),
            AidLinkInput::Key(k) => Self::Key {
                donor: k.donor,
                recipient: k.recipient,
                kind: k.kind.into(),
                announced_on: k.announced_on.map(|d| d.0),
                period_start_year: k.period_start_year,
                currency: k.currency,
            },
        }
    }
}

impl From<AidPledgeInput> for AidWrite {
    fn from(i: AidPledgeInput) -> Self {
        Self {
            donor: i.donor,
            recipient: i.recipient,
            amount: i.amount,
            currency: i.currency,
            kind: i.kind.into(),
            announced_on: i.announced_on.map(|d| d.0),
            period_start_year: i.period_start_year,
            period_end_year: i.period_end_year,
            purpose: i.purpose,
            qualifier: i.qualifier.map(Into::into),
            source_id: i.source_id.map(|id| id.0),
            note: i.note,
            fulfils: i.fulfils.map(Into::into),
        }
    }
}

#[derive(Default)]
pub struct AidMutation;

#[Object]
impl AidMutation {
    /// Inserts or replaces aid figures (key: donor, recipient, kind, announcedOn,
    /// periodStartYear, currency); all or nothing; at most 10 000 rows. Needs a `write` key.
    async fn upsert_aid_pledges(&self, ctx: &Context<'_>, pledges: Vec<AidPledgeInput>) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Write)?;
        let rows = pledges.into_iter().map(Into::into).collect();
        let counts = aid::upsert(db(ctx)?, &*refs(ctx)?, &key.name, rows).await.gql()?;
        Ok(counts.into())
    }
}
