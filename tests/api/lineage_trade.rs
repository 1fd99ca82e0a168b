//! Lineage of the derived trade figures (`tradeWith`, `topPartners`, `tradeByCommodity`,
//! `cagr`, `mirror`): every figure of the fixtures is recomputed from its lineage's inputs to
//! 1e-9 on both databases, by the symbols of its `expression`; the lineages of a query level
//! cost one more statement for all its reporters.

use serde_json::Value;

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const LINEAGE: &str =
    "{ formula expression inputs(first: 5) { totalCount nodes { id symbol value qualifier source { key } } } }";

/// The inputs of a lineage.
fn inputs(lineage: &Value) -> &Vec<Value> {
    let nodes = lineage["inputs"]["nodes"].as_array().unwrap();
    assert_eq!(lineage["inputs"]["totalCount"], nodes.len(), "{lineage}");
    nodes
}

/// Σ of the inputs standing for `symbol`.
fn sum(lineage: &Value, symbol: &str) -> f64 {
    inputs(lineage)
        .iter()
        .filter(|i| i["symbol"] == symbol)
        .map(|i| i["value"].as_f64().unwrap())
        .sum()
}

fn has(lineage: &Value, symbol: &str) -> bool {
    inputs(lineage).iter().any(|i| i["symbol"] == symbol)
}

/// A year's total trade in a growth lineage: `x + m`, or the stated `s` (suffix `0`: the
/// year before).
fn total(lineage: &Value, suffix: &str) -> f64 {
    if has(lineage, &format!("s{suffix}")) {
        sum(lineage, &format!("s{suffix}"))
    } else {
        sum(lineage, &format!("x{suffix}")) + sum(lineage, &format!("m{suffix}"))
    }
}

/// Checks `row[figure]` against its lineage recomputed by `recompute`; a null figure has a
/// null lineage. Returns whether there was a figure.
#[track_caller]
fn check(row: &Value, figure: &str, recompute: impl Fn(&Value) -> f64) -> bool {
    let lineage = &row[&format!("{figure}Lineage")];
    if row[figure].is_null() {
        assert_eq!(lineage, &Value::Null, "a null {figure} has no lineage: {row}");
        return false;
    }
    assert_close(&row[figure], recompute(lineage));
    true
}

