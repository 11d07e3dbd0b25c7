//! The audit trail: an append-only, hash-chained record of who did what to which record.
//! Each entry's hash is SHA-256 over a canonical JSON array of its own id, fields and the
//! previous entry's hash, so editing, deleting or swapping entry k breaks the chain at k.
//! Identity numbers are masked before they are written; passwords never are.

use crate::error::Result;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fields whose values are masked in the trail.
pub const MASKED: &[&str] = &["pinfl", "passport_number", "phone"];

/// An entry to append.
#[derive(Debug, Clone)]
pub struct Entry {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub record_type: Option<&'static str>,
    pub record_id: Option<i64>,
    pub changes: Value,
}

impl Entry {
    pub fn new(at: &str, actor: &str, action: &'static str) -> Entry {
        Entry {
            at: at.to_string(),
            actor: actor.to_string(),
            action,
            record_type: None,
            record_id: None,
            changes: json!({}),
        }
    }

    pub fn record(mut self, kind: &'static str, id: i64) -> Entry {
        self.record_type = Some(kind);
        self.record_id = Some(id);
        self
    }

    pub fn changes(mut self, changes: Value) -> Entry {
        self.changes = changes;
        self
    }
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub at: String,
    #[serde(rename = "user")]
    pub actor: String,
    pub action: String,
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
    #[serde(skip)]
    pub changes: String,
    #[serde(skip)]
    pub prev_hash: String,
    #[serde(skip)]
    pub hash: String,
}

/// An entry as the UI and the CLI show it (`changes` parsed).
#[derive(Debug, Clone, Serialize)]
pub struct View {
    #[serde(flatten)]
    pub entry: Stored,
    /// `worker#12`, `user#3`: which record, in one word.
    pub record: Option<String>,
    pub changes: Value,
}

impl From<Stored> for View {
    fn from(entry: Stored) -> View {
        let changes = serde_json::from_str(&entry.changes).unwrap_or(Value::String(entry.changes.clone()));
        let record = match (&entry.record_type, entry.record_id) {
            (Some(kind), Some(id)) => Some(format!("{kind}#{id}")),
            _ => None,
        };
        View { entry, record, changes }
    }
}

/// How a field's value is masked: passports keep their series (`AB*****67`), PINFLs and
/// phones only their last two digits (the rest of a PINFL follows from the birth date and
/// sex, which the trail shows).
pub fn mask_field(field: &str, value: &str) -> String {
    match field {
        "pinfl" | "phone" => {
            let n = value.chars().count();
            let keep: String = value.chars().skip(n.saturating_sub(2)).collect();
            format!("{}{keep}", "*".repeat(n.saturating_sub(2)))
        }
        _ => mask(value),
    }
}

/// The UTC stamp of the start of local day `date` (YYYY-MM-DD) plus `days`, for filters
/// that speak in the agency's days while entries are stamped in UTC.
pub fn local_day_start(date: &str, days: i64) -> Option<String> {
    use chrono::TimeZone;
    let day = crate::roster::validate::parse_date(date.trim())? + chrono::Duration::days(days);
    let local = chrono::Local.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest()?;
    Some(crate::clock::stamp(local.with_timezone(&chrono::Utc)))
}

/// `AB1234567` → `AB*****67`: enough to tell two records apart, not enough to use.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..2].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 4));
    out.extend(&chars[chars.len() - 2..]);
    out
}

/// Masks a value when its field is one of [`MASKED`].
pub fn masked(field: &str, value: &Value) -> Value {
    match value {
        Value::String(s) if MASKED.contains(&field) => Value::String(mask_field(field, s)),
        other => other.clone(),
    }
}

/// The field-level difference between two records, `{field: [before, after]}`, masked.
pub fn diff(before: &Value, after: &Value, fields: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for f in fields {
        let (b, a) = (before.get(*f).unwrap_or(&Value::Null), after.get(*f).unwrap_or(&Value::Null));
        if b != a {
            out.insert((*f).to_string(), json!([masked(f, b), masked(f, a)]));
        }
    }
    Value::Object(out)
}

/// A record's values for a creation entry, masked.
pub fn snapshot(record: &Value, fields: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for f in fields {
        if let Some(v) = record.get(*f).filter(|v| !v.is_null()) {
            out.insert((*f).to_string(), masked(f, v));
        }
    }
    Value::Object(out)
}

/// The parts of an entry that its hash covers (its own id included, so entries cannot
/// be swapped).
pub struct Link<'a> {
    pub id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<i64>,
    pub changes: &'a str,
    pub prev: &'a str,
}

impl Link<'_> {
    /// SHA-256 (hex) over the canonical JSON array of the parts.
    pub fn hash(&self) -> String {
        let canonical = json!([
            self.id,
            self.at,
            self.actor,
            self.action,
            self.record_type,
            self.record_id,
            self.changes,
            self.prev
        ])
        .to_string();
        Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl Stored {
    pub fn link(&self) -> Link<'_> {
        Link {
            id: self.id,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            record_type: self.record_type.as_deref(),
            record_id: self.record_id,
            changes: &self.changes,
            prev: &self.prev_hash,
        }
    }
}

