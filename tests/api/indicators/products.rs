//! Indicators per HS code: revealed comparative advantage, export diversification, market
//! penetration, relative trade balance.

use serde_json::{Value, json};

use super::{assert_ranked, country, load};
use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

async fn revealed_comparative_advantage(app: TestApp) {
    load(&app).await;
    let fields = "rca(year: 1995) { rank commodity { code name } value exportsUsd importsUsd totalExportsUsd \
                  worldExportsUsd worldTotalExportsUsd markets importers }";
    let fra = country(&app, "FRA", fields).await;
    // (50/1000)/(50/2700), (500/1000)/(800/2700), (300/1000)/(1600/2700).
    assert_ranked(
        &fra["rca"],
        &[("03", Some(2.7)), ("01", Some(1.6875)), ("02", Some(0.50625))],
    );
    let top = &fra["rca"][0];
    assert_eq!(
        top["commodity"]["name"],
        "Fish and crustaceans, molluscs and other aquatic invertebrates"
    );
    // 03 has no W00 row: X_ik is the sum over partners (USA 50, ESP 0).
    for (field, v) in [
        ("exportsUsd", 50.0),
        ("totalExportsUsd", 1000.0),
        ("worldExportsUsd", 50.0),
        ("worldTotalExportsUsd", 2700.0),
    ] {
        assert_close(&top[field], v);
    }
    for field in ["importsUsd", "markets", "importers"] {
        assert_eq!(top[field], Value::Null, "{field} is not an input of rca");
    }
    // DEU: no TOTAL W00 row, the sum over partners (XAK 777 not summed) is X_i = 1000;
    // chapter 02 has no W00 row: 800 (XAK 999 not summed).
    let deu = country(
        &app,
        "DEU",
        "rca(year: 1995) { commodity { code } value exportsUsd totalExportsUsd }",
    )
    .await;
    assert_ranked(&deu["rca"], &[("02", Some(1.35)), ("01", Some(0.675))]);
    assert_close(&deu["rca"][0]["exportsUsd"], 800.0);
    assert_close(&deu["rca"][0]["totalExportsUsd"], 1000.0);
    // TWN exports nothing of 01 (a stored 0: RCA 0, not null); 03 has only an aggregate partner.
    let twn = country(&app, "TWN", "rca(year: 1995) { rank commodity { code } value }").await;
    assert_ranked(&twn["rca"], &[("02", Some(1.35)), ("01", Some(0.0))]);
    // ESP has no TOTAL: X_i = 100 + 100 over its chapters.
    let esp = country(
        &app,
        "ESP",
        "rca(year: 1995) { rank commodity { code } value totalExportsUsd }",
    )
    .await;
    assert_ranked(&esp["rca"], &[("01", Some(1.6875)), ("02", Some(0.84375))]);
    assert_close(&esp["rca"][0]["totalExportsUsd"], 200.0);
    // NOR: X_i = 0, a zero denominator: null, listed last.
    let nor = country(
        &app,
        "NOR",
        "rca(year: 1995) { rank commodity { code } value exportsUsd }",
    )
    .await;
    assert_ranked(&nor["rca"], &[("01", None)]);
    assert_close(&nor["rca"][0]["exportsUsd"], 0.0);

    // minValue and limit.
    let cut = country(
        &app,
        "FRA",
        "adv: rca(year: 1995, minValue: 1) { rank commodity { code } value } \
         one: rca(year: 1995, limit: 1) { rank commodity { code } value } \
         y1994: rca(year: 1994) { value }",
    )
    .await;
    assert_ranked(&cut["adv"], &[("03", Some(2.7)), ("01", Some(1.6875))]);
    assert_ranked(&cut["one"], &[("03", Some(2.7))]);
    // 1994: FRA's only export is chapter 01 (400, no TOTAL); DEU's is chapter 02 (300):
    // (400/400) / (400/700).
    assert_close(&cut["y1994"][0]["value"], 1.75);

    // Level 4: ESP has neither TOTAL nor headings, so it is not in that world:
    // X_W = 1000 + 1000 + 500 + 0; X_W,0101 = 200 + 100, X_W,0102 = 300.
    let fra4 = country(
        &app,
        "FRA",
        "rca(year: 1995, level: 4) { commodity { code } value worldTotalExportsUsd }",
    )
    .await;
    assert_ranked(
        &fra4["rca"],
        &[
            ("0102", Some(0.3 / (300.0 / 2500.0))),
            ("0101", Some(0.2 / (300.0 / 2500.0))),
        ],
    );
    assert_close(&fra4["rca"][0]["worldTotalExportsUsd"], 2500.0);

    for bad in [
        r#"{ country(code: "FRA") { rca(year: 1995, level: 3) { value } } }"#,
        r#"{ country(code: "FRA") { rca(year: 1995, limit: 0) { value } } }"#,
    ] {
        assert_eq!(app.error_code(bad).await, "BAD_USER_INPUT", "{bad}");
    }
}

