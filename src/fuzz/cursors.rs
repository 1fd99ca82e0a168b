//! The cursor decoders of the three connections, Relay node ids, and the paging arguments:
//! any text, and base64url of forged `kind:key` texts (real prefixes, hostile keys).

use async_graphql::connection::CursorType;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use proptest::sample::select;

use super::fuzz;
use crate::graphql::MAX_PAGE_SIZE;
use crate::graphql::paging::paging;
use crate::graphql::types::{AuditCursor, CountryCursor, TradeFlowCursor};
use crate::service::flow_list::{FlowKey, FlowPosition};
use crate::service::nodes::{self, Kind};

/// The seed corpus: the prefixes real cursors and ids start with.
const PREFIXES: &[&str] = &[
    "flow:",
    "audit:",
    "country:",
    "Country:",
    "Organization:",
    "Commodity:",
    "Source:",
    "TradeFlow:",
    "AidPledge:",
    "Membership:",
    "ImportDependency:",
    "IndicatorValue:",
    "StatedPartnerShare:",
    "StatedTradeTotal:",
    "AuditEntry:",
    "",
    "flow",
    "Foo:",
    "tradeflow:",
];

/// Keys: numbers at and past the integer limits, codes, and hostile text.
const KEYS: &[&str] = &[
    "0",
    "1",
    "-1",
    "+5",
    "007",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "1e3",
    " 1",
    "ARM",
    "arm",
    "W00",
    "TOTAL",
    "wdi",
    "",
    ":",
    "::1",
    "\0",
    "A\0",
    "\u{202e}",
    "é",
    "𝔘",
    "'; DROP TABLE trade_flow; --",
];

/// A cursor or id: any text, or a forged one (base64url, with or without padding or spaces).
fn token() -> impl Strategy<Value = String> {
    let forged = (select(PREFIXES), select(KEYS), ".{0,8}", 0u8..4).prop_map(|(p, k, tail, style)| {
        let raw = format!("{p}{k}{tail}");
        let b64 = URL_SAFE_NO_PAD.encode(raw.as_bytes());
        match style {
            0 => b64,
            1 => format!("{b64}=="),
            2 => format!(" {b64}\n"),
            _ => base64::engine::general_purpose::STANDARD.encode(raw.as_bytes()),
        }
    });
    prop_oneof![4 => forged, 1 => "[A-Za-z0-9_=+/ -]{0,40}", 1 => ".{0,40}"]
}

#[test]
fn cursors_and_node_ids() {
    fuzz("cursors_and_node_ids", file!(), (token(), any::<i64>()), |(text, n)| {
        // Whatever decodes encodes back to a cursor that decodes to the same value.
        if let Ok(c) = TradeFlowCursor::decode_cursor(text) {
            let again = TradeFlowCursor::decode_cursor(&c.encode_cursor()).map(|c| c.0);
            prop_assert_eq!(again, Ok(c.0));
        }
        if let Ok(c) = AuditCursor::decode_cursor(text) {
            let again = AuditCursor::decode_cursor(&c.encode_cursor()).map(|c| c.0);
            prop_assert_eq!(again, Ok(c.0));
        }
        if let Ok(c) = CountryCursor::decode_cursor(text) {
            let again = CountryCursor::decode_cursor(&c.encode_cursor()).map(|c| c.0);
            prop_assert_eq!(again, Ok(c.0.clone()));
        }
        if let Some(id) = nodes::decode(text) {
            prop_assert!(!id.key.is_empty());
            prop_assert_eq!(id.row().is_some(), id.kind.keyed_by_row(), "{:?}", id);
            prop_assert_eq!(nodes::decode(&nodes::encode(id.kind, &id.key)), Some(id.clone()));
        }
        // Every row id round-trips, with each kind of sort key a flow list can be in.
        for key in [FlowKey::Id, FlowKey::Year(*n as i32), FlowKey::Value(*n as f64 / 7.0)] {
            let at = FlowPosition { key, id: *n };
            prop_assert_eq!(
                TradeFlowCursor::decode_cursor(&TradeFlowCursor(at).encode_cursor()).map(|c| c.0),
                Ok(at)
            );
        }
        prop_assert_eq!(
            AuditCursor::decode_cursor(&AuditCursor(*n).encode_cursor()).map(|c| c.0),
            Ok(*n)
        );
        prop_assert_eq!(
            nodes::decode(&nodes::encode(Kind::TradeFlow, n)).and_then(|id| id.row()),
            Some(*n)
        );
        Ok(())
    });
}

#[test]
fn paging_arguments() {
    let size = prop_oneof![Just(None), any::<i32>().prop_map(Some), (-2i32..1003).prop_map(Some)];
    let cursor = prop::option::of(prop_oneof![
        token(),
        any::<i64>().prop_map(|n| TradeFlowCursor(FlowPosition {
            key: FlowKey::Id,
            id: n
        })
        .encode_cursor())
    ]);
    let args = (size.clone(), cursor.clone(), size, cursor, 0usize..1003);
    fuzz(
        "paging_arguments",
        file!(),
        args,
        |(first, after, last, before, read)| {
            let page = paging::<TradeFlowCursor>(*first, after.clone(), *last, before.clone());
            let Ok(page) = page else {
                return Ok(());
            };
            prop_assert!(
                first.is_none() || last.is_none(),
                "first and last together were accepted"
            );
            prop_assert!(page.size <= MAX_PAGE_SIZE as usize);
            prop_assert_eq!(page.from_end, last.is_some());
            let window = page.window(|c| c.0);
            prop_assert_eq!(window.limit, page.size as u64 + 1);
            prop_assert_eq!(window.after.is_some(), after.is_some());
            prop_assert_eq!(window.before.is_some(), before.is_some());
            // Whatever the database answers (at most `limit` rows), the page holds at most `size`.
            let rows: Vec<usize> = (0..(*read).min(window.limit as usize)).collect();
            let (rows, _, _) = page.finish(rows);
            prop_assert!(rows.len() <= page.size);
            Ok(())
        },
    );
}
