// Over 600 lines: every worker query (list, search, bulk insert, consents, history); one table family, kept together until the PostgreSQL store (issue 18) splits it per backend.
//! Worker queries. Functions taking a `SqliteConnection` run inside the caller's
//! transaction (`&mut *tx`), so checks and writes see one consistent database.

use super::Store;
use crate::error::Result;
use crate::names::prefix_upper_bound;
use crate::roster::{HistoryEntry, ListQuery, SearchTerm, SortKey, Worker, WorkerData, WorkerRow};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

const WORKER_COLUMNS: &str = "w.id, w.last_name, w.first_name, w.patronymic, w.last_name_cyrillic, \
    w.first_name_cyrillic, w.patronymic_cyrillic, w.birth_date, w.sex, w.pinfl, w.passport_number, \
    w.passport_issued, w.passport_expiry, w.phone, w.region, w.destination_country, w.notes, w.status, \
    w.archived_at, w.created_at, w.updated_at, w.version";

const ROW_COLUMNS: &str = "w.id, w.last_name, w.first_name, w.patronymic, w.last_name_cyrillic, \
    w.first_name_cyrillic, w.birth_date, w.pinfl, w.passport_number, w.phone, w.region, \
    w.destination_country, w.status, w.archived_at";

/// Columns written for a worker, in the order of [`push_data`].
const DATA_COLUMNS: &str = "last_name, first_name, patronymic, last_name_cyrillic, first_name_cyrillic, \
    patronymic_cyrillic, birth_date, sex, pinfl, passport_number, passport_issued, passport_expiry, \
    phone, phone_rev, region, destination_country, notes, name_key, sort_name";

fn phone_rev(phone: &Option<String>) -> Option<String> {
    phone.as_ref().map(|p| p.chars().filter(char::is_ascii_digit).rev().collect())
}

fn push_data(s: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>, d: &WorkerData) {
    s.push_bind(&d.last_name)
        .push_bind(&d.first_name)
        .push_bind(&d.patronymic)
        .push_bind(&d.last_name_cyrillic)
        .push_bind(&d.first_name_cyrillic)
        .push_bind(&d.patronymic_cyrillic)
        .push_bind(&d.birth_date)
        .push_bind(&d.sex)
        .push_bind(&d.pinfl)
        .push_bind(&d.passport_number)
        .push_bind(&d.passport_issued)
        .push_bind(&d.passport_expiry)
        .push_bind(&d.phone)
        .push_bind(phone_rev(&d.phone))
        .push_bind(&d.region)
        .push_bind(&d.destination_country)
        .push_bind(&d.notes)
        .push_bind(d.name_key())
        .push_bind(d.sort_name());
}

/// The worker (id and name) that already holds this PINFL, other than `except`.
pub async fn pinfl_owner(
    conn: &mut SqliteConnection,
    pinfl: &str,
    except: Option<i64>,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, last_name || ' ' || first_name FROM workers WHERE pinfl = ? AND id IS NOT ?")
        .bind(pinfl)
        .bind(except)
        .fetch_optional(conn)
        .await?)
}

pub async fn passport_owner(
    conn: &mut SqliteConnection,
    passport: &str,
    except: Option<i64>,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, last_name || ' ' || first_name FROM workers WHERE passport_number = ? AND id IS NOT ?",
    )
    .bind(passport)
    .bind(except)
    .fetch_optional(conn)
    .await?)
}

async fn write_tokens(conn: &mut SqliteConnection, id: i64, data: &WorkerData) -> Result<()> {
    sqlx::query("DELETE FROM worker_tokens WHERE worker_id = ?").bind(id).execute(&mut *conn).await?;
    let tokens = data.tokens();
    if tokens.is_empty() {
        return Ok(());
    }
    let sort_name = data.sort_name();
    let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO worker_tokens (token, literal, sort_name, worker_id) ");
    q.push_values(&tokens, |mut s, t| {
        s.push_bind(&t.token).push_bind(&t.literal).push_bind(&sort_name).push_bind(id);
    });
    q.build().execute(conn).await?;
    Ok(())
}

