//! Import speed: a 100,000-row CSV and the same rows as XLSX (made by Safar's own export
//! from the demo generator, 1% of them already in the database), read, mapped, validated
//! and checked for duplicates against a database of demo workers; then one full commit
//! of each into a copy of that database; and, in the same run, `sqlite3 .import` of the
//! same CSV into a bare table for comparison. Rows per second, and the process's peak
//! memory (VmHWM) after each step, go to target/bench-import.json.
//!
//! `SAFAR_BENCH_IMPORT_DB=100000` picks the database size (default 1,000,000, shared with
//! the roster benchmark's target/bench-data/); `SAFAR_BENCH_IMPORT_ROWS` the file size.

use criterion::{criterion_group, criterion_main, Criterion};
use safar::clock::FixedClock;
use safar::desk::Desk;
use safar::i18n::Lang;
use safar::import::export;
use safar::import::ImportOptions;
use safar::sheet::{self, Sheet};
use safar::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data")
}

/// Peak resident memory of this process so far, in MiB.
fn vm_hwm_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn vm_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak (Linux: `5` to clear_refs), so each import's own peak can be read.
fn reset_hwm() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn open(rt: &tokio::runtime::Runtime, dir: &Path) -> Desk {
    rt.block_on(async {
        let store = Store::open(dir).await.expect("open store");
        Desk::new(store, Arc::new(FixedClock::on(2026, 11, 25).expect("date")))
    })
}

/// The roster benchmark's database of `n` demo workers (filled here if missing).
fn database(rt: &tokio::runtime::Runtime, n: u32) -> PathBuf {
    let dir = bench_dir().join(format!("workers-{n}-v2"));
    if !dir.join("complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let desk = open(rt, &dir);
        rt.block_on(safar::demo::fill(&desk, n, 42, "bench")).expect("demo");
        rt.block_on(desk.store.close());
        std::fs::write(dir.join("complete"), b"").expect("marker");
    }
    dir
}

/// A copy of the database to commit into (the original stays as the roster bench wants it).
fn scratch_copy(db: &Path, name: &str) -> PathBuf {
    let dir = bench_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for f in ["safar.db", "safar.db-wal", "safar.db-shm"] {
        if db.join(f).exists() {
            std::fs::copy(db.join(f), dir.join(f)).expect("copy db");
        }
    }
    dir
}

