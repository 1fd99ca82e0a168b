//! Query power (issue 10.2): `tradeFlows` list filters, `orderBy` with keyset cursors under
//! each order, `tradeWith` over every year of a range, indicator time series, rankings over
//! a range of years, exchange rates, `Commodity.kind`, and `countries` by membership.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::trade_flows::add_exports;

const PARTNERS: [&str; 20] = [
    "AFG", "ALB", "DZA", "AND", "AGO", "ARG", "AUS", "AUT", "AZE", "BHR", "BGD", "BLR", "BEL", "BEN", "BTN", "BOL",
    "BRA", "BGR", "CAN", "CHL",
];

/// 20 exports over 1990–1992 with many equal values (five distinct), in id order.
fn rows() -> Vec<(&'static str, i32, f64)> {
    PARTNERS
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, 1990 + (i % 3) as i32, 100.0 * ((i * 7) % 5 + 1) as f64))
        .collect()
}

/// The partners of the rows sorted by `key` (value or year), ties by id, as `orderBy` lists them.
fn expected(key: impl Fn(&(&str, i32, f64)) -> f64, descending: bool) -> Vec<String> {
    let mut indexed: Vec<(usize, (&str, i32, f64))> = rows().into_iter().enumerate().collect();
    indexed.sort_by(|a, b| {
        let order = key(&a.1).total_cmp(&key(&b.1)).then(a.0.cmp(&b.0));
        if descending { order.reverse() } else { order }
    });
    indexed.into_iter().map(|(_, r)| r.0.to_owned()).collect()
}

/// Every flow of the rows, paged 3 at a time in `order`, forwards (`first`/`after`) or
/// backwards (`last`/`before`); the partners in list order.
async fn walk(app: &TestApp, order: &str, forwards: bool) -> Vec<String> {
    let query = format!(
        r#"query($cursor: String) {{ tradeFlows(reporter: "ARM", fromYear: 1990, toYear: 1992, orderBy: {order},
             {}: 3, {}: $cursor) {{ pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
             nodes {{ partner {{ iso3 }} }} }} }}"#,
        if forwards { "first" } else { "last" },
        if forwards { "after" } else { "before" },
    );
    let mut partners: Vec<String> = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let answer = app.gql_vars(&query, json!({ "cursor": cursor })).await;
        assert!(answer.get("errors").is_none(), "{answer}");
        let page = &answer["data"]["tradeFlows"];
        let mut names: Vec<String> = page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["partner"]["iso3"].as_str().unwrap().to_owned())
            .collect();
        let info = &page["pageInfo"];
        if forwards {
            partners.append(&mut names);
            if info["hasNextPage"] != true {
                return partners;
            }
            cursor = info["endCursor"].clone();
        } else {
            names.append(&mut partners);
            partners = names;
            if info["hasPreviousPage"] != true {
                return partners;
            }
            cursor = info["startCursor"].clone();
        }
    }
}

