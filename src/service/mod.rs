//! Domain logic as plain `async fn`s over a database connection, free of GraphQL types.

pub mod aid;
pub mod audit;
pub mod bundled;
pub mod comtrade;
pub mod dependency;
pub mod indicator;
pub mod keys;
pub mod membership;
pub mod organization;
pub mod partner_share;
pub mod source;
pub mod trade;
pub mod write;

use sea_orm::DbBackend;

/// `n` bound-parameter placeholders starting at number `first` (1-based), comma-separated:
/// `$3, $4` on PostgreSQL, `?, ?` on SQLite.
pub(crate) fn placeholders(backend: DbBackend, first: usize, n: usize) -> String {
    let mut out = String::with_capacity(n * 4);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        match backend {
            DbBackend::Postgres => {
                out.push('$');
                out.push_str(&(first + i).to_string());
            }
            _ => out.push('?'),
        }
    }
    out
}
