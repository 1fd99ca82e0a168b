//! GraphQL enums, mapped one-to-one to the stored vocabularies.

use async_graphql::Enum;

/// Direction of a trade flow, seen from the reporter.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::FlowKind")]
pub enum TradeFlowKind {
    /// Goods the reporter sold to the partner (Comtrade `X`).
    Export,
    /// Goods the reporter bought from the partner (Comtrade `M`).
    Import,
    /// Foreign goods exported again without substantial transformation (Comtrade `RX`).
    ReExport,
    /// Domestic goods imported back (Comtrade `RM`).
    ReImport,
}

/// How exactly a stored figure is known.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::Qualifier")]
pub enum Qualifier {
    /// Stated without qualification.
    Exact,
    /// "About", "around", "~".
    Approximate,
    /// "Over", "more than", "just over": the true figure is at least this.
    AtLeast,
    /// "Almost", "nearly", "up to": the true figure is at most this.
    AtMost,
    /// An estimate by the source or by tradegraph's curators.
    Estimate,
}

/// Sector of an import dependency.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::Sector")]
pub enum Sector {
    /// Fuels and electricity.
    Energy,
    /// Food and agricultural products.
    Food,
    /// Fertilisers and other inputs to agriculture.
    AgriculturalInputs,
}

/// Status of a country in an organisation during a period.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::MembershipStatus")]
pub enum MembershipStatus {
    /// Full member.
    Member,
    /// Observer state.
    Observer,
    /// Officially recognised candidate for membership.
    Candidate,
    /// Has applied; not yet a candidate.
    Applicant,
    /// Member whose participation is suspended or frozen.
    Suspended,
    /// No longer a member.
    Former,
}

/// What an import-dependency share is a share of.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::DependencyBasis")]
pub enum DependencyBasis {
    /// Share of the import value.
    ByValue,
    /// Share of the imported volume.
    ByVolume,
    /// Share of the total domestic supply (imports and production).
    OfSupply,
}

/// Stage of an aid figure.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::AidKind")]
pub enum AidKind {
    /// Announced, not yet contracted.
    Pledge,
    /// Contracted or formally committed.
    Commitment,
    /// Paid out.
    Disbursement,
}

/// The order of `tradeFlows`. Ties are broken by storage order in the same direction, so
/// cursors stay valid under each order.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
#[graphql(remote = "crate::service::flow_list::FlowOrder")]
pub enum TradeFlowOrder {
    /// Storage order: flows added later come last, so pages never shift while data arrives.
    #[default]
    Id,
    /// Largest `valueUsd` first.
    ValueDesc,
    /// Smallest `valueUsd` first.
    ValueAsc,
    /// Latest year first.
    YearDesc,
    /// Earliest year first.
    YearAsc,
}

/// Level of a commodity code.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(remote = "entity::enums::CommodityKind")]
pub enum CommodityKind {
    /// All commodities.
    Total,
    /// HS section (Roman numeral, e.g. `XVI`).
    Section,
    /// HS chapter (2 digits).
    Chapter,
    /// HS heading (4 digits).
    Heading,
    /// HS subheading (6 digits).
    Subheading,
}
