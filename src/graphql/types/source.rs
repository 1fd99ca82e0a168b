use std::sync::Arc;

use async_graphql::{ID, Object};
use entity::source;

/// Where a figure comes from: a publication, a data set, a statement.
#[derive(Clone)]
pub struct Source(pub Arc<source::Model>);

#[Object]
impl Source {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this source again,
    /// and writes cite the source with it (`sourceId`), or with its `key`.
    pub async fn id(&self) -> ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Source, &self.0.key)
    }
    /// Stable textual key, e.g. `wb-wdi-2026-07-01`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// Title of the publication or data set.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Who published it.
    async fn publisher(&self) -> &str {
        &self.0.publisher
    }
    /// Year of publication (or of the edition used).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }
    /// Where to read it.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Curators' remarks: edition, licence, how it was used.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
