//! The audit trail as a whole: the head of the chain signed with the agency's key at
//! checkpoints (kept in the database and, as a copy, beside it), the seals of records
//! written before seals existed, and the full check behind `audit verify`.

use crate::audit::{self, Checkpoint, Entry, Evidence, Verdict};
use crate::certificates::signing::Keys;
use crate::desk::Desk;
use crate::error::{AppError, Result};
use crate::store::audit as sa;
use std::path::PathBuf;

/// A checkpoint after this many entries, and at least once per (UTC) day with entries.
pub const CHECKPOINT_EVERY: i64 = 100;
impl Desk {
    /// One page of the audit trail as the screen and the CLI show it, and whether more follow.
    pub async fn audit_page(&self, query: &crate::store::accounts::AuditQuery) -> Result<(Vec<audit::View>, bool)> {
        let (rows, has_more) = self.store.audit(query).await?;
        Ok((rows.into_iter().map(audit::View::from).collect(), has_more))
    }

    /// The newest checkpoint, kept beside the database: whoever rewrites the database must
    /// also find and rewrite this file (and every backup and export that carries one).
    fn checkpoint_file(&self) -> PathBuf {
        self.dir().audit_checkpoint()
    }

    /// Signs the chain's head when a checkpoint is due (every [`CHECKPOINT_EVERY`] entries
    /// or a new day) and refreshes the copy beside the database. Called after commands;
    /// nothing to do before the agency has its key or on a read-only folder.
    pub async fn checkpoint_if_due(&self) -> Result<Option<Checkpoint>> {
        if self.store.is_read_only() || !Keys::path(&self.dir()).exists() {
            return Ok(None);
        }
        let due = |head: Option<&(i64, String)>, last: Option<&Checkpoint>, today: &str| match (head, last) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some((id, _)), Some(c)) => {
                *id - c.entry_id >= CHECKPOINT_EVERY || (*id > c.entry_id && !c.at.starts_with(today))
            }
        };
        let now = self.now();
        let today = now.get(..10).unwrap_or_default().to_string();
        let (head, last) = {
            let mut conn = self.store.read().await?;
            (sa::head(&mut conn).await?, sa::last_checkpoint(&mut conn).await?)
        };
        let mut made = None;
        if due(head.as_ref(), last.as_ref(), &today) {
            let keys = self.keys().await?;
            let mut tx = self.store.write().await?;
            // Again under the write lock: another desk may have just made it.
            let (head, last) = (sa::head(&mut tx).await?, sa::last_checkpoint(&mut tx).await?);
            if let (true, Some((id, hash))) = (due(head.as_ref(), last.as_ref(), &today), head) {
                let c = audit::sign_checkpoint(&keys.signing, id, &hash, &now);
                sa::insert_checkpoint(&mut tx, &c).await?;
                made = Some(c);
            }
            tx.commit().await?;
        }
        let newest = match &made {
            Some(c) => Some(c.clone()),
            None => self.newest_checkpoint().await?,
        };
        if let Some(c) = newest {
            self.keep_checkpoint_copy(&c)?;
        }
        Ok(made)
    }

    /// Writes the copy beside the database when it is older than `c` (never goes back).
    fn keep_checkpoint_copy(&self, c: &Checkpoint) -> Result<()> {
        let path = self.checkpoint_file();
        let kept = self.kept_checkpoint();
        if kept.is_some_and(|k| k.entry_id >= c.entry_id) {
            return Ok(());
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, format!("{}\n", audit::checkpoint_line(c)))?;
        std::fs::rename(&tmp, &path)?;
        Ok(())
    }

    /// The copy beside the database, read bounded (it is a file anyone could replace).
    fn kept_checkpoint(&self) -> Option<Checkpoint> {
        let text =
            crate::files::read_text_bounded(&self.checkpoint_file(), crate::files::KEY_MAX, "checkpoint").ok()?;
        audit::read_checkpoint(&text)
    }

    pub async fn newest_checkpoint(&self) -> Result<Option<Checkpoint>> {
        let mut conn = self.store.read().await?;
        sa::last_checkpoint(&mut conn).await
    }

    /// Seals, once, the records that existed before seals did (a database upgraded from a
    /// version without them), so that from then on every record has a last audited state.
    /// Only while no entry carries seals yet: a flag in the settings could be deleted to
    /// have records planted with `sqlite3` sealed at the next start.
    pub async fn seal_baseline(&self) -> Result<()> {
        if self.store.is_read_only() {
            return Ok(());
        }
        {
            let mut conn = self.store.read().await?;
            if sa::sealing_started(&mut conn).await? || sa::head(&mut conn).await?.is_none() {
                return Ok(());
            }
        }
        let mut tx = self.store.write().await?;
        if sa::sealing_started(&mut tx).await? {
            return Ok(());
        }
        let mut counts = serde_json::Map::new();
        for (kind, _, _) in sa::SEALED {
            let n = sa::touch_unsealed(&mut tx, kind).await?;
            if n > 0 {
                counts.insert((*kind).to_string(), n.into());
            }
        }
        if !counts.is_empty() {
            let entry = Entry::new(&self.now(), "safar", audit::BASELINE).changes(serde_json::Value::Object(counts));
            audit::append(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `audit verify`: the chain, the seals, the checkpoints (the database's, the copy
    /// beside it and `external`, an exported checkpoint line) and every sealed record.
    pub async fn verify_audit(&self, external: Option<&str>) -> Result<Verdict> {
        let mut known = Vec::new();
        if let Some(text) = external {
            known.push(
                audit::read_checkpoint(text).ok_or_else(|| AppError::new("checkpoint_invalid").on("checkpoint"))?,
            );
        }
        if let Some(c) = self.kept_checkpoint() {
            known.push(c);
        }
        // Loaded, never made or recorded here: verifying must work on a read-only copy. A
        // key this user may not read (another user's folder on a share) leaves the
        // signatures unchecked, and the verdict says so.
        let key_path = Keys::path(&self.dir());
        let key = if key_path.exists() { Keys::load_or_create(&self.dir()).ok().map(|k| k.public()) } else { None };
        let entries = self.store.audit_chain().await?;
        let seals = sa::seals(&self.store.pool).await?;
        let checkpoints = sa::checkpoints(&self.store.pool).await?;
        let mut current = Vec::new();
        for (kind, _, _) in sa::SEALED {
            current.push((*kind, sa::all_state_hashes(&self.store.pool, kind).await?));
        }
        // The agency has a key, so every change since has been followed by a checkpoint:
        // none at all means they were removed (with the copy) to hide a rewritten chain.
        let expect_checkpoint = key_path.exists();
        Ok(audit::verify_all(&Evidence {
            entries: &entries,
            seals: &seals,
            current: &current,
            checkpoints: &checkpoints,
            known: &known,
            key,
            expect_checkpoint,
        }))
    }
}
