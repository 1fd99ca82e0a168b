use async_graphql::{Context, Object, Result};

use crate::graphql::refs;
use crate::graphql::types::Organization;

#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// An organisation by its short code (`EAEU`, `CIS`, `CSTO`, `EU`, `3+3`, `UN`),
    /// case-insensitive; null when unknown.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Short code, e.g. `EAEU`.")] code: String,
    ) -> Result<Option<Organization>> {
        Ok(refs(ctx)?.organizations.by_code(&code).cloned().map(Organization))
    }

    /// All organisations, by code.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::ORGANIZATIONS, child_complexity)")]
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        Ok(refs(ctx)?.organizations.all.iter().cloned().map(Organization).collect())
    }
}
