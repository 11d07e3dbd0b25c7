//! Backups from the window (issue 11): everyone sees the banner while no verified backup
//! is younger than 7 days; the admin clicks "Back up now", sees the recovery key once and
//! the newest backup verified, and the banner goes.

use safar_e2e::{tr, App, DataDir};

#[test]
fn an_admin_backs_up_now_and_the_overdue_banner_goes() {
    let data = DataDir::initialised();
    data.demo(30);
    let app = App::launch_on(&data);
    app.wait_visible("backup-banner");
    app.wait_text_contains("backup-banner", &tr("uz-Latn", "backup.banner"));
    app.execute("location.hash = '#/agency';", serde_json::json!([]));
    app.wait_visible("backup-card");
    app.wait_text_contains("backup-last", &tr("uz-Latn", "backup.none"));
    app.screenshot("backup-before-uz-Latn");
    app.click("backup-now");
    app.wait_visible("backup-recovery-key");
    let key = app.text("backup-recovery-key");
    assert!(key.starts_with("AGE-SECRET-KEY-1"), "{key}");
    app.wait_text_contains("backup-verified", &tr("uz-Latn", "backup.verified"));
    app.screenshot("backup-done-uz-Latn");
    // When it was made, as Uzbek writes dates (dd.mm.yyyy hh:mm), not the browser's "12/2/2026".
    let last = app.text("backup-last");
    let stamp = last.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = stamp.split('.').collect();
    assert!(
        parts.len() == 3 && parts[0].len() == 2 && parts[1].len() == 2 && parts[2].len() == 4,
        "the newest backup's date: {last:?}"
    );
    // The file is where the section says, owner-only, and the banner is gone.
    let folder = data.path().join("backups");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .expect("backups folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".safarbak"))
        .collect();
    assert_eq!(files.len(), 1, "one backup in {}", folder.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = files[0].metadata().expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    app.execute("location.hash = '#/';", serde_json::json!([]));
    app.wait_hidden("backup-banner");
    // It verifies from the command line too.
    data.cli_as_admin(&["backup", "verify", &files[0].path().display().to_string()]);
}
