//! The small, rarely changing reference tables (countries, commodities, organisations,
//! sources) held in memory, swapped atomically when they change.
//!
//! Lookups by id index a dense vector; lookups by code go through a hash map of the
//! upper-cased code. Readers take a snapshot (`RefCache::get`) and never block writers.

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use entity::{commodity, country, organization, source};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

use crate::error::Result;

/// A table held in memory: rows by id and by code.
#[derive(Debug)]
pub struct Table<T> {
    by_id: Vec<Option<Arc<T>>>,
    by_code: HashMap<String, Arc<T>>,
    /// All rows, in the table's natural order (code).
    pub all: Vec<Arc<T>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            by_id: Vec::new(),
            by_code: HashMap::new(),
            all: Vec::new(),
        }
    }
}

impl<T> Table<T> {
    fn build(rows: Vec<T>, id: impl Fn(&T) -> i32, codes: impl Fn(&T) -> Vec<String>) -> Self {
        let mut table = Self::default();
        for row in rows {
            let row = Arc::new(row);
            let i = usize::try_from(id(&row)).unwrap_or(0);
            if table.by_id.len() <= i {
                table.by_id.resize(i + 1, None);
            }
            table.by_id[i] = Some(row.clone());
            for code in codes(&row) {
                table.by_code.insert(code.to_ascii_uppercase(), row.clone());
            }
            table.all.push(row);
        }
        table
    }

    /// The row with this primary key.
    #[inline]
    pub fn by_id(&self, id: i32) -> Option<&Arc<T>> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.by_id.get(i))
            .and_then(Option::as_ref)
    }

    /// The row with this code, case-insensitive.
    pub fn by_code(&self, code: &str) -> Option<&Arc<T>> {
        let code = code.trim();
        if code.bytes().any(|b| b.is_ascii_lowercase()) {
            self.by_code.get(&code.to_ascii_uppercase())
        } else {
            self.by_code.get(code)
        }
    }
}

/// One consistent snapshot of the reference tables.
#[derive(Debug, Default)]
pub struct RefData {
    /// Countries by iso3 and iso2 (and aggregates such as `W00`).
    pub countries: Table<country::Model>,
    /// Commodities by code (`TOTAL`, `XVI`, `84`, `8471`, …).
    pub commodities: Table<commodity::Model>,
    /// Organisations by code (`EAEU`, `EU`, …).
    pub organizations: Table<organization::Model>,
    /// Sources by key.
    pub sources: Table<source::Model>,
}

impl RefData {
    /// Reads the four tables (four statements).
    pub async fn load(db: &DatabaseConnection) -> Result<Self> {
        let countries = country::Entity::find()
            .order_by_asc(country::Column::Iso3)
            .all(db)
            .await?;
        let commodities = commodity::Entity::find()
            .order_by_asc(commodity::Column::Code)
            .all(db)
            .await?;
        let organizations = organization::Entity::find()
            .order_by_asc(organization::Column::Code)
            .all(db)
            .await?;
        let sources = source::Entity::find().order_by_asc(source::Column::Key).all(db).await?;
        Ok(Self {
            countries: Table::build(countries, |c| c.id, |c| vec![c.iso3.clone(), c.iso2.clone()]),
            commodities: Table::build(commodities, |c| c.id, |c| vec![c.code.clone()]),
            organizations: Table::build(organizations, |o| o.id, |o| vec![o.code.clone()]),
            sources: Table::build(sources, |s| s.id, |s| vec![s.key.clone()]),
        })
    }

    /// Id of the `W00` World pseudo-partner (-1, matching no row, when it is not loaded).
    pub fn world_id(&self) -> i32 {
        self.country("W00").map_or(-1, |w| w.id)
    }

    /// A country or aggregate by ISO alpha-3 or alpha-2 code, case-insensitive.
    pub fn country(&self, code: &str) -> Option<&Arc<country::Model>> {
        self.countries.by_code(code)
    }
}

/// The shared, refreshable cache.
#[derive(Debug, Default)]
pub struct RefCache {
    current: ArcSwap<RefData>,
    /// The reference tables' version (`service::version`) the snapshot was read at or after.
    version: std::sync::atomic::AtomicI64,
}

impl RefCache {
    pub async fn load(db: &DatabaseConnection) -> Result<Self> {
        let version = crate::service::version::versions(db).await?.reference;
        Ok(Self {
            current: ArcSwap::from_pointee(RefData::load(db).await?),
            version: version.into(),
        })
    }

    /// Reloads the snapshot when the reference tables' version moved past the one it was
    /// read at; returns the versions read (one statement when nothing moved).
    pub async fn ensure_current(&self, db: &DatabaseConnection) -> Result<crate::service::version::Versions> {
        use std::sync::atomic::Ordering;
        let versions = crate::service::version::versions(db).await?;
        if versions.reference != self.version.load(Ordering::Acquire) {
            // Read after the version: the snapshot holds at least what that version counts.
            self.current.store(Arc::new(RefData::load(db).await?));
            self.version.fetch_max(versions.reference, Ordering::AcqRel);
        }
        Ok(versions)
    }

    /// The current snapshot.
    #[inline]
    pub fn get(&self) -> Arc<RefData> {
        self.current.load_full()
    }

    /// Re-reads the tables; call after every write to them.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<Arc<RefData>> {
        let version = crate::service::version::versions(db).await?.reference;
        let fresh = Arc::new(RefData::load(db).await?);
        self.current.store(fresh.clone());
        self.version.fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        Ok(fresh)
    }
}
