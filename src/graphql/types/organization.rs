use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use entity::organization;

use super::{BlocTrade, Date, Membership, MembershipStatus, Source, TradeFlowKind, source_of};
use crate::error::{Error, GqlResult};
use crate::graphql::loaders::MembersOfOrganization;
use crate::graphql::loaders::figures::{BlocTrade as BlocTradeFigure, load};
use crate::graphql::{commodity_id, refs};
use crate::service::bloc::BlocTradeArgs;

/// An international organisation (EAEU, CIS, CSTO, EU, 3+3, UN, …).
#[derive(Clone)]
pub struct Organization(pub Arc<organization::Model>);

#[Object]
impl Organization {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::Organization, &self.0.code)
    }
    /// Short code, e.g. `EAEU`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Common name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Full official name.
    async fn full_name(&self) -> Option<&str> {
        self.0.full_name.as_deref()
    }
    /// Date the organisation was founded (or its founding treaty took effect).
    async fn founded(&self) -> Option<Date> {
        self.0.founded.map(Date)
    }
    /// Official web site.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Where the organisation's data comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Membership periods of the organisation's members, candidates and observers.
    #[graphql(
        complexity = "crate::graphql::estimated_list_cost(crate::graphql::MEMBERS_PER_ORGANIZATION, child_complexity)"
    )]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the periods in force on that day.")] as_of: Option<Date>,
    ) -> Result<Vec<Membership>> {
        MembersOfOrganization::load(ctx, self.0.id, as_of.map(|d| d.0)).await
    }

    /// The bloc's trade in one year: with the world, within the bloc (between members) and
    /// outside it, and each member's value and share. Members are the countries whose
    /// membership is in force on `asOf` with one of `statuses`; one statement for every
    /// organisation asked for in the query.
    async fn trade(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Calendar year.")] year: i32,
        #[graphql(desc = "Direction.")] flow: TradeFlowKind,
        #[graphql(desc = "`TOTAL`, an HS section or an HS code.", default = "TOTAL")] commodity: String,
        #[graphql(desc = "The day membership is taken on; by default the last day of `year`.")] as_of: Option<Date>,
        #[graphql(
            desc = "The statuses that count as members: by default `MEMBER` and `SUSPENDED` (a \
                    suspended member is still a party to the treaty); observers, candidates, \
                    applicants and former members are not.",
            default_with = "vec![MembershipStatus::Member, MembershipStatus::Suspended]"
        )]
        statuses: Vec<MembershipStatus>,
    ) -> Result<BlocTrade> {
        let refs = refs(ctx)?;
        let as_of = match as_of {
            Some(d) => d.0,
            None => chrono::NaiveDate::from_ymd_opt(year, 12, 31)
                .ok_or_else(|| Error::bad_input(format!("`year`: {year} is not a calendar year")))
                .gql()?,
        };
        let mut statuses: Vec<entity::enums::MembershipStatus> = statuses.into_iter().map(Into::into).collect();
        statuses.sort_by_key(|s| *s as u8);
        statuses.dedup();
        if statuses.is_empty() {
            return Err(Error::bad_input("`statuses`: name at least one status")).gql();
        }
        let commodity_id = commodity_id(&refs, &commodity, "commodity")?;
        let args = BlocTradeArgs {
            year,
            flow: flow.into(),
            commodity_id,
            as_of,
            statuses,
        };
        let rows = load::<BlocTradeFigure>(ctx, self.0.id, args.clone()).await?;
        Ok(BlocTrade {
            args,
            commodity: super::commodity_code(ctx, commodity_id)?,
            rows,
        })
    }
}
