//! The audit trail's own tables beyond the chain: record seals (the state each audited
//! change left a record in) and the signed checkpoints of the chain's head.

use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

/// The records whose current state `audit verify` compares with their last audited state:
/// (record type, table, the columns that make the state; `None` for all of them). A
/// user's failed-login counter and lock change without an audited change of the account,
/// so only what an attacker would want to change (login, name, role, password, disabled)
/// is sealed.
pub const SEALED: &[(&str, &str, Option<&[&str]>)] = &[
    ("worker", "workers", None),
    ("user", "users", Some(&["id", "login", "full_name", "role", "password_hash", "disabled"])),
    // A revoked certificate turned valid again, or a consent's term stretched, with sqlite3.
    ("certificate", "certificates", None),
    ("consent", "consents", None),
];

/// Run on every connection that may write: a temporary table of the records written in
/// the current transaction, filled by temporary triggers, so the next audit entry seals
/// them whichever code path wrote them (temporary objects are per connection and never
/// stored in the file; the table's rows roll back with the transaction).
pub const TRACKING: &str = "
CREATE TEMP TABLE IF NOT EXISTS touched (
    record_type TEXT NOT NULL, record_id INTEGER NOT NULL, PRIMARY KEY (record_type, record_id)
) WITHOUT ROWID;
CREATE TEMP TRIGGER IF NOT EXISTS touch_worker_insert AFTER INSERT ON main.workers
BEGIN INSERT OR IGNORE INTO touched VALUES ('worker', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_worker_update AFTER UPDATE ON main.workers
BEGIN INSERT OR IGNORE INTO touched VALUES ('worker', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_user_insert AFTER INSERT ON main.users
BEGIN INSERT OR IGNORE INTO touched VALUES ('user', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_user_update
AFTER UPDATE OF login, full_name, role, password_hash, disabled ON main.users
BEGIN INSERT OR IGNORE INTO touched VALUES ('user', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_certificate_insert AFTER INSERT ON main.certificates
BEGIN INSERT OR IGNORE INTO touched VALUES ('certificate', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_certificate_update AFTER UPDATE ON main.certificates
BEGIN INSERT OR IGNORE INTO touched VALUES ('certificate', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_consent_insert AFTER INSERT ON main.consents
BEGIN INSERT OR IGNORE INTO touched VALUES ('consent', NEW.id); END;
CREATE TEMP TRIGGER IF NOT EXISTS touch_consent_update AFTER UPDATE ON main.consents
BEGIN INSERT OR IGNORE INTO touched VALUES ('consent', NEW.id); END;
";

/// One seal: the record and the SHA-256 (hex) of its state.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Seal {
    pub record_type: String,
    pub record_id: i64,
    pub audit_id: i64,
    pub hash: String,
}

/// A signed head of the chain.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Checkpoint {
    pub entry_id: i64,
    pub head_hash: String,
    pub at: String,
    pub key_id: String,
    pub signature: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SQL that gives each row's canonical state: a JSON object of its columns (only
/// `columns` when given) in name order, without the null ones (`json_patch` onto `{}`
/// drops them), so a column added later with no value does not change older rows' states.
/// Built by SQLite's own JSON functions: a million-row seal or check is C code, not a
/// JSON tree per row in Rust.
async fn state_sql(conn: &mut SqliteConnection, table: &str, columns: Option<&[&str]>) -> Result<String> {
    let mut names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info(?)").bind(table).fetch_all(&mut *conn).await?;
    names.retain(|n| columns.is_none_or(|c| c.contains(&n.as_str())));
    names.sort();
    // Column names come from the schema, never from input; quoted all the same.
    let pairs: Vec<String> = names.iter().map(|n| format!("'{n}', \"{n}\"")).collect();
    Ok(format!("SELECT id, json_patch('{{}}', json_object({})) FROM {table}", pairs.join(", ")))
}

fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn table_of(kind: &str) -> Option<(&'static str, Option<&'static [&'static str]>)> {
    SEALED.iter().find(|(k, _, _)| *k == kind).map(|(_, t, c)| (*t, *c))
}

/// The records written since the last entry on this connection, cleared as they are read.
pub async fn take_touched(conn: &mut SqliteConnection) -> Result<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT record_type, record_id FROM temp.touched ORDER BY record_type, record_id")
            .fetch_all(&mut *conn)
            .await?;
    if !rows.is_empty() {
        sqlx::query("DELETE FROM temp.touched").execute(&mut *conn).await?;
    }
    Ok(rows)
}

/// The state hashes of these records as they are now (a deleted record has none).
pub async fn state_hashes(conn: &mut SqliteConnection, kind: &str, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let Some((table, columns)) = table_of(kind) else { return Ok(Vec::new()) };
    let select = state_sql(&mut *conn, table, columns).await?;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("{select} WHERE id IN ({marks}) ORDER BY id");
        let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id);
        }
        for (id, state) in q.fetch_all(&mut *conn).await? {
            out.push((id, sha256_hex(&state)));
        }
    }
    Ok(out)
}

/// Every record of a sealed type with its state hash, in id order. Streamed: at a million
/// workers only the hashes are held, never the rows.
pub async fn all_state_hashes(pool: &SqlitePool, kind: &str) -> Result<Vec<(i64, String)>> {
    use futures_util::TryStreamExt;
    let Some((table, columns)) = table_of(kind) else { return Ok(Vec::new()) };
    let mut conn = pool.acquire().await?;
    let sql = format!("{} ORDER BY id", state_sql(&mut conn, table, columns).await?);
    let mut rows = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    let mut out = Vec::new();
    while let Some((id, state)) = rows.try_next().await? {
        out.push((id, sha256_hex(&state)));
    }
    Ok(out)
}

pub async fn insert_seals(conn: &mut SqliteConnection, audit_id: i64, seals: &[(String, i64, String)]) -> Result<()> {
    for chunk in seals.chunks(300) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO record_seals (record_type, record_id, audit_id, hash) ",
        );
        q.push_values(chunk, |mut b, (kind, id, hash)| {
            b.push_bind(kind).push_bind(id).push_bind(audit_id).push_bind(hash);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every seal, by entry then record: what `audit verify` recomputes digests from.
pub async fn seals(pool: &SqlitePool) -> Result<Vec<Seal>> {
    Ok(sqlx::query_as(
        "SELECT record_type, record_id, audit_id, hash FROM record_seals ORDER BY audit_id, record_type, record_id",
    )
    .fetch_all(pool)
    .await?)
}

/// Marks every record of a sealed type that no entry has sealed yet (data from before
/// seals existed) as written, so the next entry seals it; returns how many. One statement
/// per type, however many records.
pub async fn touch_unsealed(conn: &mut SqliteConnection, kind: &str) -> Result<u64> {
    let Some((table, _)) = table_of(kind) else { return Ok(0) };
    let sql = format!(
        "INSERT OR IGNORE INTO temp.touched SELECT ?1, id FROM {table} t WHERE NOT EXISTS \
         (SELECT 1 FROM record_seals s WHERE s.record_type = ?1 AND s.record_id = t.id)"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind).execute(conn).await?.rows_affected())
}

/// True when some entry already carries seals: the database has been sealing since its
/// first change under this version, so nothing may be sealed without an audited change.
pub async fn sealing_started(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT EXISTS (SELECT 1 FROM audit_log WHERE seals IS NOT NULL)")
        .fetch_one(conn)
        .await?
        == 1)
}

pub async fn last_checkpoint(conn: &mut SqliteConnection) -> Result<Option<Checkpoint>> {
    Ok(sqlx::query_as(
        "SELECT entry_id, head_hash, at, key_id, signature FROM audit_checkpoints ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn checkpoints(pool: &SqlitePool) -> Result<Vec<Checkpoint>> {
    Ok(sqlx::query_as("SELECT entry_id, head_hash, at, key_id, signature FROM audit_checkpoints ORDER BY id")
        .fetch_all(pool)
        .await?)
}

pub async fn insert_checkpoint(conn: &mut SqliteConnection, c: &Checkpoint) -> Result<()> {
    sqlx::query("INSERT INTO audit_checkpoints (entry_id, head_hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)")
        .bind(c.entry_id)
        .bind(&c.head_hash)
        .bind(&c.at)
        .bind(&c.key_id)
        .bind(&c.signature)
        .execute(conn)
        .await?;
    Ok(())
}

/// The newest entry's id and hash.
pub async fn head(conn: &mut SqliteConnection) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(conn).await?)
}

/// The parts of an entry that its hash covers (its own id included, so entries cannot
/// be swapped); `audit` computes the hash, the store writes the row.
pub struct Link<'a> {
    pub id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<i64>,
    pub changes: &'a str,
    pub prev: &'a str,
    pub seals: Option<&'a str>,
}

pub async fn insert_entry(conn: &mut SqliteConnection, e: &Link<'_>, hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, record_type, record_id, changes, prev_hash, hash, seals) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.id)
    .bind(e.at)
    .bind(e.actor)
    .bind(e.action)
    .bind(e.record_type)
    .bind(e.record_id)
    .bind(e.changes)
    .bind(e.prev)
    .bind(hash)
    .bind(e.seals)
    .execute(conn)
    .await?;
    Ok(())
}
