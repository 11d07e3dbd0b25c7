// Over 600 lines: one walk through the whole training flow in the window (cohort, attendance, scores, certificates, printing, verifying), each step building on the last.
//! Pre-departure training through the window: a cohort (made with the CLI, its sessions in
//! the past) gets three workers enrolled, its attendance filled with the keyboard, scores
//! typed (one below the pass mark), certificates issued (the failing trainee refused, with
//! the reason), the cohort printed, the certificate found in the register by number and by
//! name, and its code verified as valid.

use safar_e2e::{days_ago, literal_part, shown_date, tr, App, DataDir, TempDir, WAIT};
use serde_json::{json, Value};
use std::time::Duration;

const LANG: &str = "uz-Latn";
const RIGHT: &str = "\u{E014}";
const LEFT: &str = "\u{E012}";
const DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";

struct Trainee {
    id: i64,
    pinfl: String,
    last_name: String,
}

/// Demo workers, a course and a cohort of three past sessions of 4 hours, through the CLI.
fn training_data() -> (DataDir, i64, Vec<Trainee>) {
    let data = DataDir::initialised();
    data.demo(60);
    let course: Value = serde_json::from_str(
        &data.cli_as_admin_with_input(
            &["--json", "training", "course", "add"],
            &json!({
                "name_uz": "Koreyaga ketishdan oldingi tayyorgarlik",
                "name_uz_cyrl": "Кореяга кетишдан олдинги тайёргарлик",
                "name_ru": "Предвыездная подготовка",
                "name_en": "Pre-departure orientation",
                "hours": "12", "pass_mark": "60", "min_attendance_percent": "75", "validity_months": "12",
            })
            .to_string(),
        ),
    )
    .expect("course JSON");
    let cohort: Value = serde_json::from_str(
        &data.cli_as_admin_with_input(
            &["--json", "training", "cohort", "add"],
            &json!({
                "course_id": course["id"].to_string(),
                "starts_on": days_ago(6), "ends_on": days_ago(1),
                "place": "Toshkent, Chilonzor 5", "trainer": "Rahimova Dilnoza", "capacity": "10",
                "sessions": [
                    {"date": days_ago(6), "hours": "4"},
                    {"date": days_ago(5), "hours": "4"},
                    {"date": days_ago(4), "hours": "4"},
                ],
            })
            .to_string(),
        ),
    )
    .expect("cohort JSON");
    let list: Value = serde_json::from_str(&data.cli_as_admin(&[
        "--json",
        "workers",
        "list",
        "--status",
        "registered",
        "--limit",
        "3",
        "--sort",
        "created",
    ]))
    .expect("workers JSON");
    let trainees: Vec<Trainee> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|w| Trainee {
            id: w["id"].as_i64().expect("id"),
            pinfl: w["pinfl"].as_str().expect("pinfl").to_string(),
            last_name: w["last_name"].as_str().expect("last name").to_string(),
        })
        .collect();
    assert_eq!(trainees.len(), 3, "the demo has three registered workers: {list}");
    (data, cohort["id"].as_i64().expect("cohort id"), trainees)
}

/// The `data-state` of every attendance cell, row by row.
fn cell_states(app: &App) -> Vec<Vec<String>> {
    let v = app.execute(
        r#"return [...document.querySelectorAll('[data-testid="trainee-row"]')].map((row) =>
             [...row.querySelectorAll('[data-testid="attendance-cell"]')].map((c) =>
               c.classList.contains('is-saving') ? 'saving' : c.dataset.state));"#,
        json!([]),
    );
    v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r.as_array().into_iter().flatten().map(|s| s.as_str().unwrap_or("").to_string()).collect())
                .collect()
        })
        .unwrap_or_default()
}

/// Clicks `[data-testid=…]`, finding it again when a re-render (a language switch redraws
/// the navigation) made the reference stale.
fn click_fresh(app: &App, testid: &str) {
    app.wait_until(&format!("a click on `{testid}`"), WAIT, |app| {
        let el = app.find_css(&App::css(testid))?;
        app.cmd("POST", &format!("/element/{}/click", el.0), Some(json!({}))).ok()
    });
}

