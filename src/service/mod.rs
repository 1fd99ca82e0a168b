//! Domain logic as plain `async fn`s over a database connection, free of GraphQL types.

pub mod aid;
pub mod aid_ledger;
pub mod audit;
pub mod bloc;
pub mod bundled;
pub mod comtrade;
pub mod dependency;
pub mod exchange_rate;
pub mod export;
pub mod figures;
pub mod flow_list;
pub mod indicator;
pub mod indicators;
pub mod keys;
pub mod lineage;
pub mod membership;
pub mod nodes;
pub mod organization;
pub mod page;
pub mod partner_share;
pub mod pipeline;
pub mod qualifier;
pub mod source;
pub mod suggest;
pub mod text;
pub mod trade;
pub mod trade_total;
pub mod version;
pub mod write;

pub use version::data_version;

use sea_orm::{ColumnTrait, Condition, DbBackend, Statement, Value};

/// `from <= column <= to`, each bound only when given.
pub(crate) fn years<C: ColumnTrait>(column: C, from: Option<i32>, to: Option<i32>) -> Condition {
    let mut c = Condition::all();
    if let Some(from) = from {
        c = c.add(column.gte(from));
    }
    if let Some(to) = to {
        c = c.add(column.lte(to));
    }
    c
}

/// `column IN (values)` when a list is given (an empty one matches nothing), else no condition.
pub(crate) fn any_of<C: ColumnTrait, V: Into<Value> + Clone>(column: C, values: &Option<Vec<V>>) -> Condition {
    match values {
        Some(v) => Condition::all().add(column.is_in(v.iter().cloned())),
        None => Condition::all(),
    }
}

/// What [`Sql::not_aggregate`] appends after the column, for SQL built as text.
pub(crate) const NOT_AGGREGATE: &str = " NOT IN (SELECT agg.id FROM country agg WHERE agg.is_aggregate)";

/// A hand-written SQL statement with bound parameters, for what sea-orm's query builder
/// cannot express (window functions over CTEs, correlated sub-queries). Text and parameters
/// are appended in order, so `?` (SQLite) and `$n` (PostgreSQL) placeholders always match.
pub(crate) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::with_capacity(1024),
            values: Vec::new(),
        }
    }

    /// Appends SQL text (never caller data).
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.values.len().to_string());
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `p1, p2, …` bound to `values` (for `IN (…)`).
    pub(crate) fn bind_list<V: Into<Value> + Copy>(&mut self, values: &[V]) -> &mut Self {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(*v);
        }
        self
    }

    /// Appends `<column> NOT IN (…aggregates…)`: true for a partner (or reporter) that is a
    /// country, false for World and every other pseudo-partner (`country.is_aggregate`), which
    /// are never ranked as partners nor summed into a world total.
    pub(crate) fn not_aggregate(&mut self, column: &str) -> &mut Self {
        self.push(column).push(NOT_AGGREGATE)
    }

    pub(crate) fn backend(&self) -> DbBackend {
        self.backend
    }

    pub(crate) fn build(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}
