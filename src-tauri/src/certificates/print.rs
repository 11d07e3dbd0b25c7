//! Batch printing: a cohort's certificates into one multi-page PDF or one file each,
//! off the async runtime, with progress and a cancel that leaves no partial output
//! (files are written to a temporary folder, or a temporary file, and moved into place
//! only when the whole batch is done).

use super::pdf::{self, Logo, Sheet};
use crate::error::{AppError, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Renders and writes `sheets` into `dir`; `progress` is told how many are done.
pub fn write_batch(
    sheets: &[Sheet],
    logo: Option<&Logo>,
    dir: &Path,
    single_file: Option<&str>,
    progress: &dyn Fn(usize),
    cancel: &AtomicBool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let cancelled = || AppError::new("cancelled");
    if let Some(name) = single_file {
        // Pages are laid out together so the fonts are subset once for the whole file.
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let bytes = pdf::render(sheets, logo);
        if bytes.is_empty() {
            return Err(AppError::internal("pdf"));
        }
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, &bytes)?;
        if cancel.load(Ordering::Relaxed) {
            let _ = std::fs::remove_file(&tmp);
            return Err(cancelled());
        }
        std::fs::rename(&tmp, &target)?;
        progress(sheets.len());
        return Ok(vec![target]);
    }
    let tmp = dir.join(format!(".safar-print-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&tmp)?;
    let outcome = (|| {
        let mut names = Vec::with_capacity(sheets.len());
        for (i, sheet) in sheets.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            let bytes = pdf::render(std::slice::from_ref(sheet), logo);
            if bytes.is_empty() {
                return Err(AppError::internal("pdf"));
            }
            let name = format!("{}.pdf", sheet.number);
            std::fs::write(tmp.join(&name), &bytes)?;
            names.push(name);
            progress(i + 1);
        }
        let mut paths = Vec::with_capacity(names.len());
        for name in names {
            let target = dir.join(&name);
            std::fs::rename(tmp.join(&name), &target)?;
            paths.push(target);
        }
        Ok(paths)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    outcome
}

/// A print job's state as the UI polls it.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    pub id: u64,
    pub total: usize,
    pub done: usize,
    /// running, done, cancelled or failed.
    pub state: &'static str,
    pub paths: Vec<String>,
    pub error: Option<String>,
}

struct Job {
    total: usize,
    done: AtomicUsize,
    cancel: AtomicBool,
    outcome: Mutex<Option<std::result::Result<Vec<String>, AppError>>>,
}

/// The print jobs of this window.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
}

impl Jobs {
    /// Starts rendering on a blocking thread and returns at once.
    pub fn start(&self, sheets: Vec<Sheet>, logo: Option<Logo>, dir: PathBuf, single_file: Option<String>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job {
            total: sheets.len(),
            done: AtomicUsize::new(0),
            cancel: AtomicBool::new(false),
            outcome: Mutex::new(None),
        });
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id, job.clone());
        }
        tokio::task::spawn_blocking(move || {
            let progress = |n: usize| job.done.store(n, Ordering::Relaxed);
            let result = write_batch(&sheets, logo.as_ref(), &dir, single_file.as_deref(), &progress, &job.cancel)
                .map(|paths| paths.iter().map(|p| p.display().to_string()).collect());
            if let Ok(mut outcome) = job.outcome.lock() {
                *outcome = Some(result);
            }
        });
        id
    }

    pub fn cancel(&self, id: u64) -> Result<JobView> {
        let job = self.get(id)?;
        job.cancel.store(true, Ordering::Relaxed);
        self.view(id)
    }

    fn get(&self, id: u64) -> Result<Arc<Job>> {
        self.jobs
            .lock()
            .ok()
            .and_then(|jobs| jobs.get(&id).cloned())
            .ok_or_else(|| AppError::new("job_not_found").with("id", id))
    }

    pub fn view(&self, id: u64) -> Result<JobView> {
        let job = self.get(id)?;
        let outcome = job.outcome.lock().map_err(|_| AppError::internal("job"))?;
        let (state, paths, error) = match &*outcome {
            None => ("running", Vec::new(), None),
            Some(Ok(paths)) => ("done", paths.clone(), None),
            Some(Err(e)) if e.code == "cancelled" => ("cancelled", Vec::new(), None),
            Some(Err(e)) => ("failed", Vec::new(), Some(e.code.to_string())),
        };
        Ok(JobView { id, total: job.total, done: job.done.load(Ordering::Relaxed), state, paths, error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_batch_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sheets: Vec<Sheet> = (1..=3)
            .map(|i| Sheet {
                number: format!("SFR-2026-{i:06}"),
                name_latin: "Saidov Eldor".into(),
                ..Default::default()
            })
            .collect();
        let cancel = AtomicBool::new(false);
        let stop_after_two = |n: usize| {
            if n == 2 {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let e = write_batch(&sheets, None, dir.path(), None, &stop_after_two, &cancel).expect_err("cancelled");
        assert_eq!(e.code, "cancelled");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0, "no files, no temporary folder");

        let cancel = AtomicBool::new(false);
        let paths = write_batch(&sheets, None, dir.path(), None, &|_| {}, &cancel).expect("written");
        assert_eq!(paths.len(), 3);
        assert!(paths[2].ends_with("SFR-2026-000003.pdf"));
        let one = write_batch(&sheets, None, dir.path(), Some("cohort.pdf"), &|_| {}, &cancel).expect("one file");
        assert_eq!(one, vec![dir.path().join("cohort.pdf")]);
    }
}
