//! The "last backup" record: what the backup section, the banner and the schedule read.
//!
//! A backup is finished and verified before it is recorded, so recording it must not turn
//! a good backup into a failure. Another writer (an import of thousands of rows, a second
//! window, the CLI) may hold the database longer than the busy timeout: the record is tried
//! again, and when the database stays busy it is kept in a small private file beside the
//! scratch space and written, with its audit entry, by the next backup or the next look of
//! the schedule. Until then `last_backup` reads it from there, so nobody sees a stale banner.

use super::layout::{PENDING_RECORD_FILE, SETTING_LAST};
use super::private;
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

/// How many times the record is tried (each waits up to the store's busy timeout) and the
/// pause between tries.
const ATTEMPTS: u32 = 2;
const PAUSE: std::time::Duration = std::time::Duration::from_millis(500);
/// Records kept waiting at most: a database busy for weeks keeps the newest ones.
const KEEP_PENDING: usize = 50;

/// The newest backup this data folder made, as the window shows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Last {
    pub file: String,
    pub at: String,
    pub size: u64,
    pub verified: bool,
}

/// A record not yet written to the database: the backup and who made it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Pending {
    last: Last,
    actor: String,
}

impl Desk {
    fn pending_path(&self) -> PathBuf {
        self.dir().root().join(PENDING_RECORD_FILE)
    }

    /// Records waiting for the database, oldest first. A damaged file holds nothing
    /// usable: it is ignored (the backups themselves are untouched).
    fn pending(&self) -> Vec<Pending> {
        std::fs::read(self.pending_path()).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Temporary name, sync, rename: a crash never leaves half a record.
    fn save_pending(&self, records: &[Pending]) -> Result<()> {
        let path = self.pending_path();
        if let Some(dir) = path.parent() {
            private::create_dir(dir)?;
        }
        let tmp = path.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut f = private::create_new_file(&tmp)?;
        f.write_all(&serde_json::to_vec(records)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }

    /// The newest backup made here, if any: the database's record, or a newer one still
    /// waiting for a busy database.
    pub async fn last_backup(&self) -> Result<Option<Last>> {
        let recorded: Option<Last> =
            self.store.setting(SETTING_LAST).await?.and_then(|t| serde_json::from_str(&t).ok());
        let waiting = self.pending().into_iter().map(|p| p.last).max_by(|a, b| a.at.cmp(&b.at));
        Ok(match (recorded, waiting) {
            (Some(r), Some(w)) => Some(if w.at > r.at { w } else { r }),
            (r, w) => r.or(w),
        })
    }

    /// Records a backup just written and verified, with its audit entry (and any records
    /// left waiting before). Returns false when the database stayed busy: the record then
    /// waits in a file (see the module's note) and the backup still counts as made.
    pub(super) async fn record_backup(&self, last: &Last, actor: &str) -> Result<bool> {
        let mut records = self.pending();
        records.push(Pending { last: last.clone(), actor: actor.to_string() });
        for attempt in 1..=ATTEMPTS {
            match self.write_records(&records, true).await {
                Ok(()) => {
                    let _ = std::fs::remove_file(self.pending_path());
                    return Ok(true);
                }
                // Whatever the database said (busy, locked, read-only), the file is whole.
                Err(_) if attempt < ATTEMPTS => tokio::time::sleep(PAUSE).await,
                Err(_) => {}
            }
        }
        let skip = records.len().saturating_sub(KEEP_PENDING);
        self.save_pending(&records[skip..])?;
        Ok(false)
    }

    /// Writes the records still waiting, if any (the schedule's every look). True when
    /// nothing is left waiting.
    pub async fn record_pending_backups(&self) -> Result<bool> {
        let records = self.pending();
        if records.is_empty() {
            return Ok(true);
        }
        if self.write_records(&records, false).await.is_err() {
            return Ok(false);
        }
        let _ = std::fs::remove_file(self.pending_path());
        Ok(true)
    }

    /// One transaction: an audit entry per backup, at the time it was made (those that
    /// waited say so; `last_fresh`: the last one did not), and the setting moved to the
    /// newest (never back to an older one).
    async fn write_records(&self, records: &[Pending], last_fresh: bool) -> Result<()> {
        let mut tx = self.store.write().await?;
        let current: Option<Last> = crate::store::accounts::setting_in(&mut tx, SETTING_LAST)
            .await?
            .and_then(|t| serde_json::from_str(&t).ok());
        let mut newest = current;
        for (i, r) in records.iter().enumerate() {
            let late = !(last_fresh && i + 1 == records.len());
            let name = std::path::Path::new(&r.last.file).file_name().map(|n| n.to_string_lossy().into_owned());
            let mut changes = serde_json::json!({"file": name, "size": r.last.size, "verified": r.last.verified});
            if late {
                changes["recorded_late"] = serde_json::json!(true);
            }
            audit::append(&mut tx, &Entry::new(&r.last.at, &r.actor, "backup.create").changes(changes)).await?;
            if newest.as_ref().is_none_or(|n| r.last.at >= n.at) {
                newest = Some(r.last.clone());
            }
        }
        if let Some(newest) = newest {
            self.store.put_setting(&mut tx, SETTING_LAST, &serde_json::to_string(&newest)?).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
