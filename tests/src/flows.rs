//! What a clerk does, as steps: sign in, open the form, fill it, save, search, switch
//! language, read the audit trail.

use crate::fixtures::{tr, WorkerForm};
use crate::{App, WAIT};
use serde_json::json;

/// One rendered `audit-row`: its action code (`data-action`), the user and record
/// columns as shown, and the worker its `audit-record-link` leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub action: String,
    pub user: String,
    pub record: String,
    pub worker: Option<i64>,
}

impl App {
    /// Fills the sign-in form with `login` and `password` and submits it, waiting for
    /// nothing after.
    #[track_caller]
    pub fn submit_sign_in(&self, login: &str, password: &str) {
        self.wait_visible("login-form");
        self.set_value("login-login", login);
        self.set_value("login-password", password);
        self.click("login-submit");
    }

    /// Signs in on the sign-in screen and waits for the roster; fails at once with the
    /// text of `login-error` if the app refuses.
    #[track_caller]
    pub fn sign_in(&self, login: &str, password: &str) {
        self.submit_sign_in(login, password);
        self.wait_until(&format!("the roster after signing in as {login:?}"), WAIT, |app| {
            // A refusal shows `login-error` and empties the password field; an error left
            // from an earlier attempt, with the password still filled in, is not an answer.
            let refused = app.try_execute(
                r#"const error = document.querySelector('[data-testid="login-error"]');
                   const password = document.querySelector('[data-testid="login-password"]');
                   return error && error.isConnected && error.getClientRects().length > 0
                     && password && password.value === '' ? error.innerText.trim() : null;"#,
                json!([]),
            );
            if let Some(error) = refused.ok().as_ref().and_then(|v| v.as_str()) {
                app.fail(&format!("signing in as {login:?} was refused: {error:?}"));
            }
            (app.is_visible("roster-table") || app.is_visible("roster-empty")).then_some(())
        });
    }

    /// The text of the header's `current-user` (the signed-in user's name and role).
    #[track_caller]
    pub fn current_user(&self) -> String {
        self.text("current-user")
    }

    /// Clicks `lock-button` and waits for the sign-in form.
    #[track_caller]
    pub fn lock(&self) {
        self.click("lock-button");
        self.wait_visible("login-form");
    }

    /// The id of the worker whose page (or form) is open, from the route `#/worker/<id>`.
    #[track_caller]
    pub fn open_worker_id(&self) -> i64 {
        let hash = self.execute("return location.hash;", json!([]));
        let hash = hash.as_str().unwrap_or_default();
        hash.strip_prefix("#/worker/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| self.fail(&format!("no worker is open: the route is {hash:?}")))
    }

    /// The rendered `audit-row`s, top (newest) first.
    pub fn audit_rows(&self) -> Vec<AuditRow> {
        let v = self.try_execute(
            r#"return Array.from(document.querySelectorAll('[data-testid="audit-row"]'))
                 .filter(el => el.getClientRects().length > 0)
                 .map(el => {
                   const cell = (css) => { const c = el.querySelector(css); return c ? c.innerText.trim() : ''; };
                   const link = el.querySelector('[data-testid="audit-record-link"]');
                   const m = link && /#\/worker\/(\d+)$/.exec(link.getAttribute('href') || '');
                   return {action: el.dataset.action || '', user: cell('.col-user'), record: cell('.col-record'),
                           worker: m ? Number(m[1]) : null};
                 });"#,
            json!([]),
        );
        v.ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|r| AuditRow {
                action: r["action"].as_str().unwrap_or_default().to_string(),
                user: r["user"].as_str().unwrap_or_default().to_string(),
                record: r["record"].as_str().unwrap_or_default().to_string(),
                worker: r["worker"].as_i64(),
            })
            .collect()
    }

    /// Opens the empty worker form from the roster.
    #[track_caller]
    pub fn open_new_worker_form(&self) {
        self.click("add-worker");
        self.wait_visible("worker-form");
    }

    /// Fills the open form (every field by value + input/change events). Birth date and
    /// sex are only filled where the form has such fields.
    #[track_caller]
    pub fn fill_form(&self, form: &WorkerForm) {
        for (name, value) in &form.fields {
            let testid = format!("field-{name}");
            let optional = matches!(*name, "birth_date" | "sex");
            if optional && self.find_css(&Self::css(&testid)).is_none() {
                continue;
            }
            self.set_value(&testid, value);
        }
    }

    /// Clicks `save-worker` (and `save-anyway` if warnings are shown) and waits for the
    /// form to close; fails with the form's messages if it does not.
    #[track_caller]
    pub fn save_form_expecting_success(&self) {
        self.click("save-worker");
        let mut confirmed = false;
        self.wait_until("the form to close after saving", WAIT, |app| {
            if !app.is_visible("worker-form") {
                return Some(());
            }
            if !confirmed && app.is_visible("save-anyway") {
                let el = app.find_css(&Self::css("save-anyway"))?;
                app.click_element(&el, "save-anyway");
                confirmed = true;
            }
            None
        });
    }

    /// Adds a worker through the form and comes back to the roster.
    #[track_caller]
    pub fn add_worker(&self, form: &WorkerForm) {
        self.go_to_roster();
        self.open_new_worker_form();
        self.fill_form(form);
        self.save_form_expecting_success();
        self.go_to_roster();
    }

    /// Returns to the roster from wherever the app is (a worker's page after saving).
    #[track_caller]
    pub fn go_to_roster(&self) {
        let on_roster = |app: &App| app.is_visible("roster-table") || app.is_visible("roster-empty");
        self.wait_until("the roster or a way back to it", WAIT, |app| {
            if on_roster(app) {
                return Some(());
            }
            if app.is_visible("back-to-roster") {
                let el = app.find_css(&Self::css("back-to-roster"))?;
                app.click_element(&el, "back-to-roster");
            }
            None
        });
    }

    /// Puts `text` into the search box and waits until the rows satisfy `expect`.
    #[track_caller]
    pub fn search_until(&self, text: &str, what: &str, expect: impl Fn(&[String]) -> bool) -> Vec<String> {
        self.set_value("search-input", text);
        self.wait_until(&format!("searching {text:?} to show {what}"), WAIT, |app| {
            let rows = app.rows();
            expect(&rows).then_some(rows)
        })
    }

    /// Selects a UI language and waits for the `add-worker` label to be translated.
    #[track_caller]
    pub fn switch_language(&self, lang: &str) {
        self.set_value("language-select", lang);
        let key = self.i18n_key("add-worker");
        let want = tr(lang, &key);
        self.wait_text_contains("add-worker", want.trim());
    }
}
