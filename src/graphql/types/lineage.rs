//! Lineage of a derived figure: its formula in words and symbols, and the stored rows it was
//! computed from, so a client can list them and recompute the figure.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::{Qualifier, Source, source_of};
use crate::error::{Error, GqlResult};
use crate::graphql::MAX_PAGE_SIZE;

/// One stored value a figure was computed from.
#[derive(Clone)]
pub struct LineageInput {
    /// `Node` id of the stored row (`AidPledge`, `IndicatorValue`, …); rows that are not
    /// `Node`s yet have a stable id of their own (`ExchangeRate:EUR:2023`, base64url).
    pub id: ID,
    /// The symbol the formula names it by.
    pub symbol: &'static str,
    pub value: f64,
    pub qualifier: entity::enums::Qualifier,
    pub source_id: Option<i32>,
}

#[Object]
impl LineageInput {
    /// Global id of the stored row; `node(id:)` fetches `Node` rows.
    async fn id(&self) -> &ID {
        &self.id
    }
    /// The symbol of `Lineage.expression` this value stands for.
    async fn symbol(&self) -> &str {
        self.symbol
    }
    /// The value used.
    async fn value(&self) -> f64 {
        self.value
    }
    /// Its stored qualifier.
    async fn qualifier(&self) -> Qualifier {
        self.qualifier.into()
    }
    /// Where it comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.source_id)
    }
}

/// How a figure was computed.
pub struct Lineage {
    /// The formula in words.
    pub formula: String,
    /// The formula in the symbols of the inputs (`cagr`'s carries its number of years).
    pub expression: std::borrow::Cow<'static, str>,
    pub inputs: Vec<LineageInput>,
}

/// Page info of a lineage's inputs.
#[derive(SimpleObject)]
pub struct LineageTotal {
    /// Inputs over all pages.
    total_count: usize,
}

#[Object]
impl Lineage {
    /// The formula in words.
    async fn formula(&self) -> &str {
        &self.formula
    }
    /// The formula in symbols, e.g. `amount × usdPerUnit`; each input names its symbol.
    async fn expression(&self) -> &str {
        &self.expression
    }
    /// The stored values used, a page at a time (a world total can have 200 partners).
    #[graphql(complexity = "crate::graphql::list_cost(first, child_complexity)")]
    async fn inputs(
        &self,
        #[graphql(desc = "Page size (at most 1000; default 100).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last input of the previous page.")] after: Option<String>,
    ) -> Result<Connection<usize, LineageInput, LineageTotal, EmptyFields>> {
        let first = first.unwrap_or(crate::graphql::DEFAULT_PAGE_SIZE);
        if !(0..=MAX_PAGE_SIZE).contains(&first) {
            return Err(Error::TooComplex(format!(
                "`first` is {first}; at most {MAX_PAGE_SIZE}"
            )))
            .gql();
        }
        let start = match after {
            None => 0,
            Some(c) => {
                <usize as async_graphql::connection::CursorType>::decode_cursor(&c)
                    .map_err(|_| Error::bad_input("invalid `after` cursor"))
                    .gql()?
                    + 1
            }
        };
        let end = (start + first as usize).min(self.inputs.len());
        let mut page = Connection::with_additional_fields(
            start > 0,
            end < self.inputs.len(),
            LineageTotal {
                total_count: self.inputs.len(),
            },
        );
        page.edges.extend(
            self.inputs
                .iter()
                .enumerate()
                .take(end)
                .skip(start)
                .map(|(i, input)| Edge::new(i, input.clone())),
        );
        Ok(page)
    }
}
