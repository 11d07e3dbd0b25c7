//! Making, checking and restoring backups (issue 11, item 1). A backup is one file: the
//! database as one consistent snapshot, the keys, the attachments, the logo and the audit
//! checkpoint copy, with a manifest, encrypted (see `archive` and `keys`). It is written
//! under a `.partial` name, synced, then renamed: a backup that stopped half-way never
//! carries the finished name.

use super::archive::{self, Part};
use super::layout::*;
use super::{keys, private};
use crate::clock::{stamp, SystemClock};
use crate::data_dir::DB_FILE;
use crate::desk::Desk;
use crate::error::{AppError, Result};
use crate::store::backup::{self as sb, Facts};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FORMAT: u32 = 1;

/// The manifest, the last record of the container.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub app_version: String,
    pub created_at: String,
    #[serde(flatten)]
    pub facts: Facts,
    pub parts: Vec<Part>,
}

/// A backup just written.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    pub file: PathBuf,
    pub size: u64,
    pub verified: bool,
    /// False when another writer held the database so long that the record of this
    /// backup waits for the next chance (record.rs); the backup itself is whole.
    pub recorded: bool,
    /// The recovery key, when this backup made it: shown once, to be printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_key: Option<String>,
    pub workers: i64,
    pub pruned: Vec<PathBuf>,
}

pub use super::record::Last;

/// One thing `verify` checked.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ok: bool,
    pub file: PathBuf,
    pub created_at: String,
    pub app_version: String,
    pub schema: i64,
    pub licence: String,
    pub counts: std::collections::BTreeMap<String, i64>,
    pub parts: usize,
    pub checks: Vec<Check>,
}

impl Report {
    /// The names of the checks that failed, or None when all held.
    pub fn failed(&self) -> Option<String> {
        let failed: Vec<&str> = self.checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
        (!failed.is_empty()).then(|| failed.join(", "))
    }
}

/// Files of the data folder that go into a backup besides the database: (name, path).
fn data_files(data_dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for dir in [KEYS_DIR, ATTACHMENTS_DIR] {
        let folder = data_dir.join(dir);
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            // Half-written files (a key or an attachment being renamed into place).
            .filter(|n| !n.ends_with(".tmp") && !n.ends_with(".part"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| (format!("{dir}/{n}"), folder.join(&n))));
    }
    // Not the audit checkpoint copy: it may be newer than the snapshot (a command running
    // beside the backup signed a checkpoint after `VACUUM INTO`), and a copy naming an entry
    // the snapshot lacks makes the restored chain look cut short. The snapshot carries its
    // own signed checkpoints; the restored desk writes a fresh copy at its next one.
    for name in [LOGO_FILE] {
        if data_dir.join(name).is_file() {
            out.push((name.to_string(), data_dir.join(name)));
        }
    }
    Ok(out)
}

