//! The records of the bundled CSV files, as read.

use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct SourceRow {
    pub(super) key: String,
    pub(super) publisher: String,
    pub(super) title: String,
    pub(super) year: Option<i32>,
    pub(super) url: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct CountryRow {
    pub(super) iso3: String,
    pub(super) iso2: String,
    pub(super) numeric: String,
    pub(super) name: String,
    pub(super) official_name: String,
    pub(super) region: String,
    pub(super) subregion: String,
    pub(super) landlocked: bool,
    pub(super) source: String,
}

#[derive(Deserialize)]
pub(super) struct OrganizationRow {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) full_name: String,
    pub(super) founded: String,
    pub(super) url: String,
    pub(super) source: String,
}

#[derive(Deserialize)]
pub(super) struct CommodityRow {
    pub(super) code: String,
    pub(super) kind: String,
    pub(super) parent: String,
    pub(super) name: String,
    pub(super) source: String,
}

#[derive(Deserialize)]
pub(super) struct MembershipRow {
    pub(super) organization: String,
    pub(super) country: String,
    pub(super) status: String,
    pub(super) since: String,
    pub(super) until: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct TradeFlowRow {
    pub(super) reporter: String,
    pub(super) partner: String,
    pub(super) year: i32,
    pub(super) commodity: String,
    pub(super) flow: String,
    pub(super) value_usd: f64,
    pub(super) quantity: Option<f64>,
    pub(super) quantity_unit: String,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct TradeTotalRow {
    pub(super) reporter: String,
    pub(super) partner: String,
    pub(super) year: i32,
    pub(super) commodity: String,
    pub(super) value_usd: f64,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct PartnerShareRow {
    pub(super) reporter: String,
    pub(super) partner: String,
    pub(super) year: Option<i32>,
    pub(super) flow: String,
    pub(super) share: f64,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct AidRow {
    pub(super) donor: String,
    pub(super) recipient: String,
    pub(super) amount: f64,
    pub(super) currency: String,
    pub(super) kind: String,
    pub(super) announced_on: String,
    pub(super) period_start_year: Option<i32>,
    pub(super) period_end_year: Option<i32>,
    pub(super) purpose: String,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct DependencyRow {
    pub(super) importer: String,
    pub(super) supplier: String,
    pub(super) sector: String,
    pub(super) product: String,
    pub(super) year: Option<i32>,
    pub(super) share: f64,
    pub(super) basis: String,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
    /// HS codes the product corresponds to, `;`-separated (optional column).
    #[serde(default)]
    pub(super) hs_codes: String,
}

#[derive(Deserialize)]
pub(super) struct IndicatorRow {
    pub(super) country: String,
    pub(super) year: i32,
    pub(super) code: String,
    pub(super) value: f64,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}

#[derive(Deserialize)]
pub(super) struct RateRow {
    pub(super) currency: String,
    pub(super) year: i32,
    pub(super) usd_per_unit: f64,
    pub(super) qualifier: String,
    pub(super) source: String,
    pub(super) note: String,
}
