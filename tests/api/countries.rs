//! `country`, `countries`, `organization`, memberships over time.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn country_by_either_code(app: TestApp) {
    let data = app
        .data(
            r#"{ a: country(code: "ARM") { iso3 iso2 numeric name officialName region subregion landlocked isAggregate }
                   b: country(code: "am") { iso3 }
                   w: country(code: "W00") { iso3 name isAggregate }
                   none: country(code: "XYZ") { iso3 } }"#,
        )
        .await;
    insta::assert_json_snapshot!("country_arm", data["a"]);
    assert_eq!(data["b"]["iso3"], "ARM");
    assert_eq!(
        data["w"],
        json!({ "iso3": "W00", "name": "World", "isAggregate": true })
    );
    assert_eq!(data["none"], Value::Null);
}

async fn countries_pages_and_regions(app: TestApp) {
    let all = app
        .data(r#"{ countries(first: 1000) { totalCount nodes { iso3 } } }"#)
        .await;
    assert_eq!(all["countries"]["totalCount"], 249);
    let codes: Vec<&str> = all["countries"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["iso3"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 249);
    assert!(!codes.contains(&"W00"), "W00 is not a country");
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "ordered by iso3");

    // Walk the pages with cursors: the same 249 countries, none twice.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .gql_vars(
                "query($after: String) { countries(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { iso3 } } } }",
                json!({ "after": after }),
            )
            .await;
        let c = &page["data"]["countries"];
        seen.extend(
            c["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["iso3"].as_str().unwrap().to_owned()),
        );
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, codes);

    let europe = app
        .data(r#"{ countries(region: "europe", first: 3) { totalCount nodes { iso3 region } } }"#)
        .await;
    assert_eq!(europe["countries"]["totalCount"], 52);
    assert!(
        europe["countries"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["region"] == "Europe")
    );
    assert_eq!(
        app.error_code(r#"{ countries(first: 1001) { totalCount } }"#).await,
        "TOO_COMPLEX"
    );
    assert_eq!(
        app.error_code(r#"{ countries(after: "nonsense") { totalCount } }"#)
            .await,
        "BAD_USER_INPUT"
    );
}

async fn eaeu_members_over_time(app: TestApp) {
    let members = |day: &'static str| {
        let app = &app;
        async move {
            let q = format!(
                r#"{{ organization(code: "eaeu") {{ code name members(asOf: "{day}") {{ country {{ iso3 }} status }} }} }}"#
            );
            let data = app.data(&q).await;
            let mut list: Vec<(String, String)> = data["organization"]["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["country"]["iso3"].as_str().unwrap().to_owned(),
                        m["status"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            list.sort();
            list
        }
    };
    let m = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        members("2020-01-01").await,
        m(&[
            ("ARM", "MEMBER"),
            ("BLR", "MEMBER"),
            ("KAZ", "MEMBER"),
            ("KGZ", "MEMBER"),
            ("MDA", "OBSERVER"),
            ("RUS", "MEMBER")
        ])
    );
    // Armenia joined on 2015-01-02, Kyrgyzstan on 2015-08-12.
    assert_eq!(
        members("2015-01-01").await,
        m(&[("BLR", "MEMBER"), ("KAZ", "MEMBER"), ("RUS", "MEMBER")])
    );
    assert_eq!(members("2014-12-31").await, m(&[]));
    let everything = app
        .data(r#"{ organization(code: "EAEU") { members { status } } }"#)
        .await;
    assert_eq!(everything["organization"]["members"].as_array().unwrap().len(), 8);
    assert_eq!(
        app.data(r#"{ organization(code: "NATO") { code } }"#).await["organization"],
        Value::Null
    );
}

async fn csto_history_of_armenia(app: TestApp) {
    let data = app
        .data(r#"{ country(code: "ARM") { memberships { organization { code name } status since until source { title } } } }"#)
        .await;
    let csto: Vec<&Value> = data["country"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["organization"]["code"] == "CSTO")
        .collect();
    insta::assert_json_snapshot!("arm_csto_history", csto);
}

async fn organizations_listed(app: TestApp) {
    let data = app.data(r#"{ organizations { code } }"#).await;
    let codes: Vec<&str> = data["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    for code in ["3+3", "CIS", "CSTO", "EAEU", "EU", "UN"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let eu = app
        .data(r#"{ organization(code: "EU") { members(asOf: "2024-08-23") { country { iso3 } status } } }"#)
        .await;
    let members = eu["organization"]["members"].as_array().unwrap();
    assert_eq!(members.iter().filter(|m| m["status"] == "MEMBER").count(), 27);
    assert!(
        members
            .iter()
            .any(|m| m["country"]["iso3"] == "MDA" && m["status"] == "CANDIDATE")
    );
}

on_both_backends!(
    country_by_either_code,
    countries_pages_and_regions,
    eaeu_members_over_time,
    csto_history_of_armenia,
    organizations_listed
);

async fn commodities_and_sources(app: TestApp) {
    let data = app
        .data(
            r#"{ xvi: commodity(code: "xvi") { code kind name parent { code } children { code } source { publisher } }
                   c84: commodity(code: "84") { kind parent { code } }
                   none: commodity(code: "9999") { code }
                   sections: commodities(kind: SECTION) { code }
                   chapters: commodities(kind: CHAPTER) { code }
                   underTen: commodities(parent: "19") { code }
                   sources { key } }"#,
        )
        .await;
    assert_eq!(data["xvi"]["kind"], "SECTION");
    assert_eq!(data["xvi"]["parent"]["code"], "TOTAL");
    assert_eq!(data["xvi"]["children"], json!([{ "code": "84" }, { "code": "85" }]));
    assert_eq!(data["xvi"]["source"]["publisher"], "World Customs Organization");
    assert_eq!(data["c84"], json!({ "kind": "CHAPTER", "parent": { "code": "XVI" } }));
    assert_eq!(data["none"], Value::Null);
    assert_eq!(data["sections"].as_array().unwrap().len(), 21);
    assert_eq!(data["chapters"].as_array().unwrap().len(), 97);
    assert_eq!(
        data["underTen"],
        json!([{ "code": "1902" }, { "code": "1904" }, { "code": "1905" }])
    );
    assert!(
        data["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["key"] == "rb-russia-armenia-2024")
    );
}

on_both_backends!(commodities_and_sources);
