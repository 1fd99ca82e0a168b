//! Keyset pages over rows ordered by their id: the window between two ids (both exclusive),
//! read from its start (`first`) or from its end (`last`).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// Which rows of a list ordered by id a page holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// Only rows after this id in list order.
    pub after: Option<i64>,
    /// Only rows before this id in list order.
    pub before: Option<i64>,
    /// Rows to read (the page size plus one, to tell whether there are more).
    pub limit: u64,
    /// Read from the end of the window (`last`): the rows come back in reverse list order.
    pub from_end: bool,
}

impl Window {
    /// `query` narrowed to the window and ordered to read it: the list is ordered by `id`
    /// ascending, or descending when `newest_first`.
    pub fn apply<E: EntityTrait>(&self, mut query: Select<E>, id: E::Column, newest_first: bool) -> Select<E>
    where
        E::Column: ColumnTrait,
    {
        if let Some(after) = self.after {
            query = query.filter(if newest_first { id.lt(after) } else { id.gt(after) });
        }
        if let Some(before) = self.before {
            query = query.filter(if newest_first { id.gt(before) } else { id.lt(before) });
        }
        // Reading from the end walks the list backwards.
        let ascending = newest_first == self.from_end;
        let query = if ascending {
            query.order_by_asc(id)
        } else {
            query.order_by_desc(id)
        };
        query.limit(self.limit)
    }
}
