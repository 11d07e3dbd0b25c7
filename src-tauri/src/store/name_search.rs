//! The candidates of a search of two or more name words ("Gulomov Anvar"), gathered before
//! the page query: every worker who matches every word, with his rank.
//!
//! Per word, a worker matches at tier 0 (the same spelling), 1 (the same folded word), 2
//! (a longer word starting with it) or 3 (a word that sounds the same, phonetic.rs); his
//! word tier is the lowest. `score` is the sum over the words (a name typed exactly scores
//! 0 and comes first), `worst` the highest (the hit's `matched`).
//!
//! Why not one SQL statement: intersecting the words' matches with GROUP BY (or INTERSECT,
//! or a probe per candidate) costs 1–2 µs a row at a million workers, and a common first
//! name alone matches ~60,000; reading an index range costs ~0.1 µs a row. So each word's
//! matches are read as one string of ids (`group_concat`, no row-by-row transfer) and
//! intersected here, and the exact tiers are settled only for the workers left.

use crate::error::Result;
use crate::names::prefix_upper_bound;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// One search word: its folded form, its literal form, its sound key (`SearchTerm::Names`).
type Word = (String, String, String);

/// The ids in a `group_concat` of integers (NULL when no row matched).
fn ints(text: Option<String>) -> Vec<i64> {
    text.unwrap_or_default().split(',').filter_map(|v| v.parse::<i64>().ok()).collect()
}

/// Every worker the word can match, as `id << 2 | tier`, tier 2 (prefix) or 3 (sound) for
/// now (a worker may come twice). A worker whose word folds to the same token has the same
/// sound (the sound key is a function of the folded word, and both indexes are written
/// from the same words), so the sound rows already hold every tier-0 and tier-1 match:
/// only the strictly longer tokens are read from the word index, and a common name is
/// read once, not twice.
async fn members(conn: &mut SqliteConnection, (token, _, sound): &Word) -> Result<Vec<i64>> {
    // A word without a sound (nothing left after the rules) has no sound rows to stand in
    // for its equal tokens: read those too.
    let from_token = if sound.is_empty() { "token >= ?" } else { "token > ?" };
    let sql = format!(
        "SELECT group_concat(v) FROM (SELECT worker_id * 4 + 3 AS v FROM worker_sounds WHERE sound = ? \
         UNION ALL SELECT worker_id * 4 + 2 FROM worker_tokens WHERE {from_token} AND token < ?)"
    );
    let text: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(sound)
        .bind(token)
        .bind(prefix_upper_bound(token))
        .fetch_one(&mut *conn)
        .await?;
    Ok(ints(text))
}

/// Lowers the tiers of `found` (the workers left) to 0 or 1 where a word of theirs folds to
/// exactly `token`. Probing the word index per worker costs ~1.5 µs each, reading every
/// worker with that token ~0.1 µs each: probe when few are left, read otherwise.
async fn settle_exact(
    conn: &mut SqliteConnection,
    (token, literal, _): &Word,
    found: &mut HashMap<i64, Vec<u8>>,
    slot: usize,
    members: usize,
) -> Result<()> {
    let text: Option<String> = if found.len() * 16 < members {
        let ids = serde_json::to_string(&found.keys().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into());
        sqlx::query_scalar(
            "SELECT group_concat(t.worker_id * 2 + (t.literal <> ?)) FROM json_each(?) j \
             CROSS JOIN worker_tokens t INDEXED BY worker_tokens_by_worker ON t.worker_id = j.value AND t.token = ?",
        )
        .bind(literal)
        .bind(ids)
        .bind(token)
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar("SELECT group_concat(worker_id * 2 + (literal <> ?)) FROM worker_tokens WHERE token = ?")
            .bind(literal)
            .bind(token)
            .fetch_one(&mut *conn)
            .await?
    };
    for v in ints(text) {
        if let Some(tiers) = found.get_mut(&(v >> 1)) {
            tiers[slot] = tiers[slot].min((v & 1) as u8);
        }
    }
    Ok(())
}

/// The workers matching every word, as a JSON array of integers `id << 8 | score << 2 |
/// worst` (the page query unpacks them with `json_each`; a score is at most 3 × 12 words).
pub(super) async fn matches(conn: &mut SqliteConnection, words: &[Word]) -> Result<String> {
    const UNSEEN: u8 = u8::MAX;
    let mut lists = Vec::with_capacity(words.len());
    for word in words {
        lists.push(members(&mut *conn, word).await?);
    }
    // Start from the word with the fewest matches: only its workers are held; each other
    // word's list is only looked up in them, and removes those it does not hold.
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&i| lists[i].len());
    let mut found: HashMap<i64, Vec<u8>> = HashMap::new();
    for (n, &i) in order.iter().enumerate() {
        for &v in &lists[i] {
            let (id, tier) = (v >> 2, (v & 3) as u8);
            let tiers = if n == 0 {
                Some(found.entry(id).or_insert_with(|| vec![UNSEEN; words.len()]))
            } else {
                found.get_mut(&id)
            };
            if let Some(tiers) = tiers {
                tiers[i] = tiers[i].min(tier);
            }
        }
        found.retain(|_, tiers| tiers[i] != UNSEEN);
    }
    for (i, word) in words.iter().enumerate() {
        if found.is_empty() {
            break;
        }
        settle_exact(&mut *conn, word, &mut found, i, lists[i].len()).await?;
    }
    let mut packed: Vec<i64> = found
        .into_iter()
        .map(|(id, tiers)| {
            let score: i64 = tiers.iter().map(|&t| i64::from(t)).sum();
            let worst = tiers.iter().copied().max().unwrap_or(0);
            (id << 8) | (score.min(63) << 2) | i64::from(worst)
        })
        .collect();
    // In id order, so equal names keep one order from page to page.
    packed.sort_unstable();
    Ok(serde_json::to_string(&packed).unwrap_or_else(|_| "[]".into()))
}
