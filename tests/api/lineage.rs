//! Lineage of derived figures: every figure that has one is recomputed from its lineage's
//! inputs to 1e-9, on the bundled data, on both databases; the inputs are the stored rows
//! (`node(id:)` finds the `Node` ones again) and are paged.

use serde_json::Value;

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const INPUTS: &str = "formula expression inputs(first: 5) { totalCount nodes { id symbol value qualifier source { key publisher title } } }";

/// The figure computed again from the inputs, by the expression's symbols.
fn recompute(lineage: &Value) -> f64 {
    let value = |symbol: &str| {
        lineage["inputs"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["symbol"] == symbol)
            .map(|i| i["value"].as_f64().unwrap())
    };
    let mut x = value("amount").expect("an amount");
    if let Some(rate) = value("usdPerUnit") {
        x *= rate;
    }
    if let Some(years) = value("years") {
        x /= years;
    }
    if let Some(population) = value("population") {
        x /= population;
    }
    x
}

async fn aid_figures_recompute_from_their_lineage(app: TestApp) {
    // Every recipient of the bundled aid (data/aid_pledges.csv).
    let aid = format!(
        "aidReceived {{ id currency amountUsd annualAmountUsd perCapitaUsd amountUsdLineage {{ {INPUTS} }} \
           annualAmountUsdLineage {{ {INPUTS} }} perCapitaUsdLineage {{ {INPUTS} }} }}"
    );
    let q = format!(
        r#"{{ a: country(code: "ARM") {{ {aid} }} b: country(code: "GEO") {{ {aid} }}
             c: country(code: "MDA") {{ {aid} }} d: country(code: "UKR") {{ {aid} }} }}"#
    );
    let data = app.data(&q).await;
    let mut checked = 0;
    let mut converted = 0;
    for country in data.as_object().unwrap().values() {
        for aid in country["aidReceived"].as_array().unwrap() {
            for figure in ["amountUsd", "annualAmountUsd", "perCapitaUsd"] {
                let lineage = &aid[&format!("{figure}Lineage")];
                if aid[figure].is_null() {
                    assert_eq!(lineage, &Value::Null, "a null figure has no lineage: {aid}");
                    continue;
                }
                assert_close(&aid[figure], recompute(lineage));
                let inputs = lineage["inputs"]["nodes"].as_array().unwrap();
                assert_eq!(lineage["inputs"]["totalCount"], inputs.len());
                assert_eq!(inputs[0]["id"], aid["id"], "the aid row itself");
                for input in inputs {
                    assert!(
                        input["source"]["publisher"].is_string(),
                        "every input cites a source: {input}"
                    );
                }
                if aid["currency"] != "USD" {
                    assert!(inputs.iter().any(|i| i["symbol"] == "usdPerUnit"), "{lineage}");
                    converted += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} figures");
    assert!(converted >= 2, "an exchange rate in {converted} lineages");
}

/// The population input is the `IndicatorValue` row `node(id:)` finds; inputs page.
async fn inputs_are_nodes_and_page(app: TestApp) {
    let q = r#"{ country(code: "ARM") { aidReceived { perCapitaUsd perCapitaUsdLineage {
                 inputs(first: 1) { pageInfo { hasNextPage endCursor } nodes { symbol } } } } } }"#;
    let data = app.data(q).await;
    let aid = data["country"]["aidReceived"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !a["perCapitaUsd"].is_null())
        .expect("an ARM aid figure per capita")
        .clone();
    let page = &aid["perCapitaUsdLineage"]["inputs"];
    assert_eq!(page["nodes"][0]["symbol"], "amount");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let cursor = page["pageInfo"]["endCursor"].as_str().unwrap();
    let q = format!(
        r#"{{ country(code: "ARM") {{ aidReceived {{ perCapitaUsd perCapitaUsdLineage {{
             inputs(first: 5, after: "{cursor}") {{ pageInfo {{ hasNextPage }} nodes {{ id symbol value }} }} }} }} }} }}"#
    );
    let data = app.data(&q).await;
    let aid = data["country"]["aidReceived"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !a["perCapitaUsd"].is_null())
        .unwrap()
        .clone();
    let rest = aid["perCapitaUsdLineage"]["inputs"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rest.last().unwrap()["symbol"], "population");
    assert_eq!(aid["perCapitaUsdLineage"]["inputs"]["pageInfo"]["hasNextPage"], false);
    let population = rest.last().unwrap();
    let q = format!(
        r#"{{ node(id: "{}") {{ ... on IndicatorValue {{ code value }} }} }}"#,
        population["id"].as_str().unwrap()
    );
    let node = app.data(&q).await;
    assert_eq!(node["node"]["code"], "POPULATION");
    assert_eq!(node["node"]["value"], population["value"]);
    // Over 1000 per page is refused.
    let q = r#"{ country(code: "ARM") { aidReceived { amountUsdLineage { inputs(first: 1001) { totalCount } } } } }"#;
    assert_eq!(app.error_code(q).await, "TOO_COMPLEX");
}

/// `concentrationValue.lineage`: every partner's flow, recomputed as Σ v² / (Σ v)²; the
/// inputs are the `TradeFlow` rows (`node(id:)`); one more statement for all reporters.
async fn concentration_recomputes_from_its_lineage(app: TestApp) {
    app.import_fixture("derived_figures.csv").await;
    let q = r#"{ a: country(code: "FRA") { concentrationValue(year: 2019, flow: EXPORT) { value partnerCount
                   lineage { expression inputs { totalCount nodes { id symbol value qualifier source { key } } } } } }
                 b: country(code: "DEU") { concentrationValue(year: 2019, flow: EXPORT) { value partnerCount
                   lineage { expression inputs { totalCount nodes { id symbol value qualifier source { key } } } } } } }"#;
    app.take_statement_count();
    let data = app.data(q).await;
    assert_eq!(
        app.take_statement_count(),
        2,
        "the index for both reporters, then their inputs"
    );
    for reporter in ["a", "b"] {
        let c = &data[reporter]["concentrationValue"];
        let inputs = c["lineage"]["inputs"]["nodes"].as_array().unwrap();
        assert_eq!(c["lineage"]["inputs"]["totalCount"], c["partnerCount"]);
        let values: Vec<f64> = inputs.iter().map(|i| i["value"].as_f64().unwrap()).collect();
        let sum: f64 = values.iter().sum();
        let squares: f64 = values.iter().map(|v| v * v).sum();
        assert_close(&c["value"], squares / (sum * sum));
        assert!(inputs.iter().all(|i| i["symbol"] == "v"), "{c}");
    }
    // FRA's four partners (W00's 300 is not one of them); each input is its stored flow.
    let inputs = data["a"]["concentrationValue"]["lineage"]["inputs"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(inputs.len(), 4);
    for input in inputs {
        let q = format!(
            r#"{{ node(id: "{}") {{ ... on TradeFlow {{ valueUsd reporter {{ iso3 }} year }} }} }}"#,
            input["id"].as_str().unwrap()
        );
        let node = app.data(&q).await;
        assert_eq!(node["node"]["valueUsd"], input["value"]);
        assert_eq!(node["node"]["reporter"]["iso3"], "FRA");
        assert_eq!(node["node"]["year"], 2019);
    }
}

on_both_backends!(
    aid_figures_recompute_from_their_lineage,
    inputs_are_nodes_and_page,
    concentration_recomputes_from_its_lineage
);