/// Appends an entry inside the caller's write transaction (so the change and its entry
/// commit together or not at all).
pub async fn append(conn: &mut SqliteConnection, e: &Entry) -> Result<i64> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let changes = e.changes.to_string();
    let h = Link {
        id,
        at: &e.at,
        actor: &e.actor,
        action: e.action,
        record_type: e.record_type,
        record_id: e.record_id,
        changes: &changes,
        prev: &prev,
    }
    .hash();
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, record_type, record_id, changes, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&e.at)
    .bind(&e.actor)
    .bind(e.action)
    .bind(e.record_type)
    .bind(e.record_id)
    .bind(changes)
    .bind(&prev)
    .bind(&h)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub ok: bool,
    pub entries: i64,
    pub first_broken: Option<i64>,
    pub reason: Option<&'static str>,
}

/// Walks the chain from the start and names the first entry that does not hold.
pub fn verify(entries: &[Stored]) -> Verdict {
    let broken = |id: i64, reason: &'static str| Verdict {
        ok: false,
        entries: entries.len() as i64,
        first_broken: Some(id),
        reason: Some(reason),
    };
    let mut prev = GENESIS;
    for (i, e) in entries.iter().enumerate() {
        let expected_id = i as i64 + 1;
        if e.id != expected_id {
            return broken(expected_id, "missing");
        }
        let h = e.link().hash();
        if h != e.hash {
            return broken(e.id, "altered");
        }
        if e.prev_hash != prev {
            // Entry k is self-consistent but does not follow the previous one: the previous
            // entry was rewritten with a fresh hash.
            return broken(e.id - 1, "altered");
        }
        prev = &e.hash;
    }
    Verdict { ok: true, entries: entries.len() as i64, first_broken: None, reason: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(n: i64) -> Vec<Stored> {
        let mut out: Vec<Stored> = Vec::new();
        for id in 1..=n {
            let prev = out.last().map(|e| e.hash.clone()).unwrap_or_else(|| GENESIS.into());
            let changes = json!({"n": id}).to_string();
            let at = format!("2026-11-25T10:{:02}:00.000Z", id % 60);
            let h = Link {
                id,
                at: &at,
                actor: "aziza",
                action: "worker.update",
                record_type: Some("worker"),
                record_id: Some(id),
                changes: &changes,
                prev: &prev,
            }
            .hash();
            out.push(Stored {
                id,
                at,
                actor: "aziza".into(),
                action: "worker.update".into(),
                record_type: Some("worker".into()),
                record_id: Some(id),
                changes,
                prev_hash: prev,
                hash: h,
            });
        }
        out
    }

    #[test]
    fn identity_numbers_are_masked() {
        assert_eq!(mask("AB1234567"), "AB*****67");
        assert_eq!(mask_field("pinfl", "31503901234562"), "************62");
        assert_eq!(mask_field("passport_number", "AB1234567"), "AB*****67");
        assert_eq!(mask("abc"), "***");
        let d = diff(
            &json!({"pinfl": "31503901234562", "notes": "a"}),
            &json!({"pinfl": "31503901234563", "notes": "a"}),
            &["pinfl", "notes"],
        );
        assert_eq!(d, json!({"pinfl": ["************62", "************63"]}));
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert!(verify(&chain(20)).ok);
        assert!(verify(&[]).ok);
    }

    proptest! {
        #[test]
        fn editing_entry_k_is_reported_at_k(k in 1usize..=20, rehash: bool) {
            let mut c = chain(20);
            c[k - 1].actor = "mallory".into();
            if rehash {
                let e = &c[k - 1];
                let h = e.link().hash();
                c[k - 1].hash = h;
            }
            let v = verify(&c);
            // A rehashed last entry leaves nothing after it to disagree: the chain's tip
            // is only as safe as the copy of it kept elsewhere (backups, exports).
            if rehash && k == 20 {
                prop_assert!(v.ok);
            } else {
                prop_assert_eq!(v.first_broken, Some(k as i64));
            }
        }

        #[test]
        fn deleting_entry_k_is_reported_at_k(k in 1usize..20) {
            let mut c = chain(20);
            c.remove(k - 1);
            prop_assert_eq!(verify(&c).first_broken, Some(k as i64));
        }

        #[test]
        fn swapping_two_entries_is_reported_at_the_first(k in 1usize..20) {
            let mut c = chain(20);
            // Swap the contents of k and k+1; the ids (positions) stay.
            let (a, b) = (c[k - 1].clone(), c[k].clone());
            c[k - 1] = Stored { id: a.id, ..b };
            c[k] = Stored { id: a.id + 1, ..a };
            prop_assert_eq!(verify(&c).first_broken, Some(k as i64));
        }
    }
}
