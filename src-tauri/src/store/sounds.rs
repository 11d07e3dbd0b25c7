//! The sound-key index (`worker_sounds`, migration 0009): each worker's word sounds for the
//! "similar spelling" search tier and his name sound with birth date for the duplicate
//! warning. Functions taking a connection run inside the caller's transaction.

use crate::error::{Candidate, Result};
use crate::phonetic::birth_key;
use crate::roster::WorkerData;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// The index rows of one worker: his word sounds, then his duplicate key.
fn sounds_of(data: &WorkerData) -> Vec<String> {
    let mut out = data.sounds();
    out.push(birth_key(&data.sound_key(), &data.birth_date));
    out
}

/// Rows per multi-row INSERT: three values each, well under SQLite's 32,766.
const CHUNK: usize = 8_000;

async fn insert_rows(conn: &mut SqliteConnection, rows: &[(String, String, i64)]) -> Result<()> {
    for part in rows.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT OR IGNORE INTO worker_sounds (sound, sort_name, worker_id) ");
        q.push_values(part, |mut s, (sound, sort_name, id)| {
            s.push_bind(sound).push_bind(sort_name).push_bind(*id);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Replaces one worker's rows (after an insert or an update of his names or birth date).
pub async fn write(conn: &mut SqliteConnection, id: i64, data: &WorkerData) -> Result<()> {
    sqlx::query("DELETE FROM worker_sounds WHERE worker_id = ?").bind(id).execute(&mut *conn).await?;
    let sort_name = data.sort_name();
    let rows: Vec<_> = sounds_of(data).into_iter().map(|s| (s, sort_name.clone(), id)).collect();
    insert_rows(conn, &rows).await
}

/// The rows of many new workers at once (bulk inserts: the demo, imports).
pub async fn insert_many<'a>(
    conn: &mut SqliteConnection,
    workers: impl IntoIterator<Item = (i64, &'a WorkerData)>,
) -> Result<()> {
    let mut rows = Vec::new();
    for (id, data) in workers {
        let sort_name = data.sort_name();
        rows.extend(sounds_of(data).into_iter().map(|s| (s, sort_name.clone(), id)));
    }
    insert_rows(conn, &rows).await
}

/// Workers whose last and first names sound like `sound_key` and who were born on
/// `birth_date` (archived ones included: a returning worker is restored, not entered twice).
pub async fn same_sound_and_birth(
    conn: &mut SqliteConnection,
    sound_key: &str,
    birth_date: &str,
    except: Option<i64>,
) -> Result<Vec<Candidate>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT w.id, w.last_name || ' ' || w.first_name || COALESCE(' ' || w.patronymic, ''), w.birth_date \
         FROM worker_sounds s CROSS JOIN workers w ON w.id = s.worker_id \
         WHERE s.sound = ? AND w.id IS NOT ? ORDER BY w.id LIMIT 20",
    )
    .bind(birth_key(sound_key, birth_date))
    .bind(except)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name, birth_date)| Candidate { id, name, birth_date }).collect())
}

/// `(sound key, birth date) → [(id, full name)]` for the workers matching any of `keys`
/// (an import preview's duplicate check, batched).
pub async fn same_sounds(
    conn: &mut SqliteConnection,
    keys: &[(String, String)],
) -> Result<HashMap<(String, String), Vec<(i64, String)>>> {
    let mut by_key: HashMap<String, (String, String)> = HashMap::new();
    for (k, b) in keys {
        by_key.insert(birth_key(k, b), (k.clone(), b.clone()));
    }
    let wanted: Vec<&String> = by_key.keys().collect();
    let mut out: HashMap<(String, String), Vec<(i64, String)>> = HashMap::new();
    for chunk in wanted.chunks(500) {
        // The keys as a VALUES table driving the join: one primary-key search per key.
        let mut q = QueryBuilder::<Sqlite>::new("WITH k(s) AS (VALUES ");
        let mut sep = q.separated(", ");
        for key in chunk {
            sep.push("(").push_bind_unseparated((*key).clone()).push_unseparated(")");
        }
        q.push(
            ") SELECT s.sound, w.id, w.last_name || ' ' || w.first_name || COALESCE(' ' || w.patronymic, '') \
             FROM k CROSS JOIN worker_sounds s ON s.sound = k.s CROSS JOIN workers w ON w.id = s.worker_id \
             ORDER BY w.id",
        );
        let rows: Vec<(String, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
        for (sound, id, name) in rows {
            if let Some(key) = by_key.get(&sound) {
                out.entry(key.clone()).or_default().push((id, name));
            }
        }
    }
    Ok(out)
}

/// id, the three Latin names, the three Cyrillic ones, birth date.
type NamesRow = (i64, String, String, Option<String>, Option<String>, Option<String>, Option<String>, String);

/// Fills the index for every worker already stored (run once, by the upgrade that creates
/// it, inside its transaction), a slice of ids at a time so a million workers never sit in
/// memory together.
pub(super) async fn backfill(conn: &mut SqliteConnection) -> Result<()> {
    let mut after = 0i64;
    loop {
        let rows: Vec<NamesRow> = sqlx::query_as(
            "SELECT id, last_name, first_name, patronymic, last_name_cyrillic, first_name_cyrillic, \
                 patronymic_cyrillic, birth_date FROM workers WHERE id > ? ORDER BY id LIMIT 20000",
        )
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.0;
        let data: Vec<(i64, WorkerData)> = rows
            .into_iter()
            .map(|(id, last_name, first_name, patronymic, lc, fc, pc, birth_date)| {
                let d = WorkerData {
                    last_name,
                    first_name,
                    patronymic,
                    last_name_cyrillic: lc,
                    first_name_cyrillic: fc,
                    patronymic_cyrillic: pc,
                    birth_date,
                    ..WorkerData::default()
                };
                (id, d)
            })
            .collect();
        insert_many(conn, data.iter().map(|(id, d)| (*id, d))).await?;
    }
}