fn focus_css(app: &App, css: &str) {
    let ok = app.execute("const el = document.querySelector(arguments[0]); if (!el) return false; el.focus(); return document.activeElement === el;", json!([css]));
    assert_eq!(ok, json!(true), "could not focus {css}");
}

#[test]
fn a_cohort_is_run_through_attendance_scores_certificates_printing_and_verification() {
    let (data, cohort_id, trainees) = training_data();
    let app = App::launch_on(&data);

    // The cohort from the training screen.
    app.click("nav-training");
    app.wait_visible("cohorts-screen");
    app.wait_text_contains("cohort-enrolled", "0 / 10");
    app.click("cohort-open");
    app.wait_visible("cohort-page");
    assert_eq!(app.text("cohort-title"), "Koreyaga ketishdan oldingi tayyorgarlik");
    let hash = app.execute("return location.hash;", json!([]));
    assert_eq!(hash, json!(format!("#/cohort/{cohort_id}")));
    app.wait_visible("trainees-empty");

    // Enrol three workers found by their PINFL.
    for w in &trainees {
        app.set_value("enrol-search", &w.pinfl);
        let pick = format!("[data-testid=\"enrol-result\"][data-id=\"{}\"] [data-testid=\"enrol-pick\"]", w.id);
        let el = app.wait_until(&format!("worker #{} in the search results", w.id), WAIT, |app| {
            (app.visible_count(&pick) == 1).then(|| app.find_css(&pick)).flatten()
        });
        app.click_element(&el, &pick);
    }
    app.wait_text_contains("enrol-submit", "(3)");
    app.click("enrol-submit");
    app.wait_text_contains("enrol-ok", "3");
    app.wait_until("three trainees in the grid", WAIT, |app| {
        (app.visible_count(&App::css("trainee-row")) == 3).then_some(())
    });
    let names = app.visible_texts(&App::css("trainee-name"));
    for w in &trainees {
        assert!(names.iter().any(|n| n.contains(&w.last_name)), "{} is not in the grid: {names:?}", w.last_name);
    }
    app.wait_text_contains("cohort-enrolled-count", "3");
    // The grid's order (by name): the third row is the one who will fail.
    let order = app.execute(
        "return [...document.querySelectorAll('[data-testid=\"trainee-row\"]')].map((r) => Number(r.dataset.worker));",
        json!([]),
    );
    let third = trainees
        .iter()
        .find(|w| json!(w.id) == order[2])
        .unwrap_or_else(|| panic!("the third row {order} is one of ours"));

    // Attendance with the keyboard only: Space marks present, arrows move, `a` absent.
    focus_css(&app, "[data-testid=\"attendance-cell\"]");
    app.press(&[SPACE, RIGHT, SPACE, RIGHT, SPACE].concat()); // row 1: ✓ ✓ ✓
    app.press(&[DOWN, SPACE, LEFT, SPACE, LEFT, SPACE].concat()); // row 2: ✓ ✓ ✓ (right to left)
    app.press(&[DOWN, SPACE, RIGHT, "a", RIGHT, SPACE].concat()); // row 3: ✓ ✗ ✓
    let all_present = vec!["present".to_string(); 3];
    let mut absent = all_present.clone();
    absent[1] = "absent".into();
    let want = vec![all_present.clone(), all_present.clone(), absent];
    app.wait_until("the attendance as typed, saved", WAIT, |app| (cell_states(app) == want).then_some(()));
    app.screenshot("training-attendance-absent-uz-Latn");
    // Back on the absent one: Enter toggles it to present.
    app.press(&[LEFT, ENTER].concat());
    let want = vec![all_present.clone(), all_present.clone(), all_present.clone()];
    app.wait_until("everyone present, saved", WAIT, |app| (cell_states(app) == want).then_some(()));
    app.wait_until("100% attendance shown", WAIT, |app| {
        let pct = app.visible_texts(&App::css("attendance-percent"));
        (pct.len() == 3 && pct.iter().all(|p| p == "100%")).then_some(())
    });
    assert!(!app.is_visible("attendance-error"), "{:?}", app.visible_text("attendance-error"));

    // Scores: Enter saves and moves down; the third is below the pass mark (60).
    focus_css(&app, "[data-testid=\"score-input\"]");
    app.press(&["85", ENTER, "72", ENTER, "40", ENTER].concat());
    let pass = tr(LANG, "cohort.result_pass");
    let fail = tr(LANG, "cohort.result_fail");
    let results = app.wait_until("two passes and a fail", WAIT, |app| {
        let r = app.visible_texts(&App::css("trainee-result"));
        (r.len() == 3 && r[0].starts_with(&pass) && r[1].starts_with(&pass) && r[2].starts_with(&fail)).then_some(r)
    });
    assert!(results[2].contains(&tr(LANG, "training.reason_score_low")), "the fail shows its reason: {results:?}");
    app.screenshot("training-grid-uz-Latn");

    // The grid kept what was typed: after a reload it comes from the database.
    app.reload();
    app.wait_visible("attendance-grid");
    app.wait_until("the saved attendance after a reload", WAIT, |app| (cell_states(app) == want).then_some(()));
    let scores = app.execute(
        "return [...document.querySelectorAll('[data-testid=\"score-input\"]')].map((i) => i.value);",
        json!([]),
    );
    assert_eq!(scores, json!(["85", "72", "40"]));

    // Certificates: two issued, the third refused with the reason.
    app.click("issue-certificates");
    app.wait_visible("issue-summary");
    let issued = app.wait_until("two certificates issued", WAIT, |app| {
        let v = app.visible_texts(&App::css("issued"));
        (v.len() == 2).then_some(v)
    });
    let refused = app.visible_texts(&App::css("refused"));
    assert_eq!(refused.len(), 1, "one refusal: {refused:?}");
    assert!(refused[0].contains(&third.last_name), "the refusal names the trainee: {refused:?}");
    let score_low = literal_part(&tr(LANG, "errors.score_low"));
    assert!(refused[0].contains(&score_low), "the refusal says why ({score_low:?}): {refused:?}");
    let numbers = app.wait_until("certificate numbers in the grid", WAIT, |app| {
        let n = app.visible_texts(&App::css("certificate-number"));
        (n.len() == 2).then_some(n)
    });
    let number = numbers[0].clone();
    assert!(number.contains(&format!("-{}-", &days_ago(0)[..4])), "PREFIX-YYYY-NNNNNN: {number}");
    assert!(issued.iter().any(|i| i.contains(&number)), "{issued:?} lists {number}");
    app.screenshot("training-issued-uz-Latn");

    // Print the cohort into one file: the progress runs to done, the file is there.
    assert_eq!(
        app.execute("return document.querySelector('[data-testid=\"print-single-file\"]').checked;", json!([])),
        json!(true)
    );
    app.click("print-cohort");
    app.wait_visible("print-panel");
    app.wait_until("the print job to finish", Duration::from_secs(60), |app| {
        let state = app.attribute("print-panel", "data-state").unwrap_or_default();
        if state == "failed" || state == "cancelled" {
            app.fail(&format!("the print job ended {state}"));
        }
        (state == "done").then_some(())
    });
    let progress = app.execute(
        "const p = document.querySelector('[data-testid=\"print-progress\"]'); return [p.value, p.max];",
        json!([]),
    );
    assert_eq!(progress, json!([2, 2]), "the bar is full");
    let path = app.text("print-path");
    assert!(path.ends_with(".pdf"), "{path}");
    let pdf = std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    assert!(pdf.starts_with(b"%PDF"), "{path} is a PDF");
    assert!(app.is_visible("print-open"), "an Open button is offered");
    assert!(!app.is_visible("print-cancel"), "nothing to cancel when done");
    app.screenshot("training-printed-uz-Latn");

    // The register: by number, then by name.
    app.click("nav-certificates");
    app.wait_visible("certs-screen");
    app.set_value("cert-search", &number);
    let rows = app.wait_until("the certificate found by number", WAIT, |app| {
        let r = app.visible_texts(&App::css("cert-row"));
        (r.len() == 1 && r[0].contains(&number)).then_some(r)
    });
    let holder = trainees
        .iter()
        .find(|w| w.id != third.id && rows[0].contains(&w.last_name))
        .unwrap_or_else(|| panic!("the row names a trainee who passed: {rows:?}"));
    app.set_value("cert-search", "nobody-by-this-name");
    app.wait_visible("certs-empty");
    app.set_value("cert-search", &holder.last_name);
    app.wait_until("the certificate found by name", WAIT, |app| {
        app.visible_texts(&App::css("cert-row")).iter().any(|r| r.contains(&number)).then_some(())
    });
    let row = format!("[data-testid=\"cert-row\"][data-number=\"{number}\"] [data-testid=\"cert-number\"]");
    let cell = app.find_css(&row).unwrap_or_else(|| app.fail(&format!("no {row}")));
    app.click_element(&cell, &row);
    app.wait_text_contains("cert-panel-number", &number);
    app.wait_text_contains("cert-panel-status", &tr(LANG, "certs.status_valid"));
    app.wait_until("the print preview drawn", WAIT, |app| {
        let w = app.execute(
            "const i = document.querySelector('[data-testid=\"cert-preview\"]'); return i && i.complete ? i.naturalWidth : 0;",
            json!([]),
        );
        (w.as_u64().unwrap_or(0) > 0).then_some(())
    });
    let record = app.execute("return document.querySelector('[data-testid=\"cert-record\"]').value;", json!([]));
    let record = record.as_str().unwrap_or_default().to_string();
    assert!(!record.is_empty(), "the register shows the certificate's code");

    // The register as it is filtered (by the holder's name) exported to CSV.
    app.click("certs-export-csv");
    let exported = app.wait_until("the register exported", WAIT, |app| {
        let dir = app.data_dir().join("exports");
        std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("certificates") && n.ends_with(".csv"))
        })
    });
    let csv = std::fs::read_to_string(&exported).unwrap_or_default();
    assert!(csv.contains(&number) && csv.contains(&holder.last_name), "{csv}");
    app.screenshot("training-register-uz-Latn");

    // Verify the code as an official would, pasting it.
    app.click("nav-verify");
    app.wait_visible("verify-screen");
    app.set_value("verify-code", &record);
    app.click("verify-submit");
    app.wait_until("the verdict", WAIT, |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("valid")).then_some(())
    });
    assert_eq!(app.text("verdict-title"), tr(LANG, "verify_screen.status_valid"));
    assert_eq!(app.text("verdict-sentence"), tr(LANG, "verify.valid"));
    assert_eq!(app.text("record-number"), number);
    // Our own certificate: its course in the screen's language (the signed record says it
    // in English), under a label that does not claim English.
    assert_eq!(app.text("record-course"), "Koreyaga ketishdan oldingi tayyorgarlik");
    let course_label =
        app.execute("return document.querySelector('[data-field=\"course\"] dt').textContent;", json!([]));
    assert_eq!(course_label.as_str(), Some(tr(LANG, "screens.record_course").as_str()));
    app.wait_visible("public-key-qr");
    // The key file by its name, not a path into a temporary folder.
    let key_file = app.text("public-key-path");
    assert!(key_file.ends_with(".pub") && !key_file.contains('/'), "{key_file}");
    app.screenshot("training-verify-uz-Latn");

    // A changed code does not pass.
    let mut forged = record.clone();
    let last = forged.pop().expect("a code");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    app.set_value("verify-code", &forged);
    app.click("verify-submit");
    app.wait_until("a verdict that is not valid", WAIT, |app| {
        let s = app.attribute("verdict", "data-status").unwrap_or_default();
        (!s.is_empty() && s != "valid").then_some(()).or_else(|| app.is_visible("verify-error").then_some(()))
    });
}

