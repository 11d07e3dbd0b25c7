//! The keys backups are encrypted to. Every backup is encrypted to two age recipients:
//!
//! - the **backup key**, an identity kept in the data folder (0600, beside the signing
//!   key): scheduled backups need nobody to type anything, and the PC that made a backup
//!   can verify and restore it;
//! - the **recovery key**, made at the same time, whose secret half is shown once to the
//!   admin to print and keep in the safe. Only its public half stays on the PC. With it and
//!   any backup, a lost or dead PC is recovered on a new one.
//!
//! The backup file on a USB disk or a share holds neither secret: its finder learns nothing.

use super::layout::{BACKUP_KEY_FILE, RECOVERY_RECIPIENT_FILE};
use super::private;
use crate::error::{AppError, Result};
use age::secrecy::ExposeSecret;
use std::io::Write;
use std::path::Path;

/// Whether the backup keys exist yet.
pub fn exist(data_dir: &Path) -> bool {
    data_dir.join(BACKUP_KEY_FILE).is_file() && data_dir.join(RECOVERY_RECIPIENT_FILE).is_file()
}

/// Makes the two keys when they are missing. Returns the recovery key's secret text
/// (`AGE-SECRET-KEY-1…`) when it was just made: the only moment it can be shown.
pub fn ensure(data_dir: &Path) -> Result<Option<String>> {
    if exist(data_dir) {
        return Ok(None);
    }
    // A damaged backup key is refused, never replaced: older backups need it.
    if data_dir.join(BACKUP_KEY_FILE).exists() {
        load_backup_identity(data_dir)?;
    } else {
        let id = age::x25519::Identity::generate();
        write_private(&data_dir.join(BACKUP_KEY_FILE), id.to_string().expose_secret())?;
    }
    let recovery = age::x25519::Identity::generate();
    write_private(&data_dir.join(RECOVERY_RECIPIENT_FILE), &recovery.to_public().to_string())?;
    Ok(Some(recovery.to_string().expose_secret().to_string()))
}

/// The backup key kept in the data folder.
pub fn load_backup_identity(data_dir: &Path) -> Result<age::x25519::Identity> {
    let path = data_dir.join(BACKUP_KEY_FILE);
    if !path.is_file() {
        return Err(AppError::new("backup_no_key"));
    }
    let text = crate::files::read_text_bounded(&path, crate::files::KEY_MAX, "key")?;
    parse_identity(&text)
}

/// A key as typed or printed: `AGE-SECRET-KEY-1…`, surrounding blanks and comment lines
/// (`# …`) ignored, case-insensitive (printed keys get retyped).
pub fn parse_identity(text: &str) -> Result<age::x25519::Identity> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    compact.parse::<age::x25519::Identity>().map_err(|_| AppError::new("backup_key_invalid").on("key"))
}

/// Both recipients a new backup is encrypted to.
pub fn recipients(data_dir: &Path) -> Result<Vec<age::x25519::Recipient>> {
    let backup = load_backup_identity(data_dir)?.to_public();
    let path = data_dir.join(RECOVERY_RECIPIENT_FILE);
    let text = crate::files::read_text_bounded(&path, crate::files::KEY_MAX, "key")
        .map_err(|_| AppError::new("backup_no_key"))?;
    let recovery =
        text.trim().parse::<age::x25519::Recipient>().map_err(|_| AppError::new("backup_key_invalid").on("key"))?;
    Ok(vec![backup, recovery])
}

/// Proves `key` is this folder's recovery key: its public half is the one kept here.
pub fn check_recovery(data_dir: &Path, key: &age::x25519::Identity) -> Result<()> {
    let path = data_dir.join(RECOVERY_RECIPIENT_FILE);
    if !path.is_file() {
        return Err(AppError::new("backup_no_key"));
    }
    let kept = crate::files::read_text_bounded(&path, crate::files::KEY_MAX, "key")?;
    if kept.trim() != key.to_public().to_string() {
        return Err(AppError::new("recovery_key_wrong").on("key"));
    }
    Ok(())
}

/// Temporary name, sync, rename: a crash never leaves half a key.
fn write_private(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        private::create_dir(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = private::create_new_file(&tmp)?;
    f.write_all(format!("{text}\n").as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recovery_key_is_shown_once_and_only_its_public_half_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = ensure(dir.path()).expect("ensure").expect("new key");
        assert!(secret.starts_with("AGE-SECRET-KEY-1"));
        assert_eq!(ensure(dir.path()).expect("again"), None);
        let kept = std::fs::read_to_string(dir.path().join(RECOVERY_RECIPIENT_FILE)).expect("read");
        assert!(kept.trim().starts_with("age1") && !kept.contains(&secret));
        let typed = format!("# printed 2026-12-02\n  {}  \n", secret.to_lowercase());
        let id = parse_identity(&typed).expect("typed back");
        assert!(recipients(dir.path())
            .expect("recipients")
            .iter()
            .any(|r| r.to_string() == id.to_public().to_string()));
        assert!(matches!(parse_identity("nonsense"), Err(e) if e.code == "backup_key_invalid"));
        check_recovery(dir.path(), &id).expect("the printed key is this folder's");
        let other = age::x25519::Identity::generate();
        assert!(matches!(check_recovery(dir.path(), &other), Err(e) if e.code == "recovery_key_wrong"));
        // The backup key kept here is not the recovery key either.
        let backup = load_backup_identity(dir.path()).expect("backup key");
        assert!(matches!(check_recovery(dir.path(), &backup), Err(e) if e.code == "recovery_key_wrong"));
    }
}
