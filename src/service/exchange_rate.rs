//! Yearly average exchange rates (USD per unit), as stored with their sources.

use entity::exchange_rate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select};

use crate::error::Result;

/// Which rates to list; `None` leaves a field open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateFilter {
    /// ISO 4217 code, upper case.
    pub currency: Option<String>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
}

impl RateFilter {
    /// The rates matching the filter, by currency and year.
    pub fn select(&self) -> Select<exchange_rate::Entity> {
        use exchange_rate::Column as C;
        let mut query = exchange_rate::Entity::find();
        if let Some(c) = &self.currency {
            query = query.filter(C::Currency.eq(c.to_ascii_uppercase()));
        }
        if let Some(from) = self.from_year {
            query = query.filter(C::Year.gte(from));
        }
        if let Some(to) = self.to_year {
            query = query.filter(C::Year.lte(to));
        }
        query.order_by_asc(C::Currency).order_by_asc(C::Year)
    }
}

/// The rates matching `filter`, by currency and year, in one statement.
pub async fn list(db: &DatabaseConnection, filter: &RateFilter) -> Result<Vec<exchange_rate::Model>> {
    Ok(filter.select().all(db).await?)
}
