//! The lineage of each derived trade figure, picked from the rows its lineage statement read
//! (`service::lineage`, one statement for every reporter of a query level) by the same rules
//! as the figure's own statement: a world total is the `W00` row when present, else the sum
//! over the country partners (`service::figures::world_or_sum`).

use async_graphql::{Context, Result};

use super::{Lineage, LineageInput};
use crate::graphql::loaders::figures::{Figure, load};
use crate::service::lineage::FlowInput;
use crate::service::nodes::Kind;

/// The rows of `F`'s lineage statement for one reporter.
pub(super) async fn rows<F: Figure<Row = FlowInput>>(
    ctx: &Context<'_>,
    reporter_id: i32,
    args: F::Args,
) -> Result<Vec<FlowInput>> {
    load::<F>(ctx, reporter_id, args).await
}

/// The input a stored row stands for in an expression as `symbol`.
pub(super) fn input(row: &FlowInput, symbol: &'static str) -> LineageInput {
    let kind = if row.stated() {
        Kind::StatedTradeTotal
    } else {
        Kind::TradeFlow
    };
    LineageInput {
        id: crate::graphql::node::id(kind, row.id),
        symbol,
        value: row.value_usd,
        qualifier: row.qualifier,
        source_id: row.source_id,
    }
}

/// The rows a world total (or a single partner's value) of one group is taken from: the
/// `W00` row when present, else every row with a country partner.
pub(super) fn world_rows<'a>(group: impl Iterator<Item = &'a FlowInput> + Clone, world_id: i32) -> Vec<&'a FlowInput> {
    match group.clone().find(|r| r.partner_id == world_id) {
        Some(w) => vec![w],
        None => group.filter(|r| !r.aggregate).collect(),
    }
}

/// The words saying what `Σ w` is, for formulas.
pub(super) const WORLD_TOTAL: &str = "the reporter's world total (its W00 row when stored, else the sum over its \
                                      partners that are countries)";

/// A lineage from its parts.
pub(super) fn lineage(formula: impl Into<String>, expression: impl Into<String>, inputs: Vec<LineageInput>) -> Lineage {
    Lineage {
        formula: formula.into(),
        expression: expression.into().into(),
        inputs,
    }
}

/// `Σ v / Σ w` (or `Σ v` alone when `of` is empty): `v` the rows of the figure's value, `w`
/// those of the total it is a share of.
pub(super) fn share(formula: String, values: &[&FlowInput], of: &[&FlowInput]) -> Lineage {
    let mut inputs: Vec<LineageInput> = values.iter().map(|r| input(r, "v")).collect();
    inputs.extend(of.iter().map(|r| input(r, "w")));
    lineage(formula, "Σ v / Σ w", inputs)
}

/// The figures of a `BilateralTradeYear` with a lineage.
#[derive(Clone, Copy)]
pub(super) enum Bilateral {
    Exports,
    Imports,
    Total,
    Balance,
    Growth,
    ExportShare,
    ImportShare,
}

