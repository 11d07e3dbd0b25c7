//! The names backups add to the data folder (keys, scratch space, file endings, settings);
//! the folder's own parts are named once, in data_dir.rs. Paths are relative to the data
//! folder.

/// Where the backup key and the recovery key's public half live (beside the signing key).
pub const KEYS_DIR: &str = "keys";
/// The age identity every backup is also encrypted to: scheduled backups need no typing.
pub const BACKUP_KEY_FILE: &str = "keys/backup.agekey";
/// The public half of the recovery key (its secret half is printed once and not kept).
pub const RECOVERY_RECIPIENT_FILE: &str = "keys/recovery.agepub";
/// The signing key and the keys of other agencies this one trusts.
pub const SIGNING_KEY_FILE: &str = crate::data_dir::SIGNING_KEY;
/// Contract scans and other attachments.
pub const ATTACHMENTS_DIR: &str = crate::data_dir::ATTACHMENTS;
/// The certificate's logo.
pub const LOGO_FILE: &str = crate::data_dir::LOGO;
/// Files the app wrote for the user (exports, printed certificates, statements).
pub const EXPORTS_DIR: &str = crate::data_dir::EXPORTS;
/// The default folder for backups when the admin chose none (better on another disk).
pub const BACKUPS_DIR: &str = crate::data_dir::BACKUP_DIR;
/// Scratch space of a backup being made or checked (snapshot before encryption): inside
/// the data folder, so it is as private as the database itself.
pub const SCRATCH_DIR: &str = "backups/.work";
/// "Last backup" records waiting while another writer held the database (record.rs).
pub const PENDING_RECORD_FILE: &str = "backups/.last-pending.json";
/// A finished backup's name ends so; one still being written ends in `.partial`.
pub const BACKUP_EXT: &str = ".safarbak";
pub const PARTIAL_EXT: &str = ".partial";
/// The settings (in the database) this area keeps.
pub const SETTING_FOLDER: &str = "backup.folder";
pub const SETTING_LAST: &str = "backup.last";
