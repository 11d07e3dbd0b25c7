// Over 600 lines: the e2e harness (Xvfb, tauri-driver, a std-only WebDriver client, the screen checks' helpers); split into harness and client when it next grows.
//! End-to-end harness: the real Safar window under Xvfb, driven through tauri-driver and
//! WebKitWebDriver with a small std-only W3C WebDriver client.
//!
//! [`App::launch`] starts a private X display, `tauri-driver` (which starts
//! `WebKitWebDriver`), and a WebDriver session that starts `target/debug/safar` on a
//! fresh data directory set up through the CLI (`safar init`), and signs in as its admin;
//! [`App::start`] stops at the first screen (setup or sign-in). Every helper process runs in its own process group, and the
//! groups are killed when the [`App`] is dropped, on success, failure and panic alike.
//! Only one app runs at a time: [`App`] holds a process-wide lock.
//!
//! Helpers panic with a message naming the step and quoting what was on the screen; a
//! failing test also leaves a screenshot in `target/screenshots/`.

mod fixtures;
mod flows;
mod process;
mod screens;
mod webdriver;

pub use fixtures::{
    i18n, literal_part, pinfl, pinfl_check_digit, tr, WorkerForm, ADMIN_LOGIN, ADMIN_NAME, ADMIN_PASSWORD,
    AGENCY_ADDRESS, AGENCY_DIRECTOR, AGENCY_LICENCE, AGENCY_LICENCE_DATE, AGENCY_NAME, LANGUAGES,
};
pub use flows::AuditRow;
pub use screens::MIN_CONTRAST;
pub use webdriver::{base64_decode, WdError, WebDriver, ELEMENT_KEY};

use process::{find_tool, free_port, port_open, start_xvfb, Group};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a `wait_*` helper polls before it gives up.
pub const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);

static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());
static COUNTER: AtomicUsize = AtomicUsize::new(0);

// ---------------------------------------------------------------------------------
// Paths and tools
// ---------------------------------------------------------------------------------

/// The repository root (the parent of this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The cargo profile directory the test binary runs from (`target/debug`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    // target/debug/deps/roster-1234 → target/debug
    exe.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| repo_root().join("target/debug"))
}

/// The app binary: `SAFAR_BIN` if set, else `safar` next to the test binary's `deps/`.
pub fn safar_bin() -> PathBuf {
    let bin = match std::env::var_os("SAFAR_BIN") {
        Some(path) => PathBuf::from(path),
        None => profile_dir().join("safar"),
    };
    assert!(
        bin.is_file(),
        "the app binary {} does not exist: run `cargo build -p safar` first (scripts/test.sh does), \
         or point SAFAR_BIN at it",
        bin.display()
    );
    bin
}

