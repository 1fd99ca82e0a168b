//! Openness, exports per inhabitant, unit values.

use serde_json::Value;

use super::{country, load};
use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

async fn openness_and_per_capita(app: TestApp) {
    load(&app).await;
    let fields = "openness(year: 1995) exportsPerCapita(year: 1995)";
    let expect = [
        // (1000 + 600) / 5000; 1000 / 10.
        ("FRA", Some(0.32), Some(100.0)),
        // GDP 0: a zero denominator.
        ("DEU", None, Some(50.0)),
        // No GDP, no population stored.
        ("TWN", None, None),
        // No TOTAL: X = 200, M = 50 over the chapters; no population.
        ("ESP", Some(0.25), None),
        ("NOR", Some(0.25), Some(0.0)),
    ];
    for (code, openness, per_capita) in expect {
        let c = country(&app, code, fields).await;
        for (field, want) in [("openness", openness), ("exportsPerCapita", per_capita)] {
            match want {
                Some(v) => assert_close(&c[field], v),
                None => assert_eq!(c[field], Value::Null, "{code} {field}"),
            }
        }
    }
}

async fn unit_values(app: TestApp) {
    load(&app).await;
    let fields = "year valueUsd quantity quantityUnit unitValue valueGrowth volumeGrowth unitValueGrowth";
    let fra = country(
        &app,
        "FRA",
        &format!(
            r#"world: unitValues(commodity: "01", flow: EXPORT) {{ {fields} }}
               deu: unitValues(commodity: "01", partner: "DEU", flow: EXPORT) {{ {fields} }}
               mixed: unitValues(commodity: "03", flow: EXPORT) {{ {fields} }}
               from: unitValues(commodity: "01", flow: EXPORT, fromYear: 1995) {{ year valueGrowth }}"#
        ),
    )
    .await;
    // W00 rows: 1994 400 USD for 160 kg, 1995 500 USD for 250 kg.
    let w = &fra["world"];
    assert_eq!(w.as_array().unwrap().len(), 2);
    assert_eq!(w[0]["year"], 1994);
    assert_close(&w[0]["unitValue"], 2.5);
    assert_eq!(w[0]["valueGrowth"], Value::Null);
    assert_eq!(w[1]["quantityUnit"], "kg");
    assert_close(&w[1]["quantity"], 250.0);
    assert_close(&w[1]["unitValue"], 2.0);
    assert_close(&w[1]["valueGrowth"], 0.25);
    assert_close(&w[1]["volumeGrowth"], 250.0 / 160.0 - 1.0);
    assert_close(&w[1]["unitValueGrowth"], -0.2);
    let (gv, gq, guv) = (
        w[1]["valueGrowth"].as_f64().unwrap(),
        w[1]["volumeGrowth"].as_f64().unwrap(),
        w[1]["unitValueGrowth"].as_f64().unwrap(),
    );
    assert!(((1.0 + gq) * (1.0 + guv) - (1.0 + gv)).abs() < 1e-12);
    // One partner: its row.
    assert_eq!(fra["deu"].as_array().unwrap().len(), 1);
    assert_close(&fra["deu"][0]["unitValue"], 2.5);
    // 03: no W00 row, partner rows in kg and in units: no quantity in one unit.
    let m = &fra["mixed"][0];
    assert_close(&m["valueUsd"], 50.0);
    assert_eq!(
        (m["quantity"].clone(), m["unitValue"].clone()),
        (Value::Null, Value::Null)
    );
    // fromYear still reads the year before for the growth.
    assert_eq!(fra["from"].as_array().unwrap().len(), 1);
    assert_close(&fra["from"][0]["valueGrowth"], 0.25);

    // DEU 02: no W00 rows, sums over partners in one unit: 1994 300 USD / 100 kg, 1995
    // (250 + 550) USD / (100 + 200) kg; XAK (no quantity) is not summed.
    let deu = country(
        &app,
        "DEU",
        &format!(r#"unitValues(commodity: "02", flow: EXPORT) {{ {fields} }}"#),
    )
    .await;
    let r = &deu["unitValues"][1];
    assert_close(&r["quantity"], 300.0);
    assert_close(&r["unitValue"], 800.0 / 300.0);
    assert_close(&r["valueGrowth"], 800.0 / 300.0 - 1.0);
    assert_close(&r["volumeGrowth"], 2.0);
    assert_close(&r["unitValueGrowth"], (800.0 / 300.0) / 3.0 - 1.0);
    // TOTAL has no quantities.
    let total = country(
        &app,
        "FRA",
        r#"unitValues(commodity: "TOTAL", flow: EXPORT) { valueUsd unitValue }"#,
    )
    .await;
    assert_close(&total["unitValues"][0]["valueUsd"], 1000.0);
    assert_eq!(total["unitValues"][0]["unitValue"], Value::Null);
}

on_both_backends!(openness_and_per_capita, unit_values,);
