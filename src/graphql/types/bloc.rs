//! `Organization.trade`: a bloc's trade with the world, within and outside the bloc, and
//! each member's part (`service::bloc`).

use async_graphql::{Context, Object, Result};

use super::{Country, Date, MembershipStatus, Qualifier, TradeFlowKind, country_of};
use crate::graphql::refs;
use crate::service::bloc::{BlocMemberRow, BlocTradeArgs};

fn named(q: Option<entity::enums::Qualifier>) -> Option<Qualifier> {
    q.map(Into::into)
}

/// An organisation's trade in one year, flow and commodity, over the countries that are its
/// members on `asOf`. Sums leave out members without data and say so in their qualifier
/// (`AT_LEAST`: a value left out can only add); see docs/figures.md.
pub struct BlocTrade {
    pub args: BlocTradeArgs,
    pub commodity: String,
    /// The members, the bloc's figures repeated on each (none without members).
    pub rows: Vec<BlocMemberRow>,
}

impl BlocTrade {
    fn bloc<T>(&self, field: impl Fn(&BlocMemberRow) -> Option<T>) -> Option<T> {
        self.rows.first().and_then(field)
    }
}

#[Object]
impl BlocTrade {
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.args.year
    }
    /// Direction.
    async fn flow(&self) -> TradeFlowKind {
        self.args.flow.into()
    }
    /// `TOTAL`, an HS section or an HS code.
    async fn commodity(&self) -> &str {
        &self.commodity
    }
    /// The day membership was taken on (by default the last day of `year`).
    async fn as_of(&self) -> Date {
        Date(self.args.as_of)
    }
    /// The statuses counted as members.
    async fn statuses(&self) -> Vec<MembershipStatus> {
        self.args.statuses.iter().map(|s| (*s).into()).collect()
    }
    /// Number of members on `asOf`.
    async fn member_count(&self) -> usize {
        self.rows.len()
    }
    /// Members with data (a world total) for the year, flow and commodity.
    async fn members_reporting(&self) -> i64 {
        self.rows.first().map_or(0, |r| r.members_reporting)
    }
    /// Σ over members of their world totals (each its `W00` row, else the sum over its
    /// partners); null when no member has data.
    async fn world_usd(&self) -> Option<f64> {
        self.bloc(|r| r.bloc_world_usd)
    }
    /// How sure `worldUsd` is; `AT_LEAST` at best when a member has no data.
    async fn world_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.bloc(|r| r.bloc_world_usd_qualifier))
    }
    /// Σ over members of their flows with fellow members (intra-bloc trade).
    async fn intra_usd(&self) -> Option<f64> {
        self.bloc(|r| r.bloc_intra_usd)
    }
    /// How sure `intraUsd` is; `AT_LEAST` at best when a pair of members has no row.
    async fn intra_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.bloc(|r| r.bloc_intra_usd_qualifier))
    }
    /// Σ over members of (world total − intra-bloc flows): trade with the rest of the world.
    async fn extra_usd(&self) -> Option<f64> {
        self.bloc(|r| r.bloc_extra_usd)
    }
    /// How sure `extraUsd` is.
    async fn extra_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.bloc(|r| r.bloc_extra_usd_qualifier))
    }
    /// `intraUsd / worldUsd`.
    async fn intra_share(&self) -> Option<f64> {
        self.bloc(|r| r.intra_share)
    }
    /// How sure `intraShare` is.
    async fn intra_share_qualifier(&self) -> Option<Qualifier> {
        named(self.bloc(|r| r.intra_share_qualifier))
    }
    /// Each member with its figures: members with data by value descending, then those
    /// without (ties by ISO code).
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::MEMBERS_PER_ORGANIZATION, child_complexity)"
    )]
    async fn members(&self) -> Vec<BlocMemberTrade> {
        self.rows.iter().cloned().map(BlocMemberTrade).collect()
    }
}

/// One member's part of its organisation's trade.
pub struct BlocMemberTrade(BlocMemberRow);

#[Object]
impl BlocMemberTrade {
    /// The member.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.country_id)
    }
    /// Its status on `asOf`.
    async fn status(&self) -> MembershipStatus {
        self.0.status.into()
    }
    /// Its world total (its `W00` row, else the sum over its partners); null without data.
    async fn value_usd(&self) -> Option<f64> {
        self.0.value_usd
    }
    /// How sure `valueUsd` is.
    async fn value_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.value_usd_qualifier)
    }
    /// `valueUsd` / the bloc's `worldUsd`.
    async fn share(&self) -> Option<f64> {
        self.0.share
    }
    /// How sure `share` is.
    async fn share_qualifier(&self) -> Option<Qualifier> {
        named(self.0.share_qualifier)
    }
    /// Σ of its flows with fellow members; null when it has no such row.
    async fn intra_usd(&self) -> Option<f64> {
        self.0.intra_usd
    }
    /// How sure `intraUsd` is; `AT_LEAST` at best when a fellow member has no row.
    async fn intra_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.intra_usd_qualifier)
    }
    /// `valueUsd − intraUsd`.
    async fn extra_usd(&self) -> Option<f64> {
        self.0.extra_usd
    }
    /// How sure `extraUsd` is.
    async fn extra_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.extra_usd_qualifier)
    }
}