#[test]
fn the_training_screens_read_well_in_every_script() {
    let (data, cohort_id, trainees) = training_data();
    data.cli_as_admin(&["training", "enroll", &cohort_id.to_string(), &trainees[0].id.to_string()]);
    let app = App::launch_on(&data);
    for lang in ["uz-Latn", "uz-Cyrl", "ru"] {
        app.set_value("language-select", lang);
        app.wait_text_contains("nav-training", &tr(lang, "nav.training"));
        click_fresh(&app, "nav-training");
        app.wait_visible("cohort-row");
        app.execute("document.querySelector('[data-testid=\"cohort-add-form\"]').scrollIntoView();", json!([]));
        app.click("session-add-row");
        app.screenshot(&format!("training-cohorts-{lang}"));
        app.click("tab-courses");
        app.wait_visible("course-row");
        app.execute("document.querySelector('[data-testid=\"course-add-form\"]').scrollIntoView();", json!([]));
        app.screenshot(&format!("training-courses-{lang}"));
        app.click("tab-cohorts");
        let link = format!("[data-testid=\"cohort-row\"][data-id=\"{cohort_id}\"] [data-testid=\"cohort-open\"]");
        let el = app.wait_until("our cohort in the list", WAIT, |app| app.find_css(&link));
        app.click_element(&el, &link);
        app.wait_visible("attendance-grid");
        let title = match lang {
            "ru" => "Предвыездная подготовка",
            "uz-Cyrl" => "Кореяга кетишдан олдинги тайёргарлик",
            _ => "Koreyaga ketishdan oldingi tayyorgarlik",
        };
        app.wait_text_contains("cohort-title", title);
        app.screenshot(&format!("training-cohort-{lang}"));
        app.click("nav-certificates");
        app.wait_visible("cert-row");
        let first = app.find_css(&format!("{} [data-testid=\"cert-number\"]", App::css("cert-row"))).expect("a row");
        app.click_element(&first, "the first certificate");
        app.wait_visible("cert-preview");
        app.screenshot(&format!("training-register-{lang}"));
        let worker = app.find_css("[data-testid=\"cert-panel\"] a[href^=\"#/worker/\"]").expect("the holder's link");
        app.click_element(&worker, "the holder");
        app.wait_visible("worker-certificate");
        app.execute("document.querySelector('[data-testid=\"worker-certificates\"]').scrollIntoView();", json!([]));
        app.screenshot(&format!("training-worker-{lang}"));
        app.click("nav-verify");
        app.wait_visible("public-key-qr");
        app.screenshot(&format!("training-verify-{lang}"));
        app.click("nav-agency");
        app.wait_visible("cert-config-prefix");
        app.screenshot(&format!("training-agency-{lang}"));
    }
}

