//! A data folder that cannot be opened (here a damaged file; a failed upgrade or a database
//! from a newer Safar take the same path) still opens the window, which says why: started
//! from the desktop menu, nobody reads the terminal.

use safar_e2e::{literal_part, tr, App, DataDir};

#[test]
fn a_data_folder_that_cannot_be_opened_shows_why_in_the_window() {
    let data = DataDir::initialised();
    std::fs::write(data.path().join("safar.db"), vec![b'x'; 8192]).expect("damage the database");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data.path().join(format!("safar.db{suffix}")));
    }
    let app = App::start_until(&data, &["start-error"]);
    let want = literal_part(&tr("uz-Latn", "errors.storage"));
    app.wait_text_contains("start-error", &want);
    assert!(!app.is_visible("login-form") && !app.is_visible("setup-form"));
    app.screenshot("start-error-uz-Latn");
}
