//! The one error vocabulary of tradegraph: every `extensions.code` a client can meet, with
//! its HTTP status (`Code`); the domain error type (`Error`) and its mapping to GraphQL
//! errors; and `Refusal`, the one answer for a request refused outside GraphQL execution
//! (import, body and URL limits, rate limit, method, timeout, bad headers).

use std::time::Duration;

use async_graphql::ErrorExtensions;
use axum::Json;
use axum::http::header::{ALLOW, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;
use serde_json::json;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every `extensions.code` of an error, with the HTTP status of an answer that refuses the
/// whole request with it. Errors of single fields inside a GraphQL answer keep status 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The HTTP request is not a usable GraphQL request: not JSON, no `query`, a bad
    /// parameter or header, two `Authorization` headers.
    BadRequest,
    /// A value the caller sent is invalid: an unknown code, a bad argument or variable.
    BadUserInput,
    /// The query text is not GraphQL.
    GraphqlParseFailed,
    /// The query breaks the schema or the rules of GraphQL.
    GraphqlValidationFailed,
    /// The query asks for too much: depth, complexity, aliases, fields, page size, batch.
    TooComplex,
    /// No usable credentials: no key where one is needed, or a malformed, unknown or
    /// revoked one.
    Unauthenticated,
    /// A valid key whose scope is too small.
    Forbidden,
    /// No such endpoint.
    NotFound,
    /// The endpoint does not take this method (a mutation by GET).
    MethodNotAllowed,
    /// None of the media types the client accepts can be produced.
    NotAcceptable,
    /// The request body is larger than the limit.
    PayloadTooLarge,
    /// The URL is longer than the limit.
    UriTooLong,
    /// The body's media type is missing or not one the endpoint reads.
    UnsupportedMediaType,
    /// The request's headers are larger than the limit.
    HeadersTooLarge,
    /// Too many requests from one key or client address.
    RateLimited,
    /// An Apollo persisted-query hash the server does not know (the client sends the text
    /// next).
    PersistedQueryNotFound,
    /// The request ran longer than the limit and was cancelled.
    Timeout,
    /// The database cannot be reached; retry after `Retry-After` seconds.
    DatabaseUnavailable,
    /// Anything else; details are logged, never sent.
    Internal,
}

impl Code {
    /// All codes, in the order of the reference table.
    pub const ALL: [Code; 19] = [
        Code::BadRequest,
        Code::BadUserInput,
        Code::GraphqlParseFailed,
        Code::GraphqlValidationFailed,
        Code::TooComplex,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::NotFound,
        Code::MethodNotAllowed,
        Code::NotAcceptable,
        Code::PayloadTooLarge,
        Code::UriTooLong,
        Code::UnsupportedMediaType,
        Code::HeadersTooLarge,
        Code::RateLimited,
        Code::PersistedQueryNotFound,
        Code::Timeout,
        Code::DatabaseUnavailable,
        Code::Internal,
    ];

