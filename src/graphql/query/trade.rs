use async_graphql::connection::{CursorType, Edge};
use async_graphql::{Context, Object, Result};

use crate::error::{Error, GqlResult};
use crate::graphql::types::{TradeFlow, TradeFlowConnection, TradeFlowCursor, TradeFlowKind, TradeFlowTotal};
use crate::graphql::{commodity_id, country_id, db, page_size};
use crate::reference::RefCache;
use crate::service::trade::{self, FlowFilter};

#[derive(Default)]
pub struct TradeQuery;

#[Object]
impl TradeQuery {
    /// Trade flows, filtered; a Relay connection in a stable order (cursors stay valid while
    /// data is added).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::list_cost(first, child_complexity)")]
    async fn trade_flows(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Reporting country, ISO alpha-3 or alpha-2.")] reporter: Option<String>,
        #[graphql(desc = "Partner country, ISO alpha-3 or alpha-2, or `W00` for the World.")] partner: Option<String>,
        #[graphql(desc = "Exactly this year.")] year: Option<i32>,
        #[graphql(desc = "This year or later.")] from_year: Option<i32>,
        #[graphql(desc = "This year or earlier.")] to_year: Option<i32>,
        #[graphql(desc = "`TOTAL`, an HS section (`XVI`) or an HS code of 2, 4 or 6 digits.")] commodity: Option<
            String,
        >,
        #[graphql(desc = "Direction.")] flow: Option<TradeFlowKind>,
        #[graphql(desc = "Page size: default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last flow of the previous page.")] after: Option<String>,
    ) -> Result<TradeFlowConnection> {
        let first = page_size(first)?;
        let after = after
            .map(|c| TradeFlowCursor::decode_cursor(&c).map_err(|_| Error::bad_input("invalid `after` cursor")))
            .transpose()
            .gql()?;
        let cache = ctx.data::<std::sync::Arc<RefCache>>()?;
        let mut refs = cache.get();
        let filter = FlowFilter {
            reporter_id: reporter.map(|c| country_id(&refs, &c, "reporter")).transpose()?,
            partner_id: partner.map(|c| country_id(&refs, &c, "partner")).transpose()?,
            year,
            from_year,
            to_year,
            commodity_id: commodity.map(|c| commodity_id(&refs, &c, "commodity")).transpose()?,
            flow: flow.map(Into::into),
        };
        let db = db(ctx)?;
        let mut rows = trade::list(db, &filter, after.as_ref().map(|a| a.0), first as u64 + 1)
            .await
            .gql()?;
        let has_next = rows.len() > first;
        rows.truncate(first);
        // Rows written by another process may cite countries, commodities or sources this
        // snapshot does not hold yet: reload once.
        let stale = rows.iter().any(|r| {
            refs.countries.by_id(r.reporter_id).is_none()
                || refs.countries.by_id(r.partner_id).is_none()
                || refs.commodities.by_id(r.commodity_id).is_none()
                || r.source_id.is_some_and(|s| refs.sources.by_id(s).is_none())
        });
        if stale {
            refs = cache.refresh(db).await.gql()?;
        }
        let mut conn = TradeFlowConnection::with_additional_fields(after.is_some(), has_next, TradeFlowTotal(filter));
        conn.edges = rows
            .into_iter()
            .map(|row| {
                Edge::new(
                    TradeFlowCursor(row.id),
                    TradeFlow {
                        row,
                        refs: refs.clone(),
                    },
                )
            })
            .collect();
        Ok(conn)
    }
}
