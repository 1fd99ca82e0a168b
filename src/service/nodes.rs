//! Global object identity (Relay's `Node`): every object with an identity has one opaque,
//! stable id — `base64url("Kind:key")`, the key being the object's code for reference data
//! (a country's ISO alpha-3, an organisation's or commodity's code, a source's key) and the
//! row id for stored facts — and the rows behind a list of ids are read with one statement
//! per table, however many ids.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::Result;

/// The kinds of objects with an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Country,
    Organization,
    Commodity,
    Source,
    TradeFlow,
    AidPledge,
    Membership,
    ImportDependency,
    IndicatorValue,
    StatedPartnerShare,
    StatedTradeTotal,
    AuditEntry,
}

impl Kind {
    const ALL: [Kind; 12] = [
        Kind::Country,
        Kind::Organization,
        Kind::Commodity,
        Kind::Source,
        Kind::TradeFlow,
        Kind::AidPledge,
        Kind::Membership,
        Kind::ImportDependency,
        Kind::IndicatorValue,
        Kind::StatedPartnerShare,
        Kind::StatedTradeTotal,
        Kind::AuditEntry,
    ];

    /// The GraphQL type name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Country => "Country",
            Kind::Organization => "Organization",
            Kind::Commodity => "Commodity",
            Kind::Source => "Source",
            Kind::TradeFlow => "TradeFlow",
            Kind::AidPledge => "AidPledge",
            Kind::Membership => "Membership",
            Kind::ImportDependency => "ImportDependency",
            Kind::IndicatorValue => "IndicatorValue",
            Kind::StatedPartnerShare => "StatedPartnerShare",
            Kind::StatedTradeTotal => "StatedTradeTotal",
            Kind::AuditEntry => "AuditEntry",
        }
    }

    /// Whether the key is a row id (facts) rather than a code (reference data).
    pub fn keyed_by_row(self) -> bool {
        !matches!(
            self,
            Kind::Country | Kind::Organization | Kind::Commodity | Kind::Source
        )
    }
}

/// A decoded global id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeId {
    pub kind: Kind,
    pub key: String,
}

impl NodeId {
    /// The row id, for kinds keyed by row.
    pub fn row(&self) -> Option<i64> {
        self.kind.keyed_by_row().then(|| self.key.parse().ok()).flatten()
    }
}

/// The global id of the object of `kind` with `key`.
pub fn encode(kind: Kind, key: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.name()))
}

/// A stable id for a stored row that is not a `Node` (yet): `base64url("Type:key")`, the key
/// being the row's natural key; `decode` does not accept it.
pub fn stable_id(type_name: &str, key: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:{key}"))
}

/// The kind and key of a global id; `None` for anything that is not one.
pub fn decode(id: &str) -> Option<NodeId> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim().trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, key) = text.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name)?;
    if key.is_empty() || (kind.keyed_by_row() && key.parse::<i64>().is_err()) {
        return None;
    }
    Some(NodeId {
        kind,
        key: key.to_owned(),
    })
}

/// The rows of entity `E` with these ids, in one statement.
async fn by_ids<E: EntityTrait>(db: &DatabaseConnection, id: E::Column, ids: &[i64]) -> Result<Vec<E::Model>>
where
    E::Column: ColumnTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(E::find().filter(id.is_in(ids.iter().copied())).all(db).await?)
}

pub async fn trade_flows(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::trade_flow::Model>> {
    by_ids::<entity::trade_flow::Entity>(db, entity::trade_flow::Column::Id, ids).await
}

pub async fn memberships(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::membership::Model>> {
    by_ids::<entity::membership::Entity>(db, entity::membership::Column::Id, ids).await
}

pub async fn import_dependencies(
    db: &DatabaseConnection,
    ids: &[i64],
) -> Result<Vec<entity::import_dependency::Model>> {
    by_ids::<entity::import_dependency::Entity>(db, entity::import_dependency::Column::Id, ids).await
}

pub async fn indicators(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::indicator::Model>> {
    by_ids::<entity::indicator::Entity>(db, entity::indicator::Column::Id, ids).await
}

pub async fn partner_shares(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::partner_share::Model>> {
    by_ids::<entity::partner_share::Entity>(db, entity::partner_share::Column::Id, ids).await
}

pub async fn trade_totals(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::trade_total::Model>> {
    by_ids::<entity::trade_total::Entity>(db, entity::trade_total::Column::Id, ids).await
}

pub async fn audit_entries(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<entity::audit_log::Model>> {
    by_ids::<entity::audit_log::Entity>(db, entity::audit_log::Column::Id, ids).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_garbage_is_none() {
        let id = encode(Kind::Country, "ARM");
        assert_eq!(id, "Q291bnRyeTpBUk0");
        assert_eq!(
            decode(&id),
            Some(NodeId {
                kind: Kind::Country,
                key: "ARM".into()
            })
        );
        assert_eq!(decode(&encode(Kind::TradeFlow, 42)).and_then(|n| n.row()), Some(42));
        for bad in ["", "nope", "Q291bnRyeQ", &encode(Kind::TradeFlow, "x"), "Rm9vOjE"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
