//! Listing trade flows: the filter shared by `tradeFlows` and `/export/trade-flows` (codes
//! given by the caller, resolved once here), the orders, and keyset pages under each order.

use entity::enums::{CommodityKind, FlowKind};
use entity::{commodity, trade_flow};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait, Select, Statement, Value,
};

use super::page::Window;
use super::suggest;
use crate::error::{Error, Result};
use crate::reference::RefData;

/// Most values in one list filter (`reporters`, `years`, …): the size of the largest page,
/// so that a list filter is never a cheaper way to send a huge statement than paging.
pub const MAX_LIST_FILTER: usize = 1000;

/// A filter as the caller gives it: a single value (`reporter`) or a list (`reporters`),
/// not both.
pub fn one_or_many<T>(single: Option<T>, list: Option<Vec<T>>, names: (&str, &str)) -> Result<Option<Vec<T>>> {
    match (single, list) {
        (Some(_), Some(_)) => Err(Error::bad_input(format!(
            "give `{}` or `{}`, not both",
            names.0, names.1
        ))),
        (Some(v), None) => Ok(Some(vec![v])),
        (None, Some(l)) if l.len() > MAX_LIST_FILTER => Err(Error::TooComplex(format!(
            "`{}` has {} values; at most {MAX_LIST_FILTER}",
            names.1,
            l.len()
        ))),
        (None, l) => Ok(l),
    }
}

/// Which flows to list, with codes as the caller sent them; `None` leaves a field open, an
/// empty list matches nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowArgs {
    pub reporters: Option<Vec<String>>,
    pub partners: Option<Vec<String>>,
    pub years: Option<Vec<i32>>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub commodities: Option<Vec<String>>,
    pub flows: Option<Vec<FlowKind>>,
    /// Digits of the HS codes: 2, 4 or 6.
    pub commodity_level: Option<i32>,
    pub min_value_usd: Option<f64>,
}

/// Which flows to list, codes resolved to ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowFilter {
    pub reporter_ids: Option<Vec<i32>>,
    pub partner_ids: Option<Vec<i32>>,
    pub years: Option<Vec<i32>>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub commodity_ids: Option<Vec<i32>>,
    pub flows: Option<Vec<FlowKind>>,
    pub commodity_level: Option<CommodityKind>,
    pub min_value_usd: Option<f64>,
}

fn resolve_all(codes: &Option<Vec<String>>, find: impl Fn(&str) -> Result<i32>) -> Result<Option<Vec<i32>>> {
    codes
        .as_ref()
        .map(|cs| cs.iter().map(|c| find(c)).collect())
        .transpose()
}

impl FlowFilter {
    /// Resolves the codes of `args`: an unknown one is `BAD_USER_INPUT` naming the argument
    /// and the closest codes.
    pub fn resolve(refs: &RefData, args: &FlowArgs) -> Result<Self> {
        let country = |argument: &'static str| {
            move |code: &str| {
                refs.country(code)
                    .map(|c| c.id)
                    .ok_or_else(|| Error::bad_input(format!("`{argument}`: {}", suggest::country(refs, code))))
            }
        };
        let commodity_level = args
            .commodity_level
            .map(|l| {
                super::indicators::level_kind(l).ok_or_else(|| Error::bad_input("`commodityLevel` must be 2, 4 or 6"))
            })
            .transpose()?;
        if args.min_value_usd.is_some_and(|v| !v.is_finite()) {
            return Err(Error::bad_input("`minValueUsd` must be a finite number"));
        }
        Ok(Self {
            reporter_ids: resolve_all(&args.reporters, country("reporter"))?,
            partner_ids: resolve_all(&args.partners, country("partner"))?,
            years: args.years.clone(),
            from_year: args.from_year,
            to_year: args.to_year,
            commodity_ids: resolve_all(&args.commodities, |code| {
                refs.commodities
                    .by_code(code)
                    .map(|c| c.id)
                    .ok_or_else(|| Error::bad_input(format!("`commodity`: {}", suggest::commodity(refs, code))))
            })?,
            flows: args.flows.clone(),
            commodity_level,
            min_value_usd: args.min_value_usd,
        })
    }

    fn condition(&self) -> Condition {
        use trade_flow::Column as C;
        let mut c = Condition::all();
        if let Some(v) = &self.reporter_ids {
            c = c.add(C::ReporterId.is_in(v.iter().copied()));
        }
        if let Some(v) = &self.partner_ids {
            c = c.add(C::PartnerId.is_in(v.iter().copied()));
        }
        if let Some(v) = &self.years {
            c = c.add(C::Year.is_in(v.iter().copied()));
        }
        if let Some(v) = self.from_year {
            c = c.add(C::Year.gte(v));
        }
        if let Some(v) = self.to_year {
            c = c.add(C::Year.lte(v));
        }
        if let Some(v) = &self.commodity_ids {
            c = c.add(C::CommodityId.is_in(v.iter().copied()));
        }
        if let Some(v) = &self.flows {
            c = c.add(C::Flow.is_in(v.iter().copied()));
        }
        if let Some(kind) = self.commodity_level {
            c = c.add(
                C::CommodityId.in_subquery(
                    commodity::Entity::find()
                        .select_only()
                        .column(commodity::Column::Id)
                        .filter(commodity::Column::Kind.eq(kind))
                        .into_query(),
                ),
            );
        }
        if let Some(v) = self.min_value_usd {
            c = c.add(C::ValueUsd.gte(v));
        }
        c
    }

    /// The flows matching the filter, in no particular order (for exports, which stream them).
    pub fn select(&self) -> Select<trade_flow::Entity> {
        trade_flow::Entity::find().filter(self.condition())
    }
}

