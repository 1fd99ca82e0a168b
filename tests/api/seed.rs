//! Every figure of `shared/seed/russia-armenia-2024.txt`, asked through the API, with its
//! qualifier and source (the checklist is `data/SEED.md`).

use serde_json::Value;

use crate::helpers::{TestApp, assert_close};
use crate::on_both_backends;

const DOC: &str = "Russia – Armenia 2024 Bilateral Relations: Update";

fn flow<'a>(nodes: &'a Value, year: i64, commodity: &str, flow: &str) -> &'a Value {
    nodes
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["year"] == year && n["commodity"] == commodity && n["flow"] == flow)
        .unwrap_or_else(|| panic!("no {flow} {commodity} flow for {year} in {nodes}"))
}

async fn bilateral_trade_with_russia(app: TestApp) {
    let data = app
        .data(
            r#"{ tradeFlows(reporter: "ARM", partner: "RUS", fromYear: 2021, toYear: 2023, commodity: "TOTAL") {
                   totalCount nodes { year commodity flow valueUsd qualifier source { title publisher } } } }"#,
        )
        .await;
    let nodes = &data["tradeFlows"]["nodes"];
    // The document gives exports for two years and imports for one; the 2022 total has no
    // split (SEED.md rows 1–5).
    assert_eq!(data["tradeFlows"]["totalCount"], 3);

    // "Armenian exports have grown from about US$850 million to US$4 billion": "about"
    // qualifies the first figure only.
    let x2021 = flow(nodes, 2021, "TOTAL", "EXPORT");
    assert_close(&x2021["valueUsd"], 850e6);
    assert_eq!(x2021["qualifier"], "APPROXIMATE");
    assert_eq!(x2021["source"]["title"], DOC);
    let x2023 = flow(nodes, 2023, "TOTAL", "EXPORT");
    assert_close(&x2023["valueUsd"], 4e9);
    assert_eq!(x2023["qualifier"], "EXACT");
    assert_eq!(x2023["source"]["title"], DOC);

    // "Armenia's imports from Russia grew to reach over US$3 billion"
    let m2023 = flow(nodes, 2023, "TOTAL", "IMPORT");
    assert_close(&m2023["valueUsd"], 3e9);
    assert_eq!(m2023["qualifier"], "AT_LEAST");
    assert_eq!(m2023["source"]["title"], DOC);

    // "trade ... reached a record figure of over US$7 billion, up from US$5.3 billion in
    // 2022": both totals are stored as the document states them.
    let totals = app
        .data(
            r#"{ country(code: "ARM") { statedTradeTotals(partner: "RUS") {
                   reporter { iso3 } partner { iso3 } year commodity valueUsd qualifier source { title } } } }"#,
        )
        .await;
    let totals = totals["country"]["statedTradeTotals"].as_array().unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(
        (
            &totals[0]["year"],
            &totals[0]["qualifier"],
            &totals[0]["partner"]["iso3"]
        ),
        (&2022.into(), &"EXACT".into(), &"RUS".into())
    );
    assert_close(&totals[0]["valueUsd"], 5.3e9);
    assert_eq!(totals[0]["source"]["title"], DOC);
    assert_eq!(
        (&totals[1]["year"], &totals[1]["qualifier"]),
        (&2023.into(), &"AT_LEAST".into())
    );
    assert_close(&totals[1]["valueUsd"], 7e9);
}

