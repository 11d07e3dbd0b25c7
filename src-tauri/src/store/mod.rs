//! The only place with SQL. Opens the database with the settings RELIABILITY.md asks for
//! and runs the embedded migrations. The domain calls methods on [`Store`]; a PostgreSQL
//! backend later becomes a second variant behind the same methods.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod imports;
mod name_search;
pub mod placement;
pub mod sounds;
pub mod training;
mod upgrade;
pub mod workers;

use crate::data_dir::DataDir;
use crate::error::{AppError, Result};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: SqlitePool,
    path: PathBuf,
    /// A data folder that cannot be written (a copy on a CD, a locked share): reads and
    /// verification work, every write is refused with `read_only` before it starts.
    read_only: bool,
}

/// Whether the database in `dir` can be written: the folder must take a new file (the
/// WAL and its index live beside the database) and the database file must open for
/// writing. Asked of the file system, not of the permission bits, which an administrator
/// or a read-only mount would contradict.
fn writable(dir: &Path, db: &Path) -> bool {
    let probe = dir.join(format!(".safar-write-test-{}", std::process::id()));
    let folder_ok = std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).is_ok();
    if folder_ok {
        let _ = std::fs::remove_file(&probe);
    }
    folder_ok && (!db.exists() || std::fs::OpenOptions::new().write(true).open(db).is_ok())
}

/// The settings read back from a live connection (a test asserts them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    pub journal_mode: String,
    pub synchronous: i64,
    pub foreign_keys: i64,
    pub busy_timeout: i64,
    pub trusted_schema: i64,
}

/// File systems that do not give SQLite's locking guarantees across machines.
const NETWORK_FS: &[&str] = &["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ncpfs", "davfs"];

/// The file system type holding `path` (Linux: the longest mount point that contains it).
fn fs_type(path: &Path) -> Option<String> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    let path = path.canonicalize().ok()?;
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, mount, kind) = (f.next()?, f.next()?, f.next()?);
            let mount = mount.replace("\\040", " ");
            path.starts_with(&mount).then(|| (mount.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// The migrations this build knows, embedded at compile time (`migrations/`).
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The schema version this build brings a database to: its newest migration's number.
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

impl Store {
    /// Opens (creating if needed) `dir/safar.db` and brings its schema up to date.
    pub async fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, &MIGRATOR).await
    }

    /// [`Store::open`] with another set of migrations: tests upgrade with a deliberately
    /// failing one, or stop at an older schema.
    #[doc(hidden)]
    pub async fn open_with(dir: &Path, migrator: &Migrator) -> Result<Store> {
        if !dir.is_dir() {
            crate::backup::private::create_dir(dir)?;
        }
        if let Some(kind) = fs_type(dir) {
            if NETWORK_FS.contains(&kind.as_str()) {
                return Err(AppError::new("network_share").with("path", dir.display()));
            }
        }
        let path = DataDir::new(dir).database();
        if path.exists() && !writable(dir, &path) {
            return Store::open_read_only(path, migrator).await;
        }
        // Owner-only from here on, and whatever an older Safar left readable is narrowed
        // (issue 11): after the read-only check, which must see the folder as it is.
        crate::backup::private::repair(dir);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(AppError::storage)?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("trusted_schema", "OFF")
            // 64 MiB of page cache per connection (the default is 2 MiB): a million-worker
            // roster's indexes stay in memory, which bulk inserts need most.
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "MEMORY");
        // Migrations first, on a connection of their own: the change tracking every working
        // connection sets up (store::audit::TRACKING) needs the tables they create.
        let migrating = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
        let migrated = upgrade::run(&migrating, dir, migrator).await;
        migrating.close().await;
        migrated?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql(audit::TRACKING).execute(conn).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store { pool, path, read_only: false })
    }

    /// Opens a database nobody can write here. `immutable` tells SQLite that no one else
    /// writes it either, which is what lets it read a WAL database without creating the
    /// `-shm` index beside it (impossible in a read-only folder). The schema must already be
    /// this version's: migrating is a write.
    async fn open_read_only(path: PathBuf, migrator: &Migrator) -> Result<Store> {
        // An immutable database is read without its WAL: a copy taken while Safar ran (or
        // left by a crash) would silently lose its last changes. With a WAL beside it, read
        // it as SQLite normally does, which needs the WAL index to be there too.
        let wal = path.with_file_name(format!("{}-wal", crate::data_dir::DB_FILE));
        let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(AppError::storage)?
            .filename(&path)
            .read_only(true)
            .immutable(!pending)
            .foreign_keys(true)
            .pragma("trusted_schema", "OFF");
        let pool = match SqlitePoolOptions::new().max_connections(4).min_connections(1).connect_with(options).await {
            Ok(pool) => pool,
            Err(_) if pending => return Err(AppError::new("read_only_unfinished").with("path", path.display())),
            Err(e) => return Err(e.into()),
        };
        let state = {
            let mut conn = pool.acquire().await?;
            upgrade::applied(&mut conn).await
        };
        let checked = state.and_then(|applied| {
            upgrade::refuse_newer(&applied, &path, migrator)?;
            Ok(upgrade::pending(&applied, migrator).next().is_some())
        });
        match checked {
            Ok(false) => Ok(Store { pool, path, read_only: true }),
            Ok(true) => {
                pool.close().await;
                Err(AppError::new("read_only_outdated").with("path", path.display()))
            }
            Err(e) => {
                pool.close().await;
                Err(e)
            }
        }
    }

    /// True when the data folder is read-only (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The pool itself, for tests that check what the database refuses.
    #[doc(hidden)]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The data folder the database file lives in.
    pub fn dir(&self) -> DataDir {
        DataDir::new(self.path.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front, so two writers
    /// queue on the busy timeout instead of failing half-way with "database is locked".
    pub async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        if self.read_only {
            return Err(AppError::new("read_only").with("path", self.path.display()));
        }
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A connection for reads that need several queries.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Sqlite>> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn pragmas(&self) -> Result<Pragmas> {
        let mut conn = self.pool.acquire().await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
        let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await?;
        let trusted_schema: i64 = sqlx::query_scalar("PRAGMA trusted_schema").fetch_one(&mut *conn).await?;
        Ok(Pragmas { journal_mode, synchronous, foreign_keys, busy_timeout, trusted_schema })
    }

    pub async fn integrity_check(&self) -> Result<String> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await?)
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(&self.pool).await?)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let mut tx = self.write().await?;
        self.put_setting(&mut tx, key, value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as("SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key")
            .bind(prefix)
            .bind(format!("{prefix}\u{10FFFF}"))
            .fetch_all(&self.pool)
            .await?)
    }

    /// Writes a setting inside the caller's transaction.
    pub async fn put_setting(&self, conn: &mut sqlx::SqliteConnection, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(conn)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_database_opens_with_the_promised_settings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        let p = store.pragmas().await.expect("pragmas");
        assert_eq!(
            p,
            Pragmas {
                journal_mode: "wal".into(),
                synchronous: 2,
                foreign_keys: 1,
                busy_timeout: 10_000,
                trusted_schema: 0
            }
        );
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        assert!(DataDir::new(dir.path()).database().exists());
    }

    #[tokio::test]
    async fn settings_persist_across_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).await.expect("open");
        store.set_setting("language", "ru").await.expect("set");
        store.set_setting("language", "en").await.expect("set again");
        store.close().await;
        let store = Store::open(dir.path()).await.expect("reopen");
        assert_eq!(store.setting("language").await.expect("get").as_deref(), Some("en"));
        assert_eq!(store.setting("nothing").await.expect("get"), None);
    }
}
