//! Owner-only files (issue 11, item 3). The data folder holds the PINFLs, passports and
//! phones of citizens: no other local account may read any of it. On Unix the process's
//! file-creation mask is set to 077 before anything is written, so every file the app
//! makes (the database and its WAL/SHM, which SQLite creates with the database's mode,
//! keys, attachments, exports, printed certificates, backups) is born 0600 and every
//! folder 0700, whichever code path writes it; opening a data folder also repairs what an
//! older Safar or a copy left wider. On Windows files inherit the ACL of the user's
//! profile folder, which is already private to him.

use std::path::Path;

/// Owner-only from now on for everything this process creates. Idempotent.
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// Takes the group's and others' bits off `dir` and everything under it (0755 -> 0700,
/// 0644 -> 0600). Only ever narrows: a file or folder made read-only on purpose stays so.
/// Symbolic links are not followed (a link to elsewhere is not ours to change). Best
/// effort: a file another account owns is left as it is and opening goes on.
pub fn repair(dir: &Path) {
    restrict_new_files();
    #[cfg(unix)]
    repair_unix(dir, 0);
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(unix)]
fn repair_unix(dir: &Path, depth: usize) {
    use std::os::unix::fs::PermissionsExt;
    let narrow = |path: &Path, meta: &std::fs::Metadata| {
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o7077 != 0 {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700));
        }
    };
    let Ok(meta) = std::fs::symlink_metadata(dir) else { return };
    if !meta.is_dir() {
        return;
    }
    narrow(dir, &meta);
    // Deep enough for exports/<batch>/ and backups/.work/; a deeper tree is not ours.
    if depth > 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            repair_unix(&path, depth + 1);
        } else if meta.is_file() {
            narrow(&path, &meta);
        }
    }
}

/// A new folder (and its parents), owner-only on Unix.
pub fn create_dir(path: &Path) -> std::io::Result<()> {
    restrict_new_files();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        if path.is_dir() {
            return Ok(());
        }
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)
}

/// A new file that must not exist yet, owner-only on Unix whatever the mask: backups go
/// to folders outside the data folder (a USB disk, a share).
pub fn create_new_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).expect("meta").permissions().mode() & 0o7777
    }

    #[test]
    fn a_folder_left_wide_is_made_owner_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("attachments");
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::write(sub.join("scan.pdf"), b"x").expect("write");
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::set_permissions(sub.join("scan.pdf"), std::fs::Permissions::from_mode(0o644)).expect("chmod");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
        repair(dir.path());
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&sub), 0o700);
        assert_eq!(mode(&sub.join("scan.pdf")), 0o600);
        // And what is written afterwards is born private.
        std::fs::write(sub.join("new.pdf"), b"x").expect("write");
        assert_eq!(mode(&sub.join("new.pdf")), 0o600);
    }
}
