//! `tradegraph sql <indicator> …`: the statement the server runs for a trade indicator, for
//! `EXPLAIN ANALYZE` and the benchmark's bare-SQL side.
//!
//! For the indicators that use the world totals (`rca`, `trade-intensity`,
//! `market-penetration`) the statement printed is the one the server runs once the totals are
//! cached: they are computed first (the `world-totals` statement) and bound in. `--inline`
//! prints the statement that computes them itself instead.

use clap::{Args, Subcommand};
use entity::enums::FlowKind;
use sea_orm::{DatabaseConnection, Statement};

use crate::error::{Error, Result};
use crate::reference::RefData;
use crate::service::indicators::world::{self, World, WorldKey};
use crate::service::indicators::{
    self as ind, FloatKey, Ids, bilateral as b, national as n, product as p, unit_value as u,
};

/// A reporter, year and HS level.
#[derive(Debug, Clone, Args)]
pub struct ReporterYear {
    /// Reporting country (ISO alpha-3 or alpha-2), several separated by commas, or `all`
    /// (every country, as `countries(first: 250)` asks).
    #[arg(long)]
    pub reporter: String,
    /// Year.
    #[arg(long)]
    pub year: i32,
    /// Digits of the HS codes: 2, 4 or 6.
    #[arg(long, default_value_t = 2)]
    pub level: i32,
}

