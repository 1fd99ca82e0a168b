//! Derived figures carry the qualifiers of their inputs (`src/service/qualifier.rs`): the rule
//! itself, evaluated by each database, and every figure type on a hand-made fixture whose
//! qualifiers are worked out by hand, on both databases.
//!
//! The fixture (values in USD; E exact, L at least, M at most, A approximate, S estimate),
//! reporter NLD, commodity `TOTAL` unless stated:
//!
//! | year | flow | BEL    | DEU    | W00 row | world total |
//! |------|------|--------|--------|---------|-------------|
//! | 2020 | X    | 100 E  | 200 S  | 400 A   | 400 A (row) |
//! | 2020 | M    |  40 L  |  60 E  |         | 100 L (sum) |
//! | 2021 | X    | 110 M  | 300 E  |         | 410 M (sum) |
//! | 2021 | M    |  50 E  |        |         |  50 E (sum) |
//!
//! plus, in 2020, exports of HS 84 to BEL 30 L and to W00 90 E, of HS 85 to BEL 20 E and DEU
//! 10 S; BEL's own declarations for 2020: imports from NLD 105 A, exports to NLD 38 E; and a
//! stated NLD–BEL total for 2022 of 200 L.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_close, year as row};
use crate::on_both_backends;
use tradegraph::service::qualifier as q;

const NAMES: [&str; 5] = ["EXACT", "AT_LEAST", "AT_MOST", "APPROXIMATE", "ESTIMATE"];

/// The qualifier a database gives for `expr` (an SQL expression over bits).
async fn eval(app: &TestApp, bits: &str) -> Option<String> {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT {} AS q", q::name("1", bits)),
        ))
        .await
        .expect("the rule's SQL runs")
        .expect("a row");
    row.try_get::<Option<String>>("", "q").expect("q")
}

fn lit(name: &str) -> String {
    q::bits(&format!("CAST('{name}' AS VARCHAR(11))"))
}

/// The rule, pair by pair: `a + b` and `a − b` (a ratio a / b is qualified as a − b).
async fn the_rule_in_sql(app: TestApp) {
    // Rows and columns in the order of NAMES; "E L M A S".
    let sum = [
        ["EXACT", "AT_LEAST", "AT_MOST", "APPROXIMATE", "ESTIMATE"],
        ["AT_LEAST", "AT_LEAST", "APPROXIMATE", "APPROXIMATE", "ESTIMATE"],
        ["AT_MOST", "APPROXIMATE", "AT_MOST", "APPROXIMATE", "ESTIMATE"],
        ["APPROXIMATE", "APPROXIMATE", "APPROXIMATE", "APPROXIMATE", "ESTIMATE"],
        ["ESTIMATE", "ESTIMATE", "ESTIMATE", "ESTIMATE", "ESTIMATE"],
    ];
    let difference = [
        ["EXACT", "AT_MOST", "AT_LEAST", "APPROXIMATE", "ESTIMATE"],
        ["AT_LEAST", "APPROXIMATE", "AT_LEAST", "APPROXIMATE", "ESTIMATE"],
        ["AT_MOST", "AT_MOST", "APPROXIMATE", "APPROXIMATE", "ESTIMATE"],
        ["APPROXIMATE", "APPROXIMATE", "APPROXIMATE", "APPROXIMATE", "ESTIMATE"],
        ["ESTIMATE", "ESTIMATE", "ESTIMATE", "ESTIMATE", "ESTIMATE"],
    ];
    for (i, a) in NAMES.iter().enumerate() {
        for (j, b) in NAMES.iter().enumerate() {
            let got = eval(&app, &q::union(&[&lit(a), &lit(b)])).await;
            assert_eq!(got.as_deref(), Some(sum[i][j]), "{a} + {b}");
            let got = eval(&app, &q::union(&[&lit(a), &q::flip(&lit(b))])).await;
            assert_eq!(got.as_deref(), Some(difference[i][j]), "{a} - {b}");
        }
        // A figure that is not monotone in its inputs only keeps "exact" and "estimate".
        let expected = match *a {
            "EXACT" => "EXACT",
            "ESTIMATE" => "ESTIMATE",
            _ => "APPROXIMATE",
        };
        assert_eq!(
            eval(&app, &q::not_monotone(&lit(a))).await.as_deref(),
            Some(expected),
            "{a}"
        );
    }
    // A missing input (or figure) has no qualifier.
    assert_eq!(eval(&app, &q::union(&[&lit("EXACT"), &q::bits("NULL")])).await, None);
    assert_eq!(eval(&app, &q::not_monotone(&q::bits("NULL"))).await, None);
    assert_eq!(eval(&app, &q::bits("CAST('about' AS VARCHAR(11))")).await, None);

    // The union over the rows of a group skips missing rows, as SUM skips their values.
    let backend = app.db.get_database_backend();
    let rows = "SELECT 'AT_LEAST' AS k UNION ALL SELECT 'EXACT' UNION ALL SELECT NULL";
    let sql = format!(
        "SELECT {} AS q FROM ({rows}) r",
        q::name("1", &q::union_of_rows(backend, &q::bits("r.k")))
    );
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "q").unwrap(), "AT_LEAST");
}