    /// The code as clients see it in `extensions.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::BadRequest => "BAD_REQUEST",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Code::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Code::TooComplex => "TOO_COMPLEX",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Code::NotAcceptable => "NOT_ACCEPTABLE",
            Code::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Code::UriTooLong => "URI_TOO_LONG",
            Code::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Code::HeadersTooLarge => "HEADERS_TOO_LARGE",
            Code::RateLimited => "RATE_LIMITED",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::Timeout => "TIMEOUT",
            Code::DatabaseUnavailable => "DATABASE_UNAVAILABLE",
            Code::Internal => "INTERNAL",
        }
    }

    /// The code named `s`, if it is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The HTTP status of an answer that refuses the whole request with this code. A GraphQL
    /// request error (parse, validation, limits, variables) answers 400 to clients that
    /// accept `application/graphql-response+json` and 200 to `application/json`-only
    /// clients, as GraphQL over HTTP has it; see `docs/api.md`.
    pub const fn status(self) -> StatusCode {
        match self {
            Code::BadRequest
            | Code::BadUserInput
            | Code::GraphqlParseFailed
            | Code::GraphqlValidationFailed
            | Code::TooComplex => StatusCode::BAD_REQUEST,
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
            Code::Forbidden => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Code::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::UriTooLong => StatusCode::URI_TOO_LONG,
            Code::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Code::PersistedQueryNotFound => StatusCode::OK,
            Code::Timeout | Code::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a client authenticates, appended to every `UNAUTHENTICATED` message.
pub const HOW_TO_AUTHENTICATE: &str = "send the header `Authorization: Bearer <key>` with an API key \
     (an operator creates one with `tradegraph keys create --name NAME --scope write`)";

/// Everything that can go wrong, from a bad argument to a lost database.
///
/// `Clone` so that a DataLoader can hand one failure to every waiting resolver.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The caller sent something invalid: an unknown code, a bad value.
    #[error("{0}")]
    BadUserInput(String),
    /// The query asks for too much (page size, depth, complexity).
    #[error("{0}")]
    TooComplex(String),
    /// No usable credentials; the reason (no key, malformed, unknown, revoked).
    #[error("{0}; {HOW_TO_AUTHENTICATE}")]
    Unauthenticated(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A database failure; masked in answers, logged in full.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// Any other internal failure; masked in answers, logged in full.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn bad_input(msg: impl Into<String>) -> Self {
        Self::BadUserInput(msg.into())
    }

    pub fn internal(msg: impl std::fmt::Display) -> Self {
        Self::Internal(msg.to_string())
    }

    /// The `extensions.code` a client sees.
    pub fn code(&self) -> Code {
        match self {
            Self::BadUserInput(_) => Code::BadUserInput,
            Self::TooComplex(_) => Code::TooComplex,
            Self::Unauthenticated(_) => Code::Unauthenticated,
            Self::Forbidden(_) => Code::Forbidden,
            Self::Db(e) if unreachable(e) => Code::DatabaseUnavailable,
            Self::Db(_) | Self::Internal(_) => Code::Internal,
        }
    }

    /// The message a client sees: internal failures are logged here and masked.
    pub fn public_message(&self) -> String {
        match self.code() {
            Code::Internal => {
                tracing::error!(error = %self, "internal error while answering a request");
                "internal error".to_owned()
            }
            Code::DatabaseUnavailable => {
                tracing::error!(error = %self, "the database is not reachable");
                DATABASE_UNREACHABLE.to_owned()
            }
            _ => self.to_string(),
        }
    }
}

/// What a client is told while the database cannot be reached.
pub const DATABASE_UNREACHABLE: &str = "the database is not reachable; retry later";

/// True when `e` says the database could not be reached (no connection, a broken one, the
/// pool waited in vain), not that a statement failed.
fn unreachable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => matches!(
            **e,
            sea_orm::SqlxError::Io(_)
                | sea_orm::SqlxError::PoolTimedOut
                | sea_orm::SqlxError::PoolClosed
                | sea_orm::SqlxError::WorkerCrashed
        ),
        _ => false,
    }
}

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.public_message()).extend_with(|_, e| e.set("code", self.code().as_str()))
    }
}

/// Converts a domain result into a GraphQL one, keeping `extensions.code`.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

/// A request refused outside GraphQL execution: the status of its code and a GraphQL-shaped
/// JSON body `{"errors":[{"message", "extensions":{"code", "requestId"}}]}`, never an empty one.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub code: Code,
    pub message: String,
    /// The request's `x-request-id`, echoed in `extensions.requestId`.
    pub request_id: String,
    /// Sent as `Retry-After` (whole seconds, at least 1).
    pub retry_after: Option<Duration>,
    /// Sent as `Allow` with `METHOD_NOT_ALLOWED`.
    pub allow: Option<&'static str>,
}

impl Refusal {
    pub fn new(code: Code, message: impl Into<String>, request_id: &str) -> Self {
        Self {
            code,
            message: message.into(),
            request_id: request_id.to_owned(),
            retry_after: None,
            allow: None,
        }
    }

    /// A domain error as a refusal (internal details logged and masked).
    pub fn from_error(error: &Error, request_id: &str) -> Self {
        Self::new(error.code(), error.public_message(), request_id)
    }

    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    pub fn allow(mut self, methods: &'static str) -> Self {
        self.allow = Some(methods);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        json!({ "errors": [{
            "message": self.message,
            "extensions": { "code": self.code.as_str(), "requestId": self.request_id },
        }] })
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut resp = (self.code.status(), Json(self.body())).into_response();
        let headers = resp.headers_mut();
        if let Some(wait) = self.retry_after {
            let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
            headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(methods) = self.allow {
            headers.insert(ALLOW, HeaderValue::from_static(methods));
        }
        if self.code == Code::Unauthenticated {
            headers.insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tradegraph\""),
            );
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
    }
}