/// The order of a list of flows; ties are broken by id in the same direction, so every order
/// is total and a position (sort key, id) names a place in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FlowOrder {
    /// Storage order: new flows come last, so a page never shifts while data is added.
    #[default]
    Id,
    ValueDesc,
    ValueAsc,
    YearDesc,
    YearAsc,
}

/// The sort key of a flow under an order (none in id order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlowKey {
    Id,
    Value(f64),
    Year(i32),
}

/// A place in an ordered list of flows: the sort key of a flow and its id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowPosition {
    pub key: FlowKey,
    pub id: i64,
}

impl FlowOrder {
    fn key_column(self) -> Option<trade_flow::Column> {
        match self {
            Self::Id => None,
            Self::ValueDesc | Self::ValueAsc => Some(trade_flow::Column::ValueUsd),
            Self::YearDesc | Self::YearAsc => Some(trade_flow::Column::Year),
        }
    }

    fn descending(self) -> bool {
        matches!(self, Self::ValueDesc | Self::YearDesc)
    }

    /// The position of `row` in a list in this order.
    pub fn position(self, row: &trade_flow::Model) -> FlowPosition {
        let key = match self {
            Self::Id => FlowKey::Id,
            Self::ValueDesc | Self::ValueAsc => FlowKey::Value(row.value_usd),
            Self::YearDesc | Self::YearAsc => FlowKey::Year(row.year),
        };
        FlowPosition { key, id: row.id }
    }

    /// The key value of a position, or an error when the position was made for another order.
    fn key_value(self, p: &FlowPosition) -> Result<Option<Value>> {
        match (self, p.key) {
            (Self::Id, FlowKey::Id) => Ok(None),
            (Self::ValueDesc | Self::ValueAsc, FlowKey::Value(v)) => Ok(Some(v.into())),
            (Self::YearDesc | Self::YearAsc, FlowKey::Year(y)) => Ok(Some(y.into())),
            _ => Err(Error::bad_input(
                "the cursor was made for another `orderBy`: page with the same `orderBy`",
            )),
        }
    }
}

fn list_query(
    filter: &FlowFilter,
    order: FlowOrder,
    window: &Window<FlowPosition>,
) -> Result<Select<trade_flow::Entity>> {
    for p in window.after.iter().chain(window.before.iter()) {
        order.key_value(p)?;
    }
    let sorted = window.sorted(order.key_column(), trade_flow::Column::Id, order.descending(), |p| {
        (order.key_value(p).ok().flatten(), p.id)
    });
    Ok(sorted.apply_to(filter.select()))
}

/// The flows matching `filter` in `window` of the list in `order`.
pub async fn list(
    db: &DatabaseConnection,
    filter: &FlowFilter,
    order: FlowOrder,
    window: &Window<FlowPosition>,
) -> Result<Vec<trade_flow::Model>> {
    Ok(list_query(filter, order, window)?.all(db).await?)
}

/// The statement of [`list`], for `tradegraph sql` and benchmarks.
pub fn list_statement(
    backend: DbBackend,
    filter: &FlowFilter,
    order: FlowOrder,
    window: &Window<FlowPosition>,
) -> Result<Statement> {
    Ok(list_query(filter, order, window)?.build(backend))
}

/// How many flows match `filter`.
pub async fn count(db: &DatabaseConnection, filter: &FlowFilter) -> Result<u64> {
    Ok(filter.select().count(db).await?)
}
