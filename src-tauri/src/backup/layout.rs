//! The names this area adds to the data folder, in one place so the type that owns the
//! folder's layout can take them over. Paths are relative to the data folder.

/// Where the backup key and the recovery key's public half live (beside the signing key).
pub const KEYS_DIR: &str = "keys";
/// The age identity every backup is also encrypted to: scheduled backups need no typing.
pub const BACKUP_KEY_FILE: &str = "keys/backup.agekey";
/// The public half of the recovery key (its secret half is printed once and not kept).
pub const RECOVERY_RECIPIENT_FILE: &str = "keys/recovery.agepub";
/// The signing key and the keys of other agencies this one trusts.
pub const SIGNING_KEY_FILE: &str = "keys/certificate-signing.key";
/// Contract scans and other attachments.
pub const ATTACHMENTS_DIR: &str = "attachments";
/// The certificate's logo.
pub const LOGO_FILE: &str = "logo.png";
/// Files the app wrote for the user (exports, printed certificates, statements).
pub const EXPORTS_DIR: &str = "exports";
/// The default folder for backups when the admin chose none (better on another disk).
pub const BACKUPS_DIR: &str = "backups";
/// Scratch space of a backup being made or checked (snapshot before encryption): inside
/// the data folder, so it is as private as the database itself.
pub const SCRATCH_DIR: &str = "backups/.work";
/// A finished backup's name ends so; one still being written ends in `.partial`.
pub const BACKUP_EXT: &str = ".safarbak";
pub const PARTIAL_EXT: &str = ".partial";
/// The settings (in the database) this area keeps.
pub const SETTING_FOLDER: &str = "backup.folder";
pub const SETTING_LAST: &str = "backup.last";
