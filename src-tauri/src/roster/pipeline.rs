//! The worker's pipeline, written in one place. Areas decide *whether* a worker moves (a
//! clerk's choice, a contract signed or registered, enrolment, a certificate issued or
//! revoked, a departure, a return); this module is the only one that writes *that* he moved:
//! his status, the history row, and, for a move that is its own event, the audit entry.
//! Moves inside a larger event (a certificate issued) put [`Move::change`] into that
//! event's own audit entry instead, so the trail holds one entry per thing that happened.

use super::status::Status;
use crate::audit::{self, Entry};
use crate::error::Result;
use crate::store::workers as q;
use serde_json::{json, Map, Value};
use sqlx::SqliteConnection;

/// One step along the pipeline.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub worker_id: i64,
    pub from: Status,
    pub to: Status,
    /// Why, as a code translated at the edge (`contract_registered`, `enrolled`, …); None for
    /// a clerk's own move, whose words are in `reason`.
    pub code: Option<&'a str>,
    /// The clerk's words (or the departure day); may be empty when `code` says it all.
    pub reason: &'a str,
}

impl Move<'_> {
    /// The `status` change an audit entry carries: `[from, to]`.
    pub fn change(&self) -> Value {
        json!([self.from.code(), self.to.code()])
    }
}

/// Writes the move: the worker's new status and its history row. The caller's audit entry
/// carries [`Move::change`].
pub async fn record(conn: &mut SqliteConnection, step: &Move<'_>, at: &str, actor: &str) -> Result<()> {
    q::set_status(conn, step.worker_id, step.to.code(), at).await?;
    q::add_history(conn, step.worker_id, at, actor, Some(step.from.code()), step.to.code(), step.code, step.reason)
        .await
}

/// Writes a move that is an event of its own: [`record`] plus a `worker.status` audit entry
/// with the status change, the clerk's reason and the reason code (those present).
pub async fn record_audited(conn: &mut SqliteConnection, step: &Move<'_>, at: &str, actor: &str) -> Result<()> {
    record(conn, step, at, actor).await?;
    let mut changes = Map::new();
    changes.insert("status".into(), step.change());
    if !step.reason.is_empty() {
        changes.insert("reason".into(), json!(step.reason));
    }
    if let Some(code) = step.code {
        changes.insert("reason_code".into(), json!(code));
    }
    let entry = Entry::new(at, actor, "worker.status").record("worker", step.worker_id).changes(Value::Object(changes));
    audit::append(conn, &entry).await?;
    Ok(())
}

/// A history line that keeps the status: the worker created (`created`), archived or
/// restored. `status` is where he stands.
#[allow(clippy::too_many_arguments)]
pub async fn note(
    conn: &mut SqliteConnection,
    worker_id: i64,
    from: Option<&str>,
    status: &str,
    code: &str,
    reason: &str,
    at: &str,
    actor: &str,
) -> Result<()> {
    q::add_history(conn, worker_id, at, actor, from, status, Some(code), reason).await
}
