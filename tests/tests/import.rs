//! Importing a workbook through the window: the file chosen in the import screen, a
//! column mapping broken and fixed, the refused rows with their translated reasons, the
//! commit with its progress, and an imported worker found by a Cyrillic search.
//!
//! Run after `cargo build -p safar`: `cargo test -p safar-e2e --test import -- --test-threads=1`.

use safar_e2e::{literal_part, repo_root, tr, App};

const LANG: &str = "uz-Latn";

#[test]
fn a_clerk_imports_the_sample_workbook_fixes_a_mapping_and_finds_a_worker() {
    let app = App::launch();
    app.click("nav-import");
    app.wait_visible("import-screen");
    let file = repo_root().join("src-tauri/tests/fixtures/import/workers-uz.xlsx");
    app.send_keys("import-file", file.to_str().expect("path"));
    app.wait_visible("import-preview");
    let refused = |n: usize| tr(LANG, "import.refused").replace("{count}", &n.to_string());
    app.wait_text_contains("count-refused", &refused(8));
    app.wait_text_contains("count-added", &tr(LANG, "import.added").replace("{count}", "40"));
    app.screenshot("import-preview");

    // A wrong choice (the passport column ignored) refuses every row; choosing the field
    // again brings the preview back.
    assert_eq!(app.value("map-6"), "passport_number");
    app.set_value("map-6", "");
    app.wait_text_contains("count-refused", &refused(48));
    app.set_value("map-6", "passport_number");
    app.wait_text_contains("count-refused", &refused(8));

    // The refused rows: row numbers as the sheet shows them, reasons in the UI language.
    let table = app.wait_text_contains("import-refused", &literal_part(&tr(LANG, "errors.pinfl_format")));
    for row in ["11", "18", "24", "27", "28", "36", "41", "45"] {
        assert!(table.lines().any(|l| l.starts_with(row)), "row {row} missing from the refused rows: {table}");
    }
    assert!(table.contains(&literal_part(&tr(LANG, "errors.phone_format"))), "{table}");

    app.click("import-commit");
    app.wait_text_contains(
        "import-result",
        &tr(LANG, "import.done").replace("{added}", "40").replace("{updated}", "0"),
    );
    app.screenshot("import-done");

    app.click("nav-roster");
    app.wait_for_roster();
    let has_him = |rows: &[String]| rows.iter().any(|r| r.contains("Oʻrinboyev"));
    app.search_until("Karimova", "no rows", |rows| rows.is_empty());
    let rows = app.search_until("Ўринбоев", "an imported worker", has_him);
    assert_eq!(rows.len(), 1, "{rows:?}");

    // The list as it is filtered now, exported: a workbook in the exports folder.
    app.click("export-xlsx");
    let toast = app.wait_text_contains("toast", ".xlsx");
    let path = toast.split_whitespace().find(|w| w.ends_with(".xlsx")).expect("a path in the toast");
    let bytes = std::fs::read(path).expect("the exported file");
    assert!(bytes.starts_with(b"PK"), "an XLSX (zip) file");
}
