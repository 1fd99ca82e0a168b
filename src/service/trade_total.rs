//! Total trade (exports + imports) as sources state it without the split; `tradeWith` uses
//! it for the years whose flows do not give both sides.

use entity::trade_total;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

/// Stated totals of the given reporters, optionally with one partner and in one year;
/// ordered by reporter, partner, year.
pub async fn of_reporters(
    db: &DatabaseConnection,
    reporter_ids: &[i32],
    partner_id: Option<i32>,
    year: Option<i32>,
) -> Result<Vec<trade_total::Model>> {
    use trade_total::Column as C;
    let mut q = trade_total::Entity::find().filter(C::ReporterId.is_in(reporter_ids.iter().copied()));
    if let Some(p) = partner_id {
        q = q.filter(C::PartnerId.eq(p));
    }
    if let Some(y) = year {
        q = q.filter(C::Year.eq(y));
    }
    Ok(q.order_by_asc(C::ReporterId)
        .order_by_asc(C::PartnerId)
        .order_by_asc(C::Year)
        .order_by_asc(C::CommodityId)
        .all(db)
        .await?)
}
