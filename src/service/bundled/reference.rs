//! The bundled reference tables — sources, countries (and aggregates), organisations,
//! commodities — upserted on their natural keys, each table's ids read back for the facts.

use std::collections::HashMap;

use entity::enums::CommodityKind;
use entity::{commodity, country, organization, source};
use sea_orm::ActiveValue::{NotSet, Set};

use super::rows::{CommodityRow, CountryRow, OrganizationRow, SourceRow};
use super::store::Tables;
use super::{Ids, date, id_map, opt};
use crate::error::{Error, Result};
use crate::service::pipeline::Natural;

/// Upserts the reference tables; answers their ids by code and the ids of the bundled
/// sources. `report` gets the rows of each table.
pub(super) async fn load(
    store: &mut Tables,
    sources: Vec<SourceRow>,
    countries: Vec<CountryRow>,
    n_aggregates: usize,
    organizations: Vec<OrganizationRow>,
    commodities: Vec<CommodityRow>,
    report: &mut Vec<(&'static str, usize)>,
) -> Result<(Ids, Vec<i32>)> {
    // Sources.
    report.push(("source", sources.len()));
    let source_keys: Vec<String> = sources.iter().map(|s| s.key.clone()).collect();
    store
        .upsert(
            "sources.csv",
            sources
                .into_iter()
                .map(|s| source::ActiveModel {
                    id: NotSet,
                    key: Set(s.key),
                    publisher: Set(s.publisher),
                    title: Set(s.title),
                    year: Set(s.year),
                    url: Set(opt(&s.url)),
                    note: Set(opt(&s.note)),
                })
                .collect(),
            vec![source::Column::Key],
            vec![
                source::Column::Publisher,
                source::Column::Title,
                source::Column::Year,
                source::Column::Url,
                source::Column::Note,
            ],
        )
        .await?;
    let mut ids = Ids {
        sources: id_map::<_, source::Entity>(&store.txn, source::Column::Key, source::Column::Id).await?,
        countries: HashMap::new(),
        organizations: HashMap::new(),
        commodities: HashMap::new(),
    };
    let bundled_sources: Vec<i32> = source_keys.iter().filter_map(|k| ids.sources.get(k).copied()).collect();

    // Countries (and aggregates).
    report.push(("country", countries.len() - n_aggregates));
    let mut rows = Vec::with_capacity(countries.len());
    let n_countries = countries.len() - n_aggregates;
    for (i, c) in countries.into_iter().enumerate() {
        // Every row of country_aggregates.csv (World and Comtrade's other special areas).
        let is_aggregate = i >= n_countries;
        rows.push(country::ActiveModel {
            id: NotSet,
            source_id: Set(ids.source("countries.csv", &c.source)?),
            iso3: Set(c.iso3),
            iso2: Set(c.iso2),
            numeric_code: Set(c.numeric),
            name: Set(c.name),
            official_name: Set(opt(&c.official_name)),
            region: Set(opt(&c.region)),
            subregion: Set(opt(&c.subregion)),
            landlocked: Set(c.landlocked),
            is_aggregate: Set(is_aggregate),
        });
    }
    use country::Column as Cc;
    let replaced = vec![
        Cc::Iso2,
        Cc::NumericCode,
        Cc::Name,
        Cc::OfficialName,
        Cc::Region,
        Cc::Subregion,
        Cc::Landlocked,
        Cc::IsAggregate,
        Cc::SourceId,
    ];
    store
        .upsert("countries.csv + country_aggregates.csv", rows, vec![Cc::Iso3], replaced)
        .await?;
    ids.countries = id_map::<_, country::Entity>(&store.txn, Cc::Iso3, Cc::Id).await?;

    // Organisations.
    report.push(("organization", organizations.len()));
    let mut rows = Vec::new();
    for o in organizations {
        rows.push(organization::ActiveModel {
            id: NotSet,
            source_id: Set(ids.source("organizations.csv", &o.source)?),
            founded: Set(date("organizations.csv", &o.founded)?),
            code: Set(o.code),
            name: Set(o.name),
            full_name: Set(opt(&o.full_name)),
            url: Set(opt(&o.url)),
        });
    }
    use organization::Column as Oc;
    let key = organization::Entity::unique_key().unwrap_or_default();
    store
        .upsert("organizations.csv", rows, key, organization::Entity::replaced())
        .await?;
    ids.organizations = id_map::<_, organization::Entity>(&store.txn, Oc::Code, Oc::Id).await?;

    // Commodities: parents come first in the file; insert level by level so parents exist.
    report.push(("commodity", commodities.len()));
    use commodity::Column as Kc;
    for level in [
        CommodityKind::Total,
        CommodityKind::Section,
        CommodityKind::Chapter,
        CommodityKind::Heading,
        CommodityKind::Subheading,
    ] {
        let mut rows = Vec::new();
        for c in commodities
            .iter()
            .filter(|c| CommodityKind::parse(&c.kind) == Some(level))
        {
            let parent_id = match opt(&c.parent) {
                Some(p) => Some(Ids::get(&ids.commodities, "commodities.csv", "parent commodity", &p)?),
                None => None,
            };
            rows.push(commodity::ActiveModel {
                id: NotSet,
                code: Set(c.code.clone()),
                kind: Set(level),
                parent_id: Set(parent_id),
                name: Set(c.name.clone()),
                source_id: Set(ids.source("commodities.csv", &c.source)?),
            });
        }
        let replaced = vec![Kc::Kind, Kc::ParentId, Kc::Name, Kc::SourceId];
        store.upsert("commodities.csv", rows, vec![Kc::Code], replaced).await?;
        ids.commodities = id_map::<_, commodity::Entity>(&store.txn, Kc::Code, Kc::Id).await?;
    }
    if let Some(bad) = commodities.iter().find(|c| CommodityKind::parse(&c.kind).is_none()) {
        return Err(Error::internal(format!("commodities.csv: unknown kind {:?}", bad.kind)));
    }

    Ok((ids, bundled_sources))
}
