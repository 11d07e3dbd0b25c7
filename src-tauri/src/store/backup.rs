//! The SQL of backups (issue 11): a consistent snapshot of the live database and the
//! facts a backup's manifest records and `backup verify` checks again.

use super::Store;
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// What a snapshot holds, as the manifest records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub schema: i64,
    pub licence: String,
    /// Rows of every table (sqlx's bookkeeping included).
    pub counts: BTreeMap<String, i64>,
    /// The attachment files the rows name (`attachments/<sha256>.<ext>`), each once.
    #[serde(default)]
    pub attachment_files: Vec<String>,
}

/// What `PRAGMA integrity_check` and `foreign_key_check` said of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub integrity: String,
    pub foreign_key_violations: i64,
}

impl Store {
    /// A consistent copy of the database at one instant into `target` (which must not exist
    /// or be empty). `VACUUM INTO` reads inside one read transaction, so writers go on and
    /// the copy holds whole transactions only: never a file copy of a live WAL database.
    pub async fn snapshot_into(&self, target: &Path) -> Result<()> {
        let text = target.to_str().ok_or_else(|| AppError::new("io").with("detail", target.display()))?;
        sqlx::query("VACUUM INTO ?").bind(text).execute(&self.pool).await?;
        Ok(())
    }
}

/// Opens a snapshot file read-only, on its own connection (never the live pool).
async fn open_snapshot(path: &Path) -> Result<sqlx::SqliteConnection> {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(AppError::storage)?
        .filename(path)
        .read_only(true)
        .immutable(true)
        .pragma("trusted_schema", "OFF");
    Ok(options.connect().await?)
}

/// Schema version, licence and row counts of a snapshot.
pub async fn facts(path: &Path) -> Result<Facts> {
    let mut conn = open_snapshot(path).await?;
    let schema: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(None);
    let licence: Option<String> =
        sqlx::query_scalar("SELECT licence_number FROM agency WHERE id = 1").fetch_optional(&mut conn).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await?;
    let mut counts = BTreeMap::new();
    for table in tables {
        // The name comes from sqlite_master, quoted as an identifier.
        let sql = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut conn).await?;
        counts.insert(table, n);
    }
    let files: Vec<(String, String)> = if counts.contains_key("attachments") {
        sqlx::query_as("SELECT DISTINCT sha256, kind FROM attachments ORDER BY sha256").fetch_all(&mut conn).await?
    } else {
        Vec::new()
    };
    // The same naming as placement::attachments::file_path.
    let attachment_files = files
        .into_iter()
        .map(|(sha, kind)| format!("attachments/{sha}.{}", if kind == "jpeg" { "jpg" } else { &kind }))
        .collect();
    conn.close().await?;
    Ok(Facts { schema: schema.unwrap_or(0), licence: licence.unwrap_or_default(), counts, attachment_files })
}

/// `integrity_check` and `foreign_key_check` of a snapshot.
pub async fn health(path: &Path) -> Result<Health> {
    let mut conn = open_snapshot(path).await?;
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await?;
    let violations = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await?.len();
    conn.close().await?;
    Ok(Health { integrity: lines.join("; "), foreign_key_violations: violations as i64 })
}
