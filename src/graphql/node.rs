//! Relay's object identification: the `Node` interface, implemented by every type with an
//! identity, and the loading of nodes by global id (`node`, `nodes`) — reference data from
//! the in-memory snapshot, facts with one statement per type however many ids.

use std::collections::{BTreeMap, HashMap};

use async_graphql::{Context, ID, Interface, Result};
use entity::enums::KeyScope;

use super::types::{
    AidPledge, AuditEntry, Commodity, Country, ImportDependency, IndicatorValue, Membership, Organization, Source,
    StatedPartnerShare, StatedTradeTotal, TradeFlow,
};
use super::{caller, db, refs};
use crate::error::{Error, GqlResult};
use crate::service::aid;
use crate::service::nodes::{self, Kind};

/// An object with a global, opaque, stable `id`: `node(id:)` finds it again, and clients
/// that cache by `id` (Apollo, Relay, urql's graphcache) normalise it without configuration.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Global, opaque, stable identifier; `node(id:)` returns the object again."
))]
pub enum Node {
    Country(Country),
    Organization(Organization),
    Commodity(Commodity),
    Source(Source),
    TradeFlow(TradeFlow),
    AidPledge(AidPledge),
    Membership(Membership),
    ImportDependency(ImportDependency),
    IndicatorValue(IndicatorValue),
    StatedPartnerShare(StatedPartnerShare),
    StatedTradeTotal(StatedTradeTotal),
    AuditEntry(AuditEntry),
}

/// The global id of an object of `kind` with `key`.
pub(crate) fn id(kind: Kind, key: impl std::fmt::Display) -> ID {
    ID(nodes::encode(kind, key))
}

/// The nodes of `ids`, in order (null for an id whose object does not exist). Malformed ids
/// are `BAD_USER_INPUT`; audit entries need an `admin` key.
pub(crate) async fn load(ctx: &Context<'_>, ids: &[ID], argument: &str) -> Result<Vec<Option<Node>>> {
    let decoded = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            nodes::decode(id).ok_or_else(|| {
                let at = if ids.len() == 1 {
                    argument.to_owned()
                } else {
                    format!("{argument}[{i}]")
                };
                Error::bad_input(format!(
                    "`{at}`: {:?} is not an id of tradegraph (ids come from `id` fields)",
                    id.as_str()
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .gql()?;
    if decoded.iter().any(|n| n.kind == Kind::AuditEntry) {
        caller(ctx).require(KeyScope::Admin).gql()?;
    }
    // Row ids by kind: one statement per kind.
    let mut rows: BTreeMap<Kind, Vec<i64>> = BTreeMap::new();
    for n in &decoded {
        if let Some(row) = n.row() {
            rows.entry(n.kind).or_default().push(row);
        }
    }
    let refs = refs(ctx)?;
    let mut found: HashMap<(Kind, i64), Node> = HashMap::new();
    for (kind, ids) in rows {
        let db = db(ctx)?;
        let as_i32: Vec<i32> = ids.iter().filter_map(|&i| i32::try_from(i).ok()).collect();
        let put = |found: &mut HashMap<(Kind, i64), Node>, id: i64, node: Node| {
            found.insert((kind, id), node);
        };
        match kind {
            Kind::TradeFlow => {
                for row in nodes::trade_flows(db, &ids).await.gql()? {
                    let id = row.id;
                    put(
                        &mut found,
                        id,
                        Node::TradeFlow(TradeFlow {
                            row,
                            refs: refs.clone(),
                        }),
                    );
                }
            }
            Kind::AidPledge => {
                for f in aid::by_ids(db, &as_i32).await.gql()? {
                    put(&mut found, i64::from(f.id), Node::AidPledge(AidPledge(f)));
                }
            }
            Kind::Membership => {
                for m in nodes::memberships(db, &ids).await.gql()? {
                    put(&mut found, i64::from(m.id), Node::Membership(Membership(m)));
                }
            }
            Kind::ImportDependency => {
                for d in nodes::import_dependencies(db, &ids).await.gql()? {
                    put(&mut found, i64::from(d.id), Node::ImportDependency(ImportDependency(d)));
                }
            }
            Kind::IndicatorValue => {
                for v in nodes::indicators(db, &ids).await.gql()? {
                    put(&mut found, i64::from(v.id), Node::IndicatorValue(IndicatorValue(v)));
                }
            }
            Kind::StatedPartnerShare => {
                for s in nodes::partner_shares(db, &ids).await.gql()? {
                    put(
                        &mut found,
                        i64::from(s.id),
                        Node::StatedPartnerShare(StatedPartnerShare(s)),
                    );
                }
            }
            Kind::StatedTradeTotal => {
                for t in nodes::trade_totals(db, &ids).await.gql()? {
                    put(&mut found, i64::from(t.id), Node::StatedTradeTotal(StatedTradeTotal(t)));
                }
            }
            Kind::AuditEntry => {
                for e in nodes::audit_entries(db, &ids).await.gql()? {
                    put(&mut found, e.id, Node::AuditEntry(AuditEntry(e)));
                }
            }
            Kind::Country | Kind::Organization | Kind::Commodity | Kind::Source => {}
        }
    }
    Ok(decoded
        .into_iter()
        .map(|n| match n.kind {
            Kind::Country => refs
                .countries
                .by_code(&n.key)
                .cloned()
                .map(|c| Node::Country(Country(c))),
            Kind::Organization => refs
                .organizations
                .by_code(&n.key)
                .cloned()
                .map(|o| Node::Organization(Organization(o))),
            Kind::Commodity => refs
                .commodities
                .by_code(&n.key)
                .cloned()
                .map(|c| Node::Commodity(Commodity(c))),
            Kind::Source => refs.sources.by_code(&n.key).cloned().map(|s| Node::Source(Source(s))),
            kind => n.row().and_then(|row| found.get(&(kind, row)).map(clone_node)),
        })
        .collect())
}

/// A node found once and asked for twice.
fn clone_node(node: &Node) -> Node {
    match node {
        Node::Country(c) => Node::Country(c.clone()),
        Node::Organization(o) => Node::Organization(o.clone()),
        Node::Commodity(c) => Node::Commodity(c.clone()),
        Node::Source(s) => Node::Source(s.clone()),
        Node::TradeFlow(t) => Node::TradeFlow(TradeFlow {
            row: t.row.clone(),
            refs: t.refs.clone(),
        }),
        Node::AidPledge(a) => Node::AidPledge(a.clone()),
        Node::Membership(m) => Node::Membership(m.clone()),
        Node::ImportDependency(d) => Node::ImportDependency(d.clone()),
        Node::IndicatorValue(v) => Node::IndicatorValue(v.clone()),
        Node::StatedPartnerShare(s) => Node::StatedPartnerShare(s.clone()),
        Node::StatedTradeTotal(t) => Node::StatedTradeTotal(t.clone()),
        Node::AuditEntry(e) => Node::AuditEntry(AuditEntry(e.0.clone())),
    }
}