/// Two valid certificates of the demo (number, record), through the CLI.
fn demo_certificates(data: &DataDir) -> Vec<(String, String)> {
    let list: Value =
        serde_json::from_str(&data.cli_as_admin(&["--json", "certificates", "list", "--status", "valid"]))
            .expect("list JSON");
    let items = list.as_array().cloned().or_else(|| list["items"].as_array().cloned()).expect("a list");
    let out: Vec<(String, String)> = items
        .iter()
        .take(2)
        .map(|c| {
            (c["number"].as_str().expect("number").to_string(), c["record"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(out.len(), 2, "the demo issues certificates: {list}");
    out
}

#[test]
fn an_admin_revokes_a_certificate_and_verification_says_revoked_while_a_pdf_verifies_valid() {
    let (data, _, _) = training_data();
    let certs = demo_certificates(&data);
    let (revoked, record) = certs[0].clone();
    let (kept, _) = certs[1].clone();
    let out = TempDir::new("pdf");
    data.cli_as_admin(&["certificates", "print", &kept, "--out", out.path().to_str().expect("path")]);
    let pdf = std::fs::read_dir(out.path())
        .expect("out dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("the CLI wrote a PDF");

    let app = App::launch_on(&data);
    app.click("nav-certificates");
    app.set_value("cert-search", &revoked);
    app.wait_until("the certificate by number", WAIT, |app| {
        (app.visible_texts(&App::css("cert-row")).len() == 1).then_some(())
    });
    app.click("cert-number");
    app.wait_text_contains("cert-panel-number", &revoked);
    app.click("cert-revoke-open");
    app.click("cert-revoke-confirm");
    app.wait_text_contains("cert-revoke-error", &tr(LANG, "errors.required"));
    app.set_value("cert-revoke-reason-input", "Hujjatlar soxta ekani aniqlandi");
    app.click("cert-revoke-confirm");
    app.wait_text_contains("cert-panel-status", &tr(LANG, "certs.status_revoked"));
    app.wait_text_contains("cert-revoke-reason", "Hujjatlar soxta ekani aniqlandi");
    assert!(!app.is_visible("cert-revoke-open"), "a revoked certificate is not revoked twice");
    app.wait_text_contains("cert-status", &tr(LANG, "certs.status_revoked"));
    app.screenshot("training-revoked-uz-Latn");

    app.click("nav-verify");
    app.set_value("verify-code", &record);
    app.click("verify-submit");
    app.wait_until("the verdict `revoked`", WAIT, |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("revoked")).then_some(())
    });
    assert_eq!(app.text("verdict-sentence"), tr(LANG, "verify.revoked"));
    app.wait_text_contains("verdict-revoke-reason", "Hujjatlar soxta ekani aniqlandi");

    // The other one's PDF, chosen as a file, verifies as valid.
    app.send_keys("verify-file", pdf.to_str().expect("path"));
    app.wait_until("the verdict `valid` for the PDF", Duration::from_secs(20), |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("valid")).then_some(())
    });
    assert_eq!(app.text("record-number"), kept);
    app.screenshot("training-verify-pdf-uz-Latn");
}

#[test]
fn a_viewer_reads_training_and_verifies_but_changes_nothing() {
    let (data, cohort_id, trainees) = training_data();
    data.cli_as_admin(&["training", "enroll", &cohort_id.to_string(), &trainees[0].id.to_string()]);
    data.add_user("kuzatuvchi", "viewer", "Kuzatuvchi Olim", "kuzatuvchi-parol-2026");
    let app = App::launch_signed_in(&data, "kuzatuvchi", "kuzatuvchi-parol-2026");
    app.click("nav-training");
    app.wait_visible("cohort-row");
    assert!(!app.is_present("cohort-add-form"), "a viewer has no cohort form");
    app.click("tab-courses");
    app.wait_visible("course-row");
    assert!(!app.is_present("course-add-form"), "a viewer has no course form");
    app.execute(&format!("location.hash = '#/cohort/{cohort_id}';"), json!([]));
    app.wait_visible("attendance-grid");
    for absent in ["enrol-card", "issue-certificates", "print-cohort"] {
        assert!(!app.is_present(absent), "a viewer sees `{absent}`");
    }
    focus_css(&app, "[data-testid=\"attendance-cell\"]");
    app.press(SPACE);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(cell_states(&app)[0], vec!["none".to_string(); 3], "a viewer's Space marks nothing");
    app.click("nav-certificates");
    app.wait_visible("cert-row");
    app.click("cert-number");
    app.wait_visible("cert-preview");
    assert!(
        !app.is_present("cert-revoke-open") && !app.is_present("cert-print"),
        "a viewer can neither revoke nor print"
    );
    app.click("nav-verify");
    app.wait_visible("verify-code");
    app.wait_visible("public-key-qr");
    app.screenshot("training-viewer-verify-uz-Latn");
}

#[test]
fn another_agencys_certificate_is_of_unknown_issuer_until_an_admin_trusts_its_key() {
    let other = DataDir::initialised();
    other.demo(40);
    let (_, record) = demo_certificates(&other).remove(0);
    let dir = TempDir::new("key");
    let key_file = dir.path().join("other.pub");
    other.cli_as_admin(&["certificates", "public-key", "--out", key_file.to_str().expect("path")]);
    let key = std::fs::read_to_string(&key_file).expect("the key file");

    let app = App::launch();
    app.click("nav-verify");
    app.set_value("verify-code", &record);
    app.click("verify-submit");
    app.wait_until("the verdict `unknown_issuer`", WAIT, |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("unknown_issuer")).then_some(())
    });
    assert_eq!(app.text("verdict-sentence"), tr(LANG, "verify.unknown_issuer"));

    app.send_keys("trust-key-file", key_file.to_str().expect("path"));
    app.wait_until("the key read from the file", WAIT, |app| {
        (app.value("trust-key-text").trim() == key.trim()).then_some(())
    });
    app.click("trust-key-submit");
    app.wait_until("the key trusted", WAIT, |app| (app.value("trust-key-text").is_empty()).then_some(()));
    assert!(!app.is_visible("trust-key-error"), "{:?}", app.visible_text("trust-key-error"));
    app.click("verify-submit");
    app.wait_until("the verdict `valid` once trusted", WAIT, |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("valid")).then_some(())
    });
    app.screenshot("training-verify-trusted-uz-Latn");
}