/// One status-history row: `code` for a move the software made (translated where shown),
/// `reason` for what the clerk typed or what goes with the code.
#[allow(clippy::too_many_arguments)]
pub async fn add_history(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
    actor: &str,
    from: Option<&str>,
    to: &str,
    code: Option<&str>,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO status_history (worker_id, at, actor, from_status, to_status, reason_code, reason) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(at)
    .bind(actor)
    .bind(from)
    .bind(to)
    .bind(code)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a new worker with its search tokens; returns the new id.
pub async fn insert(conn: &mut SqliteConnection, data: &WorkerData, status: &str, now: &str) -> Result<i64> {
    let mut q =
        QueryBuilder::<Sqlite>::new(format!("INSERT INTO workers ({DATA_COLUMNS}, status, created_at, updated_at) "));
    q.push_values([data], |mut s, d| {
        push_data(&mut s, d);
        s.push_bind(status).push_bind(now).push_bind(now);
    });
    q.push(" RETURNING id");
    let id: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    write_tokens(conn, id, data).await?;
    super::sounds::write(conn, id, data).await?;
    Ok(id)
}

/// Overwrites a worker's data if its version is still `version`; returns false when
/// someone saved it in the meantime (or it does not exist).
pub async fn update(conn: &mut SqliteConnection, id: i64, version: i64, data: &WorkerData, now: &str) -> Result<bool> {
    let mut q = QueryBuilder::<Sqlite>::new("UPDATE workers SET (");
    q.push(DATA_COLUMNS).push(", updated_at, version) = (");
    let mut s = q.separated(", ");
    push_data(&mut s, data);
    s.push_bind(now);
    q.push(", version + 1) WHERE id = ").push_bind(id).push(" AND version = ").push_bind(version);
    let done = q.build().execute(&mut *conn).await?.rows_affected() == 1;
    if done {
        write_tokens(conn, id, data).await?;
        super::sounds::write(conn, id, data).await?;
    }
    Ok(done)
}

pub async fn set_status(conn: &mut SqliteConnection, id: i64, status: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE workers SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_archived(conn: &mut SqliteConnection, id: i64, archived_at: Option<&str>, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE workers SET archived = (? IS NOT NULL), archived_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
    )
    .bind(archived_at)
    .bind(archived_at)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get_in(conn: &mut SqliteConnection, id: i64) -> Result<Option<Worker>> {
    let sql = format!("SELECT {WORKER_COLUMNS} FROM workers w WHERE w.id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

/// A bulk status-history row: worker, from, to, reason code, reason.
type BulkHistory<'a> = (i64, Option<&'a str>, &'a str, Option<&'a str>, &'a str);

pub async fn history_in(conn: &mut SqliteConnection, id: i64) -> Result<Vec<HistoryEntry>> {
    Ok(sqlx::query_as(
        "SELECT at, actor, from_status, to_status, reason, reason_code FROM status_history WHERE worker_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// One demo worker to bulk-insert.
pub struct BulkWorker {
    pub data: WorkerData,
    pub status: &'static str,
    /// Status history after creation: (from, to, reason).
    pub moves: Vec<(&'static str, &'static str, &'static str)>,
    pub consent: crate::roster::consent::ConsentData,
    /// For workers at a contract stage: the contract, journey and fees to go with it.
    pub placement: Option<Placement>,
}

/// A demo worker's placement, made consistent with the rules by the demo (demo.rs).
#[derive(Debug, Clone)]
pub struct Placement {
    pub stage: crate::roster::status::Status,
    pub signed_days_ago: i64,
    /// One in twenty contracts pays less than its job order (and is flagged for it).
    pub underpaid: bool,
    /// Some workers paid a consulting fee (under the cap).
    pub consulting_fee: bool,
}

/// The id the next inserted worker gets.
pub async fn next_id(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM workers").fetch_one(conn).await?)
}

/// Inserts many workers with multi-row statements inside the caller's transaction (the
/// demo and, later, imports), numbered from `first` (take it from [`next_id`] in the same
/// transaction).
pub async fn insert_many(
    conn: &mut SqliteConnection,
    first: i64,
    rows: &[BulkWorker],
    now: &str,
    actor: &str,
) -> Result<()> {
    // SQLite allows 32,766 bound values per statement: 22 per worker row.
    for (chunk_no, chunk) in rows.chunks(1000).enumerate() {
        let base = first + (chunk_no * 1000) as i64;
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO workers (id, {DATA_COLUMNS}, status, created_at, updated_at) "
        ));
        q.push_values(chunk.iter().enumerate(), |mut s, (i, w)| {
            s.push_bind(base + i as i64);
            push_data(&mut s, &w.data);
            s.push_bind(w.status).push_bind(now).push_bind(now);
        });
        q.build().execute(&mut *conn).await?;

        let tokens: Vec<(i64, crate::names::NameToken, std::sync::Arc<String>)> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, w)| {
                let sort_name = std::sync::Arc::new(w.data.sort_name());
                w.data.tokens().into_iter().map(move |t| (base + i as i64, t, sort_name.clone()))
            })
            .collect();
        for part in tokens.chunks(8_000) {
            let mut q =
                QueryBuilder::<Sqlite>::new("INSERT INTO worker_tokens (token, literal, sort_name, worker_id) ");
            q.push_values(part, |mut s, (id, t, sort_name)| {
                s.push_bind(&t.token).push_bind(&t.literal).push_bind(sort_name.as_str()).push_bind(*id);
            });
            q.build().execute(&mut *conn).await?;
        }

        super::sounds::insert_many(&mut *conn, chunk.iter().enumerate().map(|(i, w)| (base + i as i64, &w.data)))
            .await?;

        let history: Vec<BulkHistory> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, w)| {
                let id = base + i as i64;
                std::iter::once((id, None, "registered", Some("created"), ""))
                    .chain(w.moves.iter().map(move |(from, to, why)| (id, Some(*from), *to, None, *why)))
            })
            .collect();
        for part in history.chunks(5_000) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO status_history (worker_id, at, actor, from_status, to_status, reason_code, reason) ",
            );
            q.push_values(part, |mut s, (id, from, to, code, why)| {
                s.push_bind(*id)
                    .push_bind(now)
                    .push_bind(actor)
                    .push_bind(*from)
                    .push_bind(*to)
                    .push_bind(*code)
                    .push_bind(*why);
            });
            q.build().execute(&mut *conn).await?;
        }

        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO consents (worker_id, given_on, purpose, data_list, valid_until, may_transfer_abroad, recorded_at, recorded_by) ",
        );
        q.push_values(chunk.iter().enumerate(), |mut s, (i, w)| {
            let c = &w.consent;
            s.push_bind(base + i as i64)
                .push_bind(&c.given_on)
                .push_bind(&c.purpose)
                .push_bind(&c.data_list)
                .push_bind(&c.valid_until)
                .push_bind(c.may_transfer_abroad)
                .push_bind(now)
                .push_bind(actor);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The filters and search of a list query, shared by the page and the count. A search
/// first gathers its candidates `m(worker_id, score)` from the right index, then joins
/// the workers (CROSS JOIN keeps SQLite from walking the whole name index instead).
/// `found` holds the candidates of a search of several name words, gathered beforehand
/// (`name_search::matches`).
fn push_from_where(q: &mut QueryBuilder<Sqlite>, query: &ListQuery, term: &Option<SearchTerm>, found: Option<&str>) {
    match term {
        Some(SearchTerm::Names(words)) if words.len() > 1 => {
            // Each candidate is `id << 8 | score << 2 | worst` (name_search.rs).
            q.push(
                " FROM (SELECT value >> 8 AS worker_id, (value >> 2) & 63 AS score, value & 3 AS worst \
                 FROM json_each(",
            )
            .push_bind(found.unwrap_or("[]").to_string())
            .push(")) m CROSS JOIN workers w ON w.id = m.worker_id WHERE ");
        }
        Some(SearchTerm::Names(words)) => {
            // One word: 0 = the same spelling, 1 = the same folded word, 2 = a longer word
            // starting with it, 3 = a word that sounds the same (phonetic.rs). `score`
            // ranks (a name typed exactly is 0, first); `worst` says how he matched.
            q.push(" FROM (SELECT worker_id, MIN(s) AS score, MIN(s) AS worst FROM (");
            for (token, literal, sound) in words.iter().take(1) {
                q.push("SELECT worker_id, CASE WHEN literal = ")
                    .push_bind(literal.clone())
                    .push(" THEN 0 WHEN token = ")
                    .push_bind(token.clone())
                    .push(" THEN 1 ELSE 2 END AS s FROM worker_tokens WHERE token >= ")
                    .push_bind(token.clone())
                    .push(" AND token < ")
                    .push_bind(prefix_upper_bound(token))
                    .push(" UNION ALL SELECT worker_id, 3 FROM worker_sounds WHERE sound = ")
                    .push_bind(sound.clone());
            }
            q.push(") GROUP BY worker_id) m CROSS JOIN workers w ON w.id = m.worker_id WHERE ");
        }
        Some(SearchTerm::Digits(d)) => {
            // A PINFL prefix (exact first), or phone digits: the number's start or its end.
            let phone_start = if d.starts_with("998") { format!("+{d}") } else { format!("+998{d}") };
            let rev: String = d.chars().rev().collect();
            q.push(" FROM (SELECT worker_id, MIN(score) AS score FROM (SELECT id AS worker_id, (pinfl <> ")
                .push_bind(d.clone())
                .push(") AS score FROM workers WHERE pinfl >= ")
                .push_bind(d.clone())
                .push(" AND pinfl < ")
                .push_bind(prefix_upper_bound(d))
                .push(" UNION ALL SELECT id, 1 FROM workers WHERE phone_rev >= ")
                .push_bind(rev.clone())
                .push(" AND phone_rev < ")
                .push_bind(prefix_upper_bound(&rev))
                .push(" UNION ALL SELECT id, 1 FROM workers WHERE phone >= ")
                .push_bind(phone_start.clone())
                .push(" AND phone < ")
                .push_bind(prefix_upper_bound(&phone_start))
                .push(") GROUP BY worker_id) m CROSS JOIN workers w ON w.id = m.worker_id WHERE ");
        }
        Some(SearchTerm::Passport(p)) => {
            q.push(" FROM (SELECT id AS worker_id, (passport_number <> ")
                .push_bind(p.clone())
                .push(") AS score FROM workers WHERE passport_number >= ")
                .push_bind(p.clone())
                .push(" AND passport_number < ")
                .push_bind(prefix_upper_bound(p))
                .push(") m CROSS JOIN workers w ON w.id = m.worker_id WHERE ");
        }
        None => {
            q.push(" FROM workers w WHERE ");
        }
    }
    // Active workers only, unless archived ones are asked for too (then both values, which
    // keeps the same indexes usable).
    q.push(if query.archived { "w.archived IN (0, 1)" } else { "w.archived = 0" });
    push_filters(q, query);
}

/// The status, region and destination filters (after a `WHERE` already opened).
fn push_filters(q: &mut QueryBuilder<Sqlite>, query: &ListQuery) {
    if let Some(s) = &query.status {
        q.push(" AND w.status = ").push_bind(s.clone());
    }
    if let Some(r) = &query.region {
        q.push(" AND w.region = ").push_bind(r.clone());
    }
    if let Some(c) = &query.destination {
        q.push(" AND w.destination_country = ").push_bind(c.clone());
    }
}

/// The candidates of a search of several name words (see [`push_from_where`]).
async fn found(conn: &mut SqliteConnection, term: &Option<SearchTerm>) -> Result<Option<String>> {
    match term {
        Some(SearchTerm::Names(words)) if words.len() > 1 => Ok(Some(super::name_search::matches(conn, words).await?)),
        _ => Ok(None),
    }
}

async fn count_in(
    conn: &mut SqliteConnection,
    query: &ListQuery,
    term: &Option<SearchTerm>,
    found: Option<&str>,
) -> Result<i64> {
    let mut c = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
    push_from_where(&mut c, query, term, found);
    Ok(c.build_query_scalar::<i64>().fetch_one(conn).await?)
}

fn order_by(query: &ListQuery, term: &Option<SearchTerm>) -> String {
    let dir = if query.desc { "DESC" } else { "ASC" };
    let rank = if term.is_some() { "m.score, " } else { "" };
    let cols = match query.sort {
        SortKey::Name => format!("w.sort_name {dir}, w.id {dir}"),
        SortKey::BirthDate => format!("w.birth_date {dir}, w.id {dir}"),
        SortKey::Status => format!("w.status {dir}, w.sort_name {dir}"),
        SortKey::Region => format!("w.region {dir}, w.sort_name {dir}"),
        SortKey::Created => format!("w.id {dir}"),
        SortKey::Updated => format!("w.updated_at {dir}, w.id {dir}"),
    };
    format!(" ORDER BY {rank}{cols}")
}

impl Store {
    pub async fn worker(&self, id: i64) -> Result<Option<Worker>> {
        let mut conn = self.pool.acquire().await?;
        get_in(&mut conn, id).await
    }

    pub async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        let mut conn = self.pool.acquire().await?;
        history_in(&mut conn, id).await
    }

    /// One tier of a one-word name search, read in index order: `exact` = the same
    /// spelling (ordered by name), else every other word starting with the folded token
    /// (ordered by word, spelling, name). Stops after `take` rows.
    async fn word_tier(
        &self,
        query: &ListQuery,
        token: &str,
        literal: &str,
        exact: bool,
        take: i64,
    ) -> Result<Vec<WorkerRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {ROW_COLUMNS}, "));
        if exact {
            q.push("'exact'");
        } else {
            q.push("CASE WHEN t.token = ").push_bind(token.to_string()).push(" THEN 'folded' ELSE 'prefix' END");
        }
        q.push(" AS matched FROM worker_tokens t CROSS JOIN workers w ON w.id = t.worker_id WHERE ");
        if exact {
            q.push("t.token = ").push_bind(token.to_string()).push(" AND t.literal = ").push_bind(literal.to_string());
        } else {
            q.push("t.token >= ")
                .push_bind(token.to_string())
                .push(" AND t.token < ")
                .push_bind(prefix_upper_bound(token))
                .push(" AND NOT (t.token = ")
                .push_bind(token.to_string())
                .push(" AND t.literal = ")
                .push_bind(literal.to_string())
                .push(")");
        }
        q.push(if query.archived { " AND w.archived IN (0, 1)" } else { " AND w.archived = 0" });
        push_filters(&mut q, query);
        q.push(if exact {
            " ORDER BY t.sort_name, t.worker_id"
        } else {
            " ORDER BY t.token, t.literal, t.sort_name, t.worker_id"
        });
        q.push(" LIMIT ").push_bind(take);
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// The "similar spelling" tier of a one-word search in name order: workers with a word
    /// that sounds like `sound`, read in index order (by name), at most `take`.
    async fn sound_tier(&self, query: &ListQuery, sound: &str, take: i64) -> Result<Vec<WorkerRow>> {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {ROW_COLUMNS}, 'phonetic' AS matched FROM worker_sounds s \
             CROSS JOIN workers w ON w.id = s.worker_id WHERE s.sound = "
        ));
        q.push_bind(sound.to_string());
        q.push(if query.archived { " AND w.archived IN (0, 1)" } else { " AND w.archived = 0" });
        push_filters(&mut q, query);
        q.push(" ORDER BY s.sort_name, s.worker_id LIMIT ").push_bind(take);
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// A page of the roster: rows, whether more follow, and (on request) the total.
    pub async fn list(
        &self,
        query: &ListQuery,
        term: &Option<SearchTerm>,
    ) -> Result<(Vec<WorkerRow>, bool, Option<i64>)> {
        let limit = query.limit();
        // The common search, one word in name order, never sorts its matches: the exact
        // spelling comes first, then the index order of the other words; each tier stops
        // as soon as the page is full.
        if let (Some(SearchTerm::Names(words)), SortKey::Name, false) = (term, query.sort, query.desc) {
            if let [(token, literal, sound)] = words.as_slice() {
                let want = i64::from(query.offset()) + i64::from(limit) + 1;
                // A worker can match twice (his surname and his patronymic both start with
                // the word): keep his first, closest row, and ask for more if that left
                // the page short.
                let mut take = want;
                let mut rows = loop {
                    let mut seen = std::collections::HashSet::new();
                    let mut rows = Vec::new();
                    let mut exhausted = true;
                    for tier in 0..3 {
                        let got = match tier {
                            0 => self.word_tier(query, token, literal, true, take).await?,
                            1 => self.word_tier(query, token, literal, false, take).await?,
                            _ => self.sound_tier(query, sound, take).await?,
                        };
                        exhausted &= (got.len() as i64) < take;
                        rows.extend(got.into_iter().filter(|r| seen.insert(r.id)));
                        if rows.len() as i64 >= want {
                            break;
                        }
                    }
                    if rows.len() as i64 >= want || exhausted {
                        break rows;
                    }
                    take *= 2;
                };
                let start = (query.offset() as usize).min(rows.len());
                let mut page = rows.split_off(start);
                let has_more = page.len() > limit as usize;
                page.truncate(limit as usize);
                let mut conn = self.pool.acquire().await?;
                let total = if query.with_total { Some(count_in(&mut conn, query, term, None).await?) } else { None };
                return Ok((page, has_more, total));
            }
        }
        let mut conn = self.pool.acquire().await?;
        let found = found(&mut conn, term).await?;
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {ROW_COLUMNS}"));
        if let Some(SearchTerm::Names(_)) = term {
            q.push(", CASE m.worst WHEN 0 THEN 'exact' WHEN 1 THEN 'folded' WHEN 2 THEN 'prefix' ELSE 'phonetic' END AS matched");
        }
        push_from_where(&mut q, query, term, found.as_deref());
        q.push(order_by(query, term));
        q.push(" LIMIT ").push_bind(i64::from(limit) + 1).push(" OFFSET ").push_bind(i64::from(query.offset()));
        let mut rows: Vec<WorkerRow> = q.build_query_as().fetch_all(&mut *conn).await?;
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);

        let total =
            if query.with_total { Some(count_in(&mut conn, query, term, found.as_deref()).await?) } else { None };
        Ok((rows, has_more, total))
    }

    /// The same search as a naive scan (`LIKE '%…%'` over the names), kept only so the
    /// benchmark can show what the token index buys.
    pub async fn naive_name_search(&self, fragment: &str, limit: i64) -> Result<Vec<i64>> {
        let pattern = format!("%{fragment}%");
        Ok(sqlx::query_scalar(
            "SELECT id FROM workers WHERE archived = 0 AND (last_name LIKE ?1 OR first_name LIKE ?1 \
             OR last_name_cyrillic LIKE ?1 OR first_name_cyrillic LIKE ?1) ORDER BY sort_name LIMIT ?2",
        )
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every worker the list query matches (its search and filters, in its order, no
    /// paging), with all fields: what an export writes.
    pub async fn workers_matching(&self, query: &ListQuery, term: &Option<SearchTerm>) -> Result<Vec<Worker>> {
        let mut conn = self.pool.acquire().await?;
        let found = found(&mut conn, term).await?;
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {WORKER_COLUMNS}"));
        push_from_where(&mut q, query, term, found.as_deref());
        q.push(order_by(query, term));
        Ok(q.build_query_as().fetch_all(&mut *conn).await?)
    }

    pub async fn count_workers(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM workers").fetch_one(&self.pool).await?)
    }
}

// ---------------------------------------------------------------- consents

pub(super) const CONSENT_COLUMNS: &str =
    "given_on, purpose, data_list, valid_until, may_transfer_abroad, withdrawn_on, withdrawn_reason";

pub async fn insert_consent(
    conn: &mut SqliteConnection,
    worker_id: i64,
    c: &crate::roster::consent::ConsentData,
    now: &str,
    actor: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (worker_id, given_on, purpose, data_list, valid_until, may_transfer_abroad, recorded_at, recorded_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(worker_id)
    .bind(&c.given_on)
    .bind(&c.purpose)
    .bind(&c.data_list)
    .bind(&c.valid_until)
    .bind(c.may_transfer_abroad)
    .bind(now)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

/// The consent in force: the newest one recorded.
pub async fn consent(conn: &mut SqliteConnection, worker_id: i64) -> Result<Option<crate::roster::consent::Consent>> {
    let sql = format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE worker_id = ? ORDER BY id DESC LIMIT 1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker_id).fetch_optional(conn).await?)
}

pub async fn consents(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<crate::roster::consent::Consent>> {
    let sql = format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE worker_id = ? ORDER BY id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker_id).fetch_all(conn).await?)
}

/// Marks the consent in force as withdrawn; false when there is none to withdraw.
pub async fn withdraw_consent(conn: &mut SqliteConnection, worker_id: i64, on: &str, reason: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE consents SET withdrawn_on = ?, withdrawn_reason = ? \
         WHERE id = (SELECT MAX(id) FROM consents WHERE worker_id = ?) AND withdrawn_on IS NULL",
    )
    .bind(on)
    .bind(reason)
    .bind(worker_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The audit entries about one worker, oldest first.
pub async fn worker_audit(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<crate::audit::Stored>> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor, action, record_type, record_id, changes, prev_hash, hash, seals FROM audit_log \
         WHERE record_type = 'worker' AND record_id = ? ORDER BY id",
    )
    .bind(worker_id)
    .fetch_all(conn)
    .await?)
}
