//! Generations kept in a backup folder: the newest of each of the last 7 days, 4 weeks
//! and 12 months; the rest are deleted, and so are partial files of a killed backup.

use super::layout::{BACKUP_EXT, PARTIAL_EXT};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const DAILY: usize = 7;
pub const WEEKLY: usize = 4;
pub const MONTHLY: usize = 12;
/// A `.partial` file older than this is a backup that was killed: removed at pruning.
const PARTIAL_STALE_SECS: u64 = 3600;

/// When a backup's file name says it was made (`safar-20261202T061500Z[-2].safarbak`).
pub fn made_at(name: &str) -> Option<DateTime<Utc>> {
    let stem = name.strip_prefix("safar-")?.strip_suffix(BACKUP_EXT)?;
    let stamp = stem.get(..16)?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").ok().map(|t| t.and_utc())
}

/// Which of these backups to keep: the newest of each of the last [`DAILY`] days,
/// [`WEEKLY`] ISO weeks and [`MONTHLY`] months that have one.
pub fn keep(mut made: Vec<(DateTime<Utc>, PathBuf)>) -> BTreeSet<PathBuf> {
    made.sort_by_key(|m| std::cmp::Reverse(m.0));
    let mut kept = BTreeSet::new();
    let mut pick = |key: &dyn Fn(&DateTime<Utc>) -> (i32, u32), n: usize| {
        let mut seen = BTreeSet::new();
        for (at, path) in &made {
            if seen.len() == n && !seen.contains(&key(at)) {
                break;
            }
            if seen.insert(key(at)) {
                kept.insert(path.clone());
            }
        }
    };
    pick(&|t| (t.year(), t.ordinal()), DAILY);
    pick(&|t| (t.iso_week().year(), t.iso_week().week()), WEEKLY);
    pick(&|t| (t.year(), t.month()), MONTHLY);
    kept
}

/// Deletes the generations [`keep`] does not keep, and partial files left by a backup
/// that was killed. Returns what it deleted. Files not named like our backups are never
/// touched.
pub fn prune(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut made = Vec::new();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if let Some(at) = made_at(&name) {
            made.push((at, path));
        } else if name.starts_with("safar-") && name.ends_with(PARTIAL_EXT) {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age.as_secs() > PARTIAL_STALE_SECS);
            if old && std::fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    let kept = keep(made.clone());
    for (_, path) in made {
        if !kept.contains(&path) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_are_7_daily_4_weekly_12_monthly() {
        let start = made_at("safar-20240101T120000Z.safarbak").expect("parse");
        // Two backups a day for two years.
        let made: Vec<(DateTime<Utc>, PathBuf)> = (0..730 * 2)
            .map(|i| {
                let at = start + chrono::Duration::hours(12 * i);
                (at, PathBuf::from(format!("safar-{}.safarbak", at.format("%Y%m%dT%H%M%SZ"))))
            })
            .collect();
        let newest = made.last().expect("some").1.clone();
        let kept = keep(made);
        assert!(kept.contains(&newest));
        // 7 days + up to 4 weeks + up to 12 months, overlapping at the newest end.
        assert!((12..=23).contains(&kept.len()), "{}", kept.len());
        let oldest = kept.iter().filter_map(|p| made_at(&p.to_string_lossy())).min().expect("oldest");
        assert!((newest_at(&newest) - oldest).num_days() < 366);
    }

    fn newest_at(p: &Path) -> DateTime<Utc> {
        made_at(&p.to_string_lossy()).expect("parse")
    }

    #[test]
    fn other_files_and_fresh_partials_are_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["notes.txt", "safar-20261202T061500Z.safarbak.partial", "safar-20261202T061500Z.safarbak"] {
            std::fs::write(dir.path().join(name), b"x").expect("write");
        }
        assert!(prune(dir.path()).is_empty());
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 3);
    }
}
