//! Upgrades that cannot lose data. sqlx's own `Migrator::run` applies each migration in a
//! transaction of its own, so a failure half-way leaves a database between two schemas
//! that neither the old nor the new Safar opens. Here, on a database that already holds
//! something:
//!
//! 1. a database whose bookkeeping names a migration newer than this build is refused
//!    (`database_newer`) before anything is written;
//! 2. a consistent copy is taken with `VACUUM INTO` into
//!    `backups/pre-upgrade-<schema>-<stamp>.db` (owner-only on unix);
//! 3. every pending migration runs in ONE `BEGIN IMMEDIATE` transaction, with the very rows
//!    sqlx would write in `_sqlx_migrations` (version, description, success, checksum,
//!    execution time), so `sqlx::migrate!` still recognises the result. A failure rolls
//!    everything back and says where the copy is (`upgrade_failed`).
//!
//! The checks sqlx makes are kept: a dirty (failed) entry, a changed checksum and an
//! applied migration this build does not have are refused as sqlx refuses them.

use crate::error::{AppError, Result};
use sqlx::migrate::{MigrateError, Migration, Migrator};
use sqlx::{Executor, SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One row of `_sqlx_migrations`.
pub(super) struct Applied {
    version: i64,
    checksum: Vec<u8>,
    success: bool,
}

/// sqlx's bookkeeping table, created exactly as sqlx-sqlite creates it.
const ENSURE_TABLE: &str = r#"
CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
"#;

/// What `_sqlx_migrations` says was applied (nothing when the table does not exist yet).
pub(super) async fn applied(conn: &mut SqliteConnection) -> Result<Vec<Applied>> {
    let exists: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_one(&mut *conn)
            .await?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(version, checksum, success)| Applied { version, checksum, success }).collect())
}

/// Refuses a database written by a newer Safar: one whose bookkeeping holds a version past
/// this build's newest migration. Nothing is written before this check.
pub(super) fn refuse_newer(applied: &[Applied], db: &Path, migrator: &Migrator) -> Result<()> {
    let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    match applied.iter().map(|a| a.version).max() {
        Some(newest) if newest > known => {
            Err(AppError::new("database_newer").with("path", db.display()).with("schema", newest).with("known", known))
        }
        _ => Ok(()),
    }
}

/// The up-migrations not applied yet, in order.
pub(super) fn pending<'m>(applied: &'m [Applied], migrator: &'m Migrator) -> impl Iterator<Item = &'m Migration> {
    migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .filter(move |m| !applied.iter().any(|a| a.version == m.version))
}