#[test]
fn a_visitor_verifies_a_certificate_from_the_sign_in_screen_without_signing_in() {
    let data = DataDir::initialised();
    data.demo(40);
    let (number, record) = demo_certificates(&data).remove(0);
    let app = App::start(&data);
    app.wait_visible("login-form");
    app.click("login-verify");
    app.wait_visible("verify-screen");
    assert!(!app.is_present("public-key-card"), "the key card needs a session");
    app.set_value("verify-code", &record);
    app.press(ENTER);
    app.wait_until("the verdict `valid`", WAIT, |app| {
        (app.attribute("verdict", "data-status").as_deref() == Some("valid")).then_some(())
    });
    assert_eq!(app.text("record-number"), number);
    app.screenshot("training-verify-anonymous-uz-Latn");
    app.click("verify-sign-in");
    app.wait_visible("login-form");
    app.sign_in(safar_e2e::ADMIN_LOGIN, safar_e2e::ADMIN_PASSWORD);
}

#[test]
fn printing_a_big_cohort_shows_progress_and_can_be_cancelled() {
    let (data, cohort_id, _) = training_data();
    data.demo(400);
    let list: Value = serde_json::from_str(&data.cli_as_admin(&[
        "--json",
        "workers",
        "list",
        "--status",
        "registered",
        "--limit",
        "150",
    ]))
    .expect("workers JSON");
    let ids: Vec<i64> = list["items"].as_array().expect("items").iter().filter_map(|w| w["id"].as_i64()).collect();
    assert!(ids.len() >= 100, "enough registered workers: {}", ids.len());
    let app = App::launch_on(&data);
    // Enrolment, attendance, scores and certificates straight through the core.
    let out = app.execute_async(
        r#"let [cohort, ids, done] = arguments;
           const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);
           (async () => {
             // A cohort like the CLI's, with room for everyone.
             const like = await call('cohorts_get', {id: cohort});
             const big = await call('cohorts_add', {input: {course_id: String(like.course_id), starts_on: like.starts_on,
               ends_on: like.ends_on, place: like.place, trainer: like.trainer, capacity: '500',
               sessions: like.sessions.map((s) => ({date: s.held_on, hours: String(s.hours)}))}});
             cohort = big.id;
             const enrolled = await call('training_enroll', {cohortId: cohort, workerIds: ids});
             const view = await call('cohorts_get', {id: cohort});
             const who = enrolled.enrolled;
             for (const s of view.sessions) await call('training_attend', {cohortId: cohort, sessionId: s.id, workerIds: who, present: true});
             for (const w of who) await call('training_score', {cohortId: cohort, workerId: w, score: '90'});
             const issued = await call('certificates_issue', {cohortId: cohort});
             return {cohort, enrolled: who.length, issued: issued.issued.length, refused: issued.refused};
           })().then(done, (e) => done({error: e}));"#,
        json!([cohort_id, ids]),
    );
    let issued = out["issued"].as_u64().unwrap_or_else(|| panic!("set-up failed: {out}"));
    assert!(issued >= 100, "{out}");
    let big = out["cohort"].as_i64().expect("the big cohort");

    app.execute(&format!("location.hash = '#/cohort/{big}';"), json!([]));
    app.wait_visible("attendance-grid");
    app.click("print-single-file"); // one file per worker
    app.click("print-cohort");
    app.wait_visible("print-cancel");
    app.screenshot("training-print-running-uz-Latn");
    app.click("print-cancel");
    app.wait_until("the job cancelled", Duration::from_secs(30), |app| {
        let state = app.attribute("print-panel", "data-state").unwrap_or_default();
        if state == "done" {
            app.fail("the job finished before it could be cancelled");
        }
        (state == "cancelled").then_some(())
    });
    let progress = app.execute(
        "const p = document.querySelector('[data-testid=\"print-progress\"]'); return [p.value, p.max];",
        json!([]),
    );
    let (done, total) = (progress[0].as_f64().unwrap_or(-1.0), progress[1].as_f64().unwrap_or(0.0));
    assert_eq!(total as u64, issued, "the bar counts every certificate");
    assert!(done < total, "cancelled before the end: {progress}");
    assert_eq!(app.text("print-state"), tr(LANG, "print.state_cancelled"));
    assert!(!app.is_visible("print-cancel") && !app.is_visible("print-open"));
    // The window answered all along: the grid still moves with the keyboard.
    focus_css(&app, "[data-testid=\"attendance-cell\"]");
    app.press(RIGHT);
    let col = app.execute("return document.activeElement.dataset.col;", json!([]));
    assert_eq!(col, json!("1"));
    app.screenshot("training-print-cancelled-uz-Latn");
}

