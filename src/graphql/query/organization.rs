use async_graphql::{Context, Object, Result};

use crate::graphql::types::Organization;
use crate::graphql::{CodeShape, by_code, refs};
use crate::service::suggest;

#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// An organisation by its short code (`EAEU`, `CIS`, `CSTO`, `EU`, `3+3`, `UN`),
    /// case-insensitive; null when no organisation has that code. A name instead of a code
    /// (`"European Union"`) is `BAD_USER_INPUT`, suggesting the closest codes.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Short code, e.g. `EAEU`.")] code: String,
    ) -> Result<Option<Organization>> {
        let refs = refs(ctx)?;
        let found = refs.organizations.by_code(&code).cloned().map(Organization);
        by_code(found, &code, CodeShape::Organization, || {
            suggest::organization(&refs, &code)
        })
    }

    /// All organisations, by code.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::ORGANIZATIONS, child_complexity)")]
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        Ok(refs(ctx)?.organizations.all.iter().cloned().map(Organization).collect())
    }
}
