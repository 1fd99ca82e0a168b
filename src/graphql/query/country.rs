use async_graphql::connection::Edge;
use async_graphql::{Context, Object, Result};

use std::collections::HashSet;

use crate::error::{Error, GqlResult};
use crate::graphql::paging::paging;
use crate::graphql::types::{Country, CountryConnection, CountryCursor, CountryTotal, Date};
use crate::graphql::{CodeShape, by_code, db, refs};
use crate::service::{membership, suggest};

#[derive(Default)]
pub struct CountryQuery;

#[Object]
impl CountryQuery {
    /// A country (or the aggregate `W00`) by ISO 3166-1 alpha-3 or alpha-2 code,
    /// case-insensitive; null when no country has that code. Something that is not a code
    /// at all (`"Armenia"`) is `BAD_USER_INPUT`, suggesting the closest codes.
    async fn country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`ARM`, `am`, …")] code: String,
    ) -> Result<Option<Country>> {
        let refs = refs(ctx)?;
        let found = refs.country(&code).cloned().map(Country);
        by_code(found, &code, CodeShape::Country, || suggest::country(&refs, &code))
    }

    /// All ISO 3166-1 countries (not aggregates such as `W00`), by alpha-3 code; the filters
    /// narrow the list together.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::list_cost(first.or(last), child_complexity)")]
    async fn countries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start: default 100, at most 1000.")] first: Option<i32>,
        #[graphql(desc = "Only countries after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only this region (`Asia`, `Europe`, …), case-insensitive.")] region: Option<String>,
        #[graphql(desc = "Only this subregion (`Western Asia`, …), case-insensitive.")] subregion: Option<String>,
        #[graphql(desc = "Only full members (`MEMBER`) of this organisation (`EAEU`, …), on `asOf`.")]
        member_of: Option<String>,
        #[graphql(desc = "The day `memberOf` is checked on (default today, UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Page size from the end (instead of `first`), at most 1000.")] last: Option<i32>,
        #[graphql(desc = "Only countries before this cursor.")] before: Option<String>,
    ) -> Result<CountryConnection> {
        let paging = paging::<CountryCursor>(first, after, last, before)?;
        let refs = refs(ctx)?;
        let members: Option<HashSet<i32>> = match member_of {
            Some(code) => {
                let org = refs
                    .organizations
                    .by_code(&code)
                    .ok_or_else(|| Error::bad_input(format!("`memberOf`: {}", suggest::organization(&refs, &code))));
                let day = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
                let ids = membership::members_on(db(ctx)?, org.gql()?.id, day).await.gql()?;
                Some(ids.into_iter().collect())
            }
            None if as_of.is_some() => return Err(Error::bad_input("`asOf` needs `memberOf`")).gql(),
            None => None,
        };
        let same = |want: &Option<String>, have: &Option<String>| {
            want.as_deref()
                .is_none_or(|w| have.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        let matching = refs.countries.all.iter().filter(|c| {
            !c.is_aggregate
                && same(&region, &c.region)
                && same(&subregion, &c.subregion)
                && members.as_ref().is_none_or(|m| m.contains(&c.id))
        });
        let total = matching.clone().count();
        let window = matching.filter(|c| {
            paging.after.as_ref().is_none_or(|a| c.iso3.as_str() > a.0.as_str())
                && paging.before.as_ref().is_none_or(|b| c.iso3.as_str() < b.0.as_str())
        });
        let rows: Vec<_> = if paging.from_end {
            window.rev().take(paging.size + 1).cloned().collect()
        } else {
            window.take(paging.size + 1).cloned().collect()
        };
        let (page, has_previous, has_next) = paging.finish(rows);
        let mut conn = CountryConnection::with_additional_fields(has_previous, has_next, CountryTotal(total));
        conn.edges = page
            .into_iter()
            .map(|c| Edge::new(CountryCursor(c.iso3.clone()), Country(c)))
            .collect();
        Ok(conn)
    }
}
