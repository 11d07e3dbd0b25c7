//! Every screen as a clerk sees it (issue 15), in every language, at 1280 and 1920 px:
//! no "null", "undefined", untranslated key or raw code on screen; the navigation bar and
//! the roster's filter row fit at 1280 px; one scrolling box per page; contrast of text and
//! buttons at least 4.5:1. Photographs every screen (target/screenshots/screen-*.png).

use safar_e2e::{tr, App, DataDir, LANGUAGES};
use serde_json::json;

/// A worker of our own (the demo's may be at any status), with a course passed, a
/// certificate, an employer, a job order and a signed contract; returns his id.
fn placed_worker(data: &DataDir) -> i64 {
    let worker = json!({"last_name": "Gʻulomov", "first_name": "Anvar", "pinfl": "31503901234562",
        "passport_number": "AA1234567", "passport_issued": "2020-01-10", "passport_expiry": "2034-01-09",
        "phone": "90 123 45 67", "region": "Андижанская обл.", "destination_country": "KR",
        "consent": {"given_on": safar_e2e::days_ago(30), "purpose": "Employment abroad",
        "valid_until": "2028-11-20", "may_transfer_abroad": true}});
    let added: serde_json::Value =
        serde_json::from_str(&data.cli_as_admin_with_input(&["--json", "workers", "add"], &worker.to_string()))
            .expect("worker JSON");
    let id = added["id"].as_i64().expect("worker id");
    data.certify(id);
    let employer = json!({"name": "Hyundai Heavy Industries", "country": "KR", "city": "Ulsan",
        "cooperation_number": "HHI-UZ-2025/07", "cooperation_signed_on": "2025-01-15", "cooperation_valid_until": "2028-12-31"});
    let e: serde_json::Value =
        serde_json::from_str(&data.cli_as_admin_with_input(&["--json", "employers", "add"], &employer.to_string()))
            .expect("employer JSON");
    let job = json!({"employer_id": e["id"], "position": "Welder", "places": 2, "country": "KR",
        "salary_amount": "2300000", "salary_currency": "KRW", "hours_per_week": 40, "term_months": 12,
        "housing_paid_by": "employer", "insurance_paid_by": "employer", "travel_paid_by": "employer",
        "visa_paid_by": "employer"});
    let j: serde_json::Value =
        serde_json::from_str(&data.cli_as_admin_with_input(&["--json", "jobs", "add"], &job.to_string()))
            .expect("job JSON");
    let contract = json!({"worker_id": id, "job_order_id": j["id"], "number": "C-1",
        "signed_on": safar_e2e::days_ago(2), "starts_on": "2027-01-01", "ends_on": "2027-12-31", "position": "Welder",
        "salary_amount": "2300000", "salary_currency": "KRW", "hours_per_week": 40, "housing_paid_by": "employer",
        "insurance_paid_by": "employer", "travel_paid_by": "employer", "visa_paid_by": "employer"});
    let c: serde_json::Value =
        serde_json::from_str(&data.cli_as_admin_with_input(&["--json", "contracts", "add"], &contract.to_string()))
            .expect("contract JSON");
    data.cli_as_admin(&["contracts", "status", &c["id"].to_string(), "signed"]);
    id
}

/// Opens `route` and waits for `landmark`.
fn open(app: &App, route: &str, landmark: &str) {
    app.execute("location.hash = arguments[0];", json!([route]));
    app.wait_visible(landmark);
}