async fn diversification_penetration_and_balance(app: TestApp) {
    load(&app).await;
    let fields = "div: exportDiversification(year: 1995) { hhi products exportsUsd } \
                  pen: marketPenetration(year: 1995) { rank commodity { code } value markets importers exportsUsd } \
                  rtb: relativeTradeBalance(year: 1995) { rank commodity { code } value exportsUsd importsUsd }";
    let fra = country(&app, "FRA", fields).await;
    // Shares 500/850, 300/850, 50/850.
    assert_close(
        &fra["div"]["hhi"],
        (500f64.powi(2) + 300f64.powi(2) + 50f64.powi(2)) / 850f64.powi(2),
    );
    assert_eq!(fra["div"]["products"], 3);
    assert_close(&fra["div"]["exportsUsd"], 850.0);
    // Importers: 01 FRA, DEU, TWN, ESP (NOR's 0 is not an import); 02 FRA, DEU, TWN, NOR;
    // 03 none: null. Markets: 01 DEU, USA; 02 DEU, TWN; 03 USA (ESP's 0 is not a market).
    assert_ranked(&fra["pen"], &[("01", Some(0.5)), ("02", Some(0.5)), ("03", None)]);
    let p03 = &fra["pen"][2];
    assert_eq!((p03["markets"].as_i64(), p03["importers"].as_i64()), (Some(1), Some(0)));
    assert_eq!(p03["exportsUsd"], Value::Null);
    // (500 − 100)/600, (300 − 400)/700, and 03 is not imported: (50 − 0)/50.
    assert_ranked(
        &fra["rtb"],
        &[
            ("03", Some(1.0)),
            ("01", Some(400.0 / 600.0)),
            ("02", Some(-100.0 / 700.0)),
        ],
    );
    assert_close(&fra["rtb"][1]["importsUsd"], 100.0);

    let deu = country(&app, "DEU", fields).await;
    assert_close(&deu["div"]["hhi"], 0.68);
    // Chapter 02's markets: FRA and USA, not the aggregate XAK.
    assert_ranked(&deu["pen"], &[("01", Some(0.5)), ("02", Some(0.5))]);
    assert_eq!(deu["pen"][1]["markets"], 2);
    let twn = country(&app, "TWN", fields).await;
    assert_close(&twn["div"]["hhi"], 1.0);
    assert_eq!(twn["div"]["products"], 1, "a stored 0 is not a product");
    // 01 has only a W00 row: no partners to count, not listed.
    assert_ranked(&twn["pen"], &[("02", Some(0.75))]);
    let esp = country(&app, "ESP", fields).await;
    assert_ranked(&esp["pen"], &[("01", Some(0.5)), ("02", Some(0.25))]);
    assert_ranked(&esp["rtb"], &[("02", Some(1.0)), ("01", Some(50.0 / 150.0))]);
    // NOR: exports of 0 only: no shares (null), no products; 01 is 0 both ways.
    let nor = country(&app, "NOR", fields).await;
    assert_eq!(nor["div"]["hhi"], Value::Null);
    assert_eq!(nor["div"]["products"], 0);
    assert_eq!(nor["pen"], json!([]));
    assert_ranked(&nor["rtb"], &[("02", Some(-1.0)), ("01", None)]);
    // No exports at all at the level: no diversification.
    let usa = country(&app, "USA", fields).await;
    assert_eq!(usa["div"], Value::Null);
    assert_eq!(usa["pen"], json!([]));
    assert_eq!(usa["rtb"], json!([]));
}

on_both_backends!(revealed_comparative_advantage, diversification_penetration_and_balance,);
