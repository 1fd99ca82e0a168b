use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, Result};
use entity::enums::KeyScope;

use crate::error::{Error, GqlResult};
use crate::graphql::types::Source;
use crate::graphql::{db, writer};
use crate::reference::RefCache;
use crate::service::source::{self, SourceWrite};

/// A source to create.
#[derive(InputObject)]
pub struct SourceInput {
    /// Stable key: 1–60 of `a`–`z`, `0`–`9`, `-`, `.` (e.g. `imf-weo-2025-10`).
    key: String,
    /// Who published it.
    publisher: String,
    /// Title of the publication or data set.
    title: String,
    /// Year of publication.
    year: Option<i32>,
    /// Where to read it (http or https).
    url: Option<String>,
    /// Remarks: edition, licence.
    note: Option<String>,
}

#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    /// Creates a source that writes can then cite by its `id` (or key). Needs an `admin` key.
    async fn create_source(&self, ctx: &Context<'_>, source: SourceInput) -> Result<Source> {
        let key = writer(ctx, KeyScope::Admin)?;
        let db = db(ctx)?;
        let write = SourceWrite {
            key: source.key,
            publisher: source.publisher,
            title: source.title,
            year: source.year,
            url: source.url,
            note: source.note,
        };
        let id = source::create(db, &key.name, write).await.gql()?;
        let refs = ctx.data::<Arc<RefCache>>()?.refresh(db).await.gql()?;
        refs.sources
            .by_id(id)
            .cloned()
            .map(Source)
            .ok_or_else(|| Error::internal(format!("source {id} is not in the refreshed cache")))
            .gql()
    }
}
