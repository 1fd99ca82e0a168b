//! `/graphql` by GraphQL over HTTP: `POST` (one operation or a batch, `application/json`
//! bodies) and `GET` (queries as URL parameters; GraphiQL for a browser that sends none).
//!
//! The answer's media type follows `Accept`: `application/graphql-response+json` when the
//! client prefers it, else `application/json` (also for `*/*` and no `Accept`). A request
//! error — the text does not parse, breaks validation or a limit, or a variable cannot be
//! coerced — is answered without a `data` member, with status 400 under
//! `application/graphql-response+json` and 200 under `application/json`, as the spec has
//! it. Everything refused before execution (body, headers, credentials, budget, method)
//! gets the status of its code and a GraphQL-shaped JSON body.

use async_graphql::extensions::apollo_persisted_queries::CacheStorage;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{BatchRequest, BatchResponse, ServerError, Variables};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::enums::KeyScope;
use serde_json::Value as Json;

use super::auth::admit;
use super::client::ClientAddr;
use super::middleware::request_id;
use super::{AppState, graphiql};
use crate::error::{Code, Refusal};
use crate::service::keys::Caller;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const APPLICATION_JSON: &str = "application/json; charset=utf-8";

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

fn not_acceptable(id: &str) -> Response {
    Refusal::new(
        Code::NotAcceptable,
        "the answer is application/graphql-response+json or application/json; the Accept header allows neither",
        id,
    )
    .into_response()
}

