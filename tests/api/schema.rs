//! The committed `schema.graphql` is the schema the binary prints.

#[test]
fn committed_schema_is_current() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).expect("schema.graphql");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .arg("schema")
        .output()
        .expect("run tradegraph schema");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(printed, tradegraph::sdl());
    assert!(
        committed == printed,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn contract_names_are_present() {
    let sdl = tradegraph::sdl();
    for needle in [
        "country(",
        "code: String!\n\t): Country\n",
        "countries(",
        "organization(",
        "): Organization\n",
        "tradeFlows(",
        "enum TradeFlowKind",
        "enum Qualifier",
        "enum Sector",
        "enum MembershipStatus",
        "scalar Date",
        "memberships(",
        "indicator(",
        "importDependencies(",
        "aidReceived(",
        "members(",
        "totalCount:",
        "endCursor:",
        "amountUsd: Float",
        "annualAmountUsd: Float",
        "perCapitaUsd: Float",
    ] {
        assert!(sdl.contains(needle), "SDL lacks {needle:?}");
    }
}