fn flow(reporter: &str, partner: &str, year: i32, commodity: &str, flow: &str, value: f64, qualifier: &str) -> Value {
    json!({ "reporter": reporter, "partner": partner, "year": year, "commodity": commodity,
            "flow": flow, "valueUsd": value, "qualifier": qualifier })
}

async fn load_fixture(app: &TestApp) {
    let key = app.key("fixture", "write").await;
    let flows = json!([
        flow("NLD", "BEL", 2020, "TOTAL", "EXPORT", 100.0, "EXACT"),
        flow("NLD", "DEU", 2020, "TOTAL", "EXPORT", 200.0, "ESTIMATE"),
        flow("NLD", "W00", 2020, "TOTAL", "EXPORT", 400.0, "APPROXIMATE"),
        flow("NLD", "BEL", 2020, "TOTAL", "IMPORT", 40.0, "AT_LEAST"),
        flow("NLD", "DEU", 2020, "TOTAL", "IMPORT", 60.0, "EXACT"),
        flow("NLD", "BEL", 2021, "TOTAL", "EXPORT", 110.0, "AT_MOST"),
        flow("NLD", "DEU", 2021, "TOTAL", "EXPORT", 300.0, "EXACT"),
        flow("NLD", "BEL", 2021, "TOTAL", "IMPORT", 50.0, "EXACT"),
        flow("NLD", "BEL", 2020, "84", "EXPORT", 30.0, "AT_LEAST"),
        flow("NLD", "W00", 2020, "84", "EXPORT", 90.0, "EXACT"),
        flow("NLD", "BEL", 2020, "85", "EXPORT", 20.0, "EXACT"),
        flow("NLD", "DEU", 2020, "85", "EXPORT", 10.0, "ESTIMATE"),
        flow("BEL", "NLD", 2020, "TOTAL", "IMPORT", 105.0, "APPROXIMATE"),
        flow("BEL", "NLD", 2020, "TOTAL", "EXPORT", 38.0, "EXACT"),
    ]);
    let (_, answer) = app
        .post_as(Some(&key), crate::mutations::UPSERT_FLOWS, json!({ "flows": flows }))
        .await;
    assert_eq!(answer["data"]["upsertTradeFlows"]["inserted"], 14, "{answer}");

    // A stated total without its split (there is no write path for these yet: the table).
    use entity::enums::Qualifier;
    use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set};
    let refs = tradegraph::reference::RefData::load(&app.db).await.unwrap();
    entity::trade_total::ActiveModel {
        id: NotSet,
        reporter_id: Set(refs.country("NLD").unwrap().id),
        partner_id: Set(refs.country("BEL").unwrap().id),
        year: Set(2022),
        commodity_id: Set(refs.commodities.by_code("TOTAL").unwrap().id),
        value_usd: Set(200.0),
        qualifier: Set(Qualifier::AtLeast),
        source_id: Set(None),
        note: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// Asserts a figure and its qualifier (`None`: both null).
#[track_caller]
fn figure(r: &Value, field: &str, expected: Option<(f64, &str)>) {
    let q = &r[format!("{field}Qualifier")];
    match expected {
        Some((value, qualifier)) => {
            assert_close(&r[field], value);
            assert_eq!(q, qualifier, "{field} in {r}");
        }
        None => {
            assert_eq!(r[field], Value::Null, "{field} in {r}");
            assert_eq!(q, &Value::Null, "{field}Qualifier in {r}");
        }
    }
}

async fn trade_with(app: TestApp) {
    load_fixture(&app).await;
    let data = app
        .data(
            r#"{ country(code: "NLD") { tradeWith(partner: "BEL") { year
                   exportsUsd exportsUsdQualifier importsUsd importsUsdQualifier totalTradeUsd totalTradeUsdQualifier
                   totalTradeStated balanceUsd balanceUsdQualifier totalTradeGrowth totalTradeGrowthQualifier
                   exportShare exportShareQualifier importShare importShareQualifier } } }"#,
        )
        .await;
    let rows = &data["country"]["tradeWith"];
    assert_eq!(rows.as_array().unwrap().len(), 3);

    let r = row(rows, 2020);
    figure(r, "exportsUsd", Some((100.0, "EXACT")));
    figure(r, "importsUsd", Some((40.0, "AT_LEAST")));
    figure(r, "totalTradeUsd", Some((140.0, "AT_LEAST")));
    assert_eq!(r["totalTradeStated"], false);
    figure(r, "balanceUsd", Some((60.0, "AT_MOST")));
    figure(r, "totalTradeGrowth", None);
    // Over the W00 row (approximate).
    figure(r, "exportShare", Some((0.25, "APPROXIMATE")));
    // Over the sum of partners, which holds the import itself: looser than the truth.
    figure(r, "importShare", Some((0.4, "APPROXIMATE")));

    let r = row(rows, 2021);
    figure(r, "totalTradeUsd", Some((160.0, "AT_MOST")));
    figure(r, "balanceUsd", Some((60.0, "AT_MOST")));
    figure(r, "totalTradeGrowth", Some((160.0 / 140.0 - 1.0, "AT_MOST")));
    figure(r, "exportShare", Some((110.0 / 410.0, "APPROXIMATE")));
    figure(r, "importShare", Some((1.0, "EXACT")));

    // 2022: only the stated total; growth from the 2021 sum.
    let r = row(rows, 2022);
    figure(r, "exportsUsd", None);
    figure(r, "importsUsd", None);
    figure(r, "totalTradeUsd", Some((200.0, "AT_LEAST")));
    assert_eq!(r["totalTradeStated"], true);
    figure(r, "balanceUsd", None);
    figure(r, "totalTradeGrowth", Some((200.0 / 160.0 - 1.0, "AT_LEAST")));
    figure(r, "exportShare", None);

    // A year range reads the year before for the growth, stated totals included.
    let data = app
        .data(r#"{ country(code: "NLD") { tradeWith(partner: "BEL", fromYear: 2022) { year totalTradeGrowth totalTradeGrowthQualifier } } }"#)
        .await;
    let rows = &data["country"]["tradeWith"];
    assert_eq!(rows.as_array().unwrap().len(), 1);
    figure(row(rows, 2022), "totalTradeGrowth", Some((0.25, "AT_LEAST")));
}

