//! The data folder's layout, in one place: every file and folder Safar keeps for an agency
//! is named here and nowhere else, so moving, backing up or checking the folder needs no
//! knowledge spread over the areas. A leaf: it knows paths, not what is in them.

use std::path::{Path, PathBuf};

/// The database file, with its `-wal` and `-shm` companions beside it.
pub const DB_FILE: &str = "safar.db";
/// Copies of the database taken before an upgrade (and, later, the agency's backups).
pub const BACKUP_DIR: &str = "backups";
pub const SIGNING_KEY: &str = "keys/certificate-signing.key";
pub const LOGO: &str = "logo.png";
pub const ATTACHMENTS: &str = "attachments";
pub const EXPORTS: &str = "exports";
pub const AUDIT_CHECKPOINT: &str = "audit-checkpoint.txt";

/// One agency's data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// The write-ahead log of [`DataDir::database`]: changes not yet in the main file.
    pub fn database_wal(&self) -> PathBuf {
        self.root.join(format!("{DB_FILE}-wal"))
    }

    pub fn backups(&self) -> PathBuf {
        self.root.join(BACKUP_DIR)
    }

    /// The agency's certificate-signing key (private: 0600).
    pub fn signing_key(&self) -> PathBuf {
        self.root.join(SIGNING_KEY)
    }

    pub fn logo(&self) -> PathBuf {
        self.root.join(LOGO)
    }

    /// Contract scans and other files attached to records.
    pub fn attachments(&self) -> PathBuf {
        self.root.join(ATTACHMENTS)
    }

    /// Where the window writes what it prints or exports (the CLI writes where it is told).
    pub fn exports(&self) -> PathBuf {
        self.root.join(EXPORTS)
    }

    /// The newest signed checkpoint of the audit chain, copied out of the database.
    pub fn audit_checkpoint(&self) -> PathBuf {
        self.root.join(AUDIT_CHECKPOINT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_the_folder_lives_under_its_root() {
        let dir = DataDir::new("/data/agency");
        let parts = [
            dir.database(),
            dir.database_wal(),
            dir.backups(),
            dir.signing_key(),
            dir.logo(),
            dir.attachments(),
            dir.exports(),
            dir.audit_checkpoint(),
        ];
        for part in &parts {
            assert!(part.starts_with("/data/agency"), "{part:?}");
        }
        let unique: std::collections::BTreeSet<_> = parts.iter().collect();
        assert_eq!(unique.len(), parts.len(), "two parts share a path");
        assert_eq!(dir.database_wal(), Path::new("/data/agency/safar.db-wal"));
    }
}