/// `tradeWith` Armenia–Russia: the document's totals with their qualifiers, and the shares of
/// Armenia's world trade (WDI merchandise totals: exports 3,023 / 8,552 and imports 12,758
/// million US$ in 2021 / 2023).
async fn trade_with_russia_keeps_the_qualifiers(app: TestApp) {
    let data = app
        .data(
            r#"{ country(code: "ARM") { tradeWith(partner: "RUS") { year
                   exportsUsd exportsUsdQualifier importsUsd importsUsdQualifier
                   totalTradeUsd totalTradeUsdQualifier totalTradeStated balanceUsd balanceUsdQualifier
                   totalTradeGrowth totalTradeGrowthQualifier exportShare exportShareQualifier
                   importShare importShareQualifier } } }"#,
        )
        .await;
    let rows = data["country"]["tradeWith"].as_array().unwrap();
    let years: Vec<&Value> = rows.iter().map(|r| &r["year"]).collect();
    assert_eq!(years, [2021, 2022, 2023]);

    // 2021: only "about US$850 million" of exports.
    let r = &rows[0];
    assert_close(&r["exportsUsd"], 850e6);
    assert_eq!(r["exportsUsdQualifier"], "APPROXIMATE");
    for field in [
        "importsUsd",
        "totalTradeUsd",
        "balanceUsd",
        "totalTradeGrowth",
        "importShare",
    ] {
        assert_eq!(r[field], Value::Null, "2021 {field}");
        assert_eq!(r[format!("{field}Qualifier")], Value::Null, "2021 {field}");
    }
    assert_close(&r["exportShare"], 850e6 / 3_023e6);
    assert_eq!(r["exportShareQualifier"], "APPROXIMATE");

    // 2022: the stated total, as stated; no split is made up.
    let r = &rows[1];
    assert_eq!((&r["exportsUsd"], &r["importsUsd"]), (&Value::Null, &Value::Null));
    assert_close(&r["totalTradeUsd"], 5.3e9);
    assert_eq!(r["totalTradeUsdQualifier"], "EXACT");
    assert_eq!(r["totalTradeStated"], true);
    assert_eq!(r["balanceUsd"], Value::Null);
    assert_eq!(r["totalTradeGrowth"], Value::Null, "no 2021 total");

    // 2023: US$4 billion + over US$3 billion = at least US$7 billion.
    let r = &rows[2];
    assert_close(&r["totalTradeUsd"], 7e9);
    assert_eq!(r["totalTradeUsdQualifier"], "AT_LEAST");
    assert_eq!(r["totalTradeStated"], false);
    // Exports minus at least US$3 billion of imports: at most US$1 billion.
    assert_close(&r["balanceUsd"], 1e9);
    assert_eq!(r["balanceUsdQualifier"], "AT_MOST");
    // At least 7 over exactly 5.3: growth of at least 32%.
    assert_close(&r["totalTradeGrowth"], 7e9 / 5.3e9 - 1.0);
    assert_eq!(r["totalTradeGrowthQualifier"], "AT_LEAST");
    assert_close(&r["exportShare"], 4e9 / 8_552e6);
    assert_eq!(r["exportShareQualifier"], "EXACT");
    assert_close(&r["importShare"], 3e9 / 12_758e6);
    assert_eq!(r["importShareQualifier"], "AT_LEAST");
}

async fn machinery_exports(app: TestApp) {
    // "the exports of mechanical and electronic equipment from Armenia increased from about
    // US$60 million in 2021 to US$1 billion in 2023" — HS section XVI, to the World.
    let data = app
        .data(r#"{ tradeFlows(reporter: "am", partner: "W00", commodity: "XVI", flow: EXPORT) {
                     nodes { year commodity commodityName flow valueUsd qualifier partner { iso3 name } source { title } } } }"#)
        .await;
    let nodes = &data["tradeFlows"]["nodes"];
    assert_eq!(nodes.as_array().unwrap().len(), 2);
    let y2021 = flow(nodes, 2021, "XVI", "EXPORT");
    assert_close(&y2021["valueUsd"], 60e6);
    assert_eq!(y2021["qualifier"], "APPROXIMATE");
    assert_eq!(y2021["partner"]["name"], "World");
    assert!(
        y2021["commodityName"]
            .as_str()
            .unwrap()
            .starts_with("Machinery and mechanical appliances")
    );
    let y2023 = flow(nodes, 2023, "XVI", "EXPORT");
    assert_close(&y2023["valueUsd"], 1e9);
    assert_eq!(y2023["qualifier"], "EXACT", "'about' qualifies the US$60 million only");
    assert_eq!(y2023["source"]["title"], DOC);
}

