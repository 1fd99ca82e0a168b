use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::{Date, MembershipStatus};
use crate::graphql::{db, refs, writer};
use crate::service::membership::{self, MembershipWrite};

/// A membership period to write; its key is (organization, country, since), an unknown
/// `since` counting as one value.
#[derive(InputObject)]
pub struct MembershipInput {
    /// Organisation code (`EAEU`, …).
    organization: String,
    /// Country, ISO alpha-3 or alpha-2.
    country: String,
    /// Status during the period.
    status: MembershipStatus,
    /// First day of the period; unknown when omitted.
    since: Option<Date>,
    /// First day after the period; still in force when omitted.
    until: Option<Date>,
    /// `Source.id` (or key).
    source_id: Option<ID>,
    /// Remarks.
    note: Option<String>,
}

impl From<MembershipInput> for MembershipWrite {
    fn from(i: MembershipInput) -> Self {
        Self {
            organization: i.organization,
            country: i.country,
            status: i.status.into(),
            since: i.since.map(|d| d.0),
            until: i.until.map(|d| d.0),
            source_id: i.source_id.map(|id| id.0),
            note: i.note,
        }
    }
}

#[derive(Default)]
pub struct MembershipMutation;

#[Object]
impl MembershipMutation {
    /// Inserts or replaces membership periods (key: organization, country, since); all or
    /// nothing; at most 10 000 rows. Needs a `write` key.
    async fn upsert_memberships(&self, ctx: &Context<'_>, memberships: Vec<MembershipInput>) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Write)?;
        let rows = memberships.into_iter().map(Into::into).collect();
        let counts = membership::upsert(db(ctx)?, &*refs(ctx)?, &key.name, rows)
            .await
            .gql()?;
        Ok(counts.into())
    }
}
