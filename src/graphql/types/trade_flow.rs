use std::sync::Arc;

use async_graphql::connection::{Connection, CursorType, EmptyFields};
use async_graphql::{Context, Object, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::trade_flow;

use super::{Country, Qualifier, Source, TradeFlowKind};
use crate::error::{Error, GqlResult};
use crate::graphql::db;
use crate::reference::RefData;
use crate::service::flow_list::{self, FlowFilter, FlowKey, FlowPosition};

/// Value of goods one country (the reporter) traded with another (the partner) in a year,
/// for one commodity and direction, as the reporter declared it.
pub struct TradeFlow {
    pub row: trade_flow::Model,
    /// The reference snapshot the page was read with (countries, commodities, sources).
    pub refs: Arc<RefData>,
}

/// Relay connection over trade flows, in the order asked for (`orderBy`, default storage order).
pub type TradeFlowConnection = Connection<TradeFlowCursor, TradeFlow, TradeFlowTotal, EmptyFields>;

/// Opaque, stable cursor of a trade flow: its id, and its sort key under a value or year
/// order (`flow:<id>`, `flow:<id>:v:<value>`, `flow:<id>:y:<year>`).
pub struct TradeFlowCursor(pub FlowPosition);

impl CursorType for TradeFlowCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| "invalid cursor")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| "invalid cursor")?;
        let mut parts = text.strip_prefix("flow:").ok_or("invalid cursor")?.splitn(3, ':');
        let id = parts.next().and_then(|n| n.parse().ok()).ok_or("invalid cursor")?;
        let key = match (parts.next(), parts.next()) {
            (None, None) => FlowKey::Id,
            (Some("v"), Some(v)) => FlowKey::Value(v.parse().map_err(|_| "invalid cursor")?),
            (Some("y"), Some(y)) => FlowKey::Year(y.parse().map_err(|_| "invalid cursor")?),
            _ => return Err("invalid cursor"),
        };
        Ok(Self(FlowPosition { key, id }))
    }

    fn encode_cursor(&self) -> String {
        let FlowPosition { key, id } = self.0;
        // f64's Display is the shortest text that parses back to the same value.
        URL_SAFE_NO_PAD.encode(match key {
            FlowKey::Id => format!("flow:{id}"),
            FlowKey::Value(v) => format!("flow:{id}:v:{v}"),
            FlowKey::Year(y) => format!("flow:{id}:y:{y}"),
        })
    }
}

/// Extra fields of a trade-flow connection; `totalCount` is counted only when asked for.
pub struct TradeFlowTotal(pub FlowFilter);

#[Object]
impl TradeFlowTotal {
    /// Number of flows matching the arguments, over all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<u64> {
        flow_list::count(db(ctx)?, &self.0).await.gql()
    }
}

impl TradeFlow {
    fn country(&self, id: i32) -> Result<Country> {
        self.refs
            .countries
            .by_id(id)
            .cloned()
            .map(Country)
            .ok_or_else(|| Error::internal(format!("country {id} is not in the reference cache")))
            .gql()
    }
}

#[Object]
impl TradeFlow {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::TradeFlow, self.row.id)
    }
    /// The reporting country.
    async fn reporter(&self) -> Result<Country> {
        self.country(self.row.reporter_id)
    }
    /// The partner country, or `W00` (World) for the reporter's total with all partners.
    async fn partner(&self) -> Result<Country> {
        self.country(self.row.partner_id)
    }
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.row.year
    }
    /// `TOTAL`, an HS section (Roman numeral, e.g. `XVI`) or an HS code of 2, 4 or 6 digits.
    async fn commodity(&self) -> &str {
        self.refs
            .commodities
            .by_id(self.row.commodity_id)
            .map_or("", |c| c.code.as_str())
    }
    /// Name of the commodity.
    async fn commodity_name(&self) -> &str {
        self.refs
            .commodities
            .by_id(self.row.commodity_id)
            .map_or("", |c| c.name.as_str())
    }
    /// Direction, seen from the reporter.
    async fn flow(&self) -> TradeFlowKind {
        self.row.flow.into()
    }
    /// Value in US dollars.
    async fn value_usd(&self) -> f64 {
        self.row.value_usd
    }
    /// Quantity, in `quantityUnit`.
    async fn quantity(&self) -> Option<f64> {
        self.row.quantity
    }
    /// Unit of `quantity` (Comtrade abbreviation, e.g. `kg`).
    async fn quantity_unit(&self) -> Option<&str> {
        self.row.quantity_unit.as_deref()
    }
    /// How exactly the value is known ("over US$3 billion" is `AT_LEAST`).
    async fn qualifier(&self) -> Qualifier {
        self.row.qualifier.into()
    }
    /// Where the value comes from.
    async fn source(&self) -> Option<Source> {
        self.row
            .source_id
            .and_then(|id| self.refs.sources.by_id(id))
            .cloned()
            .map(Source)
    }
    /// Curators' remarks (quotation, choice of year).
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
}
