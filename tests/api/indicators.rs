//! The trade indicators of `docs/indicators.md` against a fixture worked out by hand
//! (`tests/fixtures/indicators.csv`, imported; GDP and population written through
//! `upsertIndicators`), every value to 1e-9 relative, on both databases.
//!
//! Year 2015, HS chapters 01–03 (values in USD; `·` = no row; `(row)` = the `W00` row is
//! stored and wins, otherwise the world total is the sum over non-aggregate partners; `XZZ`
//! is an aggregate partner inserted for the test, never summed):
//!
//! | reporter | X TOTAL | X 01 | X 02 | X 03 | M TOTAL | M 01 | M 02 |
//! |---|---|---|---|---|---|---|---|
//! | FRA | 1000 (row) | 500 (row) | 300 (row) | 50 (USA 50, ESP 0) | 600 (row) | 100 | 400 |
//! | DEU | 1000 (FRA 350, TWN 250, USA 400; XZZ 777 not summed) | 200 | 800 (FRA 250, USA 550; XZZ 999 not summed) | · | 900 | 300 | 600 |
//! | TWN | 500 | 0 | 400 | · (XZZ only) | 500 | 200 (DEU 100, FRA 100) | 300 |
//! | ESP | · (no TOTAL: X = 100 + 100) | 100 | 100 | · | · (M = 50) | 50 | · |
//! | NOR | 0 | 0 | · | · | 100 | 0 | 100 |
//!
//! So `X_r` = 1000, 1000, 500, 200, 0 and the world's `X_W` = 2700; `X_Wk` = 800 (01),
//! 1600 (02), 50 (03). Chapter 03 is imported by no one. FRA's and DEU's partner rows (for
//! trade intensity, Grubel–Lloyd with a partner and market penetration) are in the CSV.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

/// Imports the fixture after adding the aggregate partner `XZZ`, and writes the indicators.
async fn load(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set};
    entity::country::ActiveModel {
        id: NotSet,
        iso3: Set("XZZ".into()),
        iso2: Set("XZ".into()),
        numeric_code: Set("000".into()),
        name: Set("Test aggregate (areas not elsewhere specified)".into()),
        official_name: Set(None),
        region: Set(None),
        subregion: Set(None),
        landlocked: Set(false),
        is_aggregate: Set(true),
        source_id: Set(None),
    }
    .insert(&app.db)
    .await
    .expect("insert the aggregate XZZ");
    app.import_fixture("indicators.csv").await;
    // The world of 2015 is the fixture's alone (bundled data must not reach into it).
    let flows = app.data("{ tradeFlows(year: 2015) { totalCount } }").await;
    assert_eq!(
        flows["tradeFlows"]["totalCount"], 67,
        "2015 holds only the fixture's rows"
    );

    let key = app.key("indicator-writer", "write").await;
    let rows: Vec<Value> = [
        ("FRA", "GDP_USD", 5000.0),
        ("FRA", "POPULATION", 10.0),
        ("DEU", "GDP_USD", 0.0),
        ("DEU", "POPULATION", 20.0),
        ("ESP", "GDP_USD", 1000.0),
        ("NOR", "GDP_USD", 400.0),
        ("NOR", "POPULATION", 4.0),
    ]
    .into_iter()
    .map(|(c, code, v)| json!({ "country": c, "code": code, "year": 2015, "value": v, "sourceId": "wb-wdi" }))
    .collect();
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($i: [IndicatorInput!]!) { upsertIndicators(indicators: $i) { inserted updated } }",
            json!({ "i": rows }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    for code in ["GDP_USD", "POPULATION"] {
        let q = format!(r#"{{ country(code: "TWN") {{ indicator(code: "{code}", year: 2015) }} }}"#);
        assert_eq!(
            app.data(&q).await["country"]["indicator"],
            Value::Null,
            "TWN has no {code}"
        );
    }
    let q = r#"{ country(code: "ESP") { indicator(code: "POPULATION", year: 2015) } }"#;
    assert_eq!(app.data(q).await["country"]["indicator"], Value::Null);
}

/// `(code, value)` of each row of a ranked list, in order; `None` for a null value.
fn ranked(list: &Value) -> Vec<(String, Option<f64>)> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if !r["rank"].is_null() {
                assert_eq!(r["rank"], i as i64 + 1, "{list}");
            }
            (r["commodity"]["code"].as_str().unwrap().to_owned(), r["value"].as_f64())
        })
        .collect()
}

