//! Keyset pages: the window between two positions of a list (both exclusive), read from its
//! start (`first`) or from its end (`last`). A position is a row's id for lists in id order
//! (`Window<i64>`), or a sort key with the id breaking ties (trade flows by value or year).

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value};

/// Which rows of an ordered list a page holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window<P = i64> {
    /// Only rows after this position in list order.
    pub after: Option<P>,
    /// Only rows before this position in list order.
    pub before: Option<P>,
    /// Rows to read (the page size plus one, to tell whether there are more).
    pub limit: u64,
    /// Read from the end of the window (`last`): the rows come back in reverse list order.
    pub from_end: bool,
}

impl<P> Default for Window<P> {
    fn default() -> Self {
        Self {
            after: None,
            before: None,
            limit: 0,
            from_end: false,
        }
    }
}

impl Window<i64> {
    /// `query` narrowed to the window and ordered to read it: the list is ordered by `id`
    /// ascending, or descending when `newest_first`.
    pub fn apply<E: EntityTrait>(&self, query: Select<E>, id: E::Column, newest_first: bool) -> Select<E>
    where
        E::Column: ColumnTrait,
    {
        let by_id = |p: &i64| (None, *p);
        self.sorted(None, id, newest_first, by_id).apply_to(query)
    }
}

impl<P> Window<P> {
    /// The window over a list ordered by `key` (when given) then `id`, both `descending` or
    /// both ascending; `position` gives a position's key value and id.
    pub fn sorted<C: ColumnTrait>(
        &self,
        key: Option<C>,
        id: C,
        descending: bool,
        position: impl Fn(&P) -> (Option<Value>, i64),
    ) -> Sorted<C> {
        Sorted {
            key,
            id,
            descending,
            after: self.after.as_ref().map(&position),
            before: self.before.as_ref().map(&position),
            limit: self.limit,
            from_end: self.from_end,
        }
    }
}

/// A window over a list sorted by (key, id), positions resolved to values.
pub struct Sorted<C> {
    key: Option<C>,
    id: C,
    descending: bool,
    after: Option<(Option<Value>, i64)>,
    before: Option<(Option<Value>, i64)>,
    limit: u64,
    from_end: bool,
}

impl<C: ColumnTrait> Sorted<C> {
    /// Rows strictly below (`below`) or above a position in (key, id) order. Written as
    /// `key <= k AND (key < k OR id < i)` rather than a row comparison so that both databases
    /// start an index range scan on `key` (PostgreSQL scanned the whole index for the plain
    /// OR form).
    fn beyond(&self, (key, id): &(Option<Value>, i64), below: bool) -> Condition {
        let id_cond = if below { self.id.lt(*id) } else { self.id.gt(*id) };
        match (self.key, key) {
            (Some(col), Some(k)) => {
                let (bound, strict) = if below {
                    (col.lte(k.clone()), col.lt(k.clone()))
                } else {
                    (col.gte(k.clone()), col.gt(k.clone()))
                };
                Condition::all()
                    .add(bound)
                    .add(Condition::any().add(strict).add(id_cond))
            }
            _ => Condition::all().add(id_cond),
        }
    }

    /// `query` narrowed to the window and ordered to read it.
    pub fn apply_to<E: EntityTrait<Column = C>>(&self, mut query: Select<E>) -> Select<E> {
        // "After" in a descending list is below the position.
        if let Some(after) = &self.after {
            query = query.filter(self.beyond(after, self.descending));
        }
        if let Some(before) = &self.before {
            query = query.filter(self.beyond(before, !self.descending));
        }
        // Reading from the end walks the list backwards.
        let read_descending = self.descending != self.from_end;
        for col in self.key.iter().chain([&self.id]) {
            query = if read_descending {
                query.order_by_desc(*col)
            } else {
                query.order_by_asc(*col)
            };
        }
        query.limit(self.limit)
    }
}
