//! Small builders shared by the migrations: named foreign keys, named indexes and the
//! CHECK constraints that recur (enumerations, sane years, fractions).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::sea_query::{Check, ExprTrait};

/// A named foreign key `fk_<table>_<column>` to `target(id)`.
pub fn fk<T, C, R>(name: &str, table: T, column: C, target: R, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement
where
    T: IntoIden,
    C: IntoIden,
    R: IntoIden,
{
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(target, Alias::new("id"))
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A named, possibly unique, index.
pub fn index<T, C>(name: &str, table: T, columns: impl IntoIterator<Item = C>, unique: bool) -> IndexCreateStatement
where
    T: IntoIden,
    C: IntoIndexColumn,
{
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in columns {
        idx.col(c);
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

/// `CHECK (col IN (...))` for a closed vocabulary stored as text.
pub fn one_of<C: IntoIden + 'static>(name: &str, column: C, values: &[&str]) -> Check {
    Check::named(
        name.to_owned(),
        Expr::col(column).is_in(values.iter().map(|v| (*v).to_owned())),
    )
}

/// `CHECK (col BETWEEN 1800 AND 2100)` (null passes).
pub fn sane_year<C: IntoIden + 'static>(name: &str, column: C) -> Check {
    Check::named(name.to_owned(), Expr::col(column).between(1800, 2100))
}

/// `CHECK (col >= 0)` (null passes).
pub fn not_negative<C: IntoIden + 'static>(name: &str, column: C) -> Check {
    Check::named(name.to_owned(), Expr::col(column).gte(0))
}

/// `CHECK (col BETWEEN 0 AND 1)`.
pub fn fraction<C: IntoIden + 'static>(name: &str, column: C) -> Check {
    Check::named(name.to_owned(), Expr::col(column).between(0, 1))
}

pub const QUALIFIERS: &[&str] = &["EXACT", "APPROXIMATE", "AT_LEAST", "AT_MOST", "ESTIMATE"];
pub const FLOWS: &[&str] = &["X", "M", "RX", "RM"];

/// The PostgreSQL trigger function that appends one row per writing statement to a change
/// log `log(id BIGSERIAL, n BIGINT DEFAULT 1)` and, on every 1000th row, folds the log into
/// one row, skipping rows another writer is folding (why a log and not a counter: see
/// migration 000042). Shared by the data version (`trade_flow_change`) and the reference
/// version (`reference_change`).
pub fn change_log_function(function: &str, log: &str) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       new_id BIGINT;
     BEGIN
       INSERT INTO {log} DEFAULT VALUES RETURNING id INTO new_id;
       IF new_id % 1000 = 0 THEN
         WITH folded AS (SELECT id FROM {log} WHERE id < new_id FOR UPDATE SKIP LOCKED),
              gone AS (DELETE FROM {log} c USING folded f WHERE c.id = f.id RETURNING c.n)
         INSERT INTO {log} (n) SELECT SUM(n) FROM gone HAVING COUNT(*) > 0;
       END IF;
       RETURN NULL;
     END $$"
    )
}
