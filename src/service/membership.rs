//! Memberships of countries in organisations, optionally as of a date; upserts from partners.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::MembershipStatus;
use entity::membership;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::pipeline::{self, Natural};
use super::write::{Counts, Problems, check_batch};
use crate::error::Result;
use crate::reference::RefData;

/// Periods in force on `day`: started on or before it (or start unknown) and not ended by it.
fn in_force(day: NaiveDate) -> Condition {
    use membership::Column as C;
    Condition::all()
        .add(Condition::any().add(C::Since.is_null()).add(C::Since.lte(day)))
        .add(Condition::any().add(C::Until.is_null()).add(C::Until.gt(day)))
}

async fn query(
    db: &DatabaseConnection,
    by: membership::Column,
    ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    use membership::Column as C;
    let mut q = membership::Entity::find().filter(by.is_in(ids.iter().copied()));
    if let Some(day) = as_of {
        q = q.filter(in_force(day));
    }
    Ok(q.order_by_asc(C::OrganizationId)
        .order_by_asc(C::CountryId)
        .order_by_asc(C::Since)
        .all(db)
        .await?)
}

/// Memberships of the given countries (all periods, or those in force on `as_of`).
pub async fn of_countries(
    db: &DatabaseConnection,
    country_ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    query(db, membership::Column::CountryId, country_ids, as_of).await
}

/// Memberships in the given organisations (all periods, or those in force on `as_of`).
pub async fn of_organizations(
    db: &DatabaseConnection,
    organization_ids: &[i32],
    as_of: Option<NaiveDate>,
) -> Result<Vec<membership::Model>> {
    query(db, membership::Column::OrganizationId, organization_ids, as_of).await
}

/// One membership period to write.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipWrite {
    pub organization: String,
    pub country: String,
    pub status: MembershipStatus,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub source_id: Option<String>,
    pub note: Option<String>,
}

/// Upserts membership periods on (organisation, country, since) — an unknown `since` is one
/// value — all or nothing, audited as `key_name`.
pub async fn upsert(
    db: &DatabaseConnection,
    refs: &RefData,
    key_name: &str,
    rows: Vec<MembershipWrite>,
) -> Result<Counts> {
    check_batch("memberships", rows.len())?;
    let mut p = Problems::new("memberships");
    let mut keyed = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let organization_id = match refs.organizations.by_code(&r.organization) {
            Some(o) => o.id,
            None => {
                p.add(i, "organization", super::suggest::organization(refs, &r.organization));
                0
            }
        };
        let country_id = p.country(refs, i, "country", &r.country, false);
        if let (Some(since), Some(until)) = (r.since, r.until)
            && until <= since
        {
            p.add(i, "until", "must be after `since`");
        }
        for (field, day) in [("since", r.since), ("until", r.until)] {
            if let Some(day) = day {
                p.year(i, field, chrono::Datelike::year(&day));
            }
        }
        if let Some(n) = &r.note {
            p.free_text(i, "note", n, 4000);
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        keyed.push((
            (organization_id, country_id, r.since),
            membership::ActiveModel {
                id: NotSet,
                organization_id: Set(organization_id),
                country_id: Set(country_id),
                status: Set(r.status),
                since: Set(r.since),
                until: Set(r.until),
                source_id: Set(source_id),
                note: Set(r.note),
            },
        ));
    }
    pipeline::write::<membership::Entity>(db, key_name, "upsertMemberships", p, "key", keyed).await
}

/// A membership's natural key: (organisation, country, since); `since` may be unknown.
type MembershipKey = (i32, i32, Option<NaiveDate>);

impl Natural for membership::Entity {
    type Key = MembershipKey;

    fn unique_key() -> Option<Vec<membership::Column>> {
        None
    }

    fn id() -> membership::Column {
        membership::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[MembershipKey]) -> Result<HashMap<MembershipKey, i32>> {
        use membership::Column as C;
        let mut countries: Vec<i32> = keys.iter().map(|k| k.1).collect();
        countries.sort_unstable();
        countries.dedup();
        let stored: Vec<(i32, i32, Option<NaiveDate>, i32)> = membership::Entity::find()
            .select_only()
            .columns([C::OrganizationId, C::CountryId, C::Since, C::Id])
            .filter(C::CountryId.is_in(countries))
            .into_tuple()
            .all(db)
            .await?;
        Ok(stored.into_iter().map(|(o, c, s, id)| ((o, c, s), id)).collect())
    }
}

/// Ids of the countries that are full members (`MEMBER`) of the organisation on `day`, in
/// one statement.
pub async fn members_on(db: &DatabaseConnection, organization_id: i32, day: NaiveDate) -> Result<Vec<i32>> {
    use membership::Column as C;
    Ok(membership::Entity::find()
        .select_only()
        .column(C::CountryId)
        .filter(C::OrganizationId.eq(organization_id))
        .filter(C::Status.eq(MembershipStatus::Member))
        .filter(in_force(day))
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}
