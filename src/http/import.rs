//! `POST /import/comtrade`: a partner pushes a UN Comtrade-format CSV file (the request body,
//! `Content-Encoding: gzip` accepted, or a gzip body recognised by its magic number) with a
//! `write` key. The same code path as `tradegraph import comtrade FILE`: validated, all or
//! nothing (the audit entry included), upserts on the flow's key.
//!
//! The body is streamed to the parser (never held whole in memory) and capped at
//! `import_max_bytes`; the request runs under `import_timeout`, not the GraphQL timeout.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH};
use axum::response::{IntoResponse, Response};
use entity::enums::KeyScope;
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio_util::io::{StreamReader, SyncIoBridge};

use super::AppState;
use super::auth::admit;
use super::client::ClientAddr;
use super::middleware::request_id;
use crate::error::{Code, Refusal};
use crate::service::comtrade;

/// Query parameters of the import.
#[derive(Debug, Deserialize)]
pub struct ImportParams {
    /// Name of the upload (its `source` row and error messages say it): 1–100 of letters,
    /// digits, `.`, `_`, `-`; `request body` when omitted.
    name: Option<String>,
}

/// A reader that fails once more than `limit` bytes went through, and says so in `over`.
struct Capped<R> {
    inner: R,
    left: u64,
    over: Arc<AtomicBool>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.over.store(true, Ordering::SeqCst);
            return Err(std::io::Error::other("the request body is too large"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// A gzip decoder made on the first read: making one reads the gzip header, which must
/// happen on the parser's blocking thread, not in the handler.
struct Gunzip<R: Read> {
    pending: Option<R>,
    active: Option<flate2::read::MultiGzDecoder<R>>,
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(raw) = self.pending.take() {
            self.active = Some(flate2::read::MultiGzDecoder::new(raw));
        }
        match &mut self.active {
            Some(decoder) => decoder.read(buf),
            None => Ok(0),
        }
    }
}

/// `POST /import/comtrade[?name=FILE]`.
pub async fn comtrade_import(
    State(state): State<AppState>,
    addr: ClientAddr,
    Query(params): Query<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = request_id(&headers);
    let caller = match admit(&state, &headers, &addr, &id).await {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    let key = match caller.require(KeyScope::Write) {
        Ok(k) => k.clone(),
        Err(e) => return Refusal::from_error(&e, &id).into_response(),
    };
    let name = match params.name {
        None => "request body".to_owned(),
        Some(n)
            if !n.is_empty()
                && n.len() <= 100
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) =>
        {
            n
        }
        Some(_) => {
            return Refusal::new(
                Code::BadUserInput,
                "`name` is 1 to 100 of letters, digits, '.', '_', '-'",
                &id,
            )
            .into_response();
        }
    };
    let limit = state.settings.import_max_bytes;
    let announced = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return too_large(limit, &id);
    }
    let gzipped = match headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?")) {
        None | Some("identity") => false,
        Some("gzip") => true,
        Some(other) => {
            return Refusal::new(
                Code::UnsupportedMediaType,
                format!("Content-Encoding {other:?} is not supported (gzip is)"),
                &id,
            )
            .into_response();
        }
    };

    // Body stream → blocking reader (the parser runs on a blocking thread), capped.
    let over = Arc::new(AtomicBool::new(false));
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let raw = Capped {
        inner: SyncIoBridge::new(StreamReader::new(stream)),
        left: limit,
        over: over.clone(),
    };
    let reader: Box<dyn Read + Send> = if gzipped {
        // The cap applies to the compressed bytes; cap the inflated ones too.
        Box::new(Capped {
            inner: Gunzip {
                pending: Some(raw),
                active: None,
            },
            left: limit.saturating_mul(20),
            over: over.clone(),
        })
    } else {
        Box::new(raw)
    };

    let options = comtrade::ImportOptions {
        // The audit entry is written inside the import's transaction: all or nothing.
        audit_key: Some(&key.name),
        // A gzip body sent without `Content-Encoding` is inflated by the importer.
        inflated_limit: Some(limit.saturating_mul(20)),
        ..Default::default()
    };
    let result = comtrade::import_with(&state.import_db, reader, &name, options).await;
    if over.load(Ordering::SeqCst) {
        return too_large(limit, &id);
    }
    match result {
        Ok(report) => {
            // New commodities and the import's source row: refresh the cache.
            if let Err(e) = state.refs.refresh(&state.db).await {
                tracing::warn!(request_id = %id, error = %e, "could not refresh the reference cache");
            }
            Json(json!({
                "name": name,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
                "commoditiesAdded": report.commodities_added,
                "breakdownSkipped": report.breakdown_skipped,
                "repeatsSkipped": report.repeats_skipped,
            }))
            .into_response()
        }
        Err(e) => {
            let mut refusal = Refusal::from_error(&e, &id);
            // The importer's own size limits (rows, fields) are a body too large.
            if refusal.code == Code::TooComplex {
                refusal.code = Code::PayloadTooLarge;
            }
            refusal.into_response()
        }
    }
}

fn too_large(limit: u64, id: &str) -> Response {
    Refusal::new(
        Code::PayloadTooLarge,
        format!("the file is larger than {limit} bytes; load larger files with `tradegraph import comtrade`"),
        id,
    )
    .into_response()
}
