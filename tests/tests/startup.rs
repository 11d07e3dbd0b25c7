//! How fast the window shows something useful, measured (not asserted: speed targets
//! live in BENCHMARKS.md). Writes target/screenshots/startup-timing.json.

use safar_e2e::{App, DataDir, ADMIN_LOGIN, ADMIN_PASSWORD, WAIT};
use serde_json::json;
use std::time::Instant;

#[test]
fn the_window_shows_sign_in_then_the_roster_and_the_timings_are_recorded() {
    let data = DataDir::initialised();
    data.demo(1000);
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
    let report = json!({
        "launch_to_sign_in_screen_ms": to_sign_in.as_millis(),
        "page_load_to_sign_in_screen_ms": page_ms,
        "sign_in_to_first_roster_page_ms": to_roster.as_millis(),
        "workers": 1000,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    eprintln!("[e2e] startup timing {report}");
    let path = safar_e2e::screenshot_dir().join("startup-timing.json");
    std::fs::write(&path, report.to_string()).expect("write timing");
    assert_eq!(app.rows().len(), 50, "the first page shows 50 workers");
}
