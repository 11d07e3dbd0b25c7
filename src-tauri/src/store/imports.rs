//! Import queries: batched look-ups for duplicate checks (one statement per few hundred
//! rows instead of three per row) and saved column mappings.

use super::Store;
use crate::error::Result;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// SQLite's bound-parameter limit is far above this; smaller statements keep plans cheap.
const CHUNK: usize = 500;

/// `value → (id, "last first")` for the workers holding any of `values` in `column`
/// (`pinfl` or `passport_number`, both UNIQUE).
pub async fn owners(
    conn: &mut SqliteConnection,
    column: &'static str,
    values: &[&str],
) -> Result<HashMap<String, (i64, String)>> {
    debug_assert!(column == "pinfl" || column == "passport_number");
    let mut out = HashMap::new();
    for chunk in values.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {column}, id, last_name || ' ' || first_name FROM workers WHERE {column} IN ("
        ));
        let mut s = q.separated(", ");
        for v in chunk {
            s.push_bind(v.to_string());
        }
        q.push(")");
        let rows: Vec<(String, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
        out.extend(rows.into_iter().map(|(v, id, name)| (v, (id, name))));
    }
    Ok(out)
}

/// Which of `ids` are archived workers (an import must not update them: they are restored
/// by hand, with a reason).
pub async fn archived(conn: &mut SqliteConnection, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT id FROM workers WHERE archived = 1 AND id IN (");
        let mut s = q.separated(", ");
        for id in chunk {
            s.push_bind(*id);
        }
        q.push(")");
        let rows: Vec<i64> = q.build_query_scalar().fetch_all(&mut *conn).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The consent in force (the newest record) of each of `ids` that has one: the preview
/// must refuse an update the commit would refuse for want of a valid consent.
pub async fn latest_consents(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<HashMap<i64, crate::roster::consent::Consent>> {
    #[derive(sqlx::FromRow)]
    struct Latest {
        worker_id: i64,
        #[sqlx(flatten)]
        consent: crate::roster::consent::Consent,
    }
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT worker_id, {} FROM consents WHERE id IN \
             (SELECT MAX(id) FROM consents WHERE worker_id IN (",
            super::workers::CONSENT_COLUMNS
        ));
        let mut s = q.separated(", ");
        for id in chunk {
            s.push_bind(*id);
        }
        q.push(") GROUP BY worker_id)");
        let rows: Vec<Latest> = q.build_query_as().fetch_all(&mut *conn).await?;
        out.extend(rows.into_iter().map(|r| (r.worker_id, r.consent)));
    }
    Ok(out)
}

pub async fn save_mapping(
    conn: &mut SqliteConnection,
    shape: &str,
    mapping: &str,
    now: &str,
    actor: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO import_mappings (shape, mapping, saved_at, saved_by) VALUES (?, ?, ?, ?) \
         ON CONFLICT (shape) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
    )
    .bind(shape)
    .bind(mapping)
    .bind(now)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The mapping saved for files of this shape (JSON text), if any.
    pub async fn saved_mapping(&self, shape: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT mapping FROM import_mappings WHERE shape = ?")
            .bind(shape)
            .fetch_optional(&self.pool)
            .await?)
    }
}
