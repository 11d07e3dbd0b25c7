//! What a clerk does, as steps: open the form, fill it, save, search, switch language.

use crate::fixtures::{tr, WorkerForm};
use crate::{App, WAIT};

impl App {
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