/// The lineage of one figure of one year of `tradeWith` with `partner_id`, from the rows of
/// the reporter's [`crate::service::lineage::trade_with_inputs`].
pub(super) fn bilateral(rows: &[FlowInput], year: i32, partner_id: i32, world_id: i32, figure: Bilateral) -> Lineage {
    let side = |y: i32, flow: &str| {
        rows.iter()
            .find(|r| r.year == y && r.flow == flow && r.partner_id == partner_id)
    };
    let stated = |y: i32| rows.iter().find(|r| r.year == y && r.stated());
    let world = |flow: &str| world_rows(rows.iter().filter(|r| r.year == year && r.flow == flow), world_id);
    // A year's total as the figure's statement takes it: exports + imports when both are
    // stored, else the total a source states; with its symbols.
    let total = |y: i32, (x, m, s): (&'static str, &'static str, &'static str)| match (side(y, "X"), side(y, "M")) {
        (Some(a), Some(b)) => (vec![input(a, x), input(b, m)], format!("({x} + {m})")),
        _ => (stated(y).map(|r| vec![input(r, s)]).unwrap_or_default(), s.to_owned()),
    };
    let one = |flow: &str, symbol: &'static str| side(year, flow).map(|r| input(r, symbol)).into_iter();
    match figure {
        Bilateral::Exports => lineage(
            "the reporter's exports to the partner, as stored",
            "x",
            one("X", "x").collect(),
        ),
        Bilateral::Imports => lineage(
            "the reporter's imports from the partner, as stored",
            "m",
            one("M", "m").collect(),
        ),
        Bilateral::Total => match total(year, ("x", "m", "s")) {
            (inputs, e) if e == "s" => lineage(
                "the total trade a source states for the year, without the split into exports and imports",
                "s",
                inputs,
            ),
            (inputs, _) => lineage("exports to the partner + imports from the partner", "x + m", inputs),
        },
        Bilateral::Balance => lineage(
            "exports to the partner − imports from the partner",
            "x − m",
            one("X", "x").chain(one("M", "m")).collect(),
        ),
        Bilateral::Growth => {
            let (mut inputs, now) = total(year, ("x", "m", "s"));
            let (before, then) = total(year - 1, ("x0", "m0", "s0"));
            inputs.extend(before);
            lineage(
                format!(
                    "total trade of {year} / total trade of {} − 1, each total being exports + imports (x, m), or \
                     the total a source states (s) when a side is missing",
                    year - 1
                ),
                format!("{now} / {then} − 1"),
                inputs,
            )
        }
        Bilateral::ExportShare | Bilateral::ImportShare => {
            let (flow, symbol, words) = match figure {
                Bilateral::ExportShare => ("X", "x", "exports to the partner"),
                _ => ("M", "m", "imports from the partner"),
            };
            let mut inputs: Vec<LineageInput> = one(flow, symbol).collect();
            inputs.extend(world(flow).into_iter().map(|r| input(r, "w")));
            lineage(
                format!("{words} / {WORLD_TOTAL} of the same flow, year and commodity"),
                format!("{symbol} / Σ w"),
                inputs,
            )
        }
    }
}

/// `mirror`'s gaps: what the partner declared against what the reporter declared.
#[derive(Clone, Copy)]
pub(super) enum MirrorGap {
    ExportUsd,
    ExportRatio,
    ImportUsd,
    ImportRatio,
}

/// The lineage of one gap of one year of `mirror` of `reporter_id` with `partner_id`.
pub(super) fn mirror(rows: &[FlowInput], year: i32, reporter_id: i32, partner_id: i32, gap: MirrorGap) -> Lineage {
    let row = |reporter: i32, flow: &str| {
        rows.iter()
            .find(|r| r.year == year && r.reporter_id == reporter && r.flow == flow)
    };
    let (mine, theirs, own, other, words) = match gap {
        MirrorGap::ExportUsd | MirrorGap::ExportRatio => (
            row(reporter_id, "X"),
            row(partner_id, "M"),
            "x",
            "pm",
            "the partner's declared imports from the reporter (pm) − the reporter's declared exports to it (x)",
        ),
        MirrorGap::ImportUsd | MirrorGap::ImportRatio => (
            row(reporter_id, "M"),
            row(partner_id, "X"),
            "m",
            "px",
            "the partner's declared exports to the reporter (px) − the reporter's declared imports from it (m)",
        ),
    };
    let inputs = mine
        .map(|r| input(r, own))
        .into_iter()
        .chain(theirs.map(|r| input(r, other)))
        .collect();
    match gap {
        MirrorGap::ExportUsd | MirrorGap::ImportUsd => lineage(words, format!("{other} − {own}"), inputs),
        _ => lineage(
            format!("({words}) / the reporter's figure ({own})"),
            format!("({other} − {own}) / {own}"),
            inputs,
        ),
    }
}