#[test]
fn a_course_and_a_cohort_are_added_through_their_forms() {
    let app = App::launch();
    app.click("nav-training");
    app.wait_visible("cohorts-screen");
    app.wait_visible("cohorts-empty");
    app.click("tab-courses");
    app.wait_visible("course-add-form");

    // Nothing typed: each missing name is told beside its field.
    app.set_value("course-add-hours", "16");
    app.click("course-add-submit");
    let required = tr(LANG, "errors.required");
    app.wait_text_contains("error-name_uz", &required);
    app.wait_text_contains("error-name_en", &required);
    app.screenshot("training-course-form-refused-uz-Latn");

    app.set_value("course-add-name_uz", "Yaponiyaga tayyorgarlik");
    app.set_value("course-add-name_uz_cyrl", "Японияга тайёргарлик");
    app.set_value("course-add-name_ru", "Подготовка к поездке в Японию");
    app.set_value("course-add-name_en", "Orientation for Japan");
    app.set_value("course-add-countries", "jp, kr");
    app.click("course-module-language");
    app.click("course-add-submit");
    app.wait_text_contains("course-name", "Yaponiyaga tayyorgarlik");
    let row = app.text("course-row");
    assert!(row.contains("16") && row.contains("JP") && row.contains("KR"), "{row}");
    assert!(!row.contains(&tr(LANG, "modules.language")), "the language module was left out: {row}");
    assert!(row.contains(&tr(LANG, "modules.safety")), "{row}");
    let course_id = app.attribute("course-row", "data-id").expect("course id");

    // A cohort with two sessions; the second row proposes the next day.
    app.click("tab-cohorts");
    app.wait_visible("cohort-add-form");
    app.set_value("cohort-add-course_id", &course_id);
    app.set_value("cohort-add-starts_on", &days_ago(3));
    app.set_value("cohort-add-ends_on", &days_ago(3));
    app.set_value("cohort-add-place", "Samarqand, Registon 1");
    app.set_value("cohort-add-trainer", "Nazarov Botir");
    app.set_value("cohort-add-capacity", "12");
    app.set_value("session-date", &days_ago(3));
    app.click("session-add-row");
    let second = app.execute(
        "return [...document.querySelectorAll('[data-testid=\"session-date\"]')].map((i) => i.value);",
        json!([]),
    );
    // The first date, left, is shown back as the language writes it; the next row follows.
    assert_eq!(
        second,
        json!([shown_date(LANG, &days_ago(3)), shown_date(LANG, &days_ago(2))]),
        "the new row continues the first"
    );
    // The second session is after the cohort's end: refused, and said.
    app.click("cohort-add-submit");
    app.wait_visible("error-sessions");
    let outside = literal_part(&tr(LANG, "errors.session_outside_cohort"));
    app.wait_text_contains("error-sessions", &outside);
    app.screenshot("training-cohort-form-refused-uz-Latn");
    app.set_value("cohort-add-ends_on", &days_ago(1));
    app.click("cohort-add-submit");
    app.wait_visible("cohort-page");
    app.wait_text_contains("cohort-title", "Yaponiyaga tayyorgarlik");
    app.wait_text_contains("cohort-enrolled-count", "0");
    assert_eq!(app.visible_count("th.col-session"), 0, "no grid before anyone is enrolled");
    app.wait_visible("trainees-empty");
    app.click("back-to-cohorts");
    app.wait_text_contains("cohort-enrolled", "0 / 12");
}
