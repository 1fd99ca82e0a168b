//! Indicators of a country and a partner: trade intensity, complementarity, intra-industry
//! trade.

use serde_json::Value;

use super::{assert_ranked, country, load};
use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

async fn intensity_and_complementarity(app: TestApp) {
    load(&app).await;
    let fra = country(
        &app,
        "FRA",
        r#"deu: tradeIntensity(partner: "DEU", year: 1995)
           usa: tradeIntensity(partner: "USA", year: 1995)
           twn: tradeIntensity(partner: "tw", year: 1995)
           tcDeu: tradeComplementarity(partner: "DEU", year: 1995)
           tcNor: tradeComplementarity(partner: "NOR", year: 1995)
           tcEsp: tradeComplementarity(partner: "ESP", year: 1995)
           tcUsa: tradeComplementarity(partner: "USA", year: 1995)"#,
    )
    .await;
    // (400/1000) / (x_W,DEU / 2700), x_W,DEU = FRA 400 + TWN 300.
    assert_close(&fra["deu"], 0.4 / (700.0 / 2700.0));
    // x_W,USA = FRA 200 + DEU 400.
    assert_close(&fra["usa"], 0.2 / (600.0 / 2700.0));
    // x_W,TWN = FRA 300 + DEU 250.
    assert_close(&fra["twn"], 0.3 / (550.0 / 2700.0));
    // Export shares 10/17, 6/17, 1/17 against DEU's import shares 1/3, 2/3 (03: 0):
    // Σ|m − x| = 32/51.
    assert_close(&fra["tcDeu"], 100.0 * (1.0 - 16.0 / 51.0));
    // NOR imports 01: 0, 02: 100 → shares 0, 1.
    assert_close(&fra["tcNor"], 100.0 * (1.0 - 11.0 / 17.0));
    // ESP imports only 01.
    assert_close(&fra["tcEsp"], 100.0 * (1.0 - 7.0 / 17.0));
    // USA reports nothing: its imports are missing.
    assert_eq!(fra["tcUsa"], Value::Null);

    let deu = country(
        &app,
        "DEU",
        r#"ti: tradeIntensity(partner: "FRA", year: 1995) tc: tradeComplementarity(partner: "FRA", year: 1995)"#,
    )
    .await;
    // x_W,FRA = DEU 350 + TWN 150 + NOR 0 (DEU's TOTAL exports: the sum over partners).
    assert_close(&deu["ti"], 0.35 / (500.0 / 2700.0));
    // Export shares 0.2, 0.8 = FRA's import shares 100/500, 400/500.
    assert_close(&deu["tc"], 100.0);
    let twn = country(&app, "TWN", r#"tradeComplementarity(partner: "DEU", year: 1995)"#).await;
    assert_close(&twn["tradeComplementarity"], 100.0 * (1.0 - 1.0 / 3.0));
    // NOR: x_ij = 0 over X_i = 0, and export shares over a sum of 0: null, not 0.
    let nor = country(
        &app,
        "NOR",
        r#"ti: tradeIntensity(partner: "FRA", year: 1995) tc: tradeComplementarity(partner: "FRA", year: 1995)"#,
    )
    .await;
    assert_eq!(nor["ti"], Value::Null);
    assert_eq!(nor["tc"], Value::Null);
    // ESP has no TOTAL rows, so no x_ij.
    let esp = country(&app, "ESP", r#"tradeIntensity(partner: "FRA", year: 1995)"#).await;
    assert_eq!(esp["tradeIntensity"], Value::Null);

    for bad in [
        r#"{ country(code: "FRA") { tradeIntensity(partner: "W00", year: 1995) } }"#,
        r#"{ country(code: "FRA") { tradeComplementarity(partner: "XAK", year: 1995) } }"#,
        r#"{ country(code: "FRA") { tradeIntensity(partner: "ZZZ", year: 1995) } }"#,
    ] {
        assert_eq!(app.error_code(bad).await, "BAD_USER_INPUT", "{bad}");
    }
}

async fn intra_industry_trade(app: TestApp) {
    load(&app).await;
    let codes = "rank commodity { code } value exportsUsd importsUsd";
    let fra = country(
        &app,
        "FRA",
        &format!(
            r#"world: intraIndustryTrade(year: 1995)
               deu: intraIndustryTrade(partner: "DEU", year: 1995)
               byCode: intraIndustryTradeByCode(year: 1995) {{ {codes} }}"#
        ),
    )
    .await;
    // x: 500, 300, 50; m: 100, 400, (03 not imported: 0). 1 − 550/1350.
    assert_close(&fra["world"], 1.0 - 550.0 / 1350.0);
    // With DEU: x 300, 100; m 100, 250.
    assert_close(&fra["deu"], 1.0 - 350.0 / 750.0);
    assert_ranked(
        &fra["byCode"],
        &[
            ("02", Some(1.0 - 100.0 / 700.0)),
            ("01", Some(1.0 / 3.0)),
            ("03", Some(0.0)),
        ],
    );
    assert_eq!(fra["byCode"][2]["importsUsd"], Value::Null, "03 is not imported");
    assert_close(&fra["byCode"][2]["exportsUsd"], 50.0);

    let deu = country(&app, "DEU", "intraIndustryTrade(year: 1995)").await;
    assert_close(&deu["intraIndustryTrade"], 1.0 - 300.0 / 1900.0);
    let esp = country(&app, "ESP", "intraIndustryTrade(year: 1995)").await;
    assert_close(&esp["intraIndustryTrade"], 1.0 - 150.0 / 250.0);
    // NOR: 01 is 0 both ways (a zero denominator: null), 02 imported only.
    let nor = country(
        &app,
        "NOR",
        &format!("world: intraIndustryTrade(year: 1995) byCode: intraIndustryTradeByCode(year: 1995) {{ {codes} }}"),
    )
    .await;
    assert_close(&nor["world"], 0.0);
    assert_ranked(&nor["byCode"], &[("02", Some(0.0)), ("01", None)]);
    // TWN exports 02 to USA but imports nothing from it: its imports are missing, not 0.
    let twn = country(
        &app,
        "TWN",
        &format!(
            r#"usa: intraIndustryTrade(partner: "USA", year: 1995)
               byCode: intraIndustryTradeByCode(partner: "USA", year: 1995) {{ {codes} }}"#
        ),
    )
    .await;
    assert_eq!(twn["usa"], Value::Null);
    assert_ranked(&twn["byCode"], &[("02", None)]);
    // No trade at all with the partner.
    let none = country(&app, "ESP", r#"intraIndustryTrade(partner: "NOR", year: 1995)"#).await;
    assert_eq!(none["intraIndustryTrade"], Value::Null);
}

on_both_backends!(intensity_and_complementarity, intra_industry_trade,);
