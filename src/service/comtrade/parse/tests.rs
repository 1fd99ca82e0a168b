//! The parser alone, without a database: formats, refusals and their line numbers.

use super::*;

fn refs() -> Refs {
    super::super::resolve::test_refs()
}

/// Parses `text`; the stored rows, and the parser's summary.
fn parse(text: &str) -> Result<(Vec<Row>, Parsed)> {
    let (tx, mut rx) = mpsc::channel(1000);
    let parsed =
        Parser::new(refs(), "f.csv".into(), 100, u64::MAX).run(std::io::Cursor::new(text.as_bytes().to_vec()), &tx)?;
    drop(tx);
    let mut rows = Vec::new();
    while let Ok(b) = rx.try_recv() {
        rows.extend(b.rows);
    }
    Ok((rows, parsed))
}

fn refusal(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

const TODAY: &str = "typeCode,freqCode,refYear,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,partner2Code,cmdCode,customsCode,motCode,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,primaryValue,isReported";

#[test]
fn totals_stored_breakdowns_skipped() {
    let text = format!(
        "{TODAY}\n\
         C,A,2015,842,,X,156,,0,TOTAL,C00,0,-1,N/A,0,false,11369627279,true\n\
         C,A,2015,842,,X,156,,4,TOTAL,C00,0,-1,N/A,0,false,1163,true\n\
         C,A,2015,842,,X,156,,0,TOTAL,C01,0,-1,N/A,0,false,77,true\n\
         C,A,2015,842,,X,156,,0,TOTAL,C00,1000,-1,N/A,0,false,88,true\n\
         C,A,2015,842,,DX,156,,0,TOTAL,C00,0,-1,N/A,0,false,99,true\n\
         C,A,2015,842,,FM,156,,0,TOTAL,C00,0,-1,N/A,0,false,98,true\n"
    );
    let (rows, parsed) = parse(&text).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].reporter, rows[0].partner),
        (2, 3),
        "by Comtrade code, ISO empty"
    );
    assert_eq!(rows[0].value, 11_369_627_279.0);
    assert_eq!(rows[0].quantity, None, "N/A is no quantity, not 0");
    assert_eq!(
        (parsed.rows, parsed.breakdown_skipped),
        (6, 5),
        "partner2, customs, transport, DX, FM"
    );
}

#[test]
fn qualifiers_from_estimation_flags() {
    let text = format!(
        "{TODAY}\n\
         C,A,2015,842,USA,X,156,CHN,0,01,C00,0,8,kg,5,true,10,true\n\
         C,A,2015,842,USA,M,156,CHN,0,01,C00,0,-1,N/A,,true,10,true\n\
         C,A,2015,842,USA,RX,156,CHN,0,01,C00,0,8,kg,5,false,10,false\n\
         C,A,2015,842,USA,RM,156,CHN,0,01,C00,0,8,kg,5,False,10,True\n"
    );
    let (rows, _) = parse(&text).unwrap();
    let q: Vec<_> = rows.iter().map(|r| r.qualifier).collect();
    assert_eq!(
        q,
        vec![
            Qualifier::Estimate,
            Qualifier::Exact,
            Qualifier::Estimate,
            Qualifier::Exact
        ],
        "estimated quantity stored; estimated quantity not stored; value not reported; all reported"
    );
    assert_eq!(rows[0].unit.as_deref(), Some("kg"));
    let legacy = "Classification,Year,Trade Flow Code,Trade Flow,Reporter Code,Reporter,Partner Code,Partner,Commodity Code,Commodity,Qty Unit,Qty,Trade Value (US$),Flag\n\
         H5,2017,1,Import,842,USA,156,China,1,Animals; live,Number of items,3,36327640,4\n\
         H5,2017,2,Export,842,USA,156,China,1,Animals; live,Number of items,3,16729257,2\n\
         H5,2017,3,Re-Export,842,USA,156,China,1,Animals; live,No Quantity,0,179614,6\n";
    let (rows, _) = parse(legacy).unwrap();
    let q: Vec<_> = rows
        .iter()
        .map(|r| (r.flow, r.commodity, r.quantity, r.qualifier))
        .collect();
    assert_eq!(
        q,
        vec![
            (FlowKind::Import, 13, Some(3.0), Qualifier::Exact),
            (FlowKind::Export, 13, Some(3.0), Qualifier::Estimate),
            (FlowKind::ReExport, 13, None, Qualifier::Exact),
        ]
    );
}

