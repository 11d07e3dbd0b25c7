//! Certificate printing: one certificate rendered to PDF bytes, a batch of 1,000 written
//! to files on one core (one file each, and one 1,000-page file), bytes per certificate;
//! and, in the same run, the same certificate as an HTML page printed by headless
//! Chromium (`--print-to-pdf`), which is what an agency would otherwise script.
//! Results (p50s, rates, sizes) go to target/bench-certificates.json.
//!
//! `SAFAR_BENCH_CHROMIUM=0` skips Chromium; `SAFAR_BENCH_CHROMIUM_RUNS` (default 5) sets
//! how many Chromium prints are timed.

use criterion::{criterion_group, criterion_main, Criterion};
use safar::certificates::pdf::{self, Sheet};
use safar::certificates::print::write_batch;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

fn sheet(n: usize) -> Sheet {
    Sheet::sample(n)
}

fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn p50(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// The same certificate as a web page: the app's own SVG of the page in an A4 landscape
/// HTML document, which Chromium prints to PDF.
fn chromium(runs: usize) -> Option<(f64, usize)> {
    let exe = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok())?;
    let dir = out_dir("chromium");
    let html = dir.join("certificate.html");
    let svg = pdf::preview_svg(&sheet(1), false);
    std::fs::write(
        &html,
        format!(
            "<!doctype html><meta charset=utf-8><style>@page {{ size: A4 landscape; margin: 0 }} \
             body {{ margin: 0 }} svg {{ width: 297mm; height: 210mm; display: block }}</style>{svg}"
        ),
    )
    .ok()?;
    let mut times = Vec::new();
    let mut size = 0;
    for i in 0..runs {
        let out = dir.join(format!("c{i}.pdf"));
        let t = Instant::now();
        let status = std::process::Command::new(exe)
            .args(["--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer"])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", html.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        times.push(t.elapsed());
        if !status.success() {
            return None;
        }
        size = std::fs::metadata(&out).map(|m| m.len() as usize).unwrap_or(0);
    }
    Some((p50(times), size))
}

fn bench(c: &mut Criterion) {
    let one = sheet(1);
    // Warm the parsed fonts (once per process, as in the app).
    let first = pdf::render(std::slice::from_ref(&one), None);
    c.bench_function("certificate/render_one", |b| b.iter(|| pdf::render(std::slice::from_ref(&one), None)));

    let mut times = Vec::new();
    let mut sizes = Vec::new();
    for i in 0..300 {
        let s = sheet(i);
        let t = Instant::now();
        let bytes = pdf::render(std::slice::from_ref(&s), None);
        times.push(t.elapsed());
        sizes.push(bytes.len());
    }
    let render_p50 = p50(times);
    let bytes_p50 = {
        sizes.sort();
        sizes[sizes.len() / 2]
    };

    let sheets: Vec<Sheet> = (1..=1000).map(sheet).collect();
    let cancel = AtomicBool::new(false);
    let dir = out_dir("certificates-files");
    let t = Instant::now();
    let files = write_batch(&sheets, None, &dir, None, &|_| {}, &cancel).expect("batch");
    let files_secs = t.elapsed().as_secs_f64();
    let files_bytes: u64 = files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let dir = out_dir("certificates-one-file");
    let t = Instant::now();
    let single = write_batch(&sheets, None, &dir, Some("cohort.pdf"), &|_| {}, &cancel).expect("one file");
    let single_secs = t.elapsed().as_secs_f64();
    let single_bytes = std::fs::metadata(&single[0]).map(|m| m.len()).unwrap_or(0);

    // Issuing adds the holder's slow salted PINFL hash to every certificate.
    let hash_times: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(safar::certificates::signing::pinfl_hash("XBA-0042", "31207803067076"));
            t.elapsed()
        })
        .collect();
    let pinfl_hash_p50 = p50(hash_times);

    let runs = std::env::var("SAFAR_BENCH_CHROMIUM_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let chrome = if std::env::var("SAFAR_BENCH_CHROMIUM").as_deref() == Ok("0") { None } else { chromium(runs) };
    let report = serde_json::json!({
        "render_one_p50_ms": render_p50,
        "pinfl_hash_p50_ms": pinfl_hash_p50,
        "bytes_per_certificate_p50": bytes_p50,
        "first_render_bytes": first.len(),
        "batch_1000_files_seconds": files_secs,
        "batch_1000_files_per_second": 1000.0 / files_secs,
        "batch_1000_files_bytes_each": files_bytes / 1000,
        "batch_1000_single_file_seconds": single_secs,
        "batch_1000_single_file_bytes": single_bytes,
        "chromium_p50_ms": chrome.map(|c| c.0),
        "chromium_bytes": chrome.map(|c| c.1),
        "speedup_vs_chromium": chrome.map(|c| c.0 / render_p50),
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-certificates.json");
    let _ = std::fs::write(path, serde_json::to_string_pretty(&report).unwrap_or_default());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