/// Walks `screens` in every language at 1280 and 1920 px, photographing each, and returns
/// the problems found (all of them, so one run shows everything).
fn walk(app: &App, who: &str, screens: &[(&str, String, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for lang in LANGUAGES {
        app.resize(1280, 800);
        // (A viewer has no "Add worker" button, which `switch_language` reads.)
        app.set_value("language-select", lang);
        app.wait_text_contains("nav-roster", &tr(lang, "nav.roster"));
        for (width, height) in [(1280, 800), (1920, 1080)] {
            app.resize(width, height);
            for (name, route, landmark) in screens {
                open(app, route, landmark);
                // Let the screen finish filling (lists arrive after the landmark).
                std::thread::sleep(std::time::Duration::from_millis(400));
                app.screenshot(&format!("screen-{who}{name}-{lang}-{width}"));
                // What lies below the fold, photographed too.
                let below = app.execute(
                    r#"const v = document.getElementById('view');
                       if (!v || v.scrollHeight <= v.clientHeight + 1) return false;
                       v.scrollTop = v.scrollHeight; return true;"#,
                    json!([]),
                );
                if below == json!(true) {
                    app.screenshot(&format!("screen-{who}{name}-{lang}-{width}-end"));
                    app.execute("document.getElementById('view').scrollTop = 0;", json!([]));
                }
                for problem in app.screen_problems(lang) {
                    problems.push(format!("{name} ({lang}, {width} px): {problem}"));
                }
            }
        }
    }
    problems
}

#[test]
fn every_screen_in_every_language_is_translated_fits_and_is_readable() {
    let data = DataDir::initialised();
    data.demo(40);
    let worker = placed_worker(&data);
    let app = App::launch_on(&data);
    let screens: Vec<(&str, String, &str)> = vec![
        ("roster", "#/".into(), "worker-row"),
        ("worker", format!("#/worker/{worker}"), "worker-contracts"),
        ("worker-edit", format!("#/worker/{worker}/edit"), "worker-form"),
        ("new-worker", "#/new".into(), "worker-form"),
        ("employers", "#/employers".into(), "employer-row"),
        ("jobs", "#/jobs".into(), "job-row"),
        ("courses", "#/courses".into(), "course-row"),
        ("cohorts", "#/cohorts".into(), "cohort-row"),
        ("cohort", "#/cohort/1".into(), "attendance-grid"),
        ("certificates", "#/certificates".into(), "cert-row"),
        ("verify", "#/verify".into(), "public-key-qr"),
        ("import", "#/import".into(), "import-screen"),
        ("users", "#/users".into(), "users-screen"),
        ("audit", "#/audit".into(), "audit-row"),
        ("agency", "#/agency".into(), "rules-card"),
        ("password", "#/password".into(), "password-screen"),
    ];
    let mut problems = walk(&app, "", &screens);
    // One Save on the agency page (the profile and the certificate settings together).
    for lang in LANGUAGES {
        app.set_value("language-select", lang);
        app.wait_text_contains("nav-roster", &tr(lang, "nav.roster"));
        open(&app, "#/agency", "cert-config-prefix");
        let saves = app
            .visible_texts("#view button")
            .into_iter()
            .filter(|text| text == &tr(lang, "agency.save") || text == &tr(lang, "agency.cert_save"))
            .count();
        if saves != 1 {
            problems.push(format!("agency ({lang}): {saves} Save buttons, not one"));
        }
    }
    assert!(problems.is_empty(), "{} problems on the screens:\n  - {}", problems.len(), problems.join("\n  - "));
}

#[test]
fn a_viewers_screens_in_every_language_are_translated_fit_and_are_readable() {
    let data = DataDir::initialised();
    data.demo(10);
    data.add_user("viewer", "viewer", "Olimova Dilnoza", "e2e-Viewer-parol-2026");
    let app = App::launch_signed_in(&data, "viewer", "e2e-Viewer-parol-2026");
    let screens: Vec<(&str, String, &str)> = vec![
        ("roster", "#/".into(), "worker-row"),
        ("worker", "#/worker/1".into(), "worker-detail"),
        ("verify", "#/verify".into(), "public-key-qr"),
    ];
    let problems = walk(&app, "viewer-", &screens);
    assert!(problems.is_empty(), "{} problems on the screens:\n  - {}", problems.len(), problems.join("\n  - "));
}