async fn trade_with_recomputes_from_its_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.import_fixture("lineage_figures.csv").await;
    let fields: String = [
        "exportsUsd",
        "importsUsd",
        "totalTradeUsd",
        "balanceUsd",
        "totalTradeGrowth",
        "exportShare",
        "importShare",
    ]
    .iter()
    .map(|f| format!("{f} {f}Lineage {LINEAGE} "))
    .collect();
    let q = format!(
        r#"{{ a: country(code: "FRA") {{ tradeWith(partner: "DEU", fromYear: 2019, toYear: 2023) {{ year {fields} }} }}
             b: country(code: "ITA") {{ tradeWith(partner: "DEU", fromYear: 2019, toYear: 2023) {{ year {fields} }} }}
             c: country(code: "ARM") {{ tradeWith(partner: "RUS", fromYear: 2022, toYear: 2023) {{ year {fields} }} }} }}"#
    );
    app.take_statement_count();
    let data = app.data(&q).await;
    assert_eq!(
        app.take_statement_count(),
        4,
        "the figures of FRA and ITA (one statement), of ARM (other arguments), then the lineages of each"
    );
    let mut checked = 0;
    for reporter in ["a", "b", "c"] {
        for row in data[reporter]["tradeWith"].as_array().unwrap() {
            let figures = [
                check(row, "exportsUsd", |l| sum(l, "x")),
                check(row, "importsUsd", |l| sum(l, "m")),
                check(row, "totalTradeUsd", |l| total(l, "")),
                check(row, "balanceUsd", |l| sum(l, "x") - sum(l, "m")),
                check(row, "totalTradeGrowth", |l| total(l, "") / total(l, "0") - 1.0),
                check(row, "exportShare", |l| sum(l, "x") / sum(l, "w")),
                check(row, "importShare", |l| sum(l, "m") / sum(l, "w")),
            ];
            checked += figures.iter().filter(|f| **f).count();
        }
    }
    // FRA–DEU: 2019 six (no 2018 for growth), 2020 seven, 2022 exports and their share,
    // 2023 six (2022 has no total); ITA–DEU: 6 + 7 + 2; ARM–RUS: 2022's stated total, 2023
    // seven.
    assert_eq!(checked, 21 + 15 + 8, "figures with a lineage in the fixtures");
    let year = |r: &str, y: i64| {
        data[r]["tradeWith"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["year"] == y)
            .unwrap()
            .clone()
    };
    // FRA 2019: exports' world total is the W00 row (300); imports have none, so the sum
    // over DEU and ITA (80 + 20).
    let fra = year("a", 2019);
    assert_eq!(fra["exportShareLineage"]["expression"], "x / Σ w");
    assert_eq!(inputs(&fra["exportShareLineage"]).len(), 2);
    assert_eq!(sum(&fra["exportShareLineage"], "w"), 300.0);
    assert_eq!(inputs(&fra["importShareLineage"]).len(), 3);
    assert_eq!(sum(&fra["importShareLineage"], "w"), 100.0);
    // ARM–RUS: 2022's total is stated (5.3 billion), 2023's is exports + imports; the
    // growth of 2023 takes both.
    let arm = year("c", 2023);
    assert_eq!(arm["totalTradeGrowthLineage"]["expression"], "(x + m) / s0 − 1");
    assert_eq!(year("c", 2022)["totalTradeUsdLineage"]["expression"], "s");
    let stated = inputs(&year("c", 2022)["totalTradeUsdLineage"])[0].clone();
    assert_eq!(stated["source"]["key"], "rb-russia-armenia-2024");
    let node = app
        .data(&format!(
            r#"{{ node(id: "{}") {{ ... on StatedTradeTotal {{ valueUsd year }} }} }}"#,
            stated["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(node["node"]["valueUsd"], stated["value"]);
    assert_eq!(node["node"]["year"], 2022);
}

async fn partner_shares_recompute_from_their_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.import_fixture("lineage_figures.csv").await;
    let top = format!(
        "topPartners(fromYear: 2019, toYear: 2020, flow: EXPORT) {{ year partner {{ iso3 }} valueUsd share shareLineage {LINEAGE} }}"
    );
    let q = format!(r#"{{ a: country(code: "FRA") {{ {top} }} b: country(code: "ITA") {{ {top} }} }}"#);
    app.take_statement_count();
    let data = app.data(&q).await;
    assert_eq!(app.take_statement_count(), 2, "the rankings, then their lineages");
    let mut checked = 0;
    for reporter in ["a", "b"] {
        for row in data[reporter]["topPartners"].as_array().unwrap() {
            assert!(check(row, "share", |l| sum(l, "v") / sum(l, "w")), "{row}");
            assert_eq!(sum(&row["shareLineage"], "v"), row["valueUsd"].as_f64().unwrap());
            checked += 1;
        }
    }
    // FRA: 4 partners in 2019 (of W00's 300), 2 in 2020 (of their sum); ITA 2 and 2.
    assert_eq!(checked, 10);
    let fra_2020 = &data["a"]["topPartners"][4];
    assert_eq!(fra_2020["year"], 2020);
    assert_eq!(
        inputs(&fra_2020["shareLineage"]).len(),
        3,
        "DEU's flow and both partners of the sum"
    );
}

async fn commodity_shares_recompute_from_their_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.import_fixture("lineage_figures.csv").await;
    let by = |partner: &str| {
        format!(
            r#"tradeByCommodity(partner: "{partner}", year: 2023, flow: EXPORT) {{ commodity valueUsd share
                 valueUsdLineage {LINEAGE} shareLineage {LINEAGE} }}"#
        )
    };
    let q = format!(
        r#"{{ a: country(code: "FRA") {{ {w} }} b: country(code: "ITA") {{ {w} }}
             c: country(code: "ITA") {{ e: {esp} }} }}"#,
        w = by("W00"),
        esp = by("ESP"),
    );
    app.take_statement_count();
    let data = app.data(&q).await;
    assert_eq!(
        app.take_statement_count(),
        4,
        "two argument sets: the codes, then their lineages"
    );
    let mut checked = 0;
    for rows in [
        &data["a"]["tradeByCommodity"],
        &data["b"]["tradeByCommodity"],
        &data["c"]["e"],
    ] {
        for row in rows.as_array().unwrap() {
            assert!(check(row, "valueUsd", |l| sum(l, "v")), "{row}");
            assert!(check(row, "share", |l| sum(l, "v") / sum(l, "w")), "{row}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
    // ITA with ESP has no TOTAL row: the share is of the sum over the chapters (5 + 15).
    assert_close(&data["c"]["e"][0]["share"], 0.75);
    assert_eq!(sum(&data["c"]["e"][0]["shareLineage"], "w"), 20.0);
    // ITA with W00: no W00 row, so chapter 84 is DEU's 40 + ESP's 5, of TOTAL's 100.
    assert_eq!(data["b"]["tradeByCommodity"][0]["commodity"], "84");
    assert_eq!(inputs(&data["b"]["tradeByCommodity"][0]["valueUsdLineage"]).len(), 2);
}

async fn cagr_recomputes_from_its_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.import_fixture("lineage_figures.csv").await;
    let cagr = |partner: &str| {
        format!(
            r#"cagr(partner: "{partner}", fromYear: 2019, toYear: 2023, flow: EXPORT) {{ rate rateLineage {LINEAGE} }}"#
        )
    };
    let q = format!(
        r#"{{ a: country(code: "FRA") {{ w: {w} d: {d} }} b: country(code: "ITA") {{ w: {w} d: {d} }} }}"#,
        w = cagr("W00"),
        d = cagr("DEU"),
    );
    app.take_statement_count();
    let data = app.data(&q).await;
    assert_eq!(
        app.take_statement_count(),
        4,
        "two partners: the values, then their lineages"
    );
    let mut checked = 0;
    for reporter in ["a", "b"] {
        for partner in ["w", "d"] {
            let g = &data[reporter][partner];
            if check(g, "rate", |l| (sum(l, "b") / sum(l, "a")).powf(1.0 / 4.0) - 1.0) {
                assert_eq!(g["rateLineage"]["expression"], "(Σ b / Σ a)^(1 / 4) − 1");
                checked += 1;
            }
        }
    }
    // FRA: W00 300 → 1000, DEU 100 → 200; ITA: no W00 row, so DEU + FRA 100 → DEU 100,
    // and DEU 70 → 100.
    assert_eq!(checked, 4);
    assert_eq!(inputs(&data["b"]["w"]["rateLineage"]).len(), 3);
    assert_close(&data["b"]["w"]["rate"], 0.0);
}

async fn mirror_recomputes_from_its_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.import_fixture("lineage_figures.csv").await;
    let fields: String = ["exportGapUsd", "exportGapRatio", "importGapUsd", "importGapRatio"]
        .iter()
        .map(|f| format!("{f} {f}Lineage {LINEAGE} "))
        .collect();
    let mirror = format!(r#"mirror(partner: "DEU", fromYear: 2019, toYear: 2020) {{ year {fields} }}"#);
    let q = format!(r#"{{ a: country(code: "FRA") {{ {mirror} }} b: country(code: "ITA") {{ {mirror} }} }}"#);
    app.take_statement_count();
    let data = app.data(&q).await;
    assert_eq!(app.take_statement_count(), 2, "the gaps, then their lineages");
    let mut checked = 0;
    for reporter in ["a", "b"] {
        for row in data[reporter]["mirror"].as_array().unwrap() {
            let figures = [
                check(row, "exportGapUsd", |l| sum(l, "pm") - sum(l, "x")),
                check(row, "exportGapRatio", |l| (sum(l, "pm") - sum(l, "x")) / sum(l, "x")),
                check(row, "importGapUsd", |l| sum(l, "px") - sum(l, "m")),
                check(row, "importGapRatio", |l| (sum(l, "px") - sum(l, "m")) / sum(l, "m")),
            ];
            checked += figures.iter().filter(|f| **f).count();
        }
    }
    // FRA 2019 (both sides both ways), ITA 2019 (imports: DEU's exports are 2020's) and
    // 2020 (exports against DEU's imports? none; imports against DEU's exports 66).
    assert_eq!(checked, 8);
    assert_close(&data["a"]["mirror"][0]["exportGapUsd"], 10.0);
}

async fn dependency_comparison_recomputes_from_its_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    app.add_dependency("FRA", "DEU", "ENERGY", "Natural gas", 2023, 0.5, &["2711"])
        .await;
    app.add_dependency("FRA", "DEU", "AGRICULTURAL_INPUTS", "Fertilisers", 2023, 0.2, &["31"])
        .await;
    app.add_dependency("FRA", "DEU", "FOOD", "Wheat", 2023, 0.1, &["1001"])
        .await;
    let fields: String = ["supplierImportsUsd", "worldImportsUsd", "computedShare"]
        .iter()
        .map(|f| format!("{f} {f}Lineage {LINEAGE} "))
        .collect();
    let q = format!(r#"{{ country(code: "FRA") {{ dependencyComparison {{ stated {{ product }} {fields} }} }} }}"#);
    app.take_statement_count();
    let data = app.data(&q).await;
    let statements = app.take_statement_count();
    let rows = data["country"]["dependencyComparison"].as_array().unwrap();
    let mut checked = 0;
    for row in rows {
        let figures = [
            check(row, "supplierImportsUsd", |l| sum(l, "s")),
            check(row, "worldImportsUsd", |l| sum(l, "w")),
            check(row, "computedShare", |l| sum(l, "s") / sum(l, "w")),
        ];
        checked += figures.iter().filter(|f| **f).count();
    }
    // Gas (DEU 45 of 45 + NOR 30) and fertilisers (DEU's stored 0 of 0 + ITA 10); wheat has no
    // flows, so no figure and no lineage.
    assert_eq!(checked, 6);
    let gas = rows.iter().find(|r| r["stated"]["product"] == "Natural gas").unwrap();
    assert_eq!(inputs(&gas["computedShareLineage"]).len(), 3);
    assert_eq!(
        statements, 3,
        "the dependencies, their computed figures, then the lineages of all of them"
    );
}

on_both_backends!(
    dependency_comparison_recomputes_from_its_lineage,
    trade_with_recomputes_from_its_lineage,
    partner_shares_recompute_from_their_lineage,
    commodity_shares_recompute_from_their_lineage,
    cagr_recomputes_from_its_lineage,
    mirror_recomputes_from_its_lineage
);
