//! Partner shares as sources state them (as opposed to shares computed from flows).

use entity::enums::FlowKind;
use entity::partner_share;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

/// Stated shares of the given reporters, optionally of one flow and one year.
pub async fn of_reporters(
    db: &DatabaseConnection,
    reporter_ids: &[i32],
    flow: Option<FlowKind>,
    year: Option<i32>,
) -> Result<Vec<partner_share::Model>> {
    use partner_share::Column as C;
    let mut q = partner_share::Entity::find().filter(C::ReporterId.is_in(reporter_ids.iter().copied()));
    if let Some(f) = flow {
        q = q.filter(C::Flow.eq(f));
    }
    if let Some(y) = year {
        q = q.filter(C::Year.eq(y));
    }
    Ok(q.order_by_asc(C::ReporterId)
        .order_by_asc(C::Flow)
        .order_by_desc(C::Share)
        .order_by_asc(C::Id)
        .all(db)
        .await?)
}
