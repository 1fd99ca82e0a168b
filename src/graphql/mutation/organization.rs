use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result};
use entity::enums::KeyScope;

use super::UpsertResult;
use crate::error::GqlResult;
use crate::graphql::types::Date;
use crate::graphql::{db, refs, writer};
use crate::reference::RefCache;
use crate::service::organization::{self, OrganizationWrite};

/// An organisation to write; its key is the code.
#[derive(InputObject)]
pub struct OrganizationInput {
    /// Short code, e.g. `EAEU` (upper-cased): letters, digits, `+`, `-`, `&`, `.`.
    code: String,
    /// Common name.
    name: String,
    /// Full official name.
    full_name: Option<String>,
    /// Date the organisation was founded.
    founded: Option<Date>,
    /// Official web site (http or https).
    url: Option<String>,
    /// `Source.id` (or key).
    source_id: Option<ID>,
}

#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Inserts or replaces organisations (key: code); all or nothing. Needs an `admin` key.
    async fn upsert_organizations(
        &self,
        ctx: &Context<'_>,
        organizations: Vec<OrganizationInput>,
    ) -> Result<UpsertResult> {
        let key = writer(ctx, KeyScope::Admin)?;
        let rows = organizations
            .into_iter()
            .map(|o| OrganizationWrite {
                code: o.code,
                name: o.name,
                full_name: o.full_name,
                founded: o.founded.map(|d| d.0),
                url: o.url,
                source_id: o.source_id.map(|id| id.0),
            })
            .collect();
        let db = db(ctx)?;
        let counts = organization::upsert(db, &*refs(ctx)?, &key.name, rows).await.gql()?;
        ctx.data::<Arc<RefCache>>()?.refresh(db).await.gql()?;
        Ok(counts.into())
    }
}
