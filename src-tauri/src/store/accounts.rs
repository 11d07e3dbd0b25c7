//! Users, the agency profile and the audit log.

use super::Store;
use crate::accounts::model::User;
use crate::agency::model::{Agency, AgencyInput};
use crate::audit::Stored;
use crate::error::Result;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// A user row with the secrets sign-in needs (never leaves the core).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub login: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
}

const USER_COLUMNS: &str = "id, login, full_name, role, disabled, created_at";

/// The account of a login, without regard to case (`ADMIN` is `admin`; the unique index
/// `users_login_nocase` serves the look-up).
pub async fn user_by_login(conn: &mut SqliteConnection, login: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, login, role, password_hash, disabled, failed_logins, locked_until FROM users \
         WHERE login = ? COLLATE NOCASE",
    )
    .bind(login)
    .fetch_optional(conn)
    .await?)
}

pub async fn user(conn: &mut SqliteConnection, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

pub async fn insert_user(
    conn: &mut SqliteConnection,
    login: &str,
    full_name: &str,
    role: &str,
    hash: &str,
    now: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (login, full_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(login)
    .bind(full_name)
    .bind(role)
    .bind(hash)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn record_failure(
    conn: &mut SqliteConnection,
    id: i64,
    failures: i64,
    locked_until: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")
        .bind(failures)
        .bind(locked_until)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The failures counted against a login that names no account: `(failures, locked_until)`.
pub async fn throttle(conn: &mut SqliteConnection, key: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(sqlx::query_as("SELECT failed_logins, locked_until FROM login_throttle WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?)
}

pub async fn record_throttle(
    conn: &mut SqliteConnection,
    key: &str,
    failures: i64,
    locked_until: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_throttle (key, failed_logins, locked_until) VALUES (?, ?, ?) \
         ON CONFLICT (key) DO UPDATE SET failed_logins = excluded.failed_logins, locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(failures)
    .bind(locked_until)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record_success(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}

pub async fn set_disabled(conn: &mut SqliteConnection, id: i64, disabled: bool, now: &str) -> Result<()> {
    // Enabling also lifts a lock-out: the admin has vouched for the user.
    sqlx::query(
        "UPDATE users SET disabled = ?, failed_logins = 0, locked_until = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
    )
        .bind(disabled)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_role(conn: &mut SqliteConnection, id: i64, role: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET role = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(role)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password(conn: &mut SqliteConnection, id: i64, hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn agency_in(conn: &mut SqliteConnection) -> Result<Option<Agency>> {
    Ok(sqlx::query_as("SELECT name, licence_number, licence_date, address, director, version FROM agency WHERE id = 1")
        .fetch_optional(conn)
        .await?)
}

pub async fn insert_agency(conn: &mut SqliteConnection, a: &AgencyInput, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO agency (id, name, licence_number, licence_date, address, director, created_at, updated_at) \
         VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&a.name)
    .bind(&a.licence_number)
    .bind(&a.licence_date)
    .bind(&a.address)
    .bind(&a.director)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves the agency if its version is still `version`.
pub async fn update_agency(conn: &mut SqliteConnection, version: i64, a: &AgencyInput, now: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE agency SET name = ?, licence_number = ?, licence_date = ?, address = ?, director = ?, updated_at = ?, \
         version = version + 1 WHERE id = 1 AND version = ?",
    )
    .bind(&a.name)
    .bind(&a.licence_number)
    .bind(&a.licence_date)
    .bind(&a.address)
    .bind(&a.director)
    .bind(now)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Filters for the audit screen and `safar audit list`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
    pub action: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub to: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// Oldest first instead of newest first.
    pub ascending: bool,
}

impl AuditQuery {
    /// The most entries one page shows.
    pub const MAX_LIMIT: u32 = 1000;

    /// Refuses a page size outside 1..=1000, naming the range (never read as 1 or 1000).
    pub fn check(&self) -> Result<()> {
        match self.limit {
            Some(limit) => crate::error::check_range("limit", limit.into(), 1, Self::MAX_LIMIT.into()),
            None => Ok(()),
        }
    }
}

const AUDIT_COLUMNS: &str = "id, at, actor, action, record_type, record_id, changes, prev_hash, hash, seals";

impl Store {
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY login");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?)
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
    }

    pub async fn agency(&self) -> Result<Option<Agency>> {
        let mut conn = self.pool.acquire().await?;
        agency_in(&mut conn).await
    }

    /// A page of the audit trail, and whether more follow.
    pub async fn audit(&self, q: &AuditQuery) -> Result<(Vec<Stored>, bool)> {
        q.check()?;
        let limit = i64::from(q.limit.unwrap_or(100));
        let mut b = QueryBuilder::<Sqlite>::new(format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE 1 = 1"));
        if let Some(u) = q.user.as_deref().filter(|u| !u.is_empty()) {
            b.push(" AND actor = ").push_bind(u.to_string());
        }
        if let Some(t) = q.record_type.as_deref().filter(|t| !t.is_empty()) {
            b.push(" AND record_type = ").push_bind(t.to_string());
        }
        if let Some(id) = q.record_id {
            b.push(" AND record_id = ").push_bind(id);
        }
        if let Some(a) = q.action.as_deref().filter(|a| !a.is_empty()) {
            b.push(" AND action = ").push_bind(a.to_string());
        }
        // Days are the agency's local days; entries are stamped in UTC.
        if let Some(f) = q.from.as_deref().and_then(|f| crate::audit::local_day_start(f, 0)) {
            b.push(" AND at >= ").push_bind(f);
        }
        if let Some(t) = q.to.as_deref().and_then(|t| crate::audit::local_day_start(t, 1)) {
            b.push(" AND at < ").push_bind(t);
        }
        b.push(if q.ascending { " ORDER BY id ASC" } else { " ORDER BY id DESC" });
        b.push(" LIMIT ").push_bind(limit + 1).push(" OFFSET ").push_bind(i64::from(q.offset.unwrap_or(0)));
        let mut rows: Vec<Stored> = b.build_query_as().fetch_all(&self.pool).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Ok((rows, more))
    }

    /// The whole chain in order, for verification.
    pub async fn audit_chain(&self) -> Result<Vec<Stored>> {
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?)
    }
}

/// A setting read inside the caller's transaction.
pub async fn setting_in(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(conn).await?)
}