async fn order_by_pages_under_each_order(app: TestApp) {
    add_exports(&app, &rows()).await;
    let value = |r: &(&str, i32, f64)| r.2;
    let year = |r: &(&str, i32, f64)| f64::from(r.1);
    let id_order: Vec<String> = PARTNERS.iter().map(|p| (*p).to_owned()).collect();
    for (order, want) in [
        ("ID", id_order),
        ("VALUE_DESC", expected(value, true)),
        ("VALUE_ASC", expected(value, false)),
        ("YEAR_DESC", expected(year, true)),
        ("YEAR_ASC", expected(year, false)),
    ] {
        assert_eq!(walk(&app, order, true).await, want, "{order}, first/after");
        assert_eq!(walk(&app, order, false).await, want, "{order}, last/before");
    }
    // The largest flows, asked for directly: one statement, ties broken by the latest id.
    app.take_statement_count();
    let top = app
        .data(r#"{ tradeFlows(reporter: "ARM", fromYear: 1990, toYear: 1992, orderBy: VALUE_DESC, first: 2) { nodes { valueUsd partner { iso3 } } } }"#)
        .await;
    assert_eq!(app.take_statement_count(), 1);
    let max = rows().iter().map(|r| r.2).fold(0.0, f64::max);
    assert_eq!(top["tradeFlows"]["nodes"][0]["valueUsd"], max);
    assert_eq!(
        top["tradeFlows"]["nodes"][0]["partner"]["iso3"],
        expected(value, true)[0]
    );

    // A cursor belongs to the order it was made in.
    let by_value = app
        .data(r#"{ tradeFlows(reporter: "ARM", orderBy: VALUE_DESC, first: 1) { pageInfo { endCursor } } }"#)
        .await;
    let cursor = by_value["tradeFlows"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for order in ["YEAR_ASC", "ID"] {
        let answer = app
            .gql_vars(
                &format!(r#"query($c: String) {{ tradeFlows(orderBy: {order}, after: $c) {{ totalCount }} }}"#),
                json!({ "c": cursor }),
            )
            .await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{order}: {answer}"
        );
    }
}

async fn list_filters(app: TestApp) {
    add_exports(&app, &rows()).await;
    let count = |args: &str| {
        let app = &app;
        let q = format!("{{ tradeFlows({args}) {{ totalCount }} }}");
        async move { app.data(&q).await["tradeFlows"]["totalCount"].as_u64().unwrap() }
    };
    // A list filter is the union of its single filters.
    let rus = count(r#"partner: "RUS""#).await;
    let world = count(r#"partner: "W00""#).await;
    let afg = count(r#"partner: "AFG""#).await;
    assert!(rus > 0 && world > 0 && afg == 1);
    assert_eq!(count(r#"partners: ["RUS", "w00", "AF"]"#).await, rus + world + afg);
    let arm = count(r#"reporter: "ARM""#).await;
    assert_eq!(count(r#"reporters: ["ARM", "USA"]"#).await, arm);
    assert_eq!(count(r#"reporters: []"#).await, 0);
    let years: Vec<u64> = [
        count(r#"reporter: "ARM", year: 1990"#).await,
        count(r#"reporter: "ARM", year: 1992"#).await,
    ]
    .to_vec();
    assert_eq!(years, vec![7, 6]); // rows 0, 3, …, 18 and 2, 5, …, 17
    assert_eq!(count(r#"reporter: "ARM", years: [1990, 1992]"#).await, 13);
    assert_eq!(
        count(r#"reporter: "ARM", partners: ["AFG", "ALB", "W00"], year: 1990"#).await,
        1
    );
    let exports = count(r#"reporter: "ARM", flow: EXPORT"#).await;
    let imports = count(r#"reporter: "ARM", flow: IMPORT"#).await;
    assert_eq!(
        count(r#"reporter: "ARM", flows: [EXPORT, IMPORT]"#).await,
        exports + imports
    );
    // minValueUsd: the rows of at least 400 (values 400 and 500: i*7 % 5 in {3, 4}).
    let big = rows().iter().filter(|r| r.2 >= 400.0).count() as u64;
    assert_eq!(big, 8);
    assert_eq!(
        count(r#"reporter: "ARM", fromYear: 1990, toYear: 1992, minValueUsd: 400"#).await,
        big
    );
    // commodityLevel: the bundled XVI (a section) and TOTAL flows are not chapters.
    let chapters = count(r#"commodityLevel: 2"#).await;
    let all_commodities = count(r#"commodities: ["TOTAL", "XVI"]"#).await;
    assert_eq!(chapters + all_commodities, count("first: 1").await);

    // A single filter and its list form together, an unknown code in a list, a bad level,
    // more values than a page: refused.
    for (args, code) in [
        (r#"reporter: "ARM", reporters: ["RUS"]"#, "BAD_USER_INPUT"),
        (r#"reporters: ["ARM", "XXX"]"#, "BAD_USER_INPUT"),
        (r#"commodityLevel: 3"#, "BAD_USER_INPUT"),
    ] {
        assert_eq!(
            app.error_code(&format!("{{ tradeFlows({args}) {{ totalCount }} }}"))
                .await,
            code,
            "{args}"
        );
    }
    let many: Vec<i32> = (0..1001).collect();
    let answer = app
        .gql_vars(
            r#"query($y: [Int!]) { tradeFlows(years: $y) { totalCount } }"#,
            json!({ "y": many }),
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "TOO_COMPLEX", "{answer}");
}

async fn trade_with_answers_every_year(app: TestApp) {
    let data = app
        .data(
            r#"{ country(code: "ARM") { tradeWith(partner: "RUS", fromYear: 2019, toYear: 2023) {
                 year exportsUsd importsUsd totalTradeUsd } } }"#,
        )
        .await;
    let rows = data["country"]["tradeWith"].as_array().unwrap();
    let years: Vec<i64> = rows.iter().map(|r| r["year"].as_i64().unwrap()).collect();
    assert_eq!(years, vec![2019, 2020, 2021, 2022, 2023]);
    // The bundled data has no 2019 or 2020 figures with Russia: all nulls.
    for r in &rows[..2] {
        assert_eq!(r["exportsUsd"], Value::Null);
        assert_eq!(r["totalTradeUsd"], Value::Null);
    }
    assert!(rows[4]["exportsUsd"].is_number());
    assert_eq!(
        app.error_code(
            r#"{ country(code: "ARM") { tradeWith(partner: "RUS", fromYear: 1000, toYear: 2023) { year } } }"#
        )
        .await,
        "TOO_COMPLEX"
    );
}

async fn indicator_series_and_rankings_per_year(app: TestApp) {
    // The series equal the single-year lookups, and cost one statement for many countries.
    let single = app
        .data(
            r#"{ country(code: "ARM") { p2020: indicator(code: "POPULATION", year: 2020)
                 p2021: indicator(code: "POPULATION", year: 2021) g2020: indicator(code: "GDP_USD", year: 2020)
                 g2021: indicator(code: "GDP_USD", year: 2021) } }"#,
        )
        .await;
    let single = &single["country"];
    assert!(
        ["p2020", "p2021", "g2020", "g2021"]
            .iter()
            .all(|k| single[k].is_number())
    );
    app.take_statement_count();
    let data = app
        .data(
            r#"{ countries(subregion: "Western Asia") { nodes { iso3
                 indicators(codes: ["population", "GDP_USD"], fromYear: 2020, toYear: 2021) { code values { year value } } } } }"#,
        )
        .await;
    // One batch for the series of every country (the page of countries comes from the
    // reference snapshot): batches are made per execution level, not by time, so the count
    // is exact however loaded the machine.
    assert_eq!(app.take_statement_count(), 1, "statements for every country's series");
    let nodes = data["countries"]["nodes"].as_array().unwrap();
    assert!(nodes.len() > 10);
    let arm = nodes.iter().find(|n| n["iso3"] == "ARM").unwrap();
    assert_eq!(
        arm["indicators"],
        json!([
            { "code": "POPULATION", "values": [
                { "year": 2020, "value": single["p2020"] }, { "year": 2021, "value": single["p2021"] } ] },
            { "code": "GDP_USD", "values": [
                { "year": 2020, "value": single["g2020"] }, { "year": 2021, "value": single["g2021"] } ] },
        ])
    );

    // One ranking per year over a range, in one statement, equal to the single-year rankings.
    let exports: Vec<(&str, i32, f64)> = rows().into_iter().map(|(p, y, v)| (p, y + 31, v)).collect();
    add_exports(&app, &exports).await;
    let one_year = |y: i32| {
        let app = &app;
        async move {
            app.data(&format!(
                r#"{{ country(code: "ARM") {{ topPartners(year: {y}, flow: EXPORT, limit: 3) {{ year rank partner {{ iso3 }} valueUsd share }} }} }}"#
            ))
            .await["country"]["topPartners"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let mut singles = one_year(2021).await;
    singles.extend(one_year(2022).await);
    singles.extend(one_year(2023).await);
    assert_eq!(singles.len(), 9);
    app.take_statement_count();
    let range = app
        .data(r#"{ country(code: "ARM") { topPartners(fromYear: 2021, toYear: 2023, flow: EXPORT, limit: 3) { year rank partner { iso3 } valueUsd share } } }"#)
        .await;
    assert_eq!(app.take_statement_count(), 1);
    assert_eq!(range["country"]["topPartners"].as_array().unwrap(), &singles);
    assert_eq!(
        app.error_code(r#"{ country(code: "ARM") { topPartners(year: 2022, fromYear: 2021, toYear: 2023, flow: EXPORT) { rank } } }"#)
            .await,
        "BAD_USER_INPUT"
    );
}

async fn rates_kinds_and_members(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let stored = entity::exchange_rate::Entity::find()
        .filter(entity::exchange_rate::Column::Currency.eq("EUR"))
        .filter(entity::exchange_rate::Column::Year.gte(2010))
        .count(&app.db)
        .await
        .unwrap();
    let data = app
        .data(r#"{ exchangeRates(currency: "eur", fromYear: 2010) { currency year usdPerUnit qualifier source { key } } }"#)
        .await;
    let rates = data["exchangeRates"].as_array().unwrap();
    assert_eq!(rates.len() as u64, stored);
    assert!(rates.windows(2).all(|w| w[0]["year"].as_i64() < w[1]["year"].as_i64()));
    assert!(
        rates
            .iter()
            .all(|r| r["currency"] == "EUR" && r["usdPerUnit"].as_f64().unwrap() > 0.5)
    );

    let kinds = app
        .data(r#"{ t: commodity(code: "TOTAL") { kind } c: commodity(code: "27") { kind } s: commodities(kind: SECTION) { kind } }"#)
        .await;
    assert_eq!(kinds["t"]["kind"], "TOTAL");
    assert_eq!(kinds["c"]["kind"], "CHAPTER");
    assert!(kinds["s"].as_array().unwrap().iter().all(|k| k["kind"] == "SECTION"));

    let members = |args: &str| {
        let app = &app;
        let q = format!("{{ countries({args}) {{ totalCount nodes {{ iso3 }} }} }}");
        async move {
            let d = app.data(&q).await;
            d["countries"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["iso3"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // data/memberships.csv: BLR, KAZ, RUS from 2015-01-01, ARM from 01-02, KGZ from 08-12.
    assert_eq!(
        members(r#"memberOf: "EAEU", asOf: "2015-01-01""#).await,
        ["BLR", "KAZ", "RUS"]
    );
    assert_eq!(
        members(r#"memberOf: "eaeu", asOf: "2024-06-01""#).await,
        ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    );
    assert_eq!(
        members(r#"memberOf: "EAEU", asOf: "2014-12-31""#).await,
        Vec::<String>::new()
    );
    let western_asia = members(r#"subregion: "western asia", first: 1000"#).await;
    assert!(western_asia.contains(&"ARM".to_owned()) && !western_asia.contains(&"RUS".to_owned()));
    assert_eq!(
        members(r#"memberOf: "EAEU", asOf: "2024-06-01", subregion: "Western Asia""#).await,
        ["ARM"]
    );
    assert_eq!(
        app.error_code(r#"{ countries(memberOf: "NOPE") { totalCount } }"#)
            .await,
        "BAD_USER_INPUT"
    );
}

on_both_backends!(
    order_by_pages_under_each_order,
    list_filters,
    trade_with_answers_every_year,
    indicator_series_and_rankings_per_year,
    rates_kinds_and_members,
);
