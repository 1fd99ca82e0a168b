//! The one error type of tradegraph and its mapping to GraphQL error codes.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

pub type Result<T, E = Error> = std::result::Result<T, E>;

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
    #[error("authentication required")]
    Unauthenticated,
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
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::TooComplex(_) => "TOO_COMPLEX",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::Db(_) | Self::Internal(_) => "INTERNAL",
        }
    }
}

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        let message = match self {
            Self::Db(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "internal error while answering a request");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        async_graphql::Error::new(message).extend_with(|_, e| e.set("code", self.code()))
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
