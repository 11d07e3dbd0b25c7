//! A walk through every screen in Russian and Uzbek Cyrillic, photographed for people to
//! look at (target/screenshots/tour-*.png); each screen must show its own landmark.

use safar_e2e::{App, DataDir};

#[test]
fn every_screen_opens_in_russian_and_uzbek_cyrillic() {
    let data = DataDir::initialised();
    data.demo(30);
    let app = App::launch_on(&data);
    for lang in ["ru", "uz-Cyrl"] {
        app.switch_language(lang);
        for (nav, screen) in [
            ("nav-users", "users-screen"),
            ("nav-audit", "audit-screen"),
            ("nav-agency", "agency-screen"),
            ("nav-password", "password-screen"),
        ] {
            app.click(nav);
            app.wait_visible(screen);
            app.screenshot(&format!("tour-{screen}-{lang}"));
        }
        app.click("nav-roster");
        app.wait_visible("roster-table");
        app.open_row(0);
        app.wait_visible("worker-detail");
        app.wait_visible("consent-panel");
        app.screenshot(&format!("tour-worker-{lang}"));
        app.click("back-to-roster");
        app.wait_visible("roster-table");
    }
}

#[test]
fn an_admin_changes_a_rule_on_the_agency_screen() {
    let app = App::launch();
    app.click("nav-agency");
    app.wait_visible("rules-card");
    app.set_value("rule-key", "passport_margin_months.KR");
    app.set_value("rule-value-input", "3");
    app.click("rule-save");
    app.wait_until("the new rule in the list", safar_e2e::WAIT, |app| {
        let v = app.execute(
            "const r = document.querySelector('[data-testid=\"rule\"][data-key=\"passport_margin_months.KR\"] [data-testid=\"rule-value\"]'); return r ? r.textContent : null;",
            serde_json::json!([]),
        );
        (v.as_str() == Some("3")).then_some(())
    });
    app.set_value("rule-key", "passport_margin_months.KR");
    app.set_value("rule-value-input", "99");
    app.click("rule-save");
    app.wait_visible("rule-error");
    app.screenshot("tour-rules-uz-Latn");
}

/// Support's first questions answered in the window, before anyone signs in and after:
/// the same version, schema and data folder as `safar --version`.
#[test]
fn the_about_screen_shows_the_version_schema_and_data_folder_to_everyone() {
    let data = DataDir::initialised();
    let cli: serde_json::Value =
        serde_json::from_str(&data.cli(&[], &["--json", "--version"])).expect("--version --json is JSON");
    let app = App::start(&data);
    app.click("nav-about");
    app.wait_visible("about-screen");
    app.wait_text_contains("about-schema-version", &cli["schema_version"].to_string());
    assert_eq!(app.text("about-version"), cli["version"].as_str().unwrap_or_default());
    assert_eq!(app.text("about-build-date"), cli["build_date"].as_str().unwrap_or_default());
    assert_eq!(app.text("about-data-dir"), data.path().display().to_string());
    app.screenshot("tour-about-uz-Latn");

    app.execute("location.hash = '#/'", serde_json::json!([]));
    app.sign_in(safar_e2e::ADMIN_LOGIN, safar_e2e::ADMIN_PASSWORD);
    app.click("nav-about");
    app.wait_text_contains("about-data-dir", &data.path().display().to_string());
}
