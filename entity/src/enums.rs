//! Closed vocabularies stored as short text columns (each backed by a CHECK
//! constraint in its migration).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Direction of a trade flow, as UN Comtrade codes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(2))")]
pub enum FlowKind {
    #[sea_orm(string_value = "X")]
    Export,
    #[sea_orm(string_value = "M")]
    Import,
    #[sea_orm(string_value = "RX")]
    ReExport,
    #[sea_orm(string_value = "RM")]
    ReImport,
}

impl FlowKind {
    /// The Comtrade `flowCode` of this direction.
    pub fn code(self) -> &'static str {
        match self {
            Self::Export => "X",
            Self::Import => "M",
            Self::ReExport => "RX",
            Self::ReImport => "RM",
        }
    }

    /// Parses a Comtrade `flowCode` (`X`, `M`, `RX`, `RM`) or an API name (`EXPORT`, …).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "X" | "EXPORT" => Self::Export,
            "M" | "IMPORT" => Self::Import,
            "RX" | "RE_EXPORT" => Self::ReExport,
            "RM" | "RE_IMPORT" => Self::ReImport,
            _ => return None,
        })
    }
}

/// How exactly a stored figure is known ("about", "over", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(11))")]
pub enum Qualifier {
    #[sea_orm(string_value = "EXACT")]
    Exact,
    #[sea_orm(string_value = "APPROXIMATE")]
    Approximate,
    #[sea_orm(string_value = "AT_LEAST")]
    AtLeast,
    #[sea_orm(string_value = "AT_MOST")]
    AtMost,
    #[sea_orm(string_value = "ESTIMATE")]
    Estimate,
}

impl Qualifier {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "EXACT" => Self::Exact,
            "APPROXIMATE" => Self::Approximate,
            "AT_LEAST" => Self::AtLeast,
            "AT_MOST" => Self::AtMost,
            "ESTIMATE" => Self::Estimate,
            _ => return None,
        })
    }
}

/// Status of a country in an organisation during a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum MembershipStatus {
    #[sea_orm(string_value = "MEMBER")]
    Member,
    #[sea_orm(string_value = "OBSERVER")]
    Observer,
    #[sea_orm(string_value = "CANDIDATE")]
    Candidate,
    #[sea_orm(string_value = "APPLICANT")]
    Applicant,
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    #[sea_orm(string_value = "FORMER")]
    Former,
}

impl MembershipStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "MEMBER" => Self::Member,
            "OBSERVER" => Self::Observer,
            "CANDIDATE" => Self::Candidate,
            "APPLICANT" => Self::Applicant,
            "SUSPENDED" => Self::Suspended,
            "FORMER" => Self::Former,
            _ => return None,
        })
    }
}

/// Sector of an import dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Sector {
    #[sea_orm(string_value = "ENERGY")]
    Energy,
    #[sea_orm(string_value = "FOOD")]
    Food,
    #[sea_orm(string_value = "AGRICULTURAL_INPUTS")]
    AgriculturalInputs,
}

impl Sector {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ENERGY" => Self::Energy,
            "FOOD" => Self::Food,
            "AGRICULTURAL_INPUTS" => Self::AgriculturalInputs,
            _ => return None,
        })
    }
}

/// What an import-dependency share is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum DependencyBasis {
    #[sea_orm(string_value = "BY_VALUE")]
    ByValue,
    #[sea_orm(string_value = "BY_VOLUME")]
    ByVolume,
    #[sea_orm(string_value = "OF_SUPPLY")]
    OfSupply,
}

impl DependencyBasis {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "BY_VALUE" => Self::ByValue,
            "BY_VOLUME" => Self::ByVolume,
            "OF_SUPPLY" => Self::OfSupply,
            _ => return None,
        })
    }
}

/// Stage of an aid figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
pub enum AidKind {
    #[sea_orm(string_value = "PLEDGE")]
    Pledge,
    #[sea_orm(string_value = "COMMITMENT")]
    Commitment,
    #[sea_orm(string_value = "DISBURSEMENT")]
    Disbursement,
}

impl AidKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "PLEDGE" => Self::Pledge,
            "COMMITMENT" => Self::Commitment,
            "DISBURSEMENT" => Self::Disbursement,
            _ => return None,
        })
    }
}

/// Level of a commodity code in the HS tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum CommodityKind {
    #[sea_orm(string_value = "total")]
    Total,
    #[sea_orm(string_value = "section")]
    Section,
    #[sea_orm(string_value = "chapter")]
    Chapter,
    #[sea_orm(string_value = "heading")]
    Heading,
    #[sea_orm(string_value = "subheading")]
    Subheading,
}

impl CommodityKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "total" => Self::Total,
            "section" => Self::Section,
            "chapter" => Self::Chapter,
            "heading" => Self::Heading,
            "subheading" => Self::Subheading,
            _ => return None,
        })
    }
}

/// What an API key may do: `read` (nothing more than anonymous reads, but rate-limited on its
/// own), `write` (data), `admin` (data, sources and organisations, the audit log).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(5))")]
pub enum KeyScope {
    #[sea_orm(string_value = "read")]
    Read,
    #[sea_orm(string_value = "write")]
    Write,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl KeyScope {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "read" => Self::Read,
            "write" => Self::Write,
            "admin" => Self::Admin,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }

    /// True when a key of this scope may do what `needed` allows (admin ⊃ write ⊃ read).
    pub fn allows(self, needed: KeyScope) -> bool {
        self >= needed
    }
}