/// `rows` new workers as the export writes them; every 100th is a worker already in the
/// database (so the duplicate path is part of the measure).
fn file_sheet(rows: u32) -> Sheet {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let mut rng = fastrand::Rng::with_seed(7);
    let mut sheet = Sheet::with_fields("bench", export::WORKER_FIELDS, Lang::UzLatn);
    for i in 0..u64::from(rows) {
        // Numbers from 5,000,000 on never collide with the demo's (see demo::worker).
        let n = if i % 100 == 0 { i + 1 } else { 5_000_000 + i };
        let w = safar::demo::worker(&mut rng, n, today);
        let d = w.data;
        sheet.push(vec![
            Some(d.last_name),
            Some(d.first_name),
            d.patronymic,
            d.last_name_cyrillic,
            d.first_name_cyrillic,
            d.patronymic_cyrillic,
            Some(d.birth_date),
            Some(d.sex),
            Some(d.pinfl),
            Some(d.passport_number),
            Some(d.passport_issued),
            Some(d.passport_expiry),
            d.phone,
            safar::places::region(&d.region).map(|r| r.name(Lang::UzLatn).to_string()),
            d.destination_country,
            None,
        ]);
    }
    sheet
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let db_size = env_u32("SAFAR_BENCH_IMPORT_DB", 1_000_000);
    let rows = env_u32("SAFAR_BENCH_IMPORT_ROWS", 100_000);
    let db = database(&rt, db_size);
    let mut report = serde_json::Map::new();
    report.insert("database_workers".into(), db_size.into());
    report.insert("file_rows".into(), rows.into());

    let t = Instant::now();
    let sheet = file_sheet(rows);
    let csv = sheet::csv_bytes(&sheet, b',').expect("csv");
    let xlsx = sheet::xlsx_bytes(&sheet).expect("xlsx");
    drop(sheet);
    report.insert("make_files_s".into(), t.elapsed().as_secs_f64().into());
    report.insert("csv_mib".into(), (csv.len() as f64 / 1048576.0).into());
    report.insert("xlsx_mib".into(), (xlsx.len() as f64 / 1048576.0).into());
    let csv_path = bench_dir().join(format!("import-{rows}.csv"));
    std::fs::write(&csv_path, &csv).expect("csv file");
    report.insert("hwm_after_files_mib".into(), vm_hwm_mib().into());

    // The preview: read + map + validate + duplicate checks, nothing written.
    let desk = open(&rt, &db);
    let options = ImportOptions::default();
    let mut g = c.benchmark_group("import");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(1));
    for (name, bytes) in [("preview_csv", &csv), ("preview_xlsx", &xlsx)] {
        let file = if name.ends_with("csv") { "f.csv" } else { "f.xlsx" };
        g.bench_function(format!("{name}_{rows}_rows_db_{db_size}"), |b| {
            b.iter(|| rt.block_on(desk.import_plan(file, bytes, &options, Lang::En)).expect("plan"))
        });
    }
    g.finish();
    rt.block_on(desk.store.close());

    // One full import (preview + commit in one transaction) of each file into a copy.
    for (name, bytes, file) in [("csv", &csv, "f.csv"), ("xlsx", &xlsx, "f.xlsx")] {
        let dir = scratch_copy(&db, &format!("import-scratch-{name}"));
        let desk = open(&rt, &dir);
        reset_hwm();
        let before = vm_rss_mib();
        let t = Instant::now();
        let plan = rt.block_on(desk.import_plan(file, bytes, &options, Lang::En)).expect("plan");
        let planned = t.elapsed().as_secs_f64();
        let r = rt.block_on(desk.import_commit(&plan, None, "bench")).expect("commit");
        let total = t.elapsed().as_secs_f64();
        let hwm = vm_hwm_mib();
        println!(
            "import {name}: {rows} rows ({} added, {} skipped, {} refused rows) preview {planned:.2} s, with commit {total:.2} s = {:.0} rows/s; peak {hwm:.0} MiB, {:.0} MiB above the {before:.0} MiB held before",
            r.added,
            r.skipped,
            plan.refused_rows(),
            f64::from(rows) / total,
            hwm - before
        );
        report.insert(
            format!("full_{name}"),
            serde_json::json!({"preview_s": planned, "total_s": total, "rows_per_s": f64::from(rows) / total,
                "preview_rows_per_s": f64::from(rows) / planned, "added": r.added, "skipped": r.skipped,
                "vm_hwm_mib": hwm, "rss_before_mib": before, "peak_above_before_mib": hwm - before}),
        );
        drop(plan);
        rt.block_on(desk.store.close());
        let _ = std::fs::remove_dir_all(&dir);
    }

    // The floor: sqlite3's own CSV import of the same file into a bare table (no
    // validation, no indexes, no duplicate checks), into a copy of the same database.
    let has_sqlite3 = std::process::Command::new("sqlite3").arg("-version").output().is_ok_and(|o| o.status.success());
    if has_sqlite3 {
        let dir = scratch_copy(&db, "import-scratch-sqlite3");
        let t = Instant::now();
        let out = std::process::Command::new("sqlite3")
            .arg(dir.join("safar.db"))
            .arg(".mode csv")
            .arg(format!(".import '{}' bare_import", csv_path.display()))
            .output()
            .expect("sqlite3");
        let secs = t.elapsed().as_secs_f64();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        println!("sqlite3 .import: {rows} rows in {secs:.2} s = {:.0} rows/s", f64::from(rows) / secs);
        report.insert("sqlite3_import".into(), serde_json::json!({"s": secs, "rows_per_s": f64::from(rows) / secs}));
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("note: no sqlite3 command; the .import comparison is skipped");
    }
    report.insert("vm_hwm_mib".into(), vm_hwm_mib().into());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-import.json");
    let _ = std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap_or_default());
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
}

criterion_group!(benches, bench);
criterion_main!(benches);