/// A fresh private scratch folder under the data folder's backups/.work. Scratch folders
/// over a day old are what a killed backup or check left (a whole snapshot): removed here.
fn scratch(data_dir: &Path, what: &str) -> Result<PathBuf> {
    if let Ok(entries) = std::fs::read_dir(data_dir.join(SCRATCH_DIR)) {
        for entry in entries.flatten() {
            let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|m| m.elapsed().ok());
            if age.is_some_and(|a| a.as_secs() > 24 * 3600) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let now = chrono::Utc::now();
    let dir = data_dir.join(SCRATCH_DIR).join(format!(
        "{what}-{}-{}",
        std::process::id(),
        now.timestamp_nanos_opt().unwrap_or_default()
    ));
    private::create_dir(&dir)?;
    Ok(dir)
}

/// Files that name finished backups: `safar-YYYYMMDDTHHMMSSZ.safarbak`.
fn backup_name(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("safar-{}{BACKUP_EXT}", at.format("%Y%m%dT%H%M%SZ"))
}

impl Desk {
    /// The folder scheduled backups go to: the admin's choice, else `backups/` here.
    pub async fn backup_folder(&self) -> Result<(PathBuf, bool)> {
        Ok(match self.store.setting(SETTING_FOLDER).await? {
            Some(f) if !f.trim().is_empty() => (PathBuf::from(f), true),
            _ => (self.dir().root().to_path_buf().join(BACKUPS_DIR), false),
        })
    }

    /// Writes a backup into `out` (else the backup folder), checks it at once with the
    /// key kept here, records it and prunes old generations there.
    pub async fn back_up(&self, out: Option<&Path>, actor: &str) -> Result<Made> {
        let data_dir = self.dir().root().to_path_buf();
        let recovery_key = keys::ensure(&data_dir)?;
        let recipients = keys::recipients(&data_dir)?;
        let folder = match out {
            Some(dir) => dir.to_path_buf(),
            None => self.backup_folder().await?.0,
        };
        private::create_dir(&folder)
            .map_err(|e| AppError::new("backup_folder_unusable").with("path", folder.display()).with("detail", e))?;
        let work = scratch(&data_dir, "create")?;
        let made = self.write_backup(&data_dir, &folder, &work, &recipients).await;
        let _ = std::fs::remove_dir_all(&work);
        let (file, size, facts) = made?;
        // Read back with the key kept here: a backup nobody checked is a hope.
        let report = verify(&data_dir, &file, &keys::load_backup_identity(&data_dir)?).await?;
        let verified = report.ok;
        let at = stamp(self.clock.now());
        let last = Last { file: file.display().to_string(), at: at.clone(), size, verified };
        let recorded = self.record_backup(&last, actor).await?;
        let pruned = super::generations::prune(&folder);
        let workers = facts.counts.get("workers").copied().unwrap_or(0);
        Ok(Made { file, size, verified, recorded, recovery_key, workers, pruned })
    }

    async fn write_backup(
        &self,
        data_dir: &Path,
        folder: &Path,
        work: &Path,
        recipients: &[age::x25519::Recipient],
    ) -> Result<(PathBuf, u64, Facts)> {
        let snapshot = work.join(DB_FILE);
        self.store.snapshot_into(&snapshot).await?;
        let facts = sb::facts(&snapshot).await?;
        let created = chrono::Utc::now();
        let mut name = backup_name(created);
        // Two backups in one second (a test, a double click): the second gets a suffix.
        for n in 2..100 {
            if !folder.join(&name).exists() && !folder.join(format!("{name}{PARTIAL_EXT}")).exists() {
                break;
            }
            name = format!("safar-{}-{n}{BACKUP_EXT}", created.format("%Y%m%dT%H%M%SZ"));
        }
        let target = folder.join(&name);
        let partial = folder.join(format!("{name}{PARTIAL_EXT}"));
        let file = private::create_new_file(&partial)?;
        // Minutes of file work for a large roster: off the async workers the window's other
        // commands run on.
        let (recipients, data_dir, manifest_facts) = (recipients.to_vec(), data_dir.to_path_buf(), facts.clone());
        let written = tokio::task::spawn_blocking(move || -> Result<u64> {
            let (recipients, data_dir, facts) = (&recipients[..], &data_dir, manifest_facts);
            let mut w = archive::Writer::new(std::io::BufWriter::new(file), recipients)?;
            w.add_file(DB_FILE, &snapshot)?;
            for (name, path) in data_files(data_dir)? {
                w.add_file(&name, &path)?;
            }
            let manifest = Manifest {
                format: FORMAT,
                app_version: env!("CARGO_PKG_VERSION").to_string(),
                created_at: stamp(created),
                facts,
                parts: w.parts().to_vec(),
            };
            let buffered = w.finish(&serde_json::to_vec(&manifest)?)?;
            let file = buffered.into_inner().map_err(|e| AppError::from(e.into_error()))?;
            file.sync_all()?;
            Ok(file.metadata()?.len())
        })
        .await
        .map_err(AppError::internal)
        .and_then(|r| r);
        let size = match written {
            Ok(size) => size,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, &target)?;
        sync_dir(folder);
        Ok((target, size, facts))
    }
}

/// Makes a rename durable (the folder's entry); not possible on Windows, nor needed there.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Decrypts `file` into a scratch folder under `data_dir`, checks everything, removes it.
pub async fn verify(data_dir: &Path, file: &Path, identity: &age::x25519::Identity) -> Result<Report> {
    let work = scratch(data_dir, "verify")?;
    let outcome = unpack_and_check(file, identity, &work.join("data")).await;
    let _ = std::fs::remove_dir_all(&work);
    outcome
}

/// Restores `file` into `to`, a folder that does not exist yet or is empty, never the live
/// data folder. Unpacked and checked beside it first; renamed into place only when every
/// check holds.
pub async fn restore(live: &Path, file: &Path, identity: &age::x25519::Identity, to: &Path) -> Result<Report> {
    let refuse =
        |why: &str| AppError::new("restore_target_unusable").on("to").with("path", to.display()).with("detail", why);
    if to.exists() && std::fs::read_dir(to).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(refuse("not empty"));
    }
    let parent = match to.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    private::create_dir(&parent)?;
    let (parent_c, live_c) = (parent.canonicalize()?, live.canonicalize().unwrap_or_else(|_| live.to_path_buf()));
    let to_c = parent_c.join(to.file_name().ok_or_else(|| refuse("no name"))?);
    if to_c.starts_with(&live_c) || live_c.starts_with(&to_c) {
        return Err(refuse("inside the live data folder"));
    }
    let name = to_c.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent_c.join(format!(".{name}.restoring-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let report = match unpack_and_check(file, identity, &staging).await {
        Ok(r) if r.ok => r,
        Ok(r) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(AppError::new("backup_invalid").with("failed", r.failed().unwrap_or_default()));
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if to_c.exists() {
        std::fs::remove_dir(&to_c)?;
    }
    std::fs::rename(&staging, &to_c)?;
    sync_dir(&parent_c);
    Ok(report)
}

async fn unpack_and_check(file: &Path, identity: &age::x25519::Identity, into: &Path) -> Result<Report> {
    let input = std::fs::File::open(file).map_err(|_| AppError::new("file_unreadable").on("file"))?;
    private::create_dir(into)?;
    let (parts, manifest_bytes) = {
        let into = into.to_path_buf();
        let identity = identity.clone();
        tokio::task::spawn_blocking(move || archive::unpack(input, &identity, &into))
            .await
            .map_err(AppError::internal)??
    };
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|_| AppError::new("backup_damaged").with("detail", "manifest"))?;
    let mut checks = Vec::new();
    let mut check = |name: &'static str, ok: bool, detail: String| checks.push(Check { name, ok, detail });
    check("format", manifest.format == FORMAT, format!("{}", manifest.format));
    let differing: Vec<&str> = manifest
        .parts
        .iter()
        .filter(|m| !parts.contains(m))
        .map(|m| m.name.as_str())
        .chain(parts.iter().filter(|p| !manifest.parts.contains(p)).map(|p| p.name.as_str()))
        .collect();
    check("hashes", differing.is_empty(), differing.join(", "));
    let db = into.join(DB_FILE);
    let (facts, health) = match (sb::facts(&db).await, sb::health(&db).await) {
        (Ok(f), Ok(h)) => (f, h),
        (Err(e), _) | (_, Err(e)) => {
            check("database", false, e.code.to_string());
            return Ok(report(file, &manifest, parts.len(), checks));
        }
    };
    check("integrity", health.integrity == "ok", health.integrity.clone());
    check("foreign_keys", health.foreign_key_violations == 0, health.foreign_key_violations.to_string());
    let current = crate::store::schema_version();
    check(
        "schema",
        facts.schema == manifest.facts.schema && facts.schema <= current,
        format!("{} (this build {current})", facts.schema),
    );
    check("counts", facts.counts == manifest.facts.counts, String::new());
    check("licence", facts.licence == manifest.facts.licence, String::new());
    let missing: Vec<&str> = facts
        .attachment_files
        .iter()
        .filter(|f| !parts.iter().any(|p| &p.name == *f && f.contains(&p.sha256)))
        .map(String::as_str)
        .collect();
    check("attachments", missing.is_empty(), missing.join(", "));
    // The audit chain, its seals and its checkpoints signed with the key in the backup:
    // the key and the database belong together. A schema older than this build's is
    // upgraded in the unpacked copy as opening it would.
    let audit = match Store::open(into).await {
        Ok(store) => {
            let desk = Desk::new(store, Arc::new(SystemClock));
            let verdict = desk.verify_audit(None).await;
            desk.store.close().await;
            match verdict {
                Ok(v) => {
                    let key_ok = v.signatures_checked || !into.join(SIGNING_KEY_FILE).exists();
                    (v.ok && key_ok, v.reason.unwrap_or(if key_ok { "" } else { "key" }).to_string())
                }
                Err(e) => (false, e.code.to_string()),
            }
        }
        Err(e) => (false, e.code.to_string()),
    };
    check("audit", audit.0, audit.1);
    Ok(report(file, &manifest, parts.len(), checks))
}

fn report(file: &Path, m: &Manifest, parts: usize, checks: Vec<Check>) -> Report {
    Report {
        ok: checks.iter().all(|c| c.ok),
        file: file.to_path_buf(),
        created_at: m.created_at.clone(),
        app_version: m.app_version.clone(),
        schema: m.facts.schema,
        licence: m.facts.licence.clone(),
        counts: m.facts.counts.clone(),
        parts,
        checks,
    }
}
