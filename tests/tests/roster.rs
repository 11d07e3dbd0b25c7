//! The roster, the worker form and the worker page, as a clerk (the admin, signed in)
//! uses them.
//!
//! Run with `scripts/test.sh`, or after `cargo build -p safar`:
//! `cargo test -p safar-e2e -- --test-threads=1`.

use safar_e2e::{literal_part, pinfl, tr, App, DataDir, WorkerForm, LANGUAGES, WAIT};

const DEFAULT_LANGUAGE: &str = "uz-Latn";

#[test]
fn a_worker_added_through_the_form_is_found_by_a_cyrillic_search() {
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());

    let has_him = |rows: &[String]| rows.iter().any(|r| r.contains("Gʻulomov"));
    // Every positive search follows one that shows nobody, so a stale list cannot pass.
    for query in ["Ғуломов", "Гуломов", "Gulomov"] {
        app.search_until("Karimova", "no rows", |rows| rows.is_empty());
        let rows = app.search_until(query, "a row with Gʻulomov", has_him);
        assert_eq!(rows.len(), 1, "searching {query:?} shows {rows:?}");
    }
}

#[test]
fn a_wrong_pinfl_shows_the_translated_error_beside_the_field_and_saves_nothing() {
    let app = App::launch();
    app.open_new_worker_form();
    let form = WorkerForm::gulomov().with("pinfl", "31503901234563");
    app.fill_form(&form);

    app.click("save-worker");
    let uz = literal_part(&tr(DEFAULT_LANGUAGE, "errors.pinfl_checksum"));
    app.wait_text_contains("error-pinfl", &uz);
    app.screenshot("form-pinfl-error-uz-Latn");
    assert!(!app.is_visible("save-anyway"), "a checksum error is not a warning: `save-anyway` must not be offered");

    app.set_value("language-select", "en");
    assert_eq!(app.value("field-pinfl"), "31503901234563", "switching the language cleared what the clerk typed");
    app.click("save-worker");
    let en = literal_part(&tr("en", "errors.pinfl_checksum"));
    app.wait_text_contains("error-pinfl", &en);

    app.click("cancel-form");
    app.wait_hidden("worker-form");
    app.go_to_roster();
    app.wait_visible("roster-empty");
    assert!(app.rows().is_empty(), "nothing was saved, yet rows show: {:?}", app.rows());
}

#[test]
fn switching_the_language_changes_the_labels() {
    let data = DataDir::initialised();
    {
        let app = App::launch_on(&data);
        let key = app.i18n_key("add-worker");
        let uz = tr(DEFAULT_LANGUAGE, &key);
        app.wait_text_contains("add-worker", uz.trim());

        app.switch_language("ru");
        assert_eq!(app.value("language-select"), "ru");
    }

    let app = App::launch_on(&data);
    let ru = tr("ru", &app.i18n_key("add-worker"));
    assert_eq!(app.value("language-select"), "ru", "the language is not remembered across a restart");
    app.wait_text_contains("add-worker", ru.trim());
}

#[test]
fn a_name_with_markup_is_stored_and_shown_as_text() {
    const MARKUP: &str = "<img src=x onerror=alert(1)>";
    let app = App::launch();
    let form = WorkerForm::gulomov()
        .with("last_name", MARKUP)
        .with("first_name", "Dilnoza")
        .with("patronymic", "Rustam qizi")
        .with("pinfl", &pinfl(4, 2, 7, 1995, 45_001))
        .with("birth_date", "1995-07-02")
        .with("sex", "F")
        .with("passport_number", "AB7654321");
    app.add_worker(&form);

    let rows = app.wait_until("a row with the literal markup", WAIT, |app| {
        let rows = app.rows();
        rows.iter().any(|r| r.contains(MARKUP)).then_some(rows)
    });
    assert_eq!(rows.len(), 1, "{rows:?}");
    let images = app.execute(
        "return document.querySelectorAll('#roster img, [data-testid=roster-table] img').length;",
        serde_json::json!([]),
    );
    assert_eq!(images, 0, "the name was rendered as HTML in the roster");

    app.open_row(0);
    app.wait_text_contains("detail-name", MARKUP);
    let injected = app.execute("return document.querySelectorAll('img[src=\"x\"]').length;", serde_json::json!([]));
    assert_eq!(injected, 0, "the name was rendered as HTML on the worker page");

    match app.alert_text() {
        Ok(text) => panic!("an alert was raised: {text:?}"),
        Err(e) => assert_eq!(e.error, "no such alert", "unexpected answer: {e}"),
    }
}

#[test]
fn the_status_moves_along_the_pipeline_with_a_reason() {
    const REASON: &str = "Enrolled in the Korean language course";
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());

    app.open_row(0);
    app.wait_text_contains("detail-status", &tr(DEFAULT_LANGUAGE, "status.registered"));

    app.set_value("status-select", "in_training");
    app.set_value("status-reason", REASON);
    app.click("status-apply");

    app.wait_text_contains("detail-status", &tr(DEFAULT_LANGUAGE, "status.in_training"));
    let entries = app.wait_until("two entries in `history-list`", WAIT, |app| {
        let n = app.visible_count("[data-testid=\"history-list\"] [data-testid=\"history-entry\"]");
        (n == 2).then_some(n)
    });
    assert_eq!(entries, 2);
    app.screenshot("worker-page-uz-Latn");
    app.wait_text_contains("history-list", REASON);
}

const STATUSES: [&str; 9] = [
    "registered",
    "in_training",
    "certified",
    "contract_signed",
    "contract_registered",
    "departed",
    "returned",
    "withdrawn",
    "rejected",
];

#[test]
fn the_roster_of_twenty_demo_workers_is_photographed_in_every_language() {
    let data = DataDir::initialised();
    data.demo(20);
    let app = App::launch_on(&data);

    for lang in LANGUAGES {
        app.switch_language(lang);
        // The rows come from the core in the chosen language: wait until every row shows a
        // status named in it, so the picture is of the re-rendered roster.
        let statuses: Vec<String> = STATUSES.iter().map(|s| tr(lang, &format!("status.{s}"))).collect();
        app.wait_until(&format!("20 rows in {lang}"), WAIT, |app| {
            let rows = app.rows();
            (rows.len() == 20 && rows.iter().all(|r| statuses.iter().any(|s| r.contains(s.as_str())))).then_some(())
        });
        let path = app.screenshot(&format!("roster-{lang}"));
        eprintln!("[e2e] saved {}", path.display());
    }
}
