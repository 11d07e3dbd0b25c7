//! Backups nobody has to think of: at most daily while the app runs and on quit, once the
//! admin has made the first one (which made the keys and showed him the recovery key);
//! and what the window shows of them (the backup section, the banner).

use super::layout::SETTING_FOLDER;
use super::service::{Last, Made};
use super::{keys, private};
use crate::audit::{self, Entry};
use crate::clock::stamp;
use crate::desk::Desk;
use crate::error::{AppError, Result};
use chrono::DateTime;
use serde::Serialize;
use std::path::PathBuf;

/// A scheduled backup when the newest is older than this.
pub const EVERY_HOURS: i64 = 24;
/// On quit: unless the newest is younger than this (quitting twice in a minute does not
/// make two backups; a day's later work does get one).
pub const ON_QUIT_HOURS: i64 = 1;
/// How often the running app looks whether a backup is due.
pub const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// The banner for everyone when no verified backup is younger than this.
pub const STALE_DAYS: i64 = 7;

impl Desk {
    /// Whether a scheduled backup is due: the keys exist (an admin made the first backup)
    /// and the newest is at least `hours` old ([`EVERY_HOURS`] while the app runs,
    /// [`ON_QUIT_HOURS`] when it closes).
    pub async fn backup_due(&self, hours: i64) -> Result<bool> {
        if self.store.is_read_only() || !super::keys::exist(self.dir().root()) {
            return Ok(false);
        }
        let last = self.last_backup().await?;
        let age = last.and_then(|l| DateTime::parse_from_rfc3339(&l.at).ok()).map(|at| self.clock.now() - at.to_utc());
        Ok(age.is_none_or(|a| a.num_hours() >= hours))
    }

    /// A scheduled backup when one is due (by "safar", the app itself).
    pub async fn back_up_if_due(&self, hours: i64) -> Result<Option<Made>> {
        // A record left waiting while another writer held the database: written now.
        if !self.store.is_read_only() {
            self.record_pending_backups().await?;
        }
        if !self.backup_due(hours).await? {
            return Ok(None);
        }
        Ok(Some(self.back_up(None, "safar").await?))
    }

    /// True when no verified backup is younger than [`STALE_DAYS`]: the banner.
    pub async fn backup_stale(&self) -> Result<bool> {
        let last = self.last_backup().await?.filter(|l| l.verified);
        let at = last.and_then(|l| DateTime::parse_from_rfc3339(&l.at).ok());
        Ok(at.is_none_or(|at| (self.clock.now() - at.to_utc()).num_days() >= STALE_DAYS))
    }
}

/// What the window's backup section and banner show.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub folder: PathBuf,
    /// False while backups go to the default folder inside the data folder (same disk).
    pub folder_chosen: bool,
    /// The backup keys exist (the first backup was made and its recovery key shown).
    pub keys: bool,
    pub last: Option<Last>,
    /// No verified backup younger than 7 days: the banner.
    pub stale: bool,
}

impl Desk {
    pub async fn backup_status(&self) -> Result<Status> {
        let (folder, folder_chosen) = self.backup_folder().await?;
        Ok(Status {
            folder,
            folder_chosen,
            keys: keys::exist(self.dir().root()),
            last: self.last_backup().await?,
            stale: self.backup_stale().await?,
        })
    }

    /// Chooses the folder scheduled backups go to (a USB disk, a share): an absolute path
    /// that can be made and written. Audited as a settings change.
    pub async fn set_backup_folder(&self, folder: &str, actor: &str) -> Result<PathBuf> {
        let path = PathBuf::from(folder.trim());
        let unusable = |detail: String| {
            AppError::new("backup_folder_unusable").on("folder").with("path", path.display()).with("detail", detail)
        };
        if !path.is_absolute() {
            return Err(unusable("not an absolute path".into()));
        }
        private::create_dir(&path).map_err(|e| unusable(e.to_string()))?;
        let probe = path.join(format!(".safar-write-test-{}", std::process::id()));
        private::create_new_file(&probe).map_err(|e| unusable(e.to_string()))?;
        let _ = std::fs::remove_file(&probe);
        let before = self.backup_folder().await?.0;
        let mut tx = self.store.write().await?;
        self.store.put_setting(&mut tx, SETTING_FOLDER, &path.display().to_string()).await?;
        let entry = Entry::new(&stamp(self.clock.now()), actor, "settings.change")
            .changes(serde_json::json!({SETTING_FOLDER: [before.display().to_string(), path.display().to_string()]}));
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(path)
    }
}

/// While the window runs: a thread that looks every [`LOOK_EVERY`] whether a daily backup
/// is due. Failures are not shown here: the backup section and the banner say how old the
/// newest verified backup is, which is what matters.
pub fn start(desk: Desk) {
    let _ = std::thread::Builder::new().name("backups".into()).spawn(move || loop {
        let _ = tauri::async_runtime::block_on(desk.back_up_if_due(EVERY_HOURS));
        std::thread::sleep(LOOK_EVERY);
    });
}

/// When the window closes: a backup unless one was made within [`ON_QUIT_HOURS`].
pub fn on_quit(desk: &Desk) {
    let _ = tauri::async_runtime::block_on(desk.back_up_if_due(ON_QUIT_HOURS));
}
