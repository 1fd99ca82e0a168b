//! API keys: creation, listing, revocation, and resolving the key a request presents.
//!
//! A key is `tg_` followed by 32 random bytes in unpadded base64url (46 characters). Only its
//! SHA-256 (hex) is stored; the key itself is printed once by `keys create`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::api_key;
use entity::enums::KeyScope;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Prefix of every key, so that leaked keys are easy to recognise (and to scan for).
pub const KEY_PREFIX: &str = "tg_";

/// How often `last_used_at` is written for one key at most.
pub const LAST_USED_PRECISION: Duration = Duration::from_secs(60);

/// A valid (known, not revoked) key, as the request's resolvers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub id: i32,
    pub name: String,
    pub scope: KeyScope,
}

/// Who is calling, as far as the `Authorization` header tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No `Authorization` header: may read, may not write.
    Anonymous,
    /// A known key that is not revoked.
    Key(KeyInfo),
    /// A header that names no usable key (unknown, forged, revoked or malformed); the
    /// reason is told to the client.
    Invalid(&'static str),
}

impl Caller {
    /// The key's name, if the caller presented a valid key.
    pub fn key(&self) -> Option<&KeyInfo> {
        match self {
            Caller::Key(k) => Some(k),
            _ => None,
        }
    }

    /// The valid key of the caller when its scope allows `needed`; otherwise the error the
    /// client sees (RFC 9110): `UNAUTHENTICATED` without a usable key (none, malformed,
    /// unknown, revoked), `FORBIDDEN` for a valid key whose scope is too small.
    pub fn require(&self, needed: KeyScope) -> Result<&KeyInfo> {
        match self {
            Caller::Anonymous => Err(Error::Unauthenticated(format!(
                "this needs an API key of scope {}",
                needed.as_str()
            ))),
            Caller::Invalid(why) => Err(Error::Unauthenticated((*why).to_owned())),
            Caller::Key(k) if k.scope.allows(needed) => Ok(k),
            Caller::Key(k) => Err(Error::Forbidden(format!(
                "the key {:?} has scope {}; this needs {}",
                k.name,
                k.scope.as_str(),
                needed.as_str()
            ))),
        }
    }
}

/// A fresh random key.
pub fn generate() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    Ok(format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// Hex SHA-256 of a key, as stored.
pub fn hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A valid key name: 1–100 characters of letters, digits, `-`, `_`, `.`, `@`.
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::bad_input(
            "a key name is 1 to 100 characters: letters, digits, '-', '_', '.', '@'",
        ))
    }
}

/// Creates a key; returns it (the only time it is seen).
pub async fn create(db: &DatabaseConnection, name: &str, scope: KeyScope) -> Result<String> {
    check_name(name)?;
    if api_key::Entity::find()
        .filter(api_key::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::bad_input(format!("a key named {name:?} exists already")));
    }
    let key = generate()?;
    api_key::Entity::insert(api_key::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        scope: Set(scope),
        key_hash: Set(hash(&key)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(key)
}

/// All keys, oldest first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<api_key::Model>> {
    Ok(api_key::Entity::find()
        .order_by_asc(api_key::Column::CreatedAt)
        .order_by_asc(api_key::Column::Id)
        .all(db)
        .await?)
}

/// Revokes the key named `name` (from the next request on); an error when there is none.
/// Revoking a revoked key keeps its first revocation time.
pub async fn revoke(db: &DatabaseConnection, name: &str) -> Result<DateTime<Utc>> {
    let key = api_key::Entity::find()
        .filter(api_key::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| Error::bad_input(format!("no key named {name:?}")))?;
    if let Some(at) = key.revoked_at {
        return Ok(at);
    }
    let now = Utc::now();
    api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(api_key::Column::Id.eq(key.id))
        .exec(db)
        .await?;
    Ok(now)
}

/// Resolves the `Authorization` header of a request (one indexed lookup, no cache, so a
/// revoked key is refused from the next request on) and notes when the key was last used.
pub async fn resolve(db: &DatabaseConnection, usage: &Usage, authorization: Option<&[u8]>) -> Result<Caller> {
    let Some(header) = authorization else {
        return Ok(Caller::Anonymous);
    };
    let Some(key) = std::str::from_utf8(header)
        .ok()
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
    else {
        return Ok(Caller::Invalid("the Authorization header must be `Bearer <key>`"));
    };
    if !key.starts_with(KEY_PREFIX) || key.len() > 200 {
        return Ok(Caller::Invalid("unknown API key"));
    }
    let Some(row) = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash(key)))
        .one(db)
        .await?
    else {
        return Ok(Caller::Invalid("unknown API key"));
    };
    if row.revoked_at.is_some() {
        return Ok(Caller::Invalid("this API key has been revoked"));
    }
    if usage.due(row.id) {
        let db = db.clone();
        let id = row.id;
        tokio::spawn(async move {
            let res = api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
                .filter(api_key::Column::Id.eq(id))
                .exec(&db)
                .await;
            if let Err(e) = res {
                tracing::warn!(error = %e, key_id = id, "could not note when an API key was last used");
            }
        });
    }
    Ok(Caller::Key(KeyInfo {
        id: row.id,
        name: row.name,
        scope: row.scope,
    }))
}

/// When each key's `last_used_at` was last written by this process.
#[derive(Debug, Default)]
pub struct Usage(Mutex<HashMap<i32, Instant>>);

impl Usage {
    /// True (and noted) when key `id` was not written within `LAST_USED_PRECISION`.
    fn due(&self, id: i32) -> bool {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        match map.get(&id) {
            Some(t) if now.duration_since(*t) < LAST_USED_PRECISION => false,
            _ => {
                map.insert(id, now);
                true
            }
        }
    }
}
