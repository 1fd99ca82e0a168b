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

/// How long a client is asked to wait when the database cannot be reached.
const DATABASE_RETRY: Duration = Duration::from_secs(5);
/// How long the statements every request makes first (the key's lookup, the data version)
/// may take before the database counts as unreachable: an outage is answered with 503
/// `DATABASE_UNAVAILABLE` within 2 s, not after the request timeout.
pub const DATABASE_PROBE: Duration = Duration::from_millis(1500);

/// The refusal of a request while the database cannot be reached.
pub fn unavailable(id: &str) -> Refusal {
    Refusal::new(Code::DatabaseUnavailable, crate::error::DATABASE_UNREACHABLE, id).retry_after(DATABASE_RETRY)
}

/// Brings the reference snapshot up to the data version, so that rows another process
/// committed (new countries, commodities, sources) are answered from the first request after
/// the commit; refused as unavailable when the database does not answer within
/// [`DATABASE_PROBE`].
pub async fn current_data(state: &AppState, id: &str) -> Result<(), Refusal> {
    match tokio::time::timeout(DATABASE_PROBE, state.refs.ensure_current(&state.db)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            tracing::error!(request_id = %id, error = %e, "could not read the data version");
            Err(unavailable(id))
        }
        Err(_) => {
            tracing::error!(request_id = %id, "reading the data version timed out");
            Err(unavailable(id))
        }
    }
}

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
    let resolved = tokio::time::timeout(
        DATABASE_PROBE,
        keys::resolve(&state.db, &state.key_usage, authorization.map(|v| v.as_bytes())),
    )
    .await;
    let caller = match resolved {
        Ok(Ok(Caller::Invalid(why))) => {
            return Err(Refusal::from_error(&Error::Unauthenticated(why.to_owned()), id));
        }
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            tracing::error!(request_id = %id, error = %e, "could not resolve the API key");
            return Err(unavailable(id));
        }
        Err(_) => {
            tracing::error!(request_id = %id, "the API key lookup timed out");
            return Err(unavailable(id));
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
