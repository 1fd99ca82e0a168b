use async_graphql::{Context, ID, Object, Result};

use crate::error::{Error, GqlResult};
use crate::graphql::MAX_PAGE_SIZE;
use crate::graphql::node::{self, Node};

/// Relay's refetching by global id.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object with an identity, by its global `id`; null when it no longer exists.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, from an `id` field.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(node::load(ctx, std::slice::from_ref(&id), "id").await?.pop().flatten())
    }

    /// Several objects by global id, in the order asked (null where one no longer exists):
    /// one statement per type, however many ids. At most 1000 ids.
    #[graphql(complexity = "ids.len().saturating_mul(child_complexity).saturating_add(1)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, from `id` fields.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_PAGE_SIZE as usize {
            return Err(Error::TooComplex(format!("{} ids; at most {MAX_PAGE_SIZE}", ids.len()))).gql();
        }
        node::load(ctx, &ids, "ids").await
    }
}
