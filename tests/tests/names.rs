//! Issue 13: a worker found by another spelling of his name is marked "similar spelling" in
//! the roster, in the window's language; the spelling typed exactly is not.
//!
//! Run with `scripts/test.sh`, or after `cargo build -p safar`:
//! `cargo test -p safar-e2e --test names -- --test-threads=1`.

use safar_e2e::{tr, App, WorkerForm};

#[test]
fn a_russian_era_spelling_finds_the_worker_marked_as_a_similar_spelling() {
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());
    let mark = tr("uz-Latn", "names.similar_spelling");

    app.search_until("Karimova", "no rows", |rows| rows.is_empty());
    // Гулямов: how a Soviet-era document writes Gʻulomov (я for o, г for gʻ).
    let rows = app.search_until("Гулямов", "Gʻulomov marked as a similar spelling", |rows| {
        rows.iter().any(|r| r.contains("Gʻulomov") && r.contains(mark.trim()))
    });
    assert_eq!(rows.len(), 1, "{rows:?}");
    app.screenshot("roster-similar-spelling-uz-Latn");

    app.switch_language("en");
    let en = tr("en", "names.similar_spelling");
    app.search_until("Karimova", "no rows", |rows| rows.is_empty());
    app.search_until("GULYAMOV", "the mark in English", |rows| rows.iter().any(|r| r.contains(en.trim())));

    // The name as it is written: no mark.
    app.search_until("Karimova", "no rows", |rows| rows.is_empty());
    let rows = app.search_until("Gʻulomov", "Gʻulomov", |rows| rows.iter().any(|r| r.contains("Gʻulomov")));
    assert!(rows.iter().all(|r| !r.contains(en.trim())), "{rows:?}");
}