async fn partners_and_concentration(app: TestApp) {
    load_fixture(&app).await;
    let data = app
        .data(
            r#"{ country(code: "NLD") {
                   x: topPartners(year: 2020, flow: EXPORT) { rank partner { iso3 } valueUsd valueUsdQualifier share shareQualifier }
                   m: topPartners(year: 2020, flow: IMPORT) { rank partner { iso3 } valueUsd valueUsdQualifier share shareQualifier }
                   hx: concentrationValue(year: 2020, flow: EXPORT) { value qualifier partnerCount }
                   hm: concentrationValue(year: 2020, flow: IMPORT) { value qualifier partnerCount }
                   h1: concentrationValue(year: 2021, flow: IMPORT) { value qualifier partnerCount }
                   none: concentrationValue(year: 1999, flow: IMPORT) { value }
                   plain: concentration(year: 2020, flow: EXPORT) } }"#,
        )
        .await;
    let c = &data["country"];
    let x = &c["x"];
    assert_eq!(x[0]["partner"]["iso3"], "DEU");
    figure(&x[0], "valueUsd", Some((200.0, "ESTIMATE")));
    figure(&x[0], "share", Some((0.5, "ESTIMATE")));
    assert_eq!(x[1]["partner"]["iso3"], "BEL");
    figure(&x[1], "valueUsd", Some((100.0, "EXACT")));
    figure(&x[1], "share", Some((0.25, "APPROXIMATE")));
    let m = &c["m"];
    assert_eq!(m[0]["partner"]["iso3"], "DEU");
    figure(&m[0], "share", Some((0.6, "AT_MOST")));
    figure(&m[1], "share", Some((0.4, "APPROXIMATE")));

    assert_close(&c["hx"]["value"], 5.0 / 9.0);
    assert_eq!(c["hx"]["qualifier"], "ESTIMATE");
    assert_eq!(c["hx"]["partnerCount"], 2);
    assert_close(&c["plain"], 5.0 / 9.0);
    assert_close(&c["hm"]["value"], 0.52);
    assert_eq!(c["hm"]["qualifier"], "APPROXIMATE");
    assert_close(&c["h1"]["value"], 1.0);
    assert_eq!(c["h1"]["qualifier"], "EXACT");
    assert_eq!(c["none"], Value::Null);
}