/// Asserts a ranked list's codes and values (to 1e-9 relative; `None` = null).
#[track_caller]
fn assert_ranked(list: &Value, expected: &[(&str, Option<f64>)]) {
    let got = ranked(list);
    let codes: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(codes, want, "{list}");
    for (i, (_, value)) in expected.iter().enumerate() {
        match value {
            Some(v) => assert_close(&list[i]["value"], *v),
            None => assert_eq!(list[i]["value"], Value::Null, "{list}"),
        }
    }
}

/// `country(code) { … }` → the country object.
async fn country(app: &TestApp, code: &str, fields: &str) -> Value {
    let data = app
        .data(&format!(r#"{{ country(code: "{code}") {{ {fields} }} }}"#))
        .await;
    data["country"].clone()
}

async fn revealed_comparative_advantage(app: TestApp) {
    load(&app).await;
    let fields = "rca(year: 2015) { rank commodity { code name } value exportsUsd importsUsd totalExportsUsd \
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
    // DEU: no TOTAL W00 row, the sum over partners (XZZ 777 not summed) is X_i = 1000;
    // chapter 02 has no W00 row: 800 (XZZ 999 not summed).
    let deu = country(
        &app,
        "DEU",
        "rca(year: 2015) { commodity { code } value exportsUsd totalExportsUsd }",
    )
    .await;
    assert_ranked(&deu["rca"], &[("02", Some(1.35)), ("01", Some(0.675))]);
    assert_close(&deu["rca"][0]["exportsUsd"], 800.0);
    assert_close(&deu["rca"][0]["totalExportsUsd"], 1000.0);
    // TWN exports nothing of 01 (a stored 0: RCA 0, not null); 03 has only an aggregate partner.
    let twn = country(&app, "TWN", "rca(year: 2015) { rank commodity { code } value }").await;
    assert_ranked(&twn["rca"], &[("02", Some(1.35)), ("01", Some(0.0))]);
    // ESP has no TOTAL: X_i = 100 + 100 over its chapters.
    let esp = country(
        &app,
        "ESP",
        "rca(year: 2015) { rank commodity { code } value totalExportsUsd }",
    )
    .await;
    assert_ranked(&esp["rca"], &[("01", Some(1.6875)), ("02", Some(0.84375))]);
    assert_close(&esp["rca"][0]["totalExportsUsd"], 200.0);
    // NOR: X_i = 0, a zero denominator: null, listed last.
    let nor = country(
        &app,
        "NOR",
        "rca(year: 2015) { rank commodity { code } value exportsUsd }",
    )
    .await;
    assert_ranked(&nor["rca"], &[("01", None)]);
    assert_close(&nor["rca"][0]["exportsUsd"], 0.0);

    // minValue and limit.
    let cut = country(
        &app,
        "FRA",
        "adv: rca(year: 2015, minValue: 1) { rank commodity { code } value } \
         one: rca(year: 2015, limit: 1) { rank commodity { code } value } \
         y2014: rca(year: 2014) { value }",
    )
    .await;
    assert_ranked(&cut["adv"], &[("03", Some(2.7)), ("01", Some(1.6875))]);
    assert_ranked(&cut["one"], &[("03", Some(2.7))]);
    // 2014: FRA's only export is chapter 01 (400, no TOTAL); DEU's is chapter 02 (300):
    // (400/400) / (400/700).
    assert_close(&cut["y2014"][0]["value"], 1.75);

    // Level 4: ESP has neither TOTAL nor headings, so it is not in that world:
    // X_W = 1000 + 1000 + 500 + 0; X_W,0101 = 200 + 100, X_W,0102 = 300.
    let fra4 = country(
        &app,
        "FRA",
        "rca(year: 2015, level: 4) { commodity { code } value worldTotalExportsUsd }",
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
        r#"{ country(code: "FRA") { rca(year: 2015, level: 3) { value } } }"#,
        r#"{ country(code: "FRA") { rca(year: 2015, limit: 0) { value } } }"#,
    ] {
        assert_eq!(app.error_code(bad).await, "BAD_USER_INPUT", "{bad}");
    }
}

async fn intensity_and_complementarity(app: TestApp) {
    load(&app).await;
    let fra = country(
        &app,
        "FRA",
        r#"deu: tradeIntensity(partner: "DEU", year: 2015)
           usa: tradeIntensity(partner: "USA", year: 2015)
           twn: tradeIntensity(partner: "tw", year: 2015)
           tcDeu: tradeComplementarity(partner: "DEU", year: 2015)
           tcNor: tradeComplementarity(partner: "NOR", year: 2015)
           tcEsp: tradeComplementarity(partner: "ESP", year: 2015)
           tcUsa: tradeComplementarity(partner: "USA", year: 2015)"#,
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
        r#"ti: tradeIntensity(partner: "FRA", year: 2015) tc: tradeComplementarity(partner: "FRA", year: 2015)"#,
    )
    .await;
    // x_W,FRA = DEU 350 + TWN 150 + NOR 0 (DEU's TOTAL exports: the sum over partners).
    assert_close(&deu["ti"], 0.35 / (500.0 / 2700.0));
    // Export shares 0.2, 0.8 = FRA's import shares 100/500, 400/500.
    assert_close(&deu["tc"], 100.0);
    let twn = country(&app, "TWN", r#"tradeComplementarity(partner: "DEU", year: 2015)"#).await;
    assert_close(&twn["tradeComplementarity"], 100.0 * (1.0 - 1.0 / 3.0));
    // NOR: x_ij = 0 over X_i = 0, and export shares over a sum of 0: null, not 0.
    let nor = country(
        &app,
        "NOR",
        r#"ti: tradeIntensity(partner: "FRA", year: 2015) tc: tradeComplementarity(partner: "FRA", year: 2015)"#,
    )
    .await;
    assert_eq!(nor["ti"], Value::Null);
    assert_eq!(nor["tc"], Value::Null);
    // ESP has no TOTAL rows, so no x_ij.
    let esp = country(&app, "ESP", r#"tradeIntensity(partner: "FRA", year: 2015)"#).await;
    assert_eq!(esp["tradeIntensity"], Value::Null);

    for bad in [
        r#"{ country(code: "FRA") { tradeIntensity(partner: "W00", year: 2015) } }"#,
        r#"{ country(code: "FRA") { tradeComplementarity(partner: "XZZ", year: 2015) } }"#,
        r#"{ country(code: "FRA") { tradeIntensity(partner: "ZZZ", year: 2015) } }"#,
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
            r#"world: intraIndustryTrade(year: 2015)
               deu: intraIndustryTrade(partner: "DEU", year: 2015)
               byCode: intraIndustryTradeByCode(year: 2015) {{ {codes} }}"#
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

    let deu = country(&app, "DEU", "intraIndustryTrade(year: 2015)").await;
    assert_close(&deu["intraIndustryTrade"], 1.0 - 300.0 / 1900.0);
    let esp = country(&app, "ESP", "intraIndustryTrade(year: 2015)").await;
    assert_close(&esp["intraIndustryTrade"], 1.0 - 150.0 / 250.0);
    // NOR: 01 is 0 both ways (a zero denominator: null), 02 imported only.
    let nor = country(
        &app,
        "NOR",
        &format!("world: intraIndustryTrade(year: 2015) byCode: intraIndustryTradeByCode(year: 2015) {{ {codes} }}"),
    )
    .await;
    assert_close(&nor["world"], 0.0);
    assert_ranked(&nor["byCode"], &[("02", Some(0.0)), ("01", None)]);
    // TWN exports 02 to USA but imports nothing from it: its imports are missing, not 0.
    let twn = country(
        &app,
        "TWN",
        &format!(
            r#"usa: intraIndustryTrade(partner: "USA", year: 2015)
               byCode: intraIndustryTradeByCode(partner: "USA", year: 2015) {{ {codes} }}"#
        ),
    )
    .await;
    assert_eq!(twn["usa"], Value::Null);
    assert_ranked(&twn["byCode"], &[("02", None)]);
    // No trade at all with the partner.
    let none = country(&app, "ESP", r#"intraIndustryTrade(partner: "NOR", year: 2015)"#).await;
    assert_eq!(none["intraIndustryTrade"], Value::Null);
}

async fn diversification_penetration_and_balance(app: TestApp) {
    load(&app).await;
    let fields = "div: exportDiversification(year: 2015) { hhi products exportsUsd } \
                  pen: marketPenetration(year: 2015) { rank commodity { code } value markets importers exportsUsd } \
                  rtb: relativeTradeBalance(year: 2015) { rank commodity { code } value exportsUsd importsUsd }";
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
    // Chapter 02's markets: FRA and USA, not the aggregate XZZ.
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

async fn openness_and_per_capita(app: TestApp) {
    load(&app).await;
    let fields = "openness(year: 2015) exportsPerCapita(year: 2015)";
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
               from: unitValues(commodity: "01", flow: EXPORT, fromYear: 2015) {{ year valueGrowth }}"#
        ),
    )
    .await;
    // W00 rows: 2014 400 USD for 160 kg, 2015 500 USD for 250 kg.
    let w = &fra["world"];
    assert_eq!(w.as_array().unwrap().len(), 2);
    assert_eq!(w[0]["year"], 2014);
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

    // DEU 02: no W00 rows, sums over partners in one unit: 2014 300 USD / 100 kg, 2015
    // (250 + 550) USD / (100 + 200) kg; XZZ (no quantity) is not summed.
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

/// Every indicator asked on every country of a page: one statement per indicator, and the
/// same answers as asked one country at a time.
async fn all_countries_in_one_query(app: TestApp) {
    // Loaders batch what arrives within a time window: wide enough for one level of 250
    // countries in a debug build on a busy machine.
    let app = app
        .with_settings(|s| s.loader_delay = std::time::Duration::from_millis(1000))
        .await;
    load(&app).await;
    let fields = r#"iso3
        rca(year: 2015, limit: 5) { commodity { code } value }
        tradeIntensity(partner: "FRA", year: 2015)
        tradeComplementarity(partner: "DEU", year: 2015)
        intraIndustryTrade(year: 2015)
        intraIndustryTradeByCode(year: 2015, limit: 5) { value }
        exportDiversification(year: 2015) { hhi products }
        marketPenetration(year: 2015, limit: 5) { value }
        openness(year: 2015)
        exportsPerCapita(year: 2015)
        unitValues(commodity: "01", flow: EXPORT) { unitValue }
        relativeTradeBalance(year: 2015, limit: 5) { value }"#;
    // Warm the world totals, then count.
    app.data(&format!("{{ countries(first: 250) {{ nodes {{ {fields} }} }} }}"))
        .await;
    app.take_statement_count();
    let all = app
        .data(&format!("{{ countries(first: 250) {{ nodes {{ {fields} }} }} }}"))
        .await;
    let statements = app.take_statement_count();
    // One per indicator (openness and exportsPerCapita are two loaders keys of one figure).
    assert_eq!(statements, 11, "one statement per indicator for 250 countries");
    let nodes = all["countries"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 249);
    for code in ["FRA", "DEU", "TWN", "ESP", "NOR", "USA"] {
        let from_page = nodes.iter().find(|n| n["iso3"] == code).unwrap().clone();
        let alone = country(&app, code, fields).await;
        assert_eq!(from_page, alone, "{code}");
    }
}

/// The world totals are cached; a write of flows, through the API, changes the answers at once.
async fn writes_invalidate_the_world_totals(app: TestApp) {
    load(&app).await;
    let q = r#"{ country(code: "FRA") { rca(year: 2015) { commodity { code } value worldTotalExportsUsd } } }"#;
    let before = app.data(q).await;
    assert_close(&before["country"]["rca"][0]["worldTotalExportsUsd"], 2700.0);
    // USA starts reporting: 300 of TOTAL exports and 300 of chapter 03.
    let key = app.key("flow-writer", "write").await;
    let flows: Vec<Value> = [("TOTAL", 300.0), ("03", 300.0)]
        .into_iter()
        .map(|(c, v)| {
            json!({ "reporter": "USA", "partner": "W00", "year": 2015, "commodity": c, "flow": "EXPORT",
                    "valueUsd": v, "sourceId": "wb-wdi" })
        })
        .collect();
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($f: [TradeFlowInput!]!) { upsertTradeFlows(flows: $f) { inserted } }",
            json!({ "f": flows }),
        )
        .await;
    assert_eq!(answer["data"]["upsertTradeFlows"]["inserted"], 2, "{answer}");
    let after = app.data(q).await;
    let rca = &after["country"]["rca"];
    assert_close(&rca[0]["worldTotalExportsUsd"], 3000.0);
    // 01 is now first: (500/1000)/(800/3000) = 1.875; 03: (50/1000)/(350/3000).
    assert_ranked(
        rca,
        &[
            ("01", Some(0.5 / (800.0 / 3000.0))),
            ("02", Some(0.3 / (1600.0 / 3000.0))),
            ("03", Some(0.05 / (350.0 / 3000.0))),
        ],
    );
}

on_both_backends!(
    revealed_comparative_advantage,
    intensity_and_complementarity,
    intra_industry_trade,
    diversification_penetration_and_balance,
    openness_and_per_capita,
    unit_values,
    all_countries_in_one_query,
    writes_invalidate_the_world_totals,
);
