//! Trade flows: filtered, keyset-paginated lists.

use entity::enums::FlowKind;
use entity::trade_flow;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Statement,
};

use crate::error::Result;

/// Which flows to list; every field narrows the set, `None` leaves it open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowFilter {
    pub reporter_id: Option<i32>,
    pub partner_id: Option<i32>,
    pub year: Option<i32>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub commodity_id: Option<i32>,
    pub flow: Option<FlowKind>,
}

impl FlowFilter {
    fn condition(&self) -> Condition {
        use trade_flow::Column as C;
        let mut c = Condition::all();
        if let Some(v) = self.reporter_id {
            c = c.add(C::ReporterId.eq(v));
        }
        if let Some(v) = self.partner_id {
            c = c.add(C::PartnerId.eq(v));
        }
        if let Some(v) = self.year {
            c = c.add(C::Year.eq(v));
        }
        if let Some(v) = self.from_year {
            c = c.add(C::Year.gte(v));
        }
        if let Some(v) = self.to_year {
            c = c.add(C::Year.lte(v));
        }
        if let Some(v) = self.commodity_id {
            c = c.add(C::CommodityId.eq(v));
        }
        if let Some(v) = self.flow {
            c = c.add(C::Flow.eq(v));
        }
        c
    }
}

/// Up to `limit` flows matching `filter` with an id above `after`, in id order (so a cursor,
/// the last id seen, stays valid while rows are added).
pub async fn list(
    db: &DatabaseConnection,
    filter: &FlowFilter,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<trade_flow::Model>> {
    Ok(list_query(filter, after, limit).all(db).await?)
}

fn list_query(filter: &FlowFilter, after: Option<i64>, limit: u64) -> Select<trade_flow::Entity> {
    let mut q = trade_flow::Entity::find().filter(filter.condition());
    if let Some(after) = after {
        q = q.filter(trade_flow::Column::Id.gt(after));
    }
    q.order_by_asc(trade_flow::Column::Id).limit(limit)
}

/// The statement of [`list`], for `tradegraph sql` and benchmarks.
pub fn list_statement(backend: DbBackend, filter: &FlowFilter, after: Option<i64>, limit: u64) -> Statement {
    list_query(filter, after, limit).build(backend)
}

/// How many flows match `filter`.
pub async fn count(db: &DatabaseConnection, filter: &FlowFilter) -> Result<u64> {
    Ok(trade_flow::Entity::find().filter(filter.condition()).count(db).await?)
}
