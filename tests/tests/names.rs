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

/// Issue 13, item 6: an English file as LibreOffice writes its headers maps without help,
/// and the column nobody asked for is shown as not imported.
#[test]
fn an_english_file_with_passport_expiry_date_maps_in_the_import_window() {
    let app = App::launch();
    let dir = std::env::temp_dir().join(format!("safar-e2e-headers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("english.csv");
    let mut csv = String::from(
        "Last Name,First Name,Date of Birth,Sex,PINFL,Passport No.,Passport issue date,Passport expiry date,Region,Where we met\n",
    );
    for n in 0..3u32 {
        csv.push_str(&format!(
            "Karimov,Jasur,1990-03-1{n},M,{},AC{:07},2020-01-10,2030-01-09,Samarqand,fair\n",
            safar_e2e::pinfl(3, 10 + n as u8, 3, 1990, 77_000 + n),
            5_000_000 + n,
        ));
    }
    std::fs::write(&file, csv).expect("write");
    app.click("nav-import");
    app.wait_visible("import-screen");
    app.send_keys("import-file", file.to_str().expect("path"));
    app.wait_visible("import-preview");
    app.wait_text_contains("count-added", &tr("uz-Latn", "import.added").replace("{count}", "3"));
    assert_eq!(app.value("map-7"), "passport_expiry");
    assert_eq!(app.value("map-5"), "passport_number");
    assert_eq!(app.value("map-9"), "");
    app.wait_text_contains("map-row-9", tr("uz-Latn", "import_columns.not_imported").trim());
    app.screenshot("import-english-headers");
    let _ = std::fs::remove_dir_all(&dir);
}
