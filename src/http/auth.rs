//! Credentials and budgets: which key a request presents (RFC 9110: none, or exactly one
//! `Authorization: Bearer <key>`; anything else presented is refused with 401 before the
//! request runs) and whether its key or client address has requests left.

use std::time::Duration;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

use super::AppState;
use super::client::ClientAddr;
use crate::error::{Code, Error, Refusal};
use crate::service::keys::{self, Caller};

/// How long a client is asked to wait when the key lookup cannot reach the database.
const DATABASE_RETRY: Duration = Duration::from_secs(5);

/// Resolves the caller's key and spends one request of its budget (the key's, or the client
/// address's without a key). Invalid credentials (malformed, unknown, revoked, or two
/// `Authorization` headers) are refused here, whatever the request would have done.
pub async fn admit(state: &AppState, headers: &HeaderMap, addr: &ClientAddr, id: &str) -> Result<Caller, Refusal> {
    let mut presented = headers.get_all(AUTHORIZATION).iter();
    let authorization = presented.next();
    if presented.next().is_some() {
        return Err(Refusal::new(
            Code::BadRequest,
            "the request has more than one Authorization header; send exactly one",
            id,
        ));
    }
    let caller = match keys::resolve(&state.db, &state.key_usage, authorization.map(|v| v.as_bytes())).await {
        Ok(Caller::Invalid(why)) => {
            return Err(Refusal::from_error(&Error::Unauthenticated(why.to_owned()), id));
        }
        Ok(c) => c,
        Err(e) => {
            tracing::error!(request_id = %id, error = %e, "could not resolve the API key");
            return Err(Refusal::new(
                Code::DatabaseUnavailable,
                "the database is not reachable; retry later",
                id,
            )
            .retry_after(DATABASE_RETRY));
        }
    };
    let bucket = match (&caller, addr.0) {
        (Caller::Key(k), _) => format!("key:{}", k.name),
        (_, Some(ip)) => format!("ip:{ip}"),
        // Driven in-process: one shared bucket.
        (_, None) => "local".to_owned(),
    };
    match state.limiter.check(&bucket).await {
        Ok(_) => Ok(caller),
        Err(wait) => Err(Refusal::new(
            Code::RateLimited,
            format!(
                "more than {} requests a minute; retry in {} s",
                state.settings.rate_limit_per_minute,
                wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
            ),
            id,
        )
        .retry_after(wait)),
    }
}
