//! Trade flows: upserts from partners (lists are in `flow_list`).

use std::collections::HashMap;

use entity::enums::{FlowKind, Qualifier};
use entity::trade_flow;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::pipeline::{self, Natural};
use super::write::{Counts, Problems, check_batch};
use crate::error::Result;
use crate::reference::RefData;

/// One trade flow to write, as the client sent it (codes not yet resolved).
#[derive(Debug, Clone, PartialEq)]
pub struct TradeFlowWrite {
    pub reporter: String,
    pub partner: String,
    pub year: i32,
    pub commodity: String,
    pub flow: FlowKind,
    pub value_usd: f64,
    pub quantity: Option<f64>,
    pub quantity_unit: Option<String>,
    pub qualifier: Option<Qualifier>,
    pub source_id: Option<String>,
    pub note: Option<String>,
}

/// Upserts trade flows on their natural key (reporter, partner, year, commodity, flow), all or
/// nothing, and records the write in the audit log as `key_name`.
pub async fn upsert(
    db: &DatabaseConnection,
    refs: &RefData,
    key_name: &str,
    rows: Vec<TradeFlowWrite>,
) -> Result<Counts> {
    check_batch("flows", rows.len())?;
    let mut p = Problems::new("flows");
    let mut keyed = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let reporter_id = p.country(refs, i, "reporter", &r.reporter, false);
        let partner_id = p.country(refs, i, "partner", &r.partner, true);
        if reporter_id != 0 && reporter_id == partner_id {
            p.add(i, "partner", "must differ from the reporter");
        }
        p.year(i, "year", r.year);
        let commodity_id = match refs.commodities.by_code(&r.commodity) {
            Some(c) => c.id,
            None => {
                p.add(i, "commodity", super::suggest::commodity(refs, &r.commodity));
                0
            }
        };
        p.amount(i, "valueUsd", r.value_usd);
        if let Some(q) = r.quantity {
            p.amount(i, "quantity", q);
        }
        if let Some(u) = &r.quantity_unit {
            p.text(i, "quantityUnit", u, 20, true);
        }
        if let Some(n) = &r.note {
            p.free_text(i, "note", n, 4000);
        }
        let source_id = p.source(refs, i, "sourceId", r.source_id.as_deref());
        let key = (reporter_id, partner_id, r.year, commodity_id, r.flow);
        keyed.push((
            key,
            trade_flow::ActiveModel {
                id: NotSet,
                reporter_id: Set(reporter_id),
                partner_id: Set(partner_id),
                year: Set(r.year),
                commodity_id: Set(commodity_id),
                flow: Set(r.flow),
                value_usd: Set(r.value_usd),
                quantity: Set(r.quantity),
                quantity_unit: Set(r.quantity_unit),
                qualifier: Set(r.qualifier.unwrap_or(Qualifier::Exact)),
                source_id: Set(source_id),
                note: Set(r.note),
            },
        ));
    }
    pipeline::write::<trade_flow::Entity>(db, key_name, "upsertTradeFlows", p, "key", keyed).await
}

/// A flow's natural key: (reporter, partner, year, commodity, flow).
pub type NaturalFlowKey = (i32, i32, i32, i32, FlowKind);

/// The columns of the flow's natural key, in the order of its unique index; the importer,
/// the bundled loader and the upserts all write on these.
pub fn flow_key_columns() -> [trade_flow::Column; 5] {
    use trade_flow::Column as C;
    [C::ReporterId, C::Year, C::CommodityId, C::Flow, C::PartnerId]
}

impl Natural for trade_flow::Entity {
    type Key = NaturalFlowKey;

    fn unique_key() -> Option<Vec<trade_flow::Column>> {
        Some(flow_key_columns().to_vec())
    }

    fn replaced() -> Vec<trade_flow::Column> {
        use trade_flow::Column as C;
        vec![
            C::ValueUsd,
            C::Quantity,
            C::QuantityUnit,
            C::Qualifier,
            C::SourceId,
            C::Note,
        ]
    }

    fn id() -> trade_flow::Column {
        trade_flow::Column::Id
    }

    async fn existing<C: ConnectionTrait>(db: &C, keys: &[NaturalFlowKey]) -> Result<HashMap<NaturalFlowKey, i32>> {
        use trade_flow::Column as C;
        let mut reporters: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let mut years: Vec<i32> = keys.iter().map(|k| k.2).collect();
        for v in [&mut reporters, &mut years] {
            v.sort_unstable();
            v.dedup();
        }
        let stored: Vec<(i32, i32, i32, i32, FlowKind, i32)> = trade_flow::Entity::find()
            .select_only()
            .columns([C::ReporterId, C::PartnerId, C::Year, C::CommodityId, C::Flow, C::Id])
            .filter(C::ReporterId.is_in(reporters))
            .filter(C::Year.is_in(years))
            .into_tuple()
            .all(db)
            .await?;
        Ok(stored
            .into_iter()
            .map(|(r, p, y, c, f, id)| ((r, p, y, c, f), id))
            .collect())
    }
}
