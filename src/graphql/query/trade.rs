use async_graphql::connection::Edge;
use async_graphql::{Context, Object, Result};

use crate::error::GqlResult;
use crate::graphql::db;
use crate::graphql::paging::paging;
use crate::graphql::types::{
    TradeFlow, TradeFlowConnection, TradeFlowCursor, TradeFlowKind, TradeFlowOrder, TradeFlowTotal,
};
use crate::reference::RefCache;
use crate::service::flow_list::{self, FlowArgs, FlowFilter, FlowOrder, one_or_many};

#[derive(Default)]
pub struct TradeQuery;

#[Object]
impl TradeQuery {
    /// Trade flows, filtered; a Relay connection in a stable order (`orderBy`, default storage
    /// order; cursors stay valid while data is added). A single filter (`reporter`) and its
    /// list form (`reporters`) are alternatives: giving both is `BAD_USER_INPUT`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::list_cost(first.or(last), child_complexity)")]
    async fn trade_flows(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Reporting country, ISO alpha-3 or alpha-2.")] reporter: Option<String>,
        #[graphql(desc = "Any of these reporting countries (instead of `reporter`; at most 1000).")] reporters: Option<
            Vec<String>,
        >,
        #[graphql(desc = "Partner country, ISO alpha-3 or alpha-2, or `W00` for the World.")] partner: Option<String>,
        #[graphql(desc = "Any of these partners (instead of `partner`; at most 1000).")] partners: Option<Vec<String>>,
        #[graphql(desc = "Exactly this year.")] year: Option<i32>,
        #[graphql(desc = "Any of these years (instead of `year`; at most 1000).")] years: Option<Vec<i32>>,
        #[graphql(desc = "This year or later.")] from_year: Option<i32>,
        #[graphql(desc = "This year or earlier.")] to_year: Option<i32>,
        #[graphql(desc = "`TOTAL`, an HS section (`XVI`) or an HS code of 2, 4 or 6 digits.")] commodity: Option<
            String,
        >,
        #[graphql(desc = "Any of these commodities (instead of `commodity`; at most 1000).")] commodities: Option<
            Vec<String>,
        >,
        #[graphql(desc = "Only HS codes of this many digits: 2 (chapters), 4 (headings) or 6 (subheadings).")]
        commodity_level: Option<i32>,
        #[graphql(desc = "Direction.")] flow: Option<TradeFlowKind>,
        #[graphql(desc = "Any of these directions (instead of `flow`).")] flows: Option<Vec<TradeFlowKind>>,
        #[graphql(desc = "Only flows worth at least this many US dollars.")] min_value_usd: Option<f64>,
        #[graphql(desc = "Order of the list; cursors belong to the order they were made in.", default)]
        order_by: TradeFlowOrder,
        #[graphql(desc = "Page size from the start: default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Only flows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (instead of `first`), at most 1000.")] last: Option<i32>,
        #[graphql(desc = "Only flows before this cursor.")] before: Option<String>,
    ) -> Result<TradeFlowConnection> {
        let paging = paging::<TradeFlowCursor>(first, after, last, before)?;
        let cache = ctx.data::<std::sync::Arc<RefCache>>()?;
        let mut refs = cache.get();
        let args = FlowArgs {
            reporters: one_or_many(reporter, reporters, ("reporter", "reporters")).gql()?,
            partners: one_or_many(partner, partners, ("partner", "partners")).gql()?,
            years: one_or_many(year, years, ("year", "years")).gql()?,
            from_year,
            to_year,
            commodities: one_or_many(commodity, commodities, ("commodity", "commodities")).gql()?,
            flows: one_or_many(flow, flows, ("flow", "flows"))
                .gql()?
                .map(|fs| fs.into_iter().map(Into::into).collect()),
            commodity_level,
            min_value_usd,
        };
        let filter = FlowFilter::resolve(&refs, &args).gql()?;
        let order: FlowOrder = order_by.into();
        let db = db(ctx)?;
        let rows = flow_list::list(db, &filter, order, &paging.window(|c| c.0))
            .await
            .gql()?;
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
                    TradeFlowCursor(order.position(&row)),
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