async fn partner_shares(app: TestApp) {
    // "According to Trend Economy, Russia accounts for 40% of all Armenian exports and 32% of
    // all its imports. ... the EU accounts for just over 6% of all Armenian exports ... the EU
    // holds a 9% share of Armenian total imports and the United States about 5%."
    let data = app
        .data(r#"{ country(code: "ARM") { statedPartnerShares { partnerCode partnerName partnerCountry { iso3 } year flow share qualifier source { publisher } } } }"#)
        .await;
    let shares = data["country"]["statedPartnerShares"].as_array().unwrap().clone();
    let find = |partner: &str, flow: &str| {
        shares
            .iter()
            .find(|s| s["partnerCode"] == partner && s["flow"] == flow)
            .unwrap_or_else(|| panic!("no {partner} {flow} share"))
            .clone()
    };
    for (partner, flow, share, qualifier) in [
        ("RUS", "EXPORT", 0.40, "EXACT"),
        ("RUS", "IMPORT", 0.32, "EXACT"),
        ("EU", "EXPORT", 0.06, "AT_LEAST"),
        ("EU", "IMPORT", 0.09, "EXACT"),
        ("USA", "IMPORT", 0.05, "APPROXIMATE"),
    ] {
        let s = find(partner, flow);
        assert_close(&s["share"], share);
        assert_eq!(s["qualifier"], qualifier, "{partner} {flow}");
        assert!(
            s["source"]["publisher"].as_str().unwrap().contains("TrendEconomy")
                || s["source"]["publisher"].as_str().unwrap().contains("Trend Economy"),
            "{s}"
        );
        assert_eq!(s["year"], Value::Null, "the document gives no year");
    }
    assert_eq!(find("EU", "EXPORT")["partnerCountry"], Value::Null);
    assert_eq!(find("EU", "EXPORT")["partnerName"], "European Union");
    assert_eq!(find("RUS", "EXPORT")["partnerCountry"]["iso3"], "RUS");
}

async fn aid_to_armenia(app: TestApp) {
    // "the EU promised an additional €270 million over four years, and the United States
    // US$65 million" (2024-04-05); "In 2023 ... the United States provided US$87 million to
    // Armenia".
    let data = app
        .data(r#"{ country(code: "ARM") { aidReceived { donorCode donorName amount currency kind amountUsd annualAmountUsd perCapitaUsd
                     amountUsdQualifier annualAmountUsdQualifier perCapitaUsdQualifier
                     referenceYear announcedOn periodStartYear periodEndYear qualifier source { title } } } }"#)
        .await;
    let aid = data["country"]["aidReceived"].as_array().unwrap();
    assert_eq!(aid.len(), 3);
    let eu = aid.iter().find(|a| a["donorCode"] == "EU").unwrap();
    assert_eq!(eu["donorName"], "European Union");
    assert_close(&eu["amount"], 270e6);
    assert_eq!(eu["currency"], "EUR");
    assert_eq!(eu["kind"], "PLEDGE");
    assert_eq!(eu["announcedOn"], "2024-04-05");
    assert_eq!(
        (eu["periodStartYear"].clone(), eu["periodEndYear"].clone()),
        (2024.into(), 2027.into())
    );
    // WDI: 0.923889546117607 EUR per US$ in 2024 (the ECB's yearly mean); ARM population
    // 2024: 3,033,500 (2023: 2,964,300).
    let usd = 270e6 / 0.923889546117607;
    assert_close(&eu["amountUsd"], usd);
    assert_close(&eu["annualAmountUsd"], usd / 4.0);
    assert_close(&eu["perCapitaUsd"], usd / 3_033_500.0);
    for field in [
        "amountUsdQualifier",
        "annualAmountUsdQualifier",
        "perCapitaUsdQualifier",
    ] {
        assert_eq!(eu[field], "EXACT", "{field}");
    }
    assert_eq!(eu["source"]["title"], DOC);

    let us2024 = aid
        .iter()
        .find(|a| a["donorCode"] == "USA" && a["referenceYear"] == 2024)
        .unwrap();
    assert_close(&us2024["amountUsd"], 65e6);
    assert_close(&us2024["annualAmountUsd"], 65e6);
    assert_eq!(us2024["announcedOn"], "2024-04-05");
    assert_close(&us2024["perCapitaUsd"], 65e6 / 3_033_500.0);

    let us2023 = aid
        .iter()
        .find(|a| a["donorCode"] == "USA" && a["referenceYear"] == 2023)
        .unwrap();
    assert_close(&us2023["amountUsd"], 87e6);
    assert_eq!(us2023["kind"], "DISBURSEMENT");
    assert_close(&us2023["perCapitaUsd"], 87e6 / 2_964_300.0);

    // Year filters: only the 2023 disbursement overlaps 2023.
    let only2023 = app
        .data(r#"{ country(code: "ARM") { aidReceived(fromYear: 2023, toYear: 2023) { amountUsd } } }"#)
        .await;
    assert_eq!(only2023["country"]["aidReceived"].as_array().unwrap().len(), 1);
    assert_close(&only2023["country"]["aidReceived"][0]["amountUsd"], 87e6);
}