/// The checks `Migrator::run` makes before applying anything, with sqlx's own errors.
fn check_like_sqlx(applied: &[Applied], migrator: &Migrator) -> Result<()> {
    if let Some(dirty) = applied.iter().find(|a| !a.success) {
        return Err(AppError::storage(MigrateError::Dirty(dirty.version)));
    }
    for a in applied {
        match migrator.iter().find(|m| m.version == a.version && !m.migration_type.is_down_migration()) {
            None if !migrator.ignore_missing => return Err(AppError::storage(MigrateError::VersionMissing(a.version))),
            Some(m) if *m.checksum != *a.checksum => {
                return Err(AppError::storage(MigrateError::VersionMismatch(a.version)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Brings the database behind `pool` (one connection) to `migrator`'s newest schema, or
/// leaves it exactly as it was.
pub(super) async fn run(pool: &SqlitePool, dir: &Path, migrator: &Migrator) -> Result<()> {
    let db = crate::data_dir::DataDir::new(dir).database();
    let mut conn = pool.acquire().await?;
    let before = applied(&mut conn).await?;
    refuse_newer(&before, &db, migrator)?;
    check_like_sqlx(&before, migrator)?;
    if pending(&before, migrator).next().is_none() {
        return Ok(());
    }
    let objects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master").fetch_one(&mut *conn).await?;
    // A new, empty database has nothing to lose: no copy. Anything else is copied first.
    let backup = if objects > 0 {
        let schema = before.iter().map(|a| a.version).max().unwrap_or(0);
        Some(back_up(&mut conn, dir, schema).await?)
    } else {
        None
    };

    let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    let outcome = apply_all(&mut tx, migrator).await;
    let outcome = match outcome {
        Ok(()) => tx.commit().await.map_err(|e| (schema_version(migrator), e.to_string())),
        Err(failed) => {
            let _ = tx.rollback().await;
            Err(failed)
        }
    };
    outcome.map_err(|(version, detail)| match &backup {
        Some(path) => AppError::new("upgrade_failed")
            .with("schema", version)
            .with("detail", detail)
            .with("backup", path.display())
            .with("path", db.display()),
        // A brand-new database that cannot be made is a defect of this build, not data.
        None => AppError::storage(format!("migration {version}: {detail}")),
    })
}

fn schema_version(migrator: &Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The migration creating `worker_sounds`, filled from the workers already stored.
const SOUNDS_MIGRATION: i64 = 9;

/// Every pending migration inside the caller's transaction, with sqlx's bookkeeping rows.
/// On failure: the version that failed and why.
async fn apply_all(conn: &mut SqliteConnection, migrator: &Migrator) -> std::result::Result<(), (i64, String)> {
    let fail = |version: i64| move |e: sqlx::Error| (version, e.to_string());
    conn.execute(ENSURE_TABLE).await.map_err(fail(0))?;
    // Read again under the write lock: another Safar may have upgraded in the meantime.
    let applied = applied(conn).await.map_err(|e| (0, e.to_string()))?;
    let todo: Vec<&Migration> = pending(&applied, migrator).collect();
    let mut timings = Vec::with_capacity(todo.len());
    for m in todo {
        let started = Instant::now();
        conn.execute(m.sql.clone()).await.map_err(fail(m.version))?;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?1, ?2, TRUE, ?3, -1)",
        )
        .bind(m.version)
        .bind(&*m.description)
        .bind(&*m.checksum)
        .execute(&mut *conn)
        .await
        .map_err(fail(m.version))?;
        // A migration whose rows need Rust to compute fills them here, inside the same
        // transaction, so an upgrade stopped halfway leaves the old schema whole.
        if m.version == SOUNDS_MIGRATION {
            super::sounds::backfill(conn).await.map_err(|e| (m.version, e.to_string()))?;
        }
        timings.push((m.version, started.elapsed()));
    }
    // sqlx fills in the time after its commit; inside the transaction it cannot be lost.
    for (version, elapsed) in timings {
        sqlx::query("UPDATE _sqlx_migrations SET execution_time = ?1 WHERE version = ?2")
            .bind(i64::try_from(elapsed.as_nanos()).unwrap_or(i64::MAX))
            .bind(version)
            .execute(&mut *conn)
            .await
            .map_err(fail(version))?;
    }
    Ok(())
}

/// A consistent copy of the database as it is now (`VACUUM INTO` reads one snapshot and
/// writes a compact, self-contained file: no WAL beside it). Returns its path.
async fn back_up(conn: &mut SqliteConnection, dir: &Path, schema: i64) -> Result<PathBuf> {
    let folder = crate::data_dir::DataDir::new(dir).backups();
    private::create_dir(&folder)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut n = 1;
    let (path, _file) = loop {
        let name = if n == 1 {
            format!("pre-upgrade-{schema}-{stamp}.db")
        } else {
            format!("pre-upgrade-{schema}-{stamp}-{n}.db")
        };
        let path = folder.join(name);
        // Made empty and owner-only first, so the copy is never readable by others, not
        // even for a moment; VACUUM INTO accepts an empty file.
        match private::create_file(&path) {
            Ok(file) => break (path, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e.into()),
        }
    };
    let target = path.to_str().ok_or_else(|| AppError::new("io").with("detail", path.display()))?;
    if let Err(e) = sqlx::query("VACUUM INTO ?").bind(target).execute(&mut *conn).await {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    Ok(path)
}

#[cfg(unix)]
mod private {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    use std::path::Path;

    /// The backups folder, owner-only when this call makes it.
    pub fn create_dir(path: &Path) -> std::io::Result<()> {
        if path.is_dir() {
            return Ok(());
        }
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)
    }

    /// A new, empty file only its owner can read (mode 0600).
    pub fn create_file(path: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
    }
}

#[cfg(not(unix))]
mod private {
    use std::path::Path;

    /// The backups folder; on Windows it inherits the user's profile folder's ACL.
    pub fn create_dir(path: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(path)
    }

    /// A new, empty file; on Windows it inherits the user's profile folder's ACL.
    pub fn create_file(path: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new().write(true).create_new(true).open(path)
    }
}
