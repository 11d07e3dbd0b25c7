//! How fast the window shows something useful and how much memory it holds, measured (not
//! asserted: speed targets live in BENCHMARKS.md). Writes target/screenshots/startup-timing.json.
//!
//! `SAFAR_E2E_WORKERS` (default 1,000) sets the roster's size; with `SAFAR_BIN` pointing at a
//! release binary this gives BENCHMARKS.md's release figures:
//! `SAFAR_BIN=target/release/safar SAFAR_E2E_WORKERS=1000000 cargo test -p safar-e2e --test startup`.

use safar_e2e::{App, DataDir, ADMIN_LOGIN, ADMIN_PASSWORD, WAIT};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

/// Resident memory (KiB) of the app (the process running `bin`) and of it with its WebKit
/// child processes (web content, network), which hold the page.
fn resident(bin: &Path) -> (u64, u64) {
    let bin = bin.canonicalize().unwrap_or_else(|_| bin.to_path_buf());
    let procs: Vec<(u32, u32, u64, std::path::PathBuf)> = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| {
                let e = e.ok()?;
                let pid: u32 = e.file_name().to_str()?.parse().ok()?;
                let status = std::fs::read_to_string(e.path().join("status")).ok()?;
                let field = |name: &str| {
                    status
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.split_whitespace().next().unwrap_or("0").to_string())
                };
                let ppid = field("PPid:")?.parse().ok()?;
                let rss = field("VmRSS:").and_then(|v| v.parse().ok()).unwrap_or(0);
                let exe = std::fs::read_link(e.path().join("exe")).unwrap_or_default();
                Some((pid, ppid, rss, exe))
            })
            .collect()
        })
        .unwrap_or_default();
    // Other engineers' apps run other binaries; of ours, the window is the big one.
    let Some(&(app, _, app_rss, _)) = procs.iter().filter(|p| p.3 == bin).max_by_key(|p| p.2) else {
        return (0, 0);
    };
    let children: u64 = procs.iter().filter(|p| p.1 == app).map(|p| p.2).sum();
    (app_rss, app_rss + children)
}

#[test]
fn the_window_shows_sign_in_then_the_roster_and_the_timings_are_recorded() {
    let workers: u32 = std::env::var("SAFAR_E2E_WORKERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let data = DataDir::initialised();
    let filled = Instant::now();
    data.demo(workers);
    eprintln!("[e2e] {workers} demo workers in {:.1} s", filled.elapsed().as_secs_f64());
    let started = Instant::now();
    let app = App::start(&data);
    let to_sign_in = started.elapsed();
    // Milliseconds since the page began loading, when the sign-in form was visible.
    let page_ms = app.execute("return performance.now();", json!([])).as_f64().unwrap_or(-1.0);
    app.set_value("login-login", ADMIN_LOGIN);
    app.set_value("login-password", ADMIN_PASSWORD);
    let submitted = Instant::now();
    app.click("login-submit");
    app.wait_until("50 painted roster rows", WAIT, |app| (app.rows().len() == 50).then_some(()));
    let to_roster = submitted.elapsed();
    assert_eq!(app.rows().len(), 50, "the first page shows 50 workers");

    // Idle: a moment after the first page, nothing asked of it.
    std::thread::sleep(Duration::from_secs(3));
    let idle = resident(&safar_e2e::safar_bin());
    // Through twenty pages (nineteen forward, as far as the roster goes), each waited for
    // until its first row differs.
    let pages = 20.min(workers.div_ceil(50));
    let paging = Instant::now();
    for page in 1..pages {
        let first = app.rows().first().cloned().unwrap_or_default();
        app.click("page-next");
        app.wait_until(&format!("page {}", page + 1), WAIT, |app| {
            let rows = app.rows();
            (rows.len() == 50 && rows.first() != Some(&first)).then_some(())
        });
    }
    let paged_ms = paging.elapsed().as_millis();
    std::thread::sleep(Duration::from_secs(1));
    let after = resident(&safar_e2e::safar_bin());
    let report = json!({
        "launch_to_sign_in_screen_ms": to_sign_in.as_millis(),
        "page_load_to_sign_in_screen_ms": page_ms,
        "sign_in_to_first_roster_page_ms": to_roster.as_millis(),
        "pages": pages,
        "paging_ms": paged_ms,
        "rss_idle_app_kib": idle.0,
        "rss_idle_with_webkit_kib": idle.1,
        "rss_after_paging_app_kib": after.0,
        "rss_after_paging_with_webkit_kib": after.1,
        "workers": workers,
        "binary": safar_e2e::safar_bin(),
    });
    eprintln!("[e2e] startup timing {report}");
    let path = safar_e2e::screenshot_dir().join("startup-timing.json");
    std::fs::write(&path, report.to_string()).expect("write timing");
}