/// The trade indicators `tradegraph sql` can print.
#[derive(Debug, Clone, Subcommand)]
pub enum IndicatorSql {
    /// `Country.rca`.
    Rca {
        #[command(flatten)]
        on: ReporterYear,
        /// How many codes.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Only codes whose value is at least this.
        #[arg(long)]
        min_value: Option<f64>,
        /// Compute the world totals inside the statement instead of binding cached ones.
        #[arg(long)]
        inline: bool,
    },
    /// `Country.tradeIntensity`.
    TradeIntensity {
        #[command(flatten)]
        on: ReporterYear,
        /// Partner country.
        #[arg(long)]
        partner: String,
        /// Compute the world totals inside the statement.
        #[arg(long)]
        inline: bool,
    },
    /// `Country.tradeComplementarity`.
    TradeComplementarity {
        #[command(flatten)]
        on: ReporterYear,
        /// Partner (importing) country.
        #[arg(long)]
        partner: String,
    },
    /// `Country.intraIndustryTrade` (with `--limit`: `intraIndustryTradeByCode`).
    IntraIndustryTrade {
        #[command(flatten)]
        on: ReporterYear,
        /// Partner country, or W00 for the world.
        #[arg(long, default_value = "W00")]
        partner: String,
        /// Print the per-code list's statement, cut at this many codes.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// `Country.exportDiversification`.
    ExportDiversification {
        #[command(flatten)]
        on: ReporterYear,
    },
    /// `Country.marketPenetration`.
    MarketPenetration {
        #[command(flatten)]
        on: ReporterYear,
        /// How many codes.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Compute the world totals inside the statement.
        #[arg(long)]
        inline: bool,
    },
    /// `Country.openness`.
    Openness {
        #[command(flatten)]
        on: ReporterYear,
    },
    /// `Country.exportsPerCapita`.
    ExportsPerCapita {
        #[command(flatten)]
        on: ReporterYear,
    },
    /// `Country.unitValues`.
    UnitValues {
        /// Reporting country.
        #[arg(long)]
        reporter: String,
        /// HS code.
        #[arg(long)]
        commodity: String,
        /// Partner country, or W00 for the world.
        #[arg(long, default_value = "W00")]
        partner: String,
        /// EXPORT, IMPORT, RE_EXPORT or RE_IMPORT (or X, M, RX, RM).
        #[arg(long)]
        flow: String,
        /// First year.
        #[arg(long)]
        from_year: Option<i32>,
        /// Last year.
        #[arg(long)]
        to_year: Option<i32>,
    },
    /// `Country.relativeTradeBalance`.
    RelativeTradeBalance {
        #[command(flatten)]
        on: ReporterYear,
        /// How many codes.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// The world totals of a year, flow and level that `rca`, `trade-intensity` and
    /// `market-penetration` use (computed once, then cached by the server).
    WorldTotals {
        /// Year.
        #[arg(long)]
        year: i32,
        /// EXPORT or IMPORT (or X, M).
        #[arg(long)]
        flow: String,
        /// Digits of the HS codes: 2, 4 or 6.
        #[arg(long, default_value_t = 2)]
        level: i32,
    },
}

/// The statement of `command` on `db`.
pub async fn statement(db: &DatabaseConnection, refs: &RefData, command: IndicatorSql) -> Result<Statement> {
    use IndicatorSql as S;
    let backend = db.get_database_backend();
    let ids = Ids::of(refs);
    let country = |code: &str| {
        refs.country(code)
            .map(|c| c.id)
            .ok_or_else(|| Error::bad_input(format!("unknown country {code:?}")))
    };
    let partner_or_world = |code: &str| country(code).map(|id| (id != ids.world).then_some(id));
    let reporters = |spec: &str| -> Result<Vec<i32>> {
        if spec.eq_ignore_ascii_case("all") {
            return Ok(refs
                .countries
                .all
                .iter()
                .filter(|c| !c.is_aggregate)
                .map(|c| c.id)
                .collect());
        }
        spec.split(',').map(|c| country(c.trim())).collect()
    };
    let kind = |level: i32| ind::level_kind(level).ok_or_else(|| Error::bad_input("--level must be 2, 4 or 6"));
    let flow = |s: &str| {
        FlowKind::parse(&s.to_ascii_uppercase()).ok_or_else(|| Error::bad_input(format!("unknown flow {s:?}")))
    };
    // The world totals, as the server would hold them.
    let cached = |year, flow, kind| async move { world::compute(db, ids, WorldKey { year, flow, kind }).await };
    Ok(match command {
        S::Rca {
            on,
            limit,
            min_value,
            inline,
        } => {
            let args = p::ProductArgs {
                year: on.year,
                kind: kind(on.level)?,
                limit,
                min_value: min_value.map(FloatKey::new),
            };
            let reporters = reporters(&on.reporter)?;
            match inline {
                true => p::rca_statement(backend, World::Inline, ids, &reporters, args),
                false => {
                    let w = cached(on.year, FlowKind::Export, args.kind).await?;
                    p::rca_statement(backend, World::Cached(&w), ids, &reporters, args)
                }
            }
        }
        S::TradeIntensity { on, partner, inline } => {
            let args = b::IntensityArgs {
                partner: country(&partner)?,
                year: on.year,
            };
            let reporters = reporters(&on.reporter)?;
            match inline {
                true => b::trade_intensity_statement(backend, World::Inline, ids, &reporters, args),
                false => {
                    let w = cached(on.year, FlowKind::Export, entity::enums::CommodityKind::Chapter).await?;
                    b::trade_intensity_statement(backend, World::Cached(&w), ids, &reporters, args)
                }
            }
        }
        S::TradeComplementarity { on, partner } => b::trade_complementarity_statement(
            backend,
            ids,
            &reporters(&on.reporter)?,
            b::ComplementarityArgs {
                partner: country(&partner)?,
                year: on.year,
                kind: kind(on.level)?,
            },
        ),
        S::IntraIndustryTrade { on, partner, limit } => {
            let reporters = reporters(&on.reporter)?;
            let (partner, kind) = (partner_or_world(&partner)?, kind(on.level)?);
            match limit {
                None => b::intra_industry_statement(
                    backend,
                    ids,
                    &reporters,
                    b::IntraIndustryTotalArgs {
                        partner,
                        year: on.year,
                        kind,
                    },
                ),
                Some(limit) => p::intra_industry_by_code_statement(
                    backend,
                    ids,
                    &reporters,
                    p::IntraIndustryArgs {
                        partner,
                        year: on.year,
                        kind,
                        limit,
                    },
                ),
            }
        }
        S::ExportDiversification { on } => n::export_diversification_statement(
            backend,
            ids,
            &reporters(&on.reporter)?,
            n::DiversificationArgs {
                year: on.year,
                kind: kind(on.level)?,
            },
        ),
        S::MarketPenetration { on, limit, inline } => {
            let args = p::ProductArgs {
                year: on.year,
                kind: kind(on.level)?,
                limit,
                min_value: None,
            };
            let reporters = reporters(&on.reporter)?;
            match inline {
                true => p::market_penetration_statement(backend, World::Inline, ids, &reporters, args),
                false => {
                    let w = cached(on.year, FlowKind::Import, args.kind).await?;
                    p::market_penetration_statement(backend, World::Cached(&w), ids, &reporters, args)
                }
            }
        }
        S::Openness { on } => n::ratio_statement(
            backend,
            ids,
            &reporters(&on.reporter)?,
            n::RatioArgs {
                ratio: n::Ratio::Openness,
                year: on.year,
            },
        ),
        S::ExportsPerCapita { on } => n::ratio_statement(
            backend,
            ids,
            &reporters(&on.reporter)?,
            n::RatioArgs {
                ratio: n::Ratio::ExportsPerCapita,
                year: on.year,
            },
        ),
        S::UnitValues {
            reporter,
            commodity,
            partner,
            flow: fl,
            from_year,
            to_year,
        } => u::unit_values_statement(
            backend,
            ids,
            &reporters(&reporter)?,
            u::UnitValueArgs {
                partner: partner_or_world(&partner)?,
                commodity: refs
                    .commodities
                    .by_code(&commodity)
                    .map(|c| c.id)
                    .ok_or_else(|| Error::bad_input(format!("unknown commodity {commodity:?}")))?,
                flow: flow(&fl)?,
                from_year,
                to_year,
            },
        ),
        S::RelativeTradeBalance { on, limit } => p::relative_trade_balance_statement(
            backend,
            ids,
            &reporters(&on.reporter)?,
            p::ProductArgs {
                year: on.year,
                kind: kind(on.level)?,
                limit,
                min_value: None,
            },
        ),
        S::WorldTotals { year, flow: fl, level } => world::world_totals_statement(
            backend,
            ids,
            WorldKey {
                year,
                flow: flow(&fl)?,
                kind: kind(level)?,
            },
        ),
    })
}
