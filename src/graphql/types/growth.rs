//! `Country.cagr`'s output type.

use async_graphql::{ComplexObject, Context, Result, SimpleObject};

use super::flow_lineage as fl;
use super::{Lineage, Qualifier};
use crate::graphql::loaders::figures::CagrLineage;
use crate::graphql::refs;
use crate::service::figures as f;

/// A figure's qualifier as the API names it.
fn named(q: Option<entity::enums::Qualifier>) -> Option<Qualifier> {
    q.map(Into::into)
}

/// Compound annual growth rate between two years.
#[derive(Clone, SimpleObject)]
#[graphql(complex)]
pub struct GrowthRate {
    /// First year.
    pub from_year: i32,
    /// Last year.
    pub to_year: i32,
    /// Value in the first year; null when not stored.
    pub from_value_usd: Option<f64>,
    /// How sure `fromValueUsd` is.
    pub from_value_usd_qualifier: Option<Qualifier>,
    /// Value in the last year; null when not stored.
    pub to_value_usd: Option<f64>,
    /// How sure `toValueUsd` is.
    pub to_value_usd_qualifier: Option<Qualifier>,
    /// (to / from)^(1 / (toYear − fromYear)) − 1; null when a value is missing or the first is 0.
    pub rate: Option<f64>,
    /// How sure `rate` is (it rises with the last value and falls with the first).
    pub rate_qualifier: Option<Qualifier>,
    #[graphql(skip)]
    reporter_id: i32,
    #[graphql(skip)]
    args: f::CagrArgs,
}

#[ComplexObject]
impl GrowthRate {
    /// How `rate` was computed: the rows of the first year's value (`a`) and of the last's
    /// (`b`; with partner `W00`, its `W00` row, else every partner's); null when `rate` is.
    /// One more statement for every reporter of the query level.
    async fn rate_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        if self.rate.is_none() {
            return Ok(None);
        }
        let rows = fl::rows::<CagrLineage>(ctx, self.reporter_id, self.args).await?;
        let world_id = refs(ctx)?.world_id();
        let value = |year: i32, symbol: &'static str| {
            fl::world_rows(rows.iter().filter(move |r| r.year == year), world_id)
                .into_iter()
                .map(move |r| fl::input(r, symbol))
        };
        let (from, to) = (self.from_year, self.to_year);
        Ok(Some(fl::lineage(
            format!(
                "(value of {to} / value of {from})^(1 / {}) − 1, each value being the flow with the partner (with \
                 W00: its W00 row when stored, else the sum over the partners that are countries)",
                to - from
            ),
            format!("(Σ b / Σ a)^(1 / {}) − 1", to - from),
            value(from, "a").chain(value(to, "b")).collect(),
        )))
    }
}

impl GrowthRate {
    /// The rate between `from_year` and `to_year` from the values the database found.
    pub fn new(reporter_id: i32, args: f::CagrArgs, values: Option<&f::CagrValues>) -> Self {
        let (from_year, to_year) = (args.from_year, args.to_year);
        let from_value_usd = values.and_then(|v| v.from_value_usd);
        let to_value_usd = values.and_then(|v| v.to_value_usd);
        let rate = f::cagr_rate(from_value_usd, to_value_usd, to_year - from_year);
        Self {
            from_year,
            to_year,
            from_value_usd,
            from_value_usd_qualifier: named(values.and_then(|v| v.from_value_usd_qualifier)),
            to_value_usd,
            to_value_usd_qualifier: named(values.and_then(|v| v.to_value_usd_qualifier)),
            rate,
            rate_qualifier: rate.and(named(values.and_then(|v| v.rate_qualifier))),
            reporter_id,
            args,
        }
    }
}