/// `target/screenshots/`, created on demand.
pub fn screenshot_dir() -> PathBuf {
    let target = profile_dir().parent().map(Path::to_path_buf).unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// A directory under the system temp dir, removed on drop (kept when a test fails, so
/// the database can be inspected; its path is printed).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "safar-e2e-{label}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("[e2e] kept {} for inspection", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The data directory a test hands to the app (`--data-dir`), plus private XDG
/// directories so WebKit's own storage does not leak between tests.
pub struct DataDir {
    root: TempDir,
}

impl DataDir {
    /// An empty data directory: the app opens on its first-run setup screen.
    pub fn new() -> DataDir {
        let root = TempDir::new("data");
        for sub in ["data", "xdg/data", "xdg/config", "xdg/cache"] {
            std::fs::create_dir_all(root.path().join(sub)).expect("create data dir");
        }
        DataDir { root }
    }

    /// A data directory set up through the CLI (`safar init`): the agency of
    /// [`AGENCY_NAME`] and its first admin [`ADMIN_LOGIN`] / [`ADMIN_PASSWORD`]. The app
    /// opens on its sign-in screen.
    pub fn initialised() -> DataDir {
        let data = DataDir::new();
        data.cli(
            &[("SAFAR_PASSWORD", ADMIN_PASSWORD)],
            &[
                "init",
                "--agency-name",
                AGENCY_NAME,
                "--licence",
                AGENCY_LICENCE,
                "--licence-date",
                AGENCY_LICENCE_DATE,
                "--address",
                AGENCY_ADDRESS,
                "--director",
                AGENCY_DIRECTOR,
                "--admin",
                ADMIN_LOGIN,
            ],
        );
        data
    }

    /// The directory passed as `--data-dir`.
    pub fn path(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn xdg(&self, which: &str) -> PathBuf {
        self.root.path().join("xdg").join(which)
    }

    /// Runs `safar --data-dir DIR <args…>` headless (the CLI) with exactly the `SAFAR_*`
    /// variables of `env` (passwords go there, never into `args`) and returns its stdout;
    /// panics with its output when it fails.
    pub fn cli(&self, env: &[(&str, &str)], args: &[&str]) -> String {
        let mut cmd = Command::new(safar_bin());
        cmd.arg("--data-dir").arg(self.path()).args(args);
        without_safar_env(&mut cmd);
        cmd.envs(env.iter().copied())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_DATA_HOME", self.xdg("data"))
            .env("XDG_CONFIG_HOME", self.xdg("config"))
            .env("XDG_CACHE_HOME", self.xdg("cache"))
            .stdin(Stdio::null());
        let out = cmd.output().expect("run safar");
        let names: Vec<&str> = env.iter().map(|(name, _)| *name).collect();
        assert!(
            out.status.success(),
            "`safar --data-dir {} {}` (with {}) failed ({}):\n{}{}",
            self.path().display(),
            args.join(" "),
            if names.is_empty() { "no SAFAR_* variables".to_string() } else { names.join(", ") },
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Like [`DataDir::cli_as_admin`], with `input` on standard input (the JSON of the
    /// commands that create a record, e.g. `training course add`).
    pub fn cli_as_admin_with_input(&self, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut cmd = Command::new(safar_bin());
        cmd.arg("--data-dir").arg(self.path()).args(["--user", ADMIN_LOGIN]).args(args);
        without_safar_env(&mut cmd);
        cmd.env("SAFAR_PASSWORD", ADMIN_PASSWORD)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_DATA_HOME", self.xdg("data"))
            .env("XDG_CONFIG_HOME", self.xdg("config"))
            .env("XDG_CACHE_HOME", self.xdg("cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run safar");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        let out = child.wait_with_output().expect("wait for safar");
        assert!(
            out.status.success(),
            "`safar --data-dir {} --user {ADMIN_LOGIN} {}` with {input} failed ({}):\n{}{}",
            self.path().display(),
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a CLI command as the admin of [`DataDir::initialised`] (`--user admin`, the
    /// password in `SAFAR_PASSWORD`).
    pub fn cli_as_admin(&self, args: &[&str]) -> String {
        let mut full = vec!["--user", ADMIN_LOGIN];
        full.extend_from_slice(args);
        self.cli(&[("SAFAR_PASSWORD", ADMIN_PASSWORD)], &full)
    }

    /// Runs `worker` through a one-session course that ended yesterday (course, cohort,
    /// enrolment, attendance, a passing score) and issues his certificate into a temporary
    /// folder, all with the CLI; returns the certificate number.
    pub fn certify(&self, worker: i64) -> String {
        let course: serde_json::Value = serde_json::from_str(
            &self.cli_as_admin_with_input(
                &["--json", "training", "course", "add"],
                &serde_json::json!({"name_uz": "Tayyorgarlik", "name_uz_cyrl": "Тайёргарлик", "name_ru": "Подготовка",
                "name_en": "Orientation", "hours": 8, "pass_mark": 60, "min_attendance_percent": 80,
                "validity_months": 12})
                .to_string(),
            ),
        )
        .expect("course JSON");
        let cohort: serde_json::Value = serde_json::from_str(
            &self.cli_as_admin_with_input(
                &["--json", "training", "cohort", "add"],
                &serde_json::json!({"course_id": course["id"], "starts_on": days_ago(1), "ends_on": days_ago(1),
                "place": "Toshkent", "trainer": "Rahimova D.", "capacity": 5,
                "sessions": [{"date": days_ago(1), "hours": 8}]})
                .to_string(),
            ),
        )
        .expect("cohort JSON");
        let (id, worker) = (cohort["id"].to_string(), worker.to_string());
        let session = cohort["sessions"][0]["id"].to_string();
        self.cli_as_admin(&["training", "enroll", &id, &worker]);
        self.cli_as_admin(&["training", "attend", &id, &session, &worker]);
        self.cli_as_admin(&["training", "score", &id, &worker, "90"]);
        let out = self.path().join("certificates");
        let issued: serde_json::Value = serde_json::from_str(&self.cli_as_admin(&[
            "--json",
            "certificates",
            "issue",
            &id,
            "--out",
            &out.display().to_string(),
        ]))
        .expect("issue JSON");
        issued["issued"][0]["number"].as_str().expect("certificate number").to_string()
    }

    /// Adds `count` synthetic workers (`safar demo`, as the admin).
    pub fn demo(&self, count: u32) {
        self.cli_as_admin(&["demo", "--workers", &count.to_string()]);
    }

    /// Adds a user with `role` (admin, staff, viewer) and `password`, as the admin.
    pub fn add_user(&self, login: &str, role: &str, full_name: &str, password: &str) {
        self.cli(
            &[("SAFAR_PASSWORD", ADMIN_PASSWORD), ("SAFAR_NEW_PASSWORD", password)],
            &["--user", ADMIN_LOGIN, "users", "add", login, "--role", role, "--name", full_name],
        );
    }
}

/// Removes every `SAFAR_*` variable the test process inherited from a child's
/// environment, so only what a test sets explicitly reaches the app.
fn without_safar_env(cmd: &mut Command) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SAFAR_") {
            cmd.env_remove(&name);
        }
    }
}

impl Default for DataDir {
    fn default() -> Self {
        DataDir::new()
    }
}

// ---------------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------------

/// A WebDriver element reference.
#[derive(Debug, Clone)]
pub struct Element(pub String);

/// The running app: Xvfb + tauri-driver (+ WebKitWebDriver + safar) + one session.
pub struct App {
    driver: WebDriver,
    session: String,
    data_path: PathBuf,
    // Drop order: session first (see Drop), then the driver, then the display.
    tauri_driver: Option<Group>,
    xvfb: Option<Group>,
    _own_data: Option<DataDir>,
    _lock: MutexGuard<'static, ()>,
}

impl App {
    /// Starts the app on an initialised data directory of its own
    /// ([`DataDir::initialised`]) and signs in as its admin.
    pub fn launch() -> App {
        let data = DataDir::initialised();
        let mut app = App::launch_on(&data);
        app._own_data = Some(data);
        app
    }

    /// Starts the app on an initialised `data` and signs in as the admin (use this to
    /// restart on the same data).
    pub fn launch_on(data: &DataDir) -> App {
        App::launch_signed_in(data, ADMIN_LOGIN, ADMIN_PASSWORD)
    }

    /// Starts the app on an initialised `data` and signs in as `login`: waits for
    /// `login-form`, fills it, submits and waits for the roster.
    pub fn launch_signed_in(data: &DataDir, login: &str, password: &str) -> App {
        let app = App::start(data);
        app.sign_in(login, password);
        app
    }

    /// Starts the app on `data` and waits for its first screen (the setup form on an
    /// empty directory, else the sign-in form), signing no one in.
    pub fn start(data: &DataDir) -> App {
        App::start_until(data, &["setup-form", "login-form"])
    }

    /// Starts the app on `data` and waits until one of `testids` is visible (its first
    /// screen; `start-error` when the data cannot be opened).
    pub fn start_until(data: &DataDir, testids: &[&str]) -> App {
        let lock = ONE_APP_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bin = safar_bin();
        let tauri_driver_bin = find_tool("tauri-driver");
        find_tool("WebKitWebDriver");
        let mut last_error = String::new();
        for attempt in 1..=2 {
            match Self::try_launch(&bin, &tauri_driver_bin, data) {
                Ok((driver, session, tauri_driver, xvfb)) => {
                    let app = App {
                        driver,
                        session,
                        data_path: data.path(),
                        tauri_driver: Some(tauri_driver),
                        xvfb: Some(xvfb),
                        _own_data: None,
                        _lock: lock,
                    };
                    app.wait_until(&format!("the first screen ({})", testids.join(" or ")), WAIT, |app| {
                        testids.iter().any(|id| app.is_visible(id)).then_some(())
                    });
                    return app;
                }
                Err(e) => {
                    eprintln!("[e2e] launch attempt {attempt} failed: {e}");
                    last_error = e;
                }
            }
        }
        panic!("could not start the app under tauri-driver: {last_error}");
    }

    fn try_launch(
        bin: &Path,
        tauri_driver_bin: &Path,
        data: &DataDir,
    ) -> Result<(WebDriver, String, Group, Group), String> {
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = loop {
            let p = free_port();
            if p != port {
                break p;
            }
        };
        let mut cmd = Command::new(tauri_driver_bin);
        without_safar_env(&mut cmd);
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env("SAFAR_DATA_DIR", data.path())
            .env("XDG_DATA_HOME", data.xdg("data"))
            .env("XDG_CONFIG_HOME", data.xdg("config"))
            .env("XDG_CACHE_HOME", data.xdg("cache"))
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let mut tauri_driver = Group::spawn("tauri-driver", cmd);

        let deadline = Instant::now() + WAIT;
        while !(port_open(port) && port_open(native_port)) {
            if let Some(exit) = tauri_driver.exited() {
                return Err(exit);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "tauri-driver (port {port}) or WebKitWebDriver (port {native_port}) \
                     did not accept connections within {WAIT:?}"
                ));
            }
            std::thread::sleep(POLL);
        }

        let driver = WebDriver::new(port);
        // "ignore": an unexpected alert stays open (and every command fails with
        // "unexpected alert open") instead of being dismissed unseen.
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "unhandledPromptBehavior": "ignore",
            "tauri:options": {
                "application": bin,
                "args": ["--data-dir", data.path()],
            },
        }}});
        let value = driver.call("POST", "/session", Some(&capabilities)).map_err(|e| format!("new session: {e}"))?;
        let session =
            value["sessionId"].as_str().ok_or_else(|| format!("new session: no sessionId in {value}"))?.to_string();
        Ok((driver, session, tauri_driver, xvfb))
    }

    /// The data directory the app runs on.
    pub fn data_dir(&self) -> &Path {
        &self.data_path
    }

    // ----- raw WebDriver --------------------------------------------------------------

    /// Sends a session command (`path` is relative to `/session/{id}`).
    pub fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WdError> {
        let full = format!("/session/{}{path}", self.session);
        self.driver.call(method, &full, body.as_ref())
    }

    #[track_caller]
    fn must(&self, what: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        match self.cmd(method, path, body) {
            Ok(v) => v,
            Err(e) => self.fail(&format!("{what}: {e}")),
        }
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its result.
    #[track_caller]
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.must("execute script", "POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Like [`App::execute`] but returns WebDriver errors instead of panicking.
    pub fn try_execute(&self, script: &str, args: Value) -> Result<Value, WdError> {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Runs `script` asynchronously: it gets a callback as its last argument and the
    /// value it passes on is returned (WebDriver `execute/async`).
    #[track_caller]
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.must("execute async script", "POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Reloads the page (WebDriver `refresh`), as F5 would.
    #[track_caller]
    pub fn reload(&self) {
        self.must("reload the page", "POST", "/refresh", Some(json!({})));
    }

    /// The text of the open alert, or the WebDriver error (`no such alert` when none).
    pub fn alert_text(&self) -> Result<String, WdError> {
        self.cmd("GET", "/alert/text", None).map(|v| v.as_str().unwrap_or_default().to_string())
    }

    // ----- elements -----------------------------------------------------------------

    /// The CSS selector of a `data-testid`.
    pub fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Finds the first element matching a CSS selector, if any.
    pub fn find_css(&self, css: &str) -> Option<Element> {
        let body = json!({"using": "css selector", "value": css});
        match self.cmd("POST", "/element", Some(body)) {
            Ok(v) => v[ELEMENT_KEY].as_str().map(|id| Element(id.to_string())),
            Err(e) if e.error == "no such element" => None,
            Err(e) => self.fail(&format!("find {css}: {e}")),
        }
    }

    /// Finds all elements matching a CSS selector.
    pub fn find_all_css(&self, css: &str) -> Vec<Element> {
        let body = json!({"using": "css selector", "value": css});
        let v = self.must(&format!("find all {css}"), "POST", "/elements", Some(body));
        v.as_array()
            .map(|items| {
                items.iter().filter_map(|i| i[ELEMENT_KEY].as_str()).map(|id| Element(id.to_string())).collect()
            })
            .unwrap_or_default()
    }

    /// Waits until `[data-testid=…]` is displayed and returns it.
    #[track_caller]
    pub fn find(&self, testid: &str) -> Element {
        self.wait_visible(testid);
        self.find_css(&Self::css(testid)).unwrap_or_else(|| self.fail(&format!("`{testid}` vanished")))
    }

    /// Clicks `[data-testid=…]` (a real WebDriver click) once it is displayed.
    #[track_caller]
    pub fn click(&self, testid: &str) {
        let el = self.find(testid);
        self.click_element(&el, testid);
    }

    #[track_caller]
    pub fn click_element(&self, el: &Element, what: &str) {
        // The page scrolls inside `#view`; WebKitWebDriver may scroll an element only
        // partly into that box and then call it "not interactable": centre it first, as a
        // person scrolls to what he is about to click.
        let _ = self.try_execute(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
            json!([{ELEMENT_KEY: el.0}]),
        );
        self.must(&format!("click `{what}`"), "POST", &format!("/element/{}/click", el.0), Some(json!({})));
    }

    /// Types `text` into an element with WebDriver key events.
    #[track_caller]
    pub fn send_keys(&self, testid: &str, text: &str) {
        let el = self.find(testid);
        self.must(
            &format!("type into `{testid}`"),
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({"text": text})),
        );
    }

    /// Presses `keys` one after another on whatever has the focus (W3C actions: a keyDown
    /// and keyUp per character; WebDriver's code points for special keys, e.g.
    /// `"\u{E014}"` ArrowRight, `"\u{E015}"` ArrowDown, `"\u{E007}"` Enter, `"\u{E00D}"` Space,
    /// `"\u{E017}"` Delete).
    #[track_caller]
    pub fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for c in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": c.to_string()}));
            actions.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.must(&format!("press {keys:?}"), "POST", "/actions", Some(body));
        let _ = self.cmd("DELETE", "/actions", None);
    }

    /// Sets the value of an input, textarea or select and fires `input` and `change`
    /// (reliable for `<input type=date>` and selects in WebKit, unlike typing).
    #[track_caller]
    pub fn set_value(&self, testid: &str, value: &str) {
        self.wait_present(testid);
        let got = self.execute(
            r#"const [css, value] = arguments;
               const el = document.querySelector(css);
               if (!el) return {missing: true};
               el.focus();
               el.value = value;
               el.dispatchEvent(new Event('input', {bubbles: true}));
               el.dispatchEvent(new Event('change', {bubbles: true}));
               const options = el.tagName === 'SELECT'
                 ? Array.from(el.options).map(o => o.value) : null;
               return {value: el.value, options};"#,
            json!([Self::css(testid), value]),
        );
        if got["missing"] == true {
            self.fail(&format!("set `{testid}`: the element is gone"));
        }
        if got["value"].as_str() != Some(value) {
            self.fail(&format!("set `{testid}` to {value:?}: it holds {} (options: {})", got["value"], got["options"]));
        }
    }

    /// The visible text of `[data-testid=…]` (trimmed), once displayed.
    #[track_caller]
    pub fn text(&self, testid: &str) -> String {
        // The UI re-renders often; a reference that went stale is simply found again.
        self.wait_until(&format!("the text of `{testid}`"), WAIT, |app| {
            let el = app.find(testid);
            match app.cmd("GET", &format!("/element/{}/text", el.0), None) {
                Ok(v) => Some(v.as_str().unwrap_or_default().trim().to_string()),
                Err(e) if e.error == "stale element reference" => None,
                Err(e) => app.fail(&format!("read the text of `{testid}`: {e}")),
            }
        })
    }

    /// The text of the first rendered `[data-testid=…]`, or `None` when none is shown
    /// (never fails on a re-render: meant for `wait_until` probes).
    pub fn visible_text(&self, testid: &str) -> Option<String> {
        self.visible_texts(&Self::css(testid)).into_iter().next()
    }

    /// Waits until `[data-testid=…]` is shown and its text contains `needle`; returns
    /// the text.
    #[track_caller]
    pub fn wait_text_contains(&self, testid: &str, needle: &str) -> String {
        self.wait_until(&format!("`{testid}` to show {needle:?}"), WAIT, |app| {
            app.visible_text(testid).filter(|t| t.contains(needle))
        })
    }

    /// The visible text of an element (trimmed).
    #[track_caller]
    pub fn element_text(&self, el: &Element) -> String {
        let v = self.must("read text", "GET", &format!("/element/{}/text", el.0), None);
        v.as_str().unwrap_or_default().trim().to_string()
    }

    /// An attribute of `[data-testid=…]`.
    #[track_caller]
    pub fn attribute(&self, testid: &str, name: &str) -> Option<String> {
        self.wait_present(testid);
        let el = self.find_css(&Self::css(testid)).unwrap_or_else(|| self.fail(&format!("`{testid}` vanished")));
        let v = self.must(
            &format!("read attribute {name} of `{testid}`"),
            "GET",
            &format!("/element/{}/attribute/{name}", el.0),
            None,
        );
        v.as_str().map(str::to_string)
    }

    /// The translation key of `[data-testid=…]`: its `data-i18n` attribute, or that of
    /// the first descendant carrying one (a button with an icon and a label `<span>`).
    #[track_caller]
    pub fn i18n_key(&self, testid: &str) -> String {
        self.wait_present(testid);
        let v = self.execute(
            r#"const el = document.querySelector(arguments[0]);
               const labelled = el && (el.hasAttribute('data-i18n') ? el : el.querySelector('[data-i18n]'));
               return labelled ? labelled.getAttribute('data-i18n') : null;"#,
            json!([Self::css(testid)]),
        );
        match v.as_str() {
            Some(key) if !key.is_empty() => key.to_string(),
            _ => self.fail(&format!("`{testid}` has no data-i18n attribute, on itself or a descendant")),
        }
    }

    /// Opens the worker of the `index`th visible `worker-row` by clicking its first cell
    /// (WebKitWebDriver refuses to click a `<tr>` itself: "element not interactable").
    #[track_caller]
    pub fn open_row(&self, index: usize) {
        let css = format!("{} td", Self::css("worker-row"));
        let cells = self.wait_until(&format!("worker row #{index}"), WAIT, |app| {
            let rows = app.find_all_css(&Self::css("worker-row"));
            (rows.len() > index).then_some(())?;
            let row = &rows[index];
            let cell = app.cmd(
                "POST",
                &format!("/element/{}/element", row.0),
                Some(json!({"using": "css selector", "value": "td"})),
            );
            cell.ok()?[ELEMENT_KEY].as_str().map(|id| Element(id.to_string()))
        });
        self.click_element(&cells, &css);
        self.wait_visible("worker-detail");
    }

    /// The current value of an input or select.
    #[track_caller]
    pub fn value(&self, testid: &str) -> String {
        self.wait_present(testid);
        self.execute(
            "const el = document.querySelector(arguments[0]); return el ? String(el.value) : null;",
            json!([Self::css(testid)]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Whether `[data-testid=…]` is in the DOM at all, rendered or not.
    pub fn is_present(&self, testid: &str) -> bool {
        self.find_css(&Self::css(testid)).is_some()
    }

    /// Whether `[data-testid=…]` exists and is rendered (not hidden, has a box).
    pub fn is_visible(&self, testid: &str) -> bool {
        self.visible_count(&Self::css(testid)) > 0
    }

    /// How many elements matching `css` are rendered.
    pub fn visible_count(&self, css: &str) -> usize {
        let v = self.try_execute(
            r#"return Array.from(document.querySelectorAll(arguments[0])).filter(el => {
                 if (el.closest('[hidden]')) return false;
                 const s = getComputedStyle(el);
                 return s.visibility !== 'hidden' && s.display !== 'none'
                   && el.getClientRects().length > 0;
               }).length;"#,
            json!([css]),
        );
        self.alert_is_fatal(&v);
        v.ok().and_then(|v| v.as_u64()).unwrap_or(0) as usize
    }

    /// A probe may meet a page in the middle of re-rendering and just try again, but an
    /// open alert is never something to wait out.
    #[track_caller]
    fn alert_is_fatal(&self, answer: &Result<Value, WdError>) {
        if let Err(e) = answer {
            if e.error == "unexpected alert open" {
                self.fail("an alert is open");
            }
        }
    }

    /// The texts of all rendered elements matching `css`.
    pub fn visible_texts(&self, css: &str) -> Vec<String> {
        let v = self.try_execute(
            r#"return Array.from(document.querySelectorAll(arguments[0]))
                 .filter(el => !el.closest('[hidden]') && el.getClientRects().length > 0)
                 .map(el => el.innerText.trim());"#,
            json!([css]),
        );
        self.alert_is_fatal(&v);
        v.ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|t| t.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The texts of the rendered `worker-row`s.
    pub fn rows(&self) -> Vec<String> {
        self.visible_texts(&Self::css("worker-row"))
    }

    // ----- waiting ------------------------------------------------------------------

    /// Polls `probe` every 100 ms until it returns `Some`, for at most `timeout`; then
    /// fails naming `what` and showing the screen.
    #[track_caller]
    pub fn wait_until<T>(&self, what: &str, timeout: Duration, mut probe: impl FnMut(&App) -> Option<T>) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = probe(self) {
                return v;
            }
            if Instant::now() > deadline {
                self.fail(&format!("waited {timeout:?} for {what}"));
            }
            std::thread::sleep(POLL);
        }
    }

    #[track_caller]
    pub fn wait_visible(&self, testid: &str) {
        self.wait_until(&format!("`{testid}` to be visible"), WAIT, |app| app.is_visible(testid).then_some(()));
    }

    #[track_caller]
    pub fn wait_hidden(&self, testid: &str) {
        self.wait_until(&format!("`{testid}` to disappear"), WAIT, |app| (!app.is_visible(testid)).then_some(()));
    }

    #[track_caller]
    pub fn wait_present(&self, testid: &str) {
        self.wait_until(&format!("`{testid}` to exist"), WAIT, |app| app.find_css(&Self::css(testid)).map(|_| ()));
    }

    /// Waits until the roster shows (the table or the empty state).
    #[track_caller]
    pub fn wait_for_roster(&self) {
        self.wait_until("the roster (`roster-table` or `roster-empty`) to show", WAIT, |app| {
            (app.is_visible("roster-table") || app.is_visible("roster-empty")).then_some(())
        });
    }

    // ----- diagnostics --------------------------------------------------------------

    /// Saves a PNG of the window to `target/screenshots/<name>.png` and returns its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit hands out the last composited frame: let two animation frames pass so the
        // picture shows the DOM as the test just checked it, not the paint before.
        let _ = self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)));", "args": []})),
        );
        let v = self.cmd("GET", "/screenshot", None).unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let png = base64_decode(v.as_str().unwrap_or_default());
        assert!(png.starts_with(b"\x89PNG"), "screenshot {name}: not a PNG ({} bytes)", png.len());
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// What the window shows, in words: the visible text and any open alert.
    pub fn screen_summary(&self) -> String {
        if let Ok(text) = self.alert_text() {
            return format!("an alert is open: {text:?}");
        }
        match self.try_execute("return document.body ? document.body.innerText : '(no body)';", json!([])) {
            Ok(v) => {
                let text = v.as_str().unwrap_or_default().trim().to_string();
                let mut short: String = text.chars().take(2000).collect();
                if short.len() < text.len() {
                    short.push_str(" …");
                }
                short
            }
            Err(e) => format!("(could not read the screen: {e})"),
        }
    }

    /// Panics with `message`, the visible text of the window and a screenshot.
    #[track_caller]
    pub fn fail(&self, message: &str) -> ! {
        let summary = self.screen_summary();
        let name = format!(
            "failure-{}-{}",
            std::thread::current().name().unwrap_or("test").replace("::", "-"),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let shot = match self.cmd("GET", "/screenshot", None) {
            Ok(v) => {
                let path = screenshot_dir().join(format!("{name}.png"));
                match std::fs::write(&path, base64_decode(v.as_str().unwrap_or_default())) {
                    Ok(()) => path.display().to_string(),
                    Err(e) => format!("(not saved: {e})"),
                }
            }
            Err(e) => format!("(no screenshot: {e})"),
        };
        panic!("{message}\n--- on screen ---\n{summary}\n--- screenshot: {shot}");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.driver.call("DELETE", &format!("/session/{}", self.session), None);
        self.tauri_driver.take();
        self.xvfb.take();
    }
}

/// The UTC date `n` days before today, as YYYY-MM-DD.
pub fn days_ago(n: i64) -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64;
    let z = secs.div_euclid(86_400) - n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A YYYY-MM-DD date as the window shows it in `lang`: 07.05.2026 in Uzbek and Russian,
/// 7 May 2026 in English (ui/lib/dates.js); anything else as it is.
pub fn shown_date(lang: &str, iso: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = iso.split('-').collect();
    let [y, m, d] = parts[..] else { return iso.to_string() };
    match (lang, m.parse::<usize>()) {
        ("en", Ok(month @ 1..=12)) => format!("{} {} {y}", d.trim_start_matches('0'), MONTHS[month - 1]),
        ("en", _) => iso.to_string(),
        _ => format!("{d}.{m}.{y}"),
    }
}
