//! The desk: one agency's store and the clock. Every area hangs its services on it in its own
//! `impl Desk` block (roster/service.rs, accounts.rs, placement/…), so this module depends
//! only on the store, the clock and the data folder's layout, and no area has to import
//! another to reach it.

use crate::clock::{stamp, Clock};
use crate::data_dir::DataDir;
use crate::store::Store;
use std::sync::Arc;

/// The app's services over one database. Cheap to clone (the store is a pool).
#[derive(Clone)]
pub struct Desk {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
}

impl Desk {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Desk {
        Desk { store, clock }
    }

    /// The current moment as stored (RFC 3339, UTC, milliseconds).
    pub fn now(&self) -> String {
        stamp(self.clock.now())
    }

    /// The data folder this desk's database lives in: the only source of its path.
    pub fn dir(&self) -> DataDir {
        self.store.dir()
    }

    /// How many workers the roster holds, archived ones included.
    pub async fn count_workers(&self) -> crate::error::Result<i64> {
        self.store.count_workers().await
    }

    /// Closes the database (the CLI, before it exits: the WAL is checkpointed).
    pub async fn close(&self) {
        self.store.close().await;
    }
}
