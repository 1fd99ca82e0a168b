//! Relay paging arguments (`first`/`after` forward, `last`/`before` backward) of every
//! connection, and the page they select.

use async_graphql::Result;
use async_graphql::connection::CursorType;

use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::error::{Error, GqlResult};
use crate::service::page::Window;

/// A page asked for: cursors decoded, size checked.
#[derive(Debug)]
pub(crate) struct Paging<C> {
    pub after: Option<C>,
    pub before: Option<C>,
    /// Rows on the page.
    pub size: usize,
    /// `last` was given: the page is the end of the window.
    pub from_end: bool,
}

/// Checks the four paging arguments: `first` and `last` at most 1000 (more is
/// `TOO_COMPLEX`), not both; the default is the first 100.
pub(crate) fn paging<C: CursorType>(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<Paging<C>> {
    let size = |n: i32, name: &str| -> Result<usize> {
        match n {
            n if n < 0 => Err(Error::bad_input(format!("`{name}` must not be negative"))).gql(),
            n if n > MAX_PAGE_SIZE => Err(Error::TooComplex(format!(
                "`{name}` is {n}; at most {MAX_PAGE_SIZE} rows per page"
            )))
            .gql(),
            n => Ok(n as usize),
        }
    };
    let (size, from_end) = match (first, last) {
        (Some(_), Some(_)) => {
            return Err(Error::bad_input(
                "give `first` (with `after`) or `last` (with `before`), not both",
            ))
            .gql();
        }
        (None, Some(last)) => (size(last, "last")?, true),
        (first, None) => (size(first.unwrap_or(DEFAULT_PAGE_SIZE), "first")?, false),
    };
    let decode = |c: Option<String>, name: &str| -> Result<Option<C>> {
        c.map(|c| C::decode_cursor(&c).map_err(|_| Error::bad_input(format!("invalid `{name}` cursor"))))
            .transpose()
            .gql()
    };
    Ok(Paging {
        after: decode(after, "after")?,
        before: decode(before, "before")?,
        size,
        from_end,
    })
}

impl<C> Paging<C> {
    /// The window to read, given how a cursor names a position (an id, or a sort key and id).
    pub fn window<P>(&self, position: impl Fn(&C) -> P) -> Window<P> {
        Window {
            after: self.after.as_ref().map(&position),
            before: self.before.as_ref().map(&position),
            limit: self.size as u64 + 1,
            from_end: self.from_end,
        }
    }

    /// The page from the rows read (up to `size + 1`, in reading order): in list order,
    /// with whether there are rows before and after it.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> (Vec<T>, bool, bool) {
        let more = rows.len() > self.size;
        rows.truncate(self.size);
        if self.from_end {
            rows.reverse();
            (rows, more, self.before.is_some())
        } else {
            (rows, self.after.is_some(), more)
        }
    }
}
