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
use async_graphql::{BatchRequest, BatchResponse, ServerError};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use entity::enums::KeyScope;
use sea_orm::DatabaseConnection;

use super::answer_cache::AnswerCache;
use super::auth::{admit, current_data};
use super::client::ClientAddr;
use super::graphql_request::{
    APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, Media, check_content_type, negotiate, not_acceptable, parse_body,
    read_body,
};
use super::middleware::request_id;
use super::{AppState, graphiql};
use crate::error::{Code, Refusal};
use crate::graphql::AppSchema;
use crate::service::keys::Caller;

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
    execute(&state, batch, caller, media, &id, None).await
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
    execute(
        &state,
        BatchRequest::Single(request),
        caller,
        media,
        &id,
        Some(&headers),
    )
    .await
}

/// True when the operation a GET request selects is a mutation — written in the request,
/// or persisted earlier under the hash it names.
async fn is_mutation(state: &AppState, request: &async_graphql::Request) -> bool {
    let (query, operation) = (&request.query, request.operation_name.as_deref());
    selected_type(state, query, operation, persisted_hash(request)).await == Some(OperationType::Mutation)
}

/// The hash of the persisted query a request names, if any.
fn persisted_hash(request: &async_graphql::Request) -> Option<String> {
    request
        .extensions
        .get("persistedQuery")
        .and_then(|p| match p {
            async_graphql::Value::Object(o) => o.get("sha256Hash"),
            _ => None,
        })
        .and_then(|h| match h {
            async_graphql::Value::String(s) => Some(s.clone()),
            _ => None,
        })
}

/// The type of the operation `operation` selects in `query`, or in the document persisted
/// under `hash` when `query` is empty; `None` when the document is unknown or does not parse.
/// A document with several operations and no name selects a mutation if any is one.
async fn selected_type(
    state: &AppState,
    query: &str,
    operation: Option<&str>,
    hash: Option<String>,
) -> Option<OperationType> {
    let doc = if query.is_empty() {
        state.persisted.get(hash?).await?
    } else {
        async_graphql::parser::parse_query(query).ok()?
    };
    operation_type(&doc, operation)
}

fn operation_type(doc: &ExecutableDocument, operation: Option<&str>) -> Option<OperationType> {
    let mut types = doc.operations.iter().filter_map(|(name, op)| {
        let selected = match (operation, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (None, _) => true,
            (Some(_), None) => false,
        };
        selected.then_some(op.node.ty)
    });
    let first = types.next()?;
    Some(
        if first == OperationType::Mutation || types.any(|t| t == OperationType::Mutation) {
            OperationType::Mutation
        } else {
            first
        },
    )
}

/// Executes a (batch) request for `caller` and shapes the answer. A single operation goes
/// through the answer cache when it is on; `get` holds the headers of a GET request, whose
/// cacheable answers carry `ETag` and `Cache-Control` and honour `If-None-Match`.
async fn execute(
    state: &AppState,
    batch: BatchRequest,
    caller: Caller,
    media: Media,
    id: &str,
    get: Option<&HeaderMap>,
) -> Response {
    if let Err(refusal) = current_data(state, id).await {
        return refusal.into_response();
    }
    let target = target(state, &batch).await;
    let batch = match (state.answers.as_deref(), batch) {
        (Some(cache), BatchRequest::Single(request)) => {
            return execute_cached(state, target, cache, request, caller, media, id, get).await;
        }
        (_, batch) => batch,
    };
    let batch = match batch {
        BatchRequest::Single(r) => BatchRequest::Single(r.data(caller)),
        BatchRequest::Batch(rs) => BatchRequest::Batch(rs.into_iter().map(|r| r.data(caller.clone())).collect()),
    };
    let (status, body) = match target.schema.execute_batch(batch).await {
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
    respond(status, body, media)
}

/// Answers one operation from the answer cache, or executes it and keeps its answer when it
/// is a read that succeeded. Without a data version (the database failing) it runs uncached.
#[allow(clippy::too_many_arguments)]
async fn execute_cached(
    state: &AppState,
    target: Target<'_>,
    cache: &AnswerCache,
    request: async_graphql::Request,
    caller: Caller,
    media: Media,
    id: &str,
    get: Option<&HeaderMap>,
) -> Response {
    let version = match cache.version(target.db, &state.db, &state.refs).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(request_id = %id, error = %e, "no data version: answering without the cache");
            return execute_single(target, request, caller, media, id).await.0;
        }
    };
    let key = AnswerCache::key(&request, &caller);
    let etag = AnswerCache::etag(key, version, media);
    let keyed = caller.key().is_some();
    let cache_headers = |resp: &mut Response| {
        if get.is_some() {
            cache.headers(resp.headers_mut(), etag.clone(), keyed);
        }
    };
    if get.is_some_and(|h| AnswerCache::not_modified(h, &etag)) {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        cache_headers(&mut resp);
        return resp;
    }
    if let Some(body) = cache.get(key, version) {
        let mut resp = respond(StatusCode::OK, body, media);
        cache_headers(&mut resp);
        return resp;
    }
    let (query, operation, hash) = (
        request.query.clone(),
        request.operation_name.clone(),
        persisted_hash(&request),
    );
    let (mut resp, answer) = execute_single(target, request, caller, media, id).await;
    if let Some(body) = answer
        && selected_type(state, &query, operation.as_deref(), hash).await == Some(OperationType::Query)
    {
        cache.insert(key, version, body);
        cache_headers(&mut resp);
    }
    resp
}

/// Executes one operation; returns the answer and, when it has no error, its body.
async fn execute_single(
    target: Target<'_>,
    request: async_graphql::Request,
    caller: Caller,
    media: Media,
    id: &str,
) -> (Response, Option<Bytes>) {
    let mut r = target.schema.execute(request.data(caller)).await;
    mark(&mut r.errors, id);
    let status = match request_error(&r) {
        Some(code) if media == Media::GraphqlResponse => code.status(),
        _ => StatusCode::OK,
    };
    let body = Bytes::from(answer_json(&r));
    let kept = r.errors.is_empty().then(|| body.clone());
    (respond(status, body, media), kept)
}

/// Where a request runs: the primary, or a read replica.
#[derive(Clone, Copy)]
struct Target<'a> {
    schema: &'a AppSchema,
    db: &'a DatabaseConnection,
}

/// A read replica that answers for a request without a mutation; the primary for one with
/// a mutation (everything it reads included), or when no replica answers.
async fn target<'a>(state: &'a AppState, batch: &BatchRequest) -> Target<'a> {
    let primary = Target {
        schema: &state.schema,
        db: &state.db,
    };
    if state.replicas.is_empty() {
        return primary;
    }
    let requests = match batch {
        BatchRequest::Single(r) => std::slice::from_ref(r),
        BatchRequest::Batch(rs) => rs.as_slice(),
    };
    for r in requests {
        let (query, operation) = (&r.query, r.operation_name.as_deref());
        if selected_type(state, query, operation, persisted_hash(r)).await == Some(OperationType::Mutation) {
            return primary;
        }
    }
    state.replicas.pick().map_or(primary, |replica| Target {
        schema: &replica.schema,
        db: &replica.db,
    })
}

/// An answer with its media type.
fn respond(status: StatusCode, body: impl Into<Body>, media: Media) -> Response {
    let content_type = match media {
        Media::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
        Media::Json => APPLICATION_JSON,
    };
    let mut resp = (status, body.into()).into_response();
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