/// `POST /graphql`.
pub async fn post(State(state): State<AppState>, addr: ClientAddr, headers: HeaderMap, body: Body) -> Response {
    let id = request_id(&headers);
    let Some(media) = negotiate(&headers) else {
        return not_acceptable(&id);
    };
    if let Err(refusal) = check_content_type(&headers, &id) {
        return refusal.into_response();
    }
    let caller = match admit(&state, &headers, &addr, &id).await {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    // Partners writing in bulk may send more than anonymous readers.
    let limit = match caller.key() {
        Some(k) if k.scope.allows(KeyScope::Write) => state.settings.write_max_bytes,
        _ => state.settings.max_body_bytes,
    };
    let body = match read_body(body, &headers, limit, &id).await {
        Ok(b) => b,
        Err(refusal) => return refusal.into_response(),
    };
    let batch = match parse_body(&body, state.settings.max_batch) {
        Ok(b) => b,
        Err((code, message)) => return Refusal::new(code, message, &id).into_response(),
    };
    execute(&state, batch, caller, media, &id).await
}

/// `GET /graphql`: with a `query` (or a persisted query's `extensions`) parameter, a query;
/// without one, GraphiQL for a browser. Mutations are refused with 405: they need POST.
pub async fn get(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = request_id(&headers);
    let raw = raw.unwrap_or_default();
    if !raw.contains("query=") && !raw.contains("extensions=") {
        return graphiql::page().await.into_response();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable(&id);
    };
    let request = match async_graphql::http::parse_query_string(&raw) {
        Ok(r) if !r.query.is_empty() || r.extensions.contains_key("persistedQuery") => r,
        Ok(_) => return Refusal::new(Code::BadRequest, "the `query` parameter is empty", &id).into_response(),
        Err(e) => {
            return Refusal::new(Code::BadRequest, format!("not a GraphQL request: {e}"), &id).into_response();
        }
    };
    if is_mutation(&state, &request).await {
        return Refusal::new(Code::MethodNotAllowed, "mutations are only accepted with POST", &id)
            .allow("POST")
            .into_response();
    }
    let caller = match admit(&state, &headers, &addr, &id).await {
        Ok(c) => c,
        Err(refusal) => return refusal.into_response(),
    };
    execute(&state, BatchRequest::Single(request), caller, media, &id).await
}

/// A POST body must be JSON (`application/json`, UTF-8).
fn check_content_type(headers: &HeaderMap, id: &str) -> Result<(), Refusal> {
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
async fn read_body(body: Body, headers: &HeaderMap, limit: u64, id: &str) -> Result<Bytes, Refusal> {
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
fn parse_body(body: &[u8], max_batch: usize) -> Result<BatchRequest, (Code, String)> {
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

/// True when the operation a GET request selects is a mutation — written in the request,
/// or persisted earlier under the hash it names.
async fn is_mutation(state: &AppState, request: &async_graphql::Request) -> bool {
    let operation = request.operation_name.as_deref();
    if !request.query.is_empty() {
        return async_graphql::parser::parse_query(&request.query).is_ok_and(|doc| selects_mutation(&doc, operation));
    }
    let hash = request
        .extensions
        .get("persistedQuery")
        .and_then(|p| match p {
            async_graphql::Value::Object(o) => o.get("sha256Hash"),
            _ => None,
        })
        .and_then(|h| match h {
            async_graphql::Value::String(s) => Some(s.clone()),
            _ => None,
        });
    match hash {
        Some(hash) => state
            .persisted
            .get(hash)
            .await
            .is_some_and(|doc| selects_mutation(&doc, operation)),
        None => false,
    }
}

fn selects_mutation(doc: &ExecutableDocument, operation: Option<&str>) -> bool {
    doc.operations.iter().any(|(name, op)| {
        let selected = match (operation, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        selected && op.node.ty == OperationType::Mutation
    })
}

/// Executes a (batch) request for `caller` and shapes the answer.
async fn execute(state: &AppState, batch: BatchRequest, caller: Caller, media: Media, id: &str) -> Response {
    let batch = match batch {
        BatchRequest::Single(r) => BatchRequest::Single(r.data(caller)),
        BatchRequest::Batch(rs) => BatchRequest::Batch(rs.into_iter().map(|r| r.data(caller.clone())).collect()),
    };
    let (status, body) = match state.schema.execute_batch(batch).await {
        BatchResponse::Single(mut r) => {
            mark(&mut r.errors, id);
            let status = match request_error(&r) {
                Some(code) if media == Media::GraphqlResponse => code.status(),
                _ => StatusCode::OK,
            };
            (status, answer_json(&r))
        }
        BatchResponse::Batch(mut rs) => {
            let answers: Vec<String> = rs
                .iter_mut()
                .map(|r| {
                    mark(&mut r.errors, id);
                    answer_json(r)
                })
                .collect();
            (StatusCode::OK, format!("[{}]", answers.join(",")))
        }
    };
    let content_type = match media {
        Media::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
        Media::Json => APPLICATION_JSON,
    };
    let mut resp = (status, body).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// The code of a request error (refused before execution: every error without a path and
/// no data), if `r` is one.
fn request_error(r: &async_graphql::Response) -> Option<Code> {
    if r.data != async_graphql::Value::Null || r.errors.is_empty() || r.errors.iter().any(|e| !e.path.is_empty()) {
        return None;
    }
    let code = r.errors[0]
        .extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .and_then(|c| match c {
            async_graphql::Value::String(s) => Code::parse(s),
            _ => None,
        });
    Some(code.unwrap_or(Code::BadRequest))
}

/// A request error's answer: no `data` member.
#[derive(serde::Serialize)]
struct RequestErrors<'a> {
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

/// The JSON text of one answer (serialised straight from the answer, so that its keys keep
/// the selection's order); a request error has no `data` member.
fn answer_json(r: &async_graphql::Response) -> String {
    let text = if request_error(r).is_some() {
        serde_json::to_string(&RequestErrors {
            errors: &r.errors,
            extensions: &r.extensions,
        })
    } else {
        serde_json::to_string(r)
    };
    text.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not serialise an answer");
        r#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_owned()
    })
}

/// Gives every error a code (`BAD_REQUEST` before execution, `BAD_USER_INPUT` in it,
/// `PERSISTED_QUERY_NOT_FOUND` as Apollo's protocol names it) and the request id, and logs
/// internal ones.
fn mark(errors: &mut [ServerError], id: &str) {
    for e in errors.iter_mut() {
        let ext = e.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            let code = if e.message == "PersistedQueryNotFound" {
                Code::PersistedQueryNotFound
            } else if e.path.is_empty() {
                Code::BadRequest
            } else {
                Code::BadUserInput
            };
            ext.set("code", code.as_str());
        }
        ext.set("requestId", id);
        if ext.get("code") == Some(&async_graphql::Value::from(Code::Internal.as_str())) {
            tracing::error!(request_id = %id, path = ?e.path, "answered with an internal error");
        }
    }
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
