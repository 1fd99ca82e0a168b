use async_graphql::connection::Edge;
use async_graphql::{Context, Object, Result};

use crate::error::GqlResult;
use crate::graphql::paging::paging;
use crate::graphql::types::{TradeFlow, TradeFlowConnection, TradeFlowCursor, TradeFlowKind, TradeFlowTotal};
use crate::graphql::{commodity_id, country_id, db};
use crate::reference::RefCache;
use crate::service::trade::{self, FlowFilter};

#[derive(Default)]
pub struct TradeQuery;

#[Object]
impl TradeQuery {
    /// Trade flows, filtered; a Relay connection in a stable order (cursors stay valid while
    /// data is added).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::list_cost(first.or(last), child_complexity)")]
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
        #[graphql(desc = "Page size from the start: default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Only flows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (instead of `first`), at most 1000.")] last: Option<i32>,
        #[graphql(desc = "Only flows before this cursor.")] before: Option<String>,
    ) -> Result<TradeFlowConnection> {
        let paging = paging::<TradeFlowCursor>(first, after, last, before)?;
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
        let rows = trade::list(db, &filter, &paging.window(|c| c.0)).await.gql()?;
        let (rows, has_previous, has_next) = paging.finish(rows);
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
        let mut conn = TradeFlowConnection::with_additional_fields(has_previous, has_next, TradeFlowTotal(filter));
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