async fn us_aid_2023_to_neighbours(app: TestApp) {
    // "the United States provided US$87 million to Armenia, US$135 million to Georgia,
    // US$265 million to Moldova, and a massive US$17 billion to Ukraine."
    let data = app
        .data(
            r#"{ arm: country(code: "ARM") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd source { title } } }
                 geo: country(code: "GEO") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd source { title } } }
                 mda: country(code: "MDA") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd source { title } } }
                 ukr: country(code: "UKR") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd source { title } } } }"#,
        )
        .await;
    for (key, usd) in [("arm", 87e6), ("geo", 135e6), ("mda", 265e6), ("ukr", 17e9)] {
        let rows = data[key]["aidReceived"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{key}");
        assert_eq!(rows[0]["donorCode"], "USA");
        assert_close(&rows[0]["amountUsd"], usd);
        assert_eq!(rows[0]["source"]["title"], DOC);
    }
}

async fn food_and_energy_dependencies(app: TestApp) {
    let data = app
        .data(r#"{ country(code: "ARM") { importDependencies { supplier { iso3 } sector product year share basis qualifier source { publisher title } } } }"#)
        .await;
    let deps = data["country"]["importDependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 7);
    let find = |needle: &str| {
        deps.iter()
            .find(|d| d["product"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no {needle}"))
    };
    for (needle, sector, share, qualifier, publisher) in [
        ("Wheat", "FOOD", 0.98, "EXACT", "World Bank"),
        ("Agrifood", "FOOD", 0.35, "AT_MOST", "World Bank"),
        ("Poultry", "FOOD", 0.39, "EXACT", "World Bank"),
        ("Bread", "FOOD", 0.50, "AT_LEAST", "World Bank"),
        ("Fertili", "AGRICULTURAL_INPUTS", 0.38, "EXACT", "World Bank"),
        ("gas", "ENERGY", 0.85, "EXACT", "International Energy Agency"),
        ("Electricity", "ENERGY", 0.70, "AT_MOST", "International Energy Agency"),
    ] {
        let d = find(needle);
        assert_eq!(d["supplier"]["iso3"], "RUS");
        assert_eq!(d["sector"], sector, "{needle}");
        assert_close(&d["share"], share);
        assert_eq!(d["qualifier"], qualifier, "{needle}");
        assert!(d["source"]["publisher"].as_str().unwrap().contains(publisher), "{d}");
    }
    assert_eq!(find("gas")["basis"], "OF_SUPPLY");
    // The World Bank quote dates wheat, agrifood and poultry (2021); the other figures have no
    // year in the document, so none is stored.
    for (needle, year) in [
        ("Wheat", Value::from(2021)),
        ("Agrifood", 2021.into()),
        ("Poultry", 2021.into()),
        ("Bread", Value::Null),
        ("Fertili", Value::Null),
        ("gas", Value::Null),
        ("Electricity", Value::Null),
    ] {
        assert_eq!(find(needle)["year"], year, "{needle}");
    }
    // Filters.
    let energy = app
        .data(r#"{ country(code: "ARM") { importDependencies(sector: ENERGY) { product } } }"#)
        .await;
    assert_eq!(energy["country"]["importDependencies"].as_array().unwrap().len(), 2);
    let none = app
        .data(r#"{ country(code: "ARM") { importDependencies(year: 1999) { product } } }"#)
        .await;
    assert_eq!(none["country"]["importDependencies"], serde_json::json!([]));
}

async fn remittances(app: TestApp) {
    // "overseas remittances (US$5.7 billion in 2023)"
    let data = app
        .data(
            r#"{ country(code: "ARM") { indicator(code: "REMITTANCES_USD", year: 2023)
                   indicatorValue(code: "remittances_usd", year: 2023) { value qualifier source { title } }
                   missing: indicator(code: "REMITTANCES_USD", year: 1990) } }"#,
        )
        .await;
    assert_close(&data["country"]["indicator"], 5.7e9);
    assert_close(&data["country"]["indicatorValue"]["value"], 5.7e9);
    assert_eq!(data["country"]["indicatorValue"]["source"]["title"], DOC);
    assert_eq!(data["country"]["missing"], Value::Null);
}

async fn memberships_named_in_the_document(app: TestApp) {
    // Armenia and Azerbaijan "both members of the CIS"; Armenia "along with Russia, a member
    // of the EAEU"; Armenia "declined to participate in the CSTO" (frozen February 2024);
    // the regional "3+3" platform.
    let q = |code: &str, day: &str| {
        format!(
            r#"{{ country(code: "{code}") {{ memberships(asOf: "{day}") {{ organization {{ code }} status since until source {{ title }} }} }} }}"#
        )
    };
    let status_of = |data: &Value, org: &str| {
        data["country"]["memberships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["organization"]["code"] == org)
            .map(|m| m["status"].as_str().unwrap().to_owned())
    };
    let arm_2024 = app.data(&q("ARM", "2024-08-23")).await;
    assert_eq!(status_of(&arm_2024, "CIS").as_deref(), Some("MEMBER"));
    assert_eq!(status_of(&arm_2024, "EAEU").as_deref(), Some("MEMBER"));
    assert_eq!(status_of(&arm_2024, "CSTO").as_deref(), Some("SUSPENDED"));
    assert_eq!(status_of(&arm_2024, "3+3").as_deref(), Some("MEMBER"));
    assert_eq!(status_of(&arm_2024, "EU"), None);
    let arm_2023 = app.data(&q("ARM", "2023-06-01")).await;
    assert_eq!(status_of(&arm_2023, "CSTO").as_deref(), Some("MEMBER"));
    let aze = app.data(&q("AZE", "2024-08-23")).await;
    assert_eq!(status_of(&aze, "CIS").as_deref(), Some("MEMBER"));
    let rus = app.data(&q("RUS", "2024-08-23")).await;
    assert_eq!(status_of(&rus, "EAEU").as_deref(), Some("MEMBER"));
    assert_eq!(status_of(&rus, "3+3").as_deref(), Some("MEMBER"));
    // "Landlocked Armenia"
    let arm = app.data(r#"{ country(code: "ARM") { landlocked } }"#).await;
    assert_eq!(arm["country"]["landlocked"], true);
}

on_both_backends!(
    bilateral_trade_with_russia,
    trade_with_russia_keeps_the_qualifiers,
    machinery_exports,
    partner_shares,
    aid_to_armenia,
    us_aid_2023_to_neighbours,
    food_and_energy_dependencies,
    remittances,
    memberships_named_in_the_document,
);