#[test]
fn refusals_name_the_physical_line_and_column() {
    let head = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n";
    let good = "2020,ARM,USA,X,TOTAL,5\n";
    for eol in ["\n", "\r\n"] {
        let text = format!("{head}{good}\n{good}2020,ARM,USA,X,TOTAL\n").replace('\n', eol);
        assert_eq!(
            refusal(&text),
            "f.csv line 5: line 5 has 5 fields; the header has 6",
            "{eol:?}"
        );
        // A truncated last line, without its line end.
        let text = format!("{head}{good}2020,ARM,USA,M,TO").replace('\n', eol);
        assert_eq!(refusal(&text), "f.csv line 3: line 3 has 5 fields; the header has 6");
        let text = format!("{head}{good}2020,ARM,USA,M,TOTAL,1.2.3{eol}").replace('\n', eol);
        assert_eq!(
            refusal(&text),
            "f.csv line 3, column primaryValue: \"1.2.3\" is not a number"
        );
    }
    for (bad, column) in [("NaN", "primaryValue"), ("inf", "primaryValue")] {
        let e = refusal(&format!("{head}{good}2020,ARM,USA,M,TOTAL,{bad}\n"));
        assert_eq!(e, format!("f.csv line 3, column {column}: {bad:?} is not a number"));
    }
    let e = refusal(&format!("{head}2020,AR\u{0}M,USA,M,TOTAL,5\n"));
    assert_eq!(
        e,
        "f.csv line 2, column reporterISO: the value contains a control character"
    );
    // An exact repeat is stored once; other figures for the same key name both lines.
    let (rows, parsed) = parse(&format!("{head}{good}{good}")).unwrap();
    assert_eq!((rows.len(), parsed.repeats_skipped), (1, 1));
    let e = refusal(&format!(
        "{head}{good}2020,ARM,USA,M,TOTAL,5\r\n2020,ARM,USA,X,TOTAL,1163\n"
    ));
    assert!(
        e.starts_with(
            "f.csv line 4: same reporter, partner, year, commodity and flow as line 2 but other figures \
                       (value 1163 and quantity none here, 5 and none on line 2)"
        ),
        "{e}"
    );
    // A column named twice; not HS; monthly.
    let e = refusal("refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,primaryValue\n");
    assert!(e.starts_with("f.csv line 1, column primaryValue: named twice"), "{e}");
    let e = refusal(
        "Classification,Year,Trade Flow Code,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\nS4,2010,1,842,156,00,5\n",
    );
    assert!(
        e.starts_with("f.csv line 2, column Classification: \"S4\" is not an HS classification"),
        "{e}"
    );
    let e = refusal(&format!("freqCode,{head}M,{good}"));
    assert!(e.starts_with("f.csv line 2, column freqCode: \"M\" is not A"), "{e}");
    let e = refusal(
        "Year,Period,Trade Flow Code,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n2017,201701,1,842,156,01,5\n",
    );
    assert!(
        e.starts_with("f.csv line 2, column Period: \"201701\" is not the year 2017"),
        "{e}"
    );
    let e = refusal(
        "Year,Trade Flow Code,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n2017,1,Export,842,156,01,5\n",
    );
    assert!(
        e.starts_with("f.csv line 2, column Trade Flow: \"Export\" contradicts the flow code \"1\""),
        "{e}"
    );
    let e = refusal(
        "Year,Trade Flow Code,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n2017,1,9999,156,01,5\n",
    );
    assert_eq!(
        e,
        "f.csv line 2, column Reporter Code: \"9999\" is not a UN Comtrade area code"
    );
}

#[test]
fn tab_separated_legacy_file() {
    let text = "Classification\tYear\tTrade Flow Code\tTrade Flow\tReporter Code\tReporter\tReporter ISO\tPartner Code\tPartner\tPartner ISO\tCommodity Code\tCommodity\tTrade Value (US$)\tFlag\n\
                H5\t2017\t0\tX\t51\tArmenia\tARM\t0\tWorld\tWLD\t84\tMachinery, boilers\t100\t0\n";
    let (rows, _) = parse(text).unwrap();
    assert_eq!(
        (
            rows[0].reporter,
            rows[0].partner,
            rows[0].flow,
            rows[0].commodity,
            rows[0].value
        ),
        (6, 1, FlowKind::Export, 11, 100.0)
    );
}
