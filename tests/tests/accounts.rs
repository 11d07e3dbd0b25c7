//! Accounts: the first-run setup, signing in and locking, what a viewer may not do, and
//! the audit trail of what was done in the window.
//!
//! Run with `scripts/test.sh`, or after `cargo build -p safar`:
//! `cargo test -p safar-e2e -- --test-threads=1`.

use safar_e2e::{
    literal_part, tr, App, AuditRow, DataDir, WorkerForm, ADMIN_LOGIN, ADMIN_NAME, ADMIN_PASSWORD, AGENCY_ADDRESS,
    AGENCY_DIRECTOR, AGENCY_LICENCE, AGENCY_LICENCE_DATE, AGENCY_NAME, WAIT,
};
use serde_json::json;

const DEFAULT_LANGUAGE: &str = "uz-Latn";

#[test]
fn the_first_run_asks_for_the_agency_and_an_admin() {
    const LOGIN: &str = "nodira";
    const FULL_NAME: &str = "Nodira Yusupova";
    const PASSWORD: &str = "Birinchi-kun-2026";
    let data = DataDir::new();
    let app = App::start(&data);
    app.wait_visible("setup-form");
    assert!(!app.is_visible("login-form"), "an empty data directory shows the sign-in form next to the setup");

    for (field, value) in [
        ("name", AGENCY_NAME),
        ("licence_number", AGENCY_LICENCE),
        ("licence_date", AGENCY_LICENCE_DATE),
        ("address", AGENCY_ADDRESS),
        ("director", AGENCY_DIRECTOR),
    ] {
        app.set_value(&format!("setup-{field}"), value);
    }
    app.set_value("setup-admin-login", LOGIN);
    app.set_value("setup-admin-full_name", FULL_NAME);
    app.set_value("setup-admin-password", PASSWORD);
    app.set_value("setup-admin-password2", PASSWORD);
    app.click("setup-submit");

    app.wait_until("the roster after the setup", WAIT, |app| {
        if let Some(error) = app.visible_text("setup-error") {
            app.fail(&format!("the setup was refused: {error:?}"));
        }
        (app.is_visible("roster-table") || app.is_visible("roster-empty")).then_some(())
    });
    app.wait_text_contains("current-user", FULL_NAME);
    assert!(!app.is_visible("setup-form"), "the setup form is still shown after it was done");
    app.screenshot("setup-done");
}

#[test]
fn a_viewer_sees_no_edit_controls_and_a_forced_write_is_refused() {
    const LOGIN: &str = "bobur";
    const PASSWORD: &str = "Faqat-korish-2026";
    let data = DataDir::initialised();
    data.demo(5);
    data.add_user(LOGIN, "viewer", "Bobur Nazarov", PASSWORD);

    let app = App::launch_signed_in(&data, LOGIN, PASSWORD);
    app.wait_text_contains("current-user", "Bobur Nazarov");
    app.wait_until("5 rows in the roster", WAIT, |app| (app.rows().len() == 5).then_some(()));
    assert!(!app.is_present("add-worker"), "a viewer has `add-worker` in the DOM");

    // A registered worker, if there is one: for him the move to in_training would be
    // allowed to an admin, so only the role can refuse it.
    let registered = tr(DEFAULT_LANGUAGE, "status.registered");
    let index = app.rows().iter().position(|r| r.contains(&registered)).unwrap_or(0);
    app.open_row(index);
    let status = app.wait_until("`detail-status` to show a status", WAIT, |app| {
        app.visible_text("detail-status").filter(|t| !t.is_empty())
    });
    app.wait_visible("back-to-roster");
    for testid in ["edit-worker", "archive-worker", "status-select"] {
        assert!(!app.is_present(testid), "a viewer has `{testid}` in the DOM of a worker's page");
    }

    let id = app.open_worker_id();
    let answer = app.execute_async(
        r#"const [id, done] = arguments;
           window.__TAURI__.core.invoke('workers_set_status', {id, status: 'in_training', reason: 'x'})
             .then(() => done('ok'), e => done(e && e.code ? e.code : String(e)));"#,
        json!([id]),
    );
    assert_eq!(answer, "forbidden", "a viewer's forced `workers_set_status` on worker #{id} was not refused");

    app.reload();
    app.wait_visible("worker-detail");
    let after = app.wait_until("`detail-status` to show a status after the reload", WAIT, |app| {
        app.visible_text("detail-status").filter(|t| !t.is_empty())
    });
    assert_eq!(after, status, "worker #{id}'s status changed after a viewer's refused write");
    assert!(!app.is_present("status-select"), "after a reload a viewer has `status-select`");
}

#[test]
fn a_wrong_password_shows_the_translated_error_and_locking_returns_to_sign_in() {
    let data = DataDir::initialised();
    let app = App::start(&data);
    app.wait_visible("login-form");

    app.submit_sign_in(ADMIN_LOGIN, "not-the-password");
    let want = literal_part(&tr(DEFAULT_LANGUAGE, "errors.login_failed"));
    app.wait_text_contains("login-error", &want);
    assert!(!app.is_visible("current-user"), "a refused sign-in shows `current-user`");
    assert!(!app.is_visible("roster-table"), "a refused sign-in shows the roster");

    app.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD);
    app.wait_text_contains("current-user", ADMIN_NAME);
    assert!(!app.is_visible("login-error"), "`login-error` is still shown after signing in");

    app.lock();
    assert!(!app.is_visible("current-user"), "`current-user` is still shown after locking");
    assert!(!app.is_visible("roster-table"), "the roster is still shown after locking");
    assert_eq!(app.value("login-password"), "", "the sign-in form keeps a password after locking");
}

#[test]
fn changes_made_in_the_window_show_in_the_audit_trail_with_their_author() {
    const REASON: &str = "Enrolled in the Korean language course";
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());
    app.open_row(0);
    let id = app.open_worker_id();
    app.wait_text_contains("detail-status", &tr(DEFAULT_LANGUAGE, "status.registered"));
    app.set_value("status-select", "in_training");
    app.set_value("status-reason", REASON);
    app.click("status-apply");
    app.wait_text_contains("detail-status", &tr(DEFAULT_LANGUAGE, "status.in_training"));

    app.click("nav-audit");
    app.wait_visible("audit-screen");
    let by_admin = |rows: &[AuditRow], action: &str| {
        rows.iter().any(|r| r.action == action && r.user == ADMIN_LOGIN && r.worker == Some(id))
    };
    let rows =
        app.wait_until(&format!("`audit-row`s of worker #{id}'s creation and status move by admin"), WAIT, |app| {
            let rows = app.audit_rows();
            (by_admin(&rows, "worker.create") && by_admin(&rows, "worker.status")).then_some(rows)
        });
    let create = rows.iter().position(|r| r.action == "worker.create").expect("a creation row");
    let status = rows.iter().position(|r| r.action == "worker.status").expect("a status row");
    assert!(status < create, "the newest entry comes first, yet the status move is below the creation: {rows:?}");

    app.click("audit-verify");
    let ok = literal_part(&tr(DEFAULT_LANGUAGE, "audit.verify_ok"));
    let broken = literal_part(&tr(DEFAULT_LANGUAGE, "audit.verify_broken"));
    let verdict = app.wait_text_contains("audit-verify-result", &ok);
    assert!(!verdict.contains(&broken), "the chain check shows both success and breakage: {verdict:?}");
    assert_eq!(app.attribute("audit-verify-result", "data-ok").as_deref(), Some("true"), "{verdict:?}");
    app.screenshot("audit-screen");
}