async fn by_commodity_growth_and_mirror(app: TestApp) {
    load_fixture(&app).await;
    let data = app
        .data(
            r#"{ country(code: "NLD") {
                   world: tradeByCommodity(year: 2020, flow: EXPORT) { rank commodity valueUsd valueUsdQualifier share shareQualifier }
                   bel: tradeByCommodity(partner: "BEL", year: 2020, flow: EXPORT) { commodity valueUsd valueUsdQualifier share shareQualifier }
                   g1: cagr(partner: "BEL", fromYear: 2020, toYear: 2021, flow: EXPORT) {
                         fromValueUsd fromValueUsdQualifier toValueUsd toValueUsdQualifier rate rateQualifier }
                   g2: cagr(fromYear: 2020, toYear: 2021, flow: EXPORT) { fromValueUsdQualifier toValueUsdQualifier rate rateQualifier }
                   g3: cagr(partner: "BEL", fromYear: 2019, toYear: 2021, flow: EXPORT) { fromValueUsd rate rateQualifier toValueUsdQualifier }
                   mirror(partner: "BEL") { year exportsUsd exportsUsdQualifier partnerImportsUsd partnerImportsUsdQualifier
                         exportGapUsd exportGapUsdQualifier exportGapRatio exportGapRatioQualifier
                         importsUsd importsUsdQualifier partnerExportsUsd partnerExportsUsdQualifier
                         importGapUsd importGapUsdQualifier importGapRatio importGapRatioQualifier } } }"#,
        )
        .await;
    let c = &data["country"];
    // HS 84 has a W00 row (exact); HS 85 is the sum of BEL (exact) and DEU (estimate); the
    // share is of the TOTAL W00 row (approximate).
    let w = &c["world"];
    assert_eq!((&w[0]["commodity"], &w[1]["commodity"]), (&"84".into(), &"85".into()));
    figure(&w[0], "valueUsd", Some((90.0, "EXACT")));
    figure(&w[0], "share", Some((0.225, "APPROXIMATE")));
    figure(&w[1], "valueUsd", Some((30.0, "ESTIMATE")));
    figure(&w[1], "share", Some((0.075, "ESTIMATE")));
    let b = &c["bel"];
    figure(&b[0], "valueUsd", Some((30.0, "AT_LEAST")));
    figure(&b[0], "share", Some((0.3, "AT_LEAST")));
    figure(&b[1], "share", Some((0.2, "EXACT")));

    // Growth rises with the last value (at most) and falls with the first (exact): at most.
    let g = &c["g1"];
    figure(g, "fromValueUsd", Some((100.0, "EXACT")));
    figure(g, "toValueUsd", Some((110.0, "AT_MOST")));
    figure(g, "rate", Some((0.1, "AT_MOST")));
    // World: 400 (approximate W00 row) to 410 (sum, at most).
    let g = &c["g2"];
    assert_eq!(
        (&g["fromValueUsdQualifier"], &g["toValueUsdQualifier"]),
        (&"APPROXIMATE".into(), &"AT_MOST".into())
    );
    figure(g, "rate", Some((410.0 / 400.0 - 1.0, "APPROXIMATE")));
    let g = &c["g3"];
    assert_eq!(
        (&g["fromValueUsd"], &g["rate"], &g["rateQualifier"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(g["toValueUsdQualifier"], "AT_MOST");

    let rows = &c["mirror"];
    let r = row(rows, 2020);
    figure(r, "exportsUsd", Some((100.0, "EXACT")));
    figure(r, "partnerImportsUsd", Some((105.0, "APPROXIMATE")));
    figure(r, "exportGapUsd", Some((5.0, "APPROXIMATE")));
    figure(r, "exportGapRatio", Some((0.05, "APPROXIMATE")));
    figure(r, "importsUsd", Some((40.0, "AT_LEAST")));
    figure(r, "partnerExportsUsd", Some((38.0, "EXACT")));
    // 38 − (at least 40): at most −2.
    figure(r, "importGapUsd", Some((-2.0, "AT_MOST")));
    figure(r, "importGapRatio", Some((-0.05, "AT_MOST")));
    let r = row(rows, 2021);
    figure(r, "exportsUsd", Some((110.0, "AT_MOST")));
    figure(r, "partnerImportsUsd", None);
    figure(r, "exportGapUsd", None);
    figure(r, "exportGapRatio", None);
}

async fn aid_in_usd(app: TestApp) {
    let key = app.key("fixture", "write").await;
    let pledge = |amount: f64, currency: &str, kind: &str, qualifier: &str, period: Option<(i32, i32)>| {
        let mut p = json!({ "donor": "DEU", "recipient": "NLD", "amount": amount, "currency": currency,
                            "kind": kind, "qualifier": qualifier });
        match period {
            Some((a, b)) => {
                p["periodStartYear"] = a.into();
                p["periodEndYear"] = b.into();
            }
            None => p["announcedOn"] = "2024-03-01".into(),
        }
        p
    };
    let (_, answer) = app
        .post_as(
            Some(&key),
            "mutation($p: [AidPledgeInput!]!) { upsertAidPledges(pledges: $p) { inserted } }",
            json!({ "p": [
                pledge(1e6, "EUR", "PLEDGE", "AT_LEAST", None),
                pledge(2e6, "JPY", "COMMITMENT", "EXACT", None),
                pledge(5e5, "USD", "DISBURSEMENT", "APPROXIMATE", Some((2023, 2024))),
            ] }),
        )
        .await;
    assert_eq!(answer["data"]["upsertAidPledges"]["inserted"], 3, "{answer}");
    let data = app
        .data(
            r#"{ country(code: "NLD") { p2023: indicator(code: "POPULATION", year: 2023) p2024: indicator(code: "POPULATION", year: 2024)
                   aidReceived { currency amountUsd amountUsdQualifier annualAmountUsd annualAmountUsdQualifier
                                 perCapitaUsd perCapitaUsdQualifier } } }"#,
        )
        .await;
    let c = &data["country"];
    let (p2023, p2024) = (c["p2023"].as_f64().unwrap(), c["p2024"].as_f64().unwrap());
    let aid = c["aidReceived"].as_array().unwrap();
    let find = |currency: &str| aid.iter().find(|a| a["currency"] == currency).unwrap();
    // "At least" €1 million at an exact rate (WDI 2024: 0.923889546117607 EUR per US$).
    let eur = find("EUR");
    let usd = 1e6 / 0.923889546117607;
    figure(eur, "amountUsd", Some((usd, "AT_LEAST")));
    figure(eur, "annualAmountUsd", Some((usd, "AT_LEAST")));
    figure(eur, "perCapitaUsd", Some((usd / p2024, "AT_LEAST")));
    // No yen rate is bundled: no USD figures, so no qualifiers.
    let jpy = find("JPY");
    figure(jpy, "amountUsd", None);
    figure(jpy, "perCapitaUsd", None);
    // About US$500,000 over two years, per head of the 2023 population.
    let usd = find("USD");
    figure(usd, "amountUsd", Some((5e5, "APPROXIMATE")));
    figure(usd, "annualAmountUsd", Some((2.5e5, "APPROXIMATE")));
    figure(usd, "perCapitaUsd", Some((5e5 / p2023, "APPROXIMATE")));
}

on_both_backends!(
    the_rule_in_sql,
    trade_with,
    partners_and_concentration,
    by_commodity_growth_and_mirror,
    aid_in_usd
);
