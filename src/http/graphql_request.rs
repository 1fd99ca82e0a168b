//! What a GraphQL-over-HTTP request must be before it runs: the media type of the answer
//! (`Accept`), the body's media type (`Content-Type`), the body under its limit, and the
//! request parameters checked by type.

use async_graphql::{BatchRequest, Variables};
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value as Json;

use crate::error::{Code, Refusal};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
pub const APPLICATION_JSON: &str = "application/json; charset=utf-8";

/// The media type of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: request errors are 4xx.
    GraphqlResponse,
    /// `application/json`: request errors are 200 (legacy clients).
    Json,
}

/// The media type `Accept` prefers (by `q`, then by order); `None` when it names none we
/// can produce.
pub fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(ACCEPT) else {
        return Some(Media::Json);
    };
    let accept = accept.to_str().ok()?;
    let mut best: Option<(f32, Media)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .and_then(|(_, v)| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let candidate = match media.as_str() {
            "application/graphql-response+json" => Media::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => Media::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, candidate));
        }
    }
    best.map(|(_, m)| m)
}

pub fn not_acceptable(id: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    Refusal::new(
        Code::NotAcceptable,
        "the answer is application/graphql-response+json or application/json; the Accept header allows neither",
        id,
    )
    .into_response()
}

/// A POST body must be JSON (`application/json`, UTF-8).
pub fn check_content_type(headers: &HeaderMap, id: &str) -> Result<(), Refusal> {
    let refuse = |why: &str| {
        Err(Refusal::new(
            Code::UnsupportedMediaType,
            format!("{why}; send the request as `Content-Type: application/json`"),
            id,
        ))
    };
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return refuse("the request has no Content-Type");
    };
    let value = value.to_str().unwrap_or("").to_ascii_lowercase();
    let mut parts = value.split(';');
    if parts.next().map(str::trim) != Some("application/json") {
        return refuse(&format!("Content-Type {value:?} is not read here"));
    }
    for param in parts {
        if let Some((k, v)) = param.split_once('=')
            && k.trim() == "charset"
            && !v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        {
            return refuse("only UTF-8 bodies are read");
        }
    }
    Ok(())
}

/// The body, at most `limit` bytes (413 beyond, before reading it when `Content-Length`
/// says so).
pub async fn read_body(body: Body, headers: &HeaderMap, limit: u64, id: &str) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal::new(
            Code::PayloadTooLarge,
            format!("the request body is larger than {limit} bytes (requests with a key of scope write may send more)"),
            id,
        )
    };
    let announced = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    match http_body_util::BodyExt::collect(http_body_util::Limited::new(body, limit)).await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(e) => Err(Refusal::new(
            Code::BadRequest,
            format!("the request body could not be read: {e}"),
            id,
        )),
    }
}

/// A POST body as one operation or a batch; the error says which parameter is wrong.
pub fn parse_body(body: &[u8], max_batch: usize) -> Result<BatchRequest, (Code, String)> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err((
            Code::BadRequest,
            "the request body is empty; send {\"query\": \"…\"}".to_owned(),
        ));
    }
    let value: Json =
        serde_json::from_slice(body).map_err(|e| (Code::BadRequest, format!("the request body is not JSON: {e}")))?;
    match value {
        Json::Array(items) => {
            if items.is_empty() {
                return Err((Code::BadRequest, "the batch is empty".to_owned()));
            }
            if items.len() > max_batch {
                return Err((
                    Code::TooComplex,
                    format!("the batch has {} operations; at most {max_batch}", items.len()),
                ));
            }
            let requests = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| parse_request(item).map_err(|e| (Code::BadRequest, format!("operation {i}: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(BatchRequest::Batch(requests))
        }
        other => parse_request(other)
            .map(BatchRequest::Single)
            .map_err(|e| (Code::BadRequest, e)),
    }
}

/// One GraphQL-over-HTTP request object: `query` a string (absent only for a persisted
/// query), `operationName` a string or null, `variables` and `extensions` objects or null.
fn parse_request(value: Json) -> Result<async_graphql::Request, String> {
    let Json::Object(mut map) = value else {
        return Err("the request must be a JSON object with a `query`".to_owned());
    };
    let extensions: std::collections::HashMap<String, async_graphql::Value> = match map.remove("extensions") {
        None | Some(Json::Null) => Default::default(),
        Some(Json::Object(e)) => e
            .into_iter()
            .map(|(k, v)| Ok((k, async_graphql::Value::from_json(v).map_err(|e| e.to_string())?)))
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("`extensions` must be an object".to_owned()),
    };
    let query = match map.remove("query") {
        Some(Json::String(q)) => q,
        None | Some(Json::Null) => {
            if !extensions.contains_key("persistedQuery") {
                return Err("the request has no `query`".to_owned());
            }
            String::new()
        }
        Some(_) => return Err("`query` must be a string".to_owned()),
    };
    let mut request = async_graphql::Request::new(query);
    request.extensions = async_graphql::Extensions(extensions);
    match map.remove("operationName") {
        None | Some(Json::Null) => {}
        Some(Json::String(name)) => request = request.operation_name(name),
        Some(_) => return Err("`operationName` must be a string".to_owned()),
    }
    match map.remove("variables") {
        None | Some(Json::Null) => {}
        Some(v @ Json::Object(_)) => request = request.variables(Variables::from_json(v)),
        Some(_) => return Err("`variables` must be an object".to_owned()),
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Option<Media> {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, v.parse().unwrap());
        negotiate(&h)
    }

    #[test]
    fn accept_is_negotiated_by_quality_then_order() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Media::Json));
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(accept("application/json"), Some(Media::Json));
        assert_eq!(accept("*/*"), Some(Media::Json));
        // Apollo Client, graphql-request, urql.
        assert_eq!(
            accept("application/graphql-response+json,application/json;q=0.9"),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            accept(
                "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"
            ),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            accept("application/json;q=1, application/graphql-response+json;q=0.5"),
            Some(Media::Json)
        );
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }

    #[test]
    fn request_parameters_are_checked_by_type() {
        let ok = |v: Json| parse_request(v).is_ok();
        assert!(ok(
            serde_json::json!({ "query": "{ a }", "variables": null, "operationName": null, "extensions": null })
        ));
        assert!(!ok(serde_json::json!({ "query": 1 })));
        assert!(!ok(serde_json::json!({ "notquery": "{ a }" })));
        assert!(!ok(serde_json::json!({ "query": "{ a }", "variables": "x" })));
        assert!(!ok(serde_json::json!({ "query": "{ a }", "variables": [1] })));
        assert!(!ok(serde_json::json!({ "query": "{ a }", "operationName": false })));
        assert!(!ok(serde_json::json!({ "query": "{ a }", "extensions": 0 })));
        assert!(ok(
            serde_json::json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "ab" } } })
        ));
    }
}
