//! The window's import between its preview and its last batch: one at a time, held in
//! memory only (a restart forgets it and the clerk previews again). The window commits it
//! batch by batch, so a stop between calls leaves only whole batches.

use super::{batching, Plan};
use crate::desk::Desk;
use crate::error::{AppError, Result};
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};

struct Pending {
    token: u64,
    plan: Arc<Plan>,
    done: usize,
    added: usize,
    updated: usize,
}

/// Where a committing import stands.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub added: usize,
    pub updated: usize,
    pub finished: bool,
}

#[derive(Default)]
pub struct Sessions {
    pending: Mutex<Option<Pending>>,
}

impl Sessions {
    fn lock(&self) -> MutexGuard<'_, Option<Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `plan` as the one import being previewed (replacing any other) and returns the
    /// token that names it.
    pub fn start(&self, plan: Plan) -> u64 {
        // Below 2^53: the window holds it as a JavaScript number.
        let token = fastrand::u64(1..1 << 53);
        *self.lock() = Some(Pending { token, plan: Arc::new(plan), done: 0, added: 0, updated: 0 });
        token
    }

    /// The previewed plan `token` names, or `import_expired`.
    pub fn plan(&self, token: u64) -> Result<Arc<Plan>> {
        match self.lock().as_ref() {
            Some(p) if p.token == token => Ok(p.plan.clone()),
            _ => Err(AppError::new("import_expired")),
        }
    }

    fn done(&self, token: u64) -> Result<usize> {
        match self.lock().as_ref() {
            Some(p) if p.token == token => Ok(p.done),
            _ => Err(AppError::new("import_expired")),
        }
    }
}

impl Desk {
    /// Commits the next `batch` rows of the previewed import `token` as one transaction.
    pub async fn import_next_batch(
        &self,
        sessions: &Sessions,
        token: u64,
        batch: Option<usize>,
        actor: &str,
    ) -> Result<Progress> {
        let plan = sessions.plan(token)?;
        let done = sessions.done(token)?;
        if plan.blocked() {
            return Err(AppError::new("import_strict_refused").with("rows", plan.refused_rows()));
        }
        let writes = plan.writes();
        let (size, batches) = batching(writes.len(), batch);
        let end = (done + size).min(writes.len());
        let (added, updated) = self.import_batch(&plan, &writes[done..end], (done / size + 1, batches), actor).await?;
        let mut guard = sessions.lock();
        // Another preview replaced this one while the batch was written: the batch stands
        // (it is committed and audited), the progress of the old import is gone.
        let Some(p) = guard.as_mut().filter(|p| p.token == token) else {
            return Err(AppError::new("import_expired"));
        };
        p.done = end;
        p.added += added;
        p.updated += updated;
        Ok(Progress {
            done: end,
            total: writes.len(),
            added: p.added,
            updated: p.updated,
            finished: end >= writes.len(),
        })
    }
}
