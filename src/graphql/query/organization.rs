use async_graphql::{Context, Object, Result};

use crate::error::{Error, GqlResult};
use crate::graphql::types::Organization;
use crate::graphql::{CodeShape, refs};
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
        match refs.organizations.by_code(&code) {
            Some(o) => Ok(Some(Organization(o.clone()))),
            None if CodeShape::Organization.fits(&code) => Ok(None),
            None => Err(Error::bad_input(format!(
                "`code`: {}",
                suggest::organization(&refs, &code)
            )))
            .gql(),
        }
    }

    /// All organisations, by code.
    #[graphql(complexity = "crate::graphql::estimated_list_cost(crate::graphql::ORGANIZATIONS, child_complexity)")]
    async fn organizations(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        Ok(refs(ctx)?.organizations.all.iter().cloned().map(Organization).collect())
    }
}
